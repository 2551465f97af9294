//! A captured frame and what a source says of itself.

use std::time::{Duration, Instant};

use bytes::Bytes;

/// How a frame's bytes are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    /// 8-bit planar YUV 4:2:0: the Y plane, then U and V at half width and height
    /// (rounded up).
    I420,
}

impl PixelFormat {
    /// Bytes of one frame of `width`×`height`.
    pub fn frame_len(self, width: u32, height: u32) -> usize {
        let (w, h) = (width as usize, height as usize);
        match self {
            Self::I420 => w * h + 2 * w.div_ceil(2) * h.div_ceil(2),
        }
    }
}

/// One frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Layout of `data`.
    pub format: PixelFormat,
    /// The pixels; cheap to clone and share.
    pub data: Bytes,
    /// When it was captured, on the [`crate::clock`] (an unpaced file source counts
    /// from its own start instead).
    pub captured: Duration,
    /// Its number since the source started, from 0.
    pub sequence: u64,
}

/// What a source gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// A name for people and logs.
    pub name: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frames per second as a ratio (numerator, denominator).
    pub frame_rate: (u32, u32),
    /// Layout of the frames.
    pub format: PixelFormat,
}

impl SourceInfo {
    /// When frame `sequence` is due, from the source's start.
    pub fn due(&self, sequence: u64) -> Duration {
        let (num, den) = self.frame_rate;
        if num == 0 {
            return Duration::ZERO;
        }
        let nanos = u128::from(sequence) * u128::from(den) * 1_000_000_000 / u128::from(num);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// How a file-backed source plays its frames: at its frame rate, stamped on the capture
/// clock, or (unpaced, for tests) as fast as asked, stamped from its own start.
#[derive(Debug, Clone, Default)]
pub(crate) struct Playback {
    sequence: u64,
    started: Option<Instant>,
    unpaced: bool,
}

impl Playback {
    /// Plays as fast as asked from now on.
    pub(crate) fn unpace(&mut self) {
        self.unpaced = true;
    }

    /// Frames played so far.
    pub(crate) fn sequence(&self) -> u64 {
        self.sequence
    }

    /// Waits until the next frame is due (when paced) and makes it from `data`.
    pub(crate) fn frame(&mut self, info: &SourceInfo, data: Bytes) -> Frame {
        let mut captured = info.due(self.sequence);
        if !self.unpaced {
            let started = *self.started.get_or_insert_with(Instant::now);
            let wait = captured.saturating_sub(started.elapsed());
            if wait > Duration::ZERO {
                std::thread::sleep(wait);
            }
            captured += crate::clock::at(started);
        }
        let frame = Frame {
            width: info.width,
            height: info.height,
            format: info.format,
            data,
            captured,
            sequence: self.sequence,
        };
        self.sequence += 1;
        frame
    }
}
