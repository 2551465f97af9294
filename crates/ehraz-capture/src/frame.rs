//! A captured frame and what a source says of itself.

use std::time::Duration;

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
