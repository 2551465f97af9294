//! Sound: where it comes from and the shape it arrives in.

use std::time::Duration;

/// The rate every [`AudioChunk`] is at: Opus's own, and a multiple of the 16 kHz the
/// speech check wants.
pub const SAMPLE_RATE: u32 = 48_000;

/// A run of mono samples at [`SAMPLE_RATE`], in -1.0..=1.0.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioChunk {
    /// The samples.
    pub samples: Vec<f32>,
    /// When the first sample was captured, on the [`crate::clock`].
    pub captured: Duration,
}

/// A sound source failed.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// No input device at all.
    #[error("no microphone")]
    NoDevice,
    /// The named device is not there.
    #[error("no microphone named {0}")]
    NotFound(String),
    /// The system refused access.
    #[error("microphone access denied: {0}")]
    Denied(String),
    /// The device is in use or cannot be opened.
    #[error("microphone busy or unusable: {0}")]
    Busy(String),
    /// Reading failed.
    #[error("microphone I/O: {0}")]
    Io(String),
    /// The source ended (a file that does not loop).
    #[error("the sound ended")]
    Ended,
}

/// Where sound comes from. `next_chunk` blocks until the next chunk is ready.
pub trait AudioSource: Send {
    /// A name for people and logs.
    fn name(&self) -> String;
    /// The next chunk of mono 48 kHz samples.
    fn next_chunk(&mut self) -> Result<AudioChunk, AudioError>;
}
