//! A folder of pictures played as a camera, on pictures written here.

use std::path::Path;
use std::time::Duration;

use ehraz_capture::{Camera, CaptureError, FrameSource, ImageFolderSource, PixelFormat, clock};
use image::{ImageFormat, Rgb, RgbImage};

fn solid(width: u32, height: u32, rgb: [u8; 3]) -> RgbImage {
    RgbImage::from_pixel(width, height, Rgb(rgb))
}

fn save(picture: &RgbImage, path: &Path) {
    let format = ImageFormat::from_path(path).expect("a picture's extension");
    picture.save_with_format(path, format).expect("saves");
}

/// The studio-range luma of an RGB colour, as BT.601 gives it.
fn luma([r, g, b]: [u8; 3]) -> i32 {
    ((66 * i32::from(r) + 129 * i32::from(g) + 25 * i32::from(b) + 128) >> 8) + 16
}

fn near(got: u8, want: i32, by: i32) -> bool {
    (i32::from(got) - want).abs() <= by
}

#[test]
fn pictures_play_in_name_order_at_the_given_rate_then_end() {
    let dir = tempfile::tempdir().expect("dir");
    let (black, grey, white) = ([0, 0, 0], [128, 128, 128], [255, 255, 255]);
    save(&solid(8, 6, grey), &dir.path().join("b.PNG"));
    save(&solid(8, 6, black), &dir.path().join("a.png"));
    save(&solid(8, 6, white), &dir.path().join("c.jpg"));
    std::fs::write(dir.path().join("notes.txt"), "not a picture").expect("writes");

    let mut source = ImageFolderSource::open(dir.path(), (25, 1), false)
        .expect("opens")
        .unpaced();
    let names: Vec<_> = source
        .files()
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.png", "b.PNG", "c.jpg"]);
    let info = source.info();
    assert_eq!(
        (info.width, info.height, info.frame_rate, info.format),
        (8, 6, (25, 1), PixelFormat::I420)
    );
    for (i, colour) in [black, grey, white].into_iter().enumerate() {
        let frame = source.next_frame().expect("frame");
        assert_eq!(frame.sequence, i as u64);
        assert_eq!(frame.captured, Duration::from_millis(40 * i as u64));
        assert_eq!(frame.data.len(), PixelFormat::I420.frame_len(8, 6));
        // PNG exactly, the JPEG within its loss; chroma neutral for greys.
        assert!(
            frame.data[..48].iter().all(|&y| near(y, luma(colour), 2)),
            "{i}: {:?}",
            &frame.data[..48]
        );
        assert!(frame.data[48..].iter().all(|&c| near(c, 128, 2)));
    }
    assert!(matches!(source.next_frame(), Err(CaptureError::Ended)));
}

#[test]
fn a_looping_folder_starts_over_and_its_clock_goes_on() {
    let dir = tempfile::tempdir().expect("dir");
    save(&solid(4, 4, [0, 0, 0]), &dir.path().join("1.png"));
    save(&solid(4, 4, [255, 255, 255]), &dir.path().join("2.png"));
    let mut source = ImageFolderSource::open(dir.path(), (30000, 1001), true)
        .expect("opens")
        .unpaced();
    let lumas: Vec<u8> = (0..5)
        .map(|_| source.next_frame().expect("frame").data[0])
        .collect();
    assert_eq!(lumas, [16, 235, 16, 235, 16]);
    let sixth = source.next_frame().expect("frame");
    assert_eq!(sixth.sequence, 5);
    assert_eq!(
        sixth.captured,
        Duration::from_nanos(5 * 1001 * 1_000_000_000 / 30000)
    );
}

#[test]
fn a_jpeg_is_turned_upright_as_its_exif_orientation_says() {
    // 16×8: red left half, blue right half, tagged "turn a quarter clockwise" (6).
    let mut picture = solid(16, 8, [0, 0, 255]);
    for x in 0..8 {
        for y in 0..8 {
            picture.put_pixel(x, y, Rgb([255, 0, 0]));
        }
    }
    let mut jpeg = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut jpeg), ImageFormat::Jpeg)
        .expect("encodes");
    #[rustfmt::skip]
    let app1: [u8; 36] = [
        0xFF, 0xE1, 0x00, 0x22, b'E', b'x', b'i', b'f', 0, 0,
        // Big-endian TIFF header, IFD0 at 8.
        b'M', b'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
        // One entry: Orientation (0x0112), SHORT, count 1, value 6; no next IFD.
        0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];
    jpeg.splice(2..2, app1);
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("card.jpg"), &jpeg).expect("writes");

    let mut source = ImageFolderSource::open(dir.path(), (1, 1), false)
        .expect("opens")
        .unpaced();
    let info = source.info();
    assert_eq!((info.width, info.height), (8, 16), "turned a quarter");
    let frame = source.next_frame().expect("frame");
    // Clockwise, the left half (red) comes on top.
    let (top, bottom) = (frame.data[2 * 8 + 4], frame.data[13 * 8 + 4]);
    assert!(near(top, luma([255, 0, 0]), 6), "top {top}");
    assert!(near(bottom, luma([0, 0, 255]), 6), "bottom {bottom}");
}

#[test]
fn pictures_are_decoded_one_at_a_time_and_a_bad_one_fails_when_its_turn_comes() {
    let dir = tempfile::tempdir().expect("dir");
    save(&solid(8, 8, [0, 0, 0]), &dir.path().join("1.png"));
    save(&solid(4, 8, [0, 0, 0]), &dir.path().join("2.png"));
    std::fs::write(dir.path().join("3.jpg"), b"not a jpeg at all").expect("writes");
    let mut source = ImageFolderSource::open(dir.path(), (10, 1), true)
        .expect("the first picture is fine")
        .unpaced();
    source.next_frame().expect("the first frame");
    match source.next_frame() {
        Err(CaptureError::Unsupported(why)) => {
            assert!(why.contains("2.png") && why.contains("4×8"), "{why}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn what_it_cannot_play_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("notes.txt"), "no pictures").expect("writes");
    assert!(matches!(
        ImageFolderSource::open(dir.path(), (25, 1), true),
        Err(CaptureError::Unsupported(_))
    ));
    save(&solid(4, 4, [0, 0, 0]), &dir.path().join("a.png"));
    assert!(matches!(
        ImageFolderSource::open(dir.path(), (0, 1), true),
        Err(CaptureError::Unsupported(_))
    ));
    assert!(matches!(
        ImageFolderSource::open(dir.path().join("missing"), (25, 1), true),
        Err(CaptureError::Io(_))
    ));
    std::fs::write(dir.path().join("0.jpg"), b"broken").expect("writes");
    assert!(matches!(
        ImageFolderSource::open(dir.path(), (25, 1), true),
        Err(CaptureError::Unsupported(_))
    ));
}

#[test]
fn a_paced_folder_stamps_frames_on_the_capture_clock_a_frame_apart() {
    let dir = tempfile::tempdir().expect("dir");
    save(&solid(4, 4, [0, 0, 0]), &dir.path().join("a.png"));
    let before = clock::now();
    let mut source = ImageFolderSource::open(dir.path(), (100, 1), true).expect("opens");
    let first = source.next_frame().expect("frame");
    let second = source.next_frame().expect("frame");
    assert!(first.captured >= before);
    assert_eq!(second.captured - first.captured, Duration::from_millis(10));
}

#[test]
fn a_folder_runs_as_a_camera_and_reaches_its_consumers() {
    let dir = tempfile::tempdir().expect("dir");
    save(&solid(6, 4, [255, 255, 255]), &dir.path().join("a.png"));
    let camera = Camera::start(ImageFolderSource::open(dir.path(), (50, 1), true).expect("opens"))
        .expect("starts");
    assert_eq!(
        camera.info().name,
        format!(
            "folder {}",
            dir.path().file_name().expect("name").to_string_lossy()
        )
    );
    let frame = camera
        .frames()
        .newer_than(None, Duration::from_secs(10))
        .expect("a frame");
    assert_eq!((frame.width, frame.height), (6, 4));
    assert_eq!(frame.data[0], 235);
}
