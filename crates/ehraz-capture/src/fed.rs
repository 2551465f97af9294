//! A camera fed from outside: the webview's own camera (`getUserMedia`), on phones where
//! nokhwa has no backend and on desktops where only the webview finds one. The page grabs
//! frames from its video element and hands each over as bytes; a [`Feeder`] checks and
//! converts them, and the [`FedSource`] gives them to a [`crate::Camera`] like any other
//! source, so the same guidance, photos and recorder run on them.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use thiserror::Error;

use crate::device::convert;
use crate::{CaptureError, Frame, FrameSource, PixelFormat, SourceInfo, clock};

/// How a fed frame's bytes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FedPixels {
    /// Packed 8-bit red, green, blue and alpha, rows packed, alpha ignored: what a web
    /// page's canvas gives (`getImageData`), in every webview.
    Rgba,
}

impl FedPixels {
    /// Bytes of one frame of `width`×`height`, `None` past what memory can address.
    pub fn frame_len(self, width: u32, height: u32) -> Option<usize> {
        let per_pixel = match self {
            Self::Rgba => 4,
        };
        usize::try_from(width)
            .ok()?
            .checked_mul(usize::try_from(height).ok()?)?
            .checked_mul(per_pixel)
    }
}

/// A fed frame was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FeedError {
    /// The frame is not the size the camera was opened at (the page must open it again).
    #[error("a frame of {width}×{height} fed to a camera opened at {opened_width}×{opened_height}")]
    SizeChanged {
        /// Width of the frame.
        width: u32,
        /// Height of the frame.
        height: u32,
        /// Width the camera was opened at.
        opened_width: u32,
        /// Height the camera was opened at.
        opened_height: u32,
    },
    /// The bytes are not exactly a frame of that size and layout.
    #[error("a {pixels:?} frame of {width}×{height} is {expected} bytes, not {actual}")]
    Length {
        /// The layout.
        pixels: FedPixels,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// What the size and layout need.
        expected: usize,
        /// What was fed.
        actual: usize,
    },
    /// The camera was closed: nothing takes frames any more.
    #[error("the fed camera is closed")]
    Closed,
}

#[derive(Debug, Default)]
struct Slot {
    /// The newest frame not yet given; a newer one replaces it.
    frame: Option<Frame>,
    /// Frames fed so far: the next one's sequence.
    fed: u64,
    /// Live feeders; none left ends the source.
    feeders: usize,
    /// A feeder closed the feed: the source ends at once.
    closed: bool,
    /// The source was dropped: feeding is refused.
    source_gone: bool,
}

#[derive(Debug, Default)]
struct Shared {
    slot: Mutex<Slot>,
    fed: Condvar,
}

impl Shared {
    fn slot(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A camera whose frames are pushed in through its [`Feeder`]. `next_frame` waits for the
/// next frame fed; it ends ([`CaptureError::Ended`]) once the feed is closed or every
/// feeder is dropped. Only the newest frame waits: one the camera had no time to take is
/// replaced, never queued.
#[derive(Debug)]
pub struct FedSource {
    shared: Arc<Shared>,
    info: SourceInfo,
}

/// Feeds a [`FedSource`]: cheap to clone, each clone feeds the same source.
#[derive(Debug)]
pub struct Feeder {
    shared: Arc<Shared>,
    width: u32,
    height: u32,
}

impl FedSource {
    /// A source of `width`×`height` frames, arriving about `frame_rate` times a second
    /// (numerator, denominator: what it tells its consumers to expect), and its feeder.
    pub fn new(
        name: impl Into<String>,
        width: u32,
        height: u32,
        frame_rate: (u32, u32),
    ) -> Result<(Self, Feeder), CaptureError> {
        if width == 0 || height == 0 {
            return Err(CaptureError::Unsupported(format!(
                "a fed camera of {width}×{height}"
            )));
        }
        if frame_rate.0 == 0 || frame_rate.1 == 0 {
            return Err(CaptureError::Unsupported("a frame rate of zero".into()));
        }
        let shared = Arc::new(Shared::default());
        shared.slot().feeders = 1;
        let info = SourceInfo {
            name: name.into(),
            width,
            height,
            frame_rate,
            format: PixelFormat::I420,
        };
        let feeder = Feeder {
            shared: Arc::clone(&shared),
            width,
            height,
        };
        Ok((Self { shared, info }, feeder))
    }
}

impl FrameSource for FedSource {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    fn next_frame(&mut self) -> Result<Frame, CaptureError> {
        let slot = self.shared.slot();
        let mut slot = self
            .shared
            .fed
            .wait_while(slot, |s| s.frame.is_none() && !s.closed && s.feeders > 0)
            .unwrap_or_else(PoisonError::into_inner);
        if slot.closed {
            return Err(CaptureError::Ended);
        }
        slot.frame.take().ok_or(CaptureError::Ended)
    }
}

impl Drop for FedSource {
    fn drop(&mut self) {
        let mut slot = self.shared.slot();
        slot.source_gone = true;
        slot.frame = None;
    }
}

impl Feeder {
    /// The size every frame must have.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Hands over one frame of `width`×`height` laid out as `pixels`: checked (the size
    /// the camera was opened at, exactly the bytes that size needs), converted to I420 on
    /// the caller's thread, and stamped with the capture clock's time of its arrival.
    pub fn push(
        &self,
        width: u32,
        height: u32,
        pixels: FedPixels,
        bytes: &[u8],
    ) -> Result<(), FeedError> {
        let arrived = clock::now();
        if (width, height) != (self.width, self.height) {
            return Err(FeedError::SizeChanged {
                width,
                height,
                opened_width: self.width,
                opened_height: self.height,
            });
        }
        let expected = pixels.frame_len(width, height);
        if expected != Some(bytes.len()) {
            return Err(FeedError::Length {
                pixels,
                width,
                height,
                expected: expected.unwrap_or(usize::MAX),
                actual: bytes.len(),
            });
        }
        if self.is_closed() {
            return Err(FeedError::Closed);
        }
        let data = match pixels {
            FedPixels::Rgba => convert::rgba_to_i420(width, height, bytes),
        };
        let mut slot = self.shared.slot();
        if slot.closed || slot.source_gone {
            return Err(FeedError::Closed);
        }
        slot.frame = Some(Frame {
            width,
            height,
            format: PixelFormat::I420,
            data: data.into(),
            captured: arrived,
            sequence: slot.fed,
        });
        slot.fed += 1;
        drop(slot);
        self.shared.fed.notify_all();
        Ok(())
    }

    /// Ends the source at once, for every clone: what waits is dropped, and later pushes
    /// are refused. Call it before dropping the camera that runs the source, whose thread
    /// waits in `next_frame` until then.
    pub fn close(&self) {
        self.shared.slot().closed = true;
        self.shared.fed.notify_all();
    }

    /// Whether the feed was closed or its source dropped.
    pub fn is_closed(&self) -> bool {
        let slot = self.shared.slot();
        slot.closed || slot.source_gone
    }
}

impl Clone for Feeder {
    fn clone(&self) -> Self {
        self.shared.slot().feeders += 1;
        Self {
            shared: Arc::clone(&self.shared),
            width: self.width,
            height: self.height,
        }
    }
}

impl Drop for Feeder {
    fn drop(&mut self) {
        self.shared.slot().feeders -= 1;
        self.shared.fed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::device::convert::rgb_to_i420;

    /// A `width`×`height` RGBA picture of one colour.
    fn plain(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
        rgba.into_iter()
            .cycle()
            .take(width as usize * height as usize * 4)
            .collect()
    }

    #[test]
    fn a_fed_colour_arrives_as_bt601_studio_range() {
        for (rgba, yuv) in [
            ([0, 0, 0, 255], (16, 128, 128)),
            ([255, 255, 255, 255], (235, 128, 128)),
            ([255, 0, 0, 255], (82, 90, 240)),
            ([0, 255, 0, 255], (144, 54, 34)),
            // Alpha plays no part: a canvas's transparent blue is blue.
            ([0, 0, 255, 0], (41, 240, 110)),
        ] {
            let (mut source, feeder) = FedSource::new("webview", 4, 2, (15, 1)).expect("source");
            feeder
                .push(4, 2, FedPixels::Rgba, &plain(4, 2, rgba))
                .expect("fed");
            let frame = source.next_frame().expect("a frame");
            assert_eq!((frame.width, frame.height), (4, 2));
            assert_eq!(frame.format, PixelFormat::I420);
            assert_eq!(frame.data.len(), PixelFormat::I420.frame_len(4, 2));
            assert!(frame.data[..8].iter().all(|&y| y == yuv.0), "{rgba:?}");
            assert_eq!((frame.data[8], frame.data[10]), (yuv.1, yuv.2), "{rgba:?}");
        }
    }

    #[test]
    fn rgba_converts_exactly_as_rgb_does_at_odd_sizes_too() {
        let (width, height) = (5, 3);
        let rgb: Vec<u8> = (0..width * height * 3)
            .map(|i| (i * 37 % 256) as u8)
            .collect();
        let rgba: Vec<u8> = rgb
            .chunks_exact(3)
            .flat_map(|px| [px[0], px[1], px[2], 200])
            .collect();
        let (mut source, feeder) = FedSource::new("webview", 5, 3, (15, 1)).expect("source");
        feeder.push(5, 3, FedPixels::Rgba, &rgba).expect("fed");
        let frame = source.next_frame().expect("a frame");
        assert_eq!(
            frame.data.as_ref(),
            rgb_to_i420(5, 3, &rgb).expect("rgb").as_slice()
        );
    }

    #[test]
    fn a_wrong_length_or_a_new_size_is_refused_and_nothing_arrives() {
        let (mut source, feeder) = FedSource::new("webview", 4, 2, (15, 1)).expect("source");
        let frame = plain(4, 2, [9, 9, 9, 255]);
        assert_eq!(
            feeder.push(4, 2, FedPixels::Rgba, &frame[..31]),
            Err(FeedError::Length {
                pixels: FedPixels::Rgba,
                width: 4,
                height: 2,
                expected: 32,
                actual: 31
            })
        );
        let mut longer = frame.clone();
        longer.push(0);
        assert!(matches!(
            feeder.push(4, 2, FedPixels::Rgba, &longer),
            Err(FeedError::Length { actual: 33, .. })
        ));
        // The same bytes said to be another shape are a size change, not a frame.
        assert_eq!(
            feeder.push(2, 4, FedPixels::Rgba, &frame),
            Err(FeedError::SizeChanged {
                width: 2,
                height: 4,
                opened_width: 4,
                opened_height: 2
            })
        );
        // A size whose bytes memory cannot address has no length at all.
        assert_eq!(FedPixels::Rgba.frame_len(u32::MAX, u32::MAX), None);
        // Nothing was taken in: the next frame is the first good one, numbered 0.
        feeder.push(4, 2, FedPixels::Rgba, &frame).expect("fed");
        assert_eq!(source.next_frame().expect("frame").sequence, 0);
        assert!(FedSource::new("webview", 0, 2, (15, 1)).is_err());
        assert!(FedSource::new("webview", 2, 2, (0, 1)).is_err());
    }

    #[test]
    fn next_frame_waits_for_a_push_and_gets_the_newest_with_its_arrival_time() {
        let (mut source, feeder) = FedSource::new("webview", 2, 2, (15, 1)).expect("source");
        assert_eq!(source.info().width, 2);
        let before = clock::now();
        let waiting = std::thread::spawn(move || {
            let frame = source.next_frame().expect("a frame");
            (frame, source)
        });
        std::thread::sleep(Duration::from_millis(100));
        assert!(!waiting.is_finished(), "next_frame waits for a frame");
        feeder
            .push(2, 2, FedPixels::Rgba, &plain(2, 2, [255; 4]))
            .expect("fed");
        let (frame, mut source) = waiting.join().expect("joined");
        assert!(frame.captured >= before + Duration::from_millis(100));
        assert!(frame.captured <= clock::now());
        assert_eq!(frame.sequence, 0);

        // Two pushes before the camera asks: only the newer one is given.
        feeder
            .push(2, 2, FedPixels::Rgba, &plain(2, 2, [0, 0, 0, 255]))
            .expect("fed");
        feeder
            .push(2, 2, FedPixels::Rgba, &plain(2, 2, [255; 4]))
            .expect("fed");
        let newest = source.next_frame().expect("a frame");
        assert_eq!((newest.sequence, newest.data[0]), (2, 235));
    }

    #[test]
    fn closing_the_feed_ends_a_waiting_source_and_refuses_later_frames() {
        let (mut source, feeder) = FedSource::new("webview", 2, 2, (15, 1)).expect("source");
        let other = feeder.clone();
        let waiting = std::thread::spawn(move || source.next_frame());
        std::thread::sleep(Duration::from_millis(50));
        other.close();
        assert!(matches!(
            waiting.join().expect("joined"),
            Err(CaptureError::Ended)
        ));
        assert!(feeder.is_closed());
        assert_eq!(
            feeder.push(2, 2, FedPixels::Rgba, &plain(2, 2, [1; 4])),
            Err(FeedError::Closed)
        );
    }

    #[test]
    fn the_source_ends_when_the_last_feeder_is_dropped_after_what_it_fed() {
        let (mut source, feeder) = FedSource::new("webview", 2, 2, (15, 1)).expect("source");
        let second = feeder.clone();
        feeder
            .push(2, 2, FedPixels::Rgba, &plain(2, 2, [7; 4]))
            .expect("fed");
        drop(feeder);
        // One feeder is left: the frame is there, and then the source waits again.
        assert!(source.next_frame().is_ok());
        let waiting = std::thread::spawn(move || source.next_frame());
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiting.is_finished());
        drop(second);
        assert!(matches!(
            waiting.join().expect("joined"),
            Err(CaptureError::Ended)
        ));
    }

    #[test]
    fn feeding_a_dropped_source_is_refused() {
        let (source, feeder) = FedSource::new("webview", 2, 2, (15, 1)).expect("source");
        drop(source);
        assert!(feeder.is_closed());
        assert_eq!(
            feeder.push(2, 2, FedPixels::Rgba, &plain(2, 2, [1; 4])),
            Err(FeedError::Closed)
        );
    }
}
