//! Photos from frames: decodable JPEGs, the size bound, no metadata, turned upright.

use std::time::Duration;

use bytes::Bytes;
use ehraz_capture::photo::{self, MAX_PHOTO_BYTES, Orientation, PhotoError};
use ehraz_capture::{Frame, PixelFormat};
use rand::Rng;

fn frame(width: u32, height: u32, fill: impl Fn(usize, usize) -> (u8, u8, u8)) -> Frame {
    let (w, h) = (width as usize, height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let mut y = vec![0u8; w * h];
    let mut u = vec![0u8; cw * ch];
    let mut v = vec![0u8; cw * ch];
    for row in 0..h {
        for col in 0..w {
            let (py, pu, pv) = fill(row, col);
            y[row * w + col] = py;
            u[(row / 2) * cw + col / 2] = pu;
            v[(row / 2) * cw + col / 2] = pv;
        }
    }
    let mut data = y;
    data.extend(u);
    data.extend(v);
    Frame {
        width,
        height,
        format: PixelFormat::I420,
        data: Bytes::from(data),
        captured: Duration::ZERO,
        sequence: 0,
    }
}

#[test]
fn studio_range_greys_and_primaries_convert_as_bt601_says() {
    let grey = |y| frame(2, 2, move |_, _| (y, 128, 128));
    assert_eq!(photo::to_rgb(&grey(16)).expect("rgb")[..3], [0, 0, 0]);
    assert_eq!(
        photo::to_rgb(&grey(235)).expect("rgb")[..3],
        [255, 255, 255]
    );
    // BT.601 studio-range red: Y 81, Cb 90, Cr 240.
    let red = photo::to_rgb(&frame(2, 2, |_, _| (81, 90, 240))).expect("rgb");
    assert!(
        red[0] >= 250 && red[1] <= 5 && red[2] <= 5,
        "{:?}",
        &red[..3]
    );
    let short = Frame {
        data: Bytes::from_static(&[0; 5]),
        ..grey(16)
    };
    assert_eq!(
        photo::to_rgb(&short),
        Err(PhotoError::FrameSize {
            expected: 6,
            actual: 5
        })
    );
}

#[test]
fn a_photo_decodes_at_the_frame_size_with_no_metadata_and_within_the_bound() {
    // A 1280×720 frame of gradients: what a camera gives, roughly.
    let still = frame(1280, 720, |r, c| {
        (
            16 + ((r + c) % 219) as u8,
            (90 + c % 60) as u8,
            (100 + r % 80) as u8,
        )
    });
    let jpeg = photo::jpeg(&still, MAX_PHOTO_BYTES).expect("jpeg");
    assert!(jpeg.len() <= MAX_PHOTO_BYTES, "{} bytes", jpeg.len());
    let mut decoder = jpeg_decoder::Decoder::new(jpeg.as_slice());
    let pixels = decoder.decode().expect("decodes");
    let info = decoder.info().expect("info");
    assert_eq!((info.width, info.height), (1280, 720));
    assert_eq!(pixels.len(), 1280 * 720 * 3);
    assert_no_metadata(&jpeg);
}

#[test]
fn noise_that_does_not_fit_steps_the_quality_down_then_says_so() {
    let mut rng = rand::rng();
    let noise: Vec<u8> = (0..640 * 480 * 3 / 2).map(|_| rng.random()).collect();
    let frame = Frame {
        width: 640,
        height: 480,
        format: PixelFormat::I420,
        data: Bytes::from(noise),
        captured: Duration::ZERO,
        sequence: 0,
    };
    let roomy = photo::jpeg(&frame, 10 << 20).expect("fits at the first quality");
    let tight = photo::jpeg(&frame, roomy.len() - 1).expect("fits at a lower quality");
    assert!(tight.len() < roomy.len());
    assert!(matches!(
        photo::jpeg(&frame, 1_000),
        Err(PhotoError::TooLarge(_))
    ));
}

/// Studio-range YUV of the quadrant colours, and their nominal RGB.
const RED: ((u8, u8, u8), [u8; 3]) = ((82, 90, 240), [255, 0, 0]);
const GREEN: ((u8, u8, u8), [u8; 3]) = ((144, 54, 34), [0, 255, 0]);
const BLUE: ((u8, u8, u8), [u8; 3]) = ((41, 240, 110), [0, 0, 255]);
const WHITE: ((u8, u8, u8), [u8; 3]) = ((235, 128, 128), [255, 255, 255]);

/// 64×32, four quadrants: red top left, green top right, blue bottom left, white bottom
/// right. Every one of the eight orientations moves them differently.
fn quadrants() -> Frame {
    frame(64, 32, |r, c| match (r < 16, c < 32) {
        (true, true) => RED.0,
        (true, false) => GREEN.0,
        (false, true) => BLUE.0,
        (false, false) => WHITE.0,
    })
}

#[test]
fn each_orientation_turns_the_photo_as_exif_says() {
    use Orientation::*;
    // (orientation, top left, top right, bottom left, bottom right) of the result.
    let cases = [
        (Upright, RED, GREEN, BLUE, WHITE),
        (MirrorHorizontal, GREEN, RED, WHITE, BLUE),
        (Rotate180, WHITE, BLUE, GREEN, RED),
        (MirrorVertical, BLUE, WHITE, RED, GREEN),
        (Transpose, RED, BLUE, GREEN, WHITE),
        (Rotate90, BLUE, RED, WHITE, GREEN),
        (Transverse, WHITE, GREEN, BLUE, RED),
        (Rotate270, GREEN, WHITE, RED, BLUE),
    ];
    let still = quadrants();
    for (orientation, tl, tr, bl, br) in cases {
        let jpeg = photo::jpeg_oriented(&still, orientation, MAX_PHOTO_BYTES).expect("jpeg");
        let mut decoder = jpeg_decoder::Decoder::new(jpeg.as_slice());
        let pixels = decoder.decode().expect("decodes");
        let info = decoder.info().expect("info");
        let (w, h) = (usize::from(info.width), usize::from(info.height));
        let expected_size = if orientation.swaps_sides() {
            (32, 64)
        } else {
            (64, 32)
        };
        assert_eq!((w, h), expected_size, "{orientation:?}");
        // The centre of each quadrant of the result.
        let at = |x: usize, y: usize| -> [u8; 3] {
            let i = (y * w + x) * 3;
            [pixels[i], pixels[i + 1], pixels[i + 2]]
        };
        let seen = [
            at(w / 4, h / 4),
            at(3 * w / 4, h / 4),
            at(w / 4, 3 * h / 4),
            at(3 * w / 4, 3 * h / 4),
        ];
        for (got, (_, want)) in seen.iter().zip([tl, tr, bl, br]) {
            let near = got.iter().zip(want).all(|(g, w)| g.abs_diff(w) <= 24);
            assert!(
                near,
                "{orientation:?}: {seen:?}, expected {want:?} in that place"
            );
        }
    }
}

#[test]
fn turning_moves_every_plane_pixel_for_pixel() {
    // 4×2, luma 1..=8 row by row, chroma 2×1: U (10, 20), V (30, 40).
    let mut data: Vec<u8> = (1..=8).collect();
    data.extend([10, 20, 30, 40]);
    let still = Frame {
        width: 4,
        height: 2,
        format: PixelFormat::I420,
        data: Bytes::from(data),
        captured: Duration::from_millis(5),
        sequence: 7,
    };
    let turned = photo::orient(&still, Orientation::Rotate90).expect("turns");
    assert_eq!((turned.width, turned.height), (2, 4));
    // Clockwise: the bottom row becomes the left column, read upwards.
    assert_eq!(turned.data[..8], [5, 1, 6, 2, 7, 3, 8, 4]);
    assert_eq!(turned.data[8..], [10, 20, 30, 40]);
    assert_eq!((turned.captured, turned.sequence), (still.captured, 7));
    let back = photo::orient(&turned, Orientation::Rotate270).expect("turns back");
    assert_eq!(back, still);
    let half = photo::orient(&still, Orientation::Rotate180).expect("turns");
    assert_eq!(half.data[..], [8, 7, 6, 5, 4, 3, 2, 1, 20, 10, 40, 30]);
    let short = Frame {
        data: Bytes::from_static(&[0; 11]),
        ..still
    };
    assert_eq!(
        photo::orient(&short, Orientation::Rotate90),
        Err(PhotoError::FrameSize {
            expected: 12,
            actual: 11
        })
    );
}

#[test]
fn an_upright_photo_is_the_plain_one_and_still_carries_no_metadata() {
    let still = quadrants();
    let plain = photo::jpeg(&still, MAX_PHOTO_BYTES).expect("jpeg");
    let upright =
        photo::jpeg_oriented(&still, Orientation::Upright, MAX_PHOTO_BYTES).expect("jpeg");
    assert_eq!(plain, upright, "nothing mirrored or moved");
    let turned =
        photo::jpeg_oriented(&still, Orientation::Rotate90, MAX_PHOTO_BYTES).expect("jpeg");
    assert_no_metadata(&turned);
    assert!(matches!(
        photo::jpeg_oriented(&still, Orientation::Rotate90, 100),
        Err(PhotoError::TooLarge(_))
    ));
}

#[test]
fn orientations_come_from_exif_values_and_device_rotations() {
    for value in 1..=8 {
        let orientation = Orientation::from_exif(value).expect("1 to 8");
        assert_eq!(orientation.exif(), value);
    }
    assert_eq!(Orientation::from_exif(0), None);
    assert_eq!(Orientation::from_exif(9), None);
    assert_eq!(Orientation::from_exif(6), Some(Orientation::Rotate90));
    assert_eq!(Orientation::clockwise(90), Some(Orientation::Rotate90));
    assert_eq!(Orientation::clockwise(-90), Some(Orientation::Rotate270));
    assert_eq!(Orientation::clockwise(540), Some(Orientation::Rotate180));
    assert_eq!(Orientation::clockwise(0), Some(Orientation::Upright));
    assert_eq!(Orientation::clockwise(45), None);
}

/// No APP1 (EXIF/XMP) and no COM segment: the markers before the image data are JFIF,
/// tables and the frame only.
fn assert_no_metadata(jpeg: &[u8]) {
    let markers: Vec<u8> = jpeg
        .windows(2)
        .take_while(|w| w != &[0xFF, 0xDA])
        .filter(|w| w[0] == 0xFF && (0xC0..=0xFE).contains(&w[1]))
        .map(|w| w[1])
        .collect();
    assert!(!markers.contains(&0xE1), "an APP1 segment: {markers:x?}");
    assert!(!markers.contains(&0xFE), "a comment: {markers:x?}");
}
