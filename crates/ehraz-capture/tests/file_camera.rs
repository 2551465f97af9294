//! The file-backed camera and latest-only delivery, on Y4M files made here.

use std::path::PathBuf;
use std::time::Duration;

use ehraz_capture::{Camera, CaptureError, FrameSource, LatestFrame, PixelFormat, Y4mSource};
use rand::Rng;

/// Writes a Y4M of `frames` frames whose Y plane is all the frame's index.
fn y4m_file(
    width: usize,
    height: usize,
    fps: (usize, usize),
    frames: u8,
    colorspace: y4m::Colorspace,
) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("ehraz-capture-{}.y4m", rand::rng().random::<u64>()));
    let file = std::fs::File::create(&path).expect("file");
    let mut encoder = y4m::encode(width, height, y4m::Ratio::new(fps.0, fps.1))
        .with_colorspace(colorspace)
        .write_header(file)
        .expect("header");
    let chroma = match colorspace {
        y4m::Colorspace::C444 => width * height,
        _ => width.div_ceil(2) * height.div_ceil(2),
    };
    for i in 0..frames {
        let y = vec![i; width * height];
        let u = vec![128u8; chroma];
        let v = vec![128u8; chroma];
        encoder
            .write_frame(&y4m::Frame::new([&y, &u, &v], None))
            .expect("frame");
    }
    path
}

#[test]
fn a_file_plays_its_frames_with_their_real_timestamps() {
    let path = y4m_file(33, 17, (30, 1), 4, y4m::Colorspace::C420jpeg);
    let mut source = Y4mSource::open(&path, false).expect("opens").unpaced();
    let info = source.info();
    assert_eq!(
        (info.width, info.height, info.frame_rate),
        (33, 17, (30, 1))
    );
    assert_eq!(info.format, PixelFormat::I420);
    for i in 0..4u8 {
        let frame = source.next_frame().expect("frame");
        assert_eq!(frame.sequence, u64::from(i));
        assert_eq!(
            frame.captured,
            Duration::from_nanos(u64::from(i) * 1_000_000_000 / 30)
        );
        assert_eq!(frame.data.len(), PixelFormat::I420.frame_len(33, 17));
        assert_eq!(frame.data.len(), 33 * 17 + 2 * 17 * 9);
        assert!(frame.data[..33 * 17].iter().all(|&b| b == i));
    }
    assert!(matches!(source.next_frame(), Err(CaptureError::Ended)));
}

#[test]
fn a_looping_file_never_ends_and_its_clock_goes_on() {
    let path = y4m_file(8, 8, (25, 1), 3, y4m::Colorspace::C420);
    let mut source = Y4mSource::open(&path, true).expect("opens").unpaced();
    let frames: Vec<_> = (0..8)
        .map(|_| source.next_frame().expect("frame"))
        .collect();
    let firsts: Vec<u8> = frames.iter().map(|f| f.data[0]).collect();
    assert_eq!(firsts, [0, 1, 2, 0, 1, 2, 0, 1]);
    assert_eq!(frames[7].sequence, 7);
    assert_eq!(frames[7].captured, Duration::from_millis(280));
}

#[test]
fn what_it_cannot_play_is_refused_with_a_reason() {
    let path = y4m_file(8, 8, (25, 1), 1, y4m::Colorspace::C444);
    let error = Y4mSource::open(&path, true).expect_err("4:4:4");
    assert!(matches!(error, CaptureError::Unsupported(_)), "{error:?}");
    let garbage =
        std::env::temp_dir().join(format!("ehraz-capture-{}.y4m", rand::rng().random::<u64>()));
    std::fs::write(&garbage, b"not a video").expect("write");
    assert!(Y4mSource::open(&garbage, false).is_err());
    let missing = Y4mSource::open("/no/such/file.y4m", false).expect_err("missing");
    assert!(matches!(missing, CaptureError::Io(_)));
}

fn frame(sequence: u64) -> ehraz_capture::Frame {
    ehraz_capture::Frame {
        width: 2,
        height: 2,
        format: PixelFormat::I420,
        data: bytes::Bytes::from_static(&[0; 6]),
        captured: Duration::ZERO,
        sequence,
    }
}

#[test]
fn a_slow_consumer_gets_the_newest_frame_and_no_queue() {
    let latest = LatestFrame::default();
    assert!(latest.newer_than(None, Duration::ZERO).is_none());
    for i in 0..100 {
        latest.publish(frame(i));
    }
    let taken = latest.newer_than(None, Duration::ZERO).expect("a frame");
    assert_eq!(taken.sequence, 99);
    assert_eq!(latest.dropped(), 99);
    // Nothing newer yet: the same frame is not given twice.
    assert!(
        latest
            .newer_than(Some(99), Duration::from_millis(10))
            .is_none()
    );
    latest.publish(frame(100));
    assert_eq!(
        latest
            .newer_than(Some(99), Duration::ZERO)
            .expect("newer")
            .sequence,
        100
    );
    assert_eq!(
        latest.dropped(),
        99,
        "a frame that was taken is not dropped"
    );
}

#[test]
fn a_camera_runs_its_source_on_its_own_thread_and_stops_when_dropped() {
    let path = y4m_file(16, 16, (1000, 1), 5, y4m::Colorspace::C420jpeg);
    let camera = Camera::start(Y4mSource::open(&path, true).expect("opens")).expect("starts");
    assert_eq!(camera.info().width, 16);
    let mut last = None;
    for _ in 0..5 {
        let frame = camera
            .frames()
            .newer_than(last, Duration::from_secs(5))
            .expect("frames keep coming");
        assert!(last.is_none_or(|l| frame.sequence > l));
        last = Some(frame.sequence);
    }
    drop(camera);

    let short = y4m_file(4, 4, (1000, 1), 2, y4m::Colorspace::C420jpeg);
    let camera = Camera::start(Y4mSource::open(&short, false).expect("opens")).expect("starts");
    let mut seen = None;
    while camera.frames().failure().is_none() {
        if let Some(frame) = camera.frames().newer_than(seen, Duration::from_secs(5)) {
            seen = Some(frame.sequence);
        }
    }
    assert_eq!(
        camera.frames().failure().as_deref(),
        Some("the stream ended")
    );
}
