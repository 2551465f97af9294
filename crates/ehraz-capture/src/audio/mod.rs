//! Sound: where it comes from and the shape it arrives in.
//!
//! Sources: a real [`Microphone`] (cpal) and the file-backed [`WavFileSource`]. An
//! [`AudioCapture`] runs either on its own thread, keeps a [`Level`] for the meter and hands
//! every chunk to whoever subscribes; [`wav::speech_wav`] makes the 16 kHz WAV a speech check
//! wants, [`heard_sound`] tells whether anything was said at all, and [`VoiceActivity`]
//! whether it was speech.

use std::time::Duration;

mod capture;
mod level;
mod microphone;
mod resample;
mod voice;
pub mod wav;
mod wav_source;

pub use capture::AudioCapture;
pub use level::{Level, SOUND_THRESHOLD, heard_sound};
pub use microphone::{Microphone, MicrophoneInfo};
pub use voice::VoiceActivity;
pub use wav_source::{FILE_CHUNK_SAMPLES, WavFileSource};

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

impl AudioChunk {
    /// How long the chunk lasts.
    pub fn duration(&self) -> Duration {
        samples_to_duration(self.samples.len() as u64)
    }
}

/// How long `samples` at [`SAMPLE_RATE`] last.
pub(crate) fn samples_to_duration(samples: u64) -> Duration {
    let nanos = u128::from(samples) * 1_000_000_000 / u128::from(SAMPLE_RATE);
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
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
    /// Samples lost so far because they were not taken in time (a device whose consumer
    /// fell behind); zero for sources that wait for their consumer.
    fn dropped_samples(&self) -> u64 {
        0
    }
}
