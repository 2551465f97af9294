//! Photos from frames: decodable JPEGs, the size bound, no metadata.

use std::time::Duration;

use bytes::Bytes;
use ehraz_capture::photo::{self, MAX_PHOTO_BYTES, PhotoError};
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
    // No APP1 (EXIF/XMP), no COM: markers before the image data are JFIF, tables, frame.
    let markers: Vec<u8> = jpeg
        .windows(2)
        .take_while(|w| w != &[0xFF, 0xDA])
        .filter(|w| w[0] == 0xFF && (0xC0..=0xFE).contains(&w[1]))
        .map(|w| w[1])
        .collect();
    assert!(!markers.contains(&0xE1), "an APP1 segment: {markers:x?}");
    assert!(!markers.contains(&0xFE), "a comment: {markers:x?}");
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
