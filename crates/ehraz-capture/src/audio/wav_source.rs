//! The file-backed microphone: a WAV file played as 48 kHz mono chunks at real time, looped
//! if asked, for tests, demos and machines with no microphone.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{AudioChunk, AudioError, AudioSource, SAMPLE_RATE, resample, samples_to_duration};
use crate::clock;

/// Samples in a chunk of [`WavFileSource`]: 20 ms, a device's usual period.
pub const FILE_CHUNK_SAMPLES: usize = (SAMPLE_RATE / 50) as usize;

/// A WAV file as a microphone. The file is decoded, mixed down to mono and brought to
/// 48 kHz when opened, so it is held in memory (a minute is 11 MB): meant for short clips.
pub struct WavFileSource {
    name: String,
    samples: Vec<f32>,
    looping: bool,
    paced: bool,
    position: usize,
    given: u64,
    started: Option<Instant>,
}

impl std::fmt::Debug for WavFileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WavFileSource")
            .field("name", &self.name)
            .field("samples", &self.samples.len())
            .field("looping", &self.looping)
            .field("given", &self.given)
            .finish_non_exhaustive()
    }
}

impl WavFileSource {
    /// Opens a WAV file of any rate, channel count and sample format that `hound` reads
    /// (8–32-bit integer or 32-bit float PCM). With `looping` it starts over at its end, as a
    /// microphone never ends; otherwise the end is [`AudioError::Ended`].
    pub fn open(path: impl AsRef<Path>, looping: bool) -> Result<Self, AudioError> {
        let path = path.as_ref();
        let unreadable = |e: hound::Error| AudioError::Io(format!("{}: {e}", path.display()));
        let reader = hound::WavReader::open(path).map_err(unreadable)?;
        let spec = reader.spec();
        let interleaved: Vec<f32> = match spec.sample_format {
            hound::SampleFormat::Float => reader.into_samples::<f32>().collect::<Result<_, _>>(),
            hound::SampleFormat::Int => {
                let full_scale = (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
                reader
                    .into_samples::<i32>()
                    .map(|s| s.map(|s| s as f32 / full_scale))
                    .collect::<Result<_, _>>()
            }
        }
        .map_err(unreadable)?;
        let channels = usize::from(spec.channels.max(1));
        let mono: Vec<f32> = interleaved
            .chunks_exact(channels)
            .map(|frame| frame.iter().sum::<f32>() / channels as f32)
            .collect();
        if mono.is_empty() {
            return Err(AudioError::Io(format!(
                "{}: no sound in it",
                path.display()
            )));
        }
        let samples = resample::convert(&mono, spec.sample_rate, SAMPLE_RATE)?;
        Ok(Self {
            name: format!(
                "file {}",
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ),
            samples,
            looping,
            paced: true,
            position: 0,
            given: 0,
            started: None,
        })
    }

    /// Gives chunks as fast as they are asked for, with the timestamps they would have had
    /// in real time, starting at zero (for tests).
    pub fn unpaced(mut self) -> Self {
        self.paced = false;
        self
    }

    /// How long the file plays, once through.
    pub fn duration(&self) -> Duration {
        samples_to_duration(self.samples.len() as u64)
    }

    /// The file's sound, mono at 48 kHz, once through.
    pub fn samples(&self) -> &[f32] {
        &self.samples
    }
}

impl AudioSource for WavFileSource {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn next_chunk(&mut self) -> Result<AudioChunk, AudioError> {
        if self.position == self.samples.len() && !self.looping {
            return Err(AudioError::Ended);
        }
        let mut samples = Vec::with_capacity(FILE_CHUNK_SAMPLES);
        while samples.len() < FILE_CHUNK_SAMPLES {
            if self.position == self.samples.len() {
                if !self.looping {
                    break;
                }
                self.position = 0;
            }
            let take = (FILE_CHUNK_SAMPLES - samples.len()).min(self.samples.len() - self.position);
            samples.extend_from_slice(&self.samples[self.position..self.position + take]);
            self.position += take;
        }
        let mut captured = samples_to_duration(self.given);
        self.given += samples.len() as u64;
        if self.paced {
            // Like a device, a chunk is ready once its last sample has been "recorded".
            let started = *self.started.get_or_insert_with(Instant::now);
            let due = samples_to_duration(self.given);
            let wait = due.saturating_sub(started.elapsed());
            if wait > Duration::ZERO {
                std::thread::sleep(wait);
            }
            captured += clock::at(started);
        }
        Ok(AudioChunk { samples, captured })
    }
}
