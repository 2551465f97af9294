//! The live preview: its messages, its scaling, and that it never runs ahead of the page.

use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use ehraz_capture::preview::{self, HEADER_BYTES, Preview, PreviewFormat, PreviewSettings};
use ehraz_capture::{Camera, CaptureError, Frame, FrameSource, PixelFormat, SourceInfo, clock};

/// A frame of one luma value with neutral chroma (a grey).
fn grey(width: u32, height: u32, luma: u8, sequence: u64) -> Frame {
    let luma_len = (width * height) as usize;
    let mut data = vec![luma; luma_len];
    data.resize(PixelFormat::I420.frame_len(width, height), 128);
    Frame {
        width,
        height,
        format: PixelFormat::I420,
        data: Bytes::from(data),
        captured: clock::now(),
        sequence,
    }
}

fn header(message: &[u8]) -> (u32, u16, u16, u8) {
    (
        u32::from_le_bytes(message[0..4].try_into().expect("4 bytes")),
        u16::from_le_bytes(message[4..6].try_into().expect("2 bytes")),
        u16::from_le_bytes(message[6..8].try_into().expect("2 bytes")),
        message[8],
    )
}

#[test]
fn rgba_messages_carry_their_header_and_studio_range_greys() {
    let message = preview::encode(&grey(64, 36, 235, 7), 1280, PreviewFormat::Rgba).expect("rgba");
    assert_eq!(header(&message), (7, 64, 36, 1));
    assert_eq!(&message[9..HEADER_BYTES], &[0, 0, 0]);
    let pixels = &message[HEADER_BYTES..];
    assert_eq!(pixels.len(), 64 * 36 * 4);
    // Studio-range white (235) is full white; black (16) full black; alpha opaque.
    assert!(
        pixels.chunks(4).all(|p| p == [255, 255, 255, 255]),
        "{:?}",
        &pixels[..8]
    );
    let black = preview::encode(&grey(8, 8, 16, 0), 1280, PreviewFormat::Rgba).expect("rgba");
    assert!(black[HEADER_BYTES..].chunks(4).all(|p| p == [0, 0, 0, 255]));
}

#[test]
fn wide_frames_are_scaled_down_keeping_their_shape() {
    let frame = grey(1280, 720, 126, 3);
    let message = preview::encode(&frame, 640, PreviewFormat::Jpeg(80)).expect("jpeg");
    assert_eq!(header(&message), (3, 640, 360, 0));
    let mut decoder = jpeg_decoder::Decoder::new(&message[HEADER_BYTES..]);
    let pixels = decoder.decode().expect("a JPEG");
    let info = decoder.info().expect("info");
    assert_eq!((info.width, info.height), (640, 360));
    // Luma 126 is mid grey (about 128 in full range), within JPEG's error.
    assert!(pixels.iter().all(|&v| v.abs_diff(128) <= 3));

    let small = preview::scale_down(&frame, 333)
        .expect("valid")
        .expect("scaled");
    assert_eq!((small.width, small.height), (332, 186));
    assert_eq!(small.data.len(), PixelFormat::I420.frame_len(332, 186));
    assert!(preview::scale_down(&frame, 1280).expect("valid").is_none());

    let mut broken = frame;
    broken.data = broken.data.slice(..100);
    assert!(preview::encode(&broken, 640, PreviewFormat::Rgba).is_err());
}

/// Frames as fast as asked, each a little brighter.
struct Counter(u64);

impl FrameSource for Counter {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            name: "counter".into(),
            width: 32,
            height: 18,
            frame_rate: (1000, 1),
            format: PixelFormat::I420,
        }
    }

    fn next_frame(&mut self) -> Result<Frame, CaptureError> {
        std::thread::sleep(Duration::from_millis(1));
        self.0 += 1;
        Ok(grey(32, 18, (self.0 % 200) as u8 + 16, self.0))
    }
}

#[test]
fn the_preview_never_runs_more_than_its_window_ahead_of_the_page() {
    let camera = Camera::start(Counter(0)).expect("camera");
    let (tx, rx) = mpsc::channel();
    let settings = PreviewSettings {
        max_width: 1280,
        format: PreviewFormat::Rgba,
        in_flight: 2,
        give_up_after: Duration::from_secs(3600),
    };
    let preview = Preview::start(camera.frames().clone(), settings, move |m| {
        tx.send(m).is_ok()
    })
    .expect("preview");
    let first = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("a first frame");
    let second = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("a second frame");
    // The source makes hundreds of frames a second; with none acknowledged, no third.
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
    assert_eq!(preview.stats().sent, 2);
    let (s1, s2) = (header(&first).0, header(&second).0);
    assert!(s2 > s1, "newer frames only: {s1} then {s2}");

    // An answer for a frame never sent changes nothing.
    preview.ack(u32::MAX);
    assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());

    // Acknowledging the second frame frees both places: two more come, newer ones.
    preview.ack(s2);
    let third = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("a third frame");
    let fourth = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("a fourth frame");
    assert!(header(&third).0 > s2 && header(&fourth).0 > header(&third).0);
    let stats = preview.stats();
    assert_eq!((stats.sent, stats.acked), (4, 1));
    assert_eq!(stats.latencies.len(), 1);
    assert_eq!(stats.bytes, 4 * (HEADER_BYTES as u64 + 32 * 18 * 4));
    drop(preview);
    drop(camera);
}

#[test]
fn a_frame_never_answered_is_given_up_so_the_preview_goes_on() {
    let camera = Camera::start(Counter(0)).expect("camera");
    let (tx, rx) = mpsc::channel();
    let settings = PreviewSettings {
        in_flight: 1,
        give_up_after: Duration::from_millis(200),
        ..PreviewSettings::default()
    };
    let _preview = Preview::start(camera.frames().clone(), settings, move |m| {
        tx.send(m).is_ok()
    })
    .expect("preview");
    let first = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("a first frame");
    // No answer ever comes; after the give-up time the next frame is sent anyway.
    let next = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("sent after giving up");
    assert!(header(&next).0 > header(&first).0);
}
