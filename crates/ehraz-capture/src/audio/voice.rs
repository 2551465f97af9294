//! Voice activity: whether someone is speaking, and for how long they have spoken.
//!
//! The detector is earshot's small neural network (pure Rust), which takes 16 ms frames of
//! 16 kHz sound. Chunks arrive at 48 kHz: a short windowed-sinc low-pass (below 8 kHz)
//! and keeping every third sample brings them down as they come, with no latency beyond a
//! frame. (The WAV's resampler works on a whole recording at once; this one streams.)

use std::collections::VecDeque;
use std::time::Duration;

use super::wav::SPEECH_RATE;
use super::{AudioChunk, SAMPLE_RATE};

/// Samples in one detector frame at 16 kHz (16 ms).
const FRAME: usize = 256;
/// How long one frame lasts.
const FRAME_DURATION: Duration = Duration::from_millis(16);
/// A frame scoring this or more is voice.
const VOICE_SCORE: f32 = 0.5;
/// `speaking` stays true this long after the last voiced frame, so the pauses between
/// words do not make it flicker.
const HANGOVER: Duration = Duration::from_millis(300);
/// Taps of the decimation filter (odd, so it is symmetric about its centre).
const TAPS: usize = 31;
/// 48 kHz to 16 kHz.
const STEP: usize = (SAMPLE_RATE / SPEECH_RATE) as usize;

/// Follows one stream of sound and tells when there is speech in it.
pub struct VoiceActivity {
    detector: Box<earshot::Detector>,
    filter: [f32; TAPS],
    history: VecDeque<f32>,
    phase: usize,
    frame: Vec<f32>,
    speech: Duration,
    since_voice: Option<Duration>,
}

impl std::fmt::Debug for VoiceActivity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VoiceActivity")
            .field("speech", &self.speech)
            .field("speaking", &self.speaking())
            .finish_non_exhaustive()
    }
}

impl Default for VoiceActivity {
    fn default() -> Self {
        Self::new()
    }
}

impl VoiceActivity {
    /// A detector that has heard nothing yet.
    pub fn new() -> Self {
        Self {
            detector: earshot::Detector::default_boxed(),
            filter: low_pass(),
            history: VecDeque::from(vec![0.0; TAPS]),
            phase: 0,
            frame: Vec::with_capacity(FRAME),
            speech: Duration::ZERO,
            since_voice: None,
        }
    }

    /// Listens to the next chunk of the stream.
    pub fn push(&mut self, chunk: &AudioChunk) {
        for &sample in &chunk.samples {
            self.history.pop_front();
            self.history.push_back(sample);
            self.phase = (self.phase + 1) % STEP;
            if self.phase != 0 {
                continue;
            }
            let filtered: f32 = self
                .history
                .iter()
                .zip(&self.filter)
                .map(|(s, c)| s * c)
                .sum();
            self.frame.push(filtered.clamp(-1.0, 1.0));
            if self.frame.len() == FRAME {
                let score = self.detector.predict_f32(&self.frame);
                self.frame.clear();
                if score >= VOICE_SCORE {
                    self.speech += FRAME_DURATION;
                    self.since_voice = Some(Duration::ZERO);
                } else if let Some(since) = self.since_voice.as_mut() {
                    *since += FRAME_DURATION;
                }
            }
        }
    }

    /// Whether someone is speaking now (voice within the last 300 ms).
    pub fn speaking(&self) -> bool {
        self.since_voice.is_some_and(|since| since <= HANGOVER)
    }

    /// How much speech has been heard, in all.
    pub fn speech(&self) -> Duration {
        self.speech
    }
}

/// A Hann-windowed sinc low-pass at 7 kHz for 48 kHz sound, unity gain at 0 Hz.
fn low_pass() -> [f32; TAPS] {
    let cutoff = 7_000.0 / SAMPLE_RATE as f32;
    let centre = (TAPS / 2) as f32;
    let mut taps = [0.0f32; TAPS];
    for (i, tap) in taps.iter_mut().enumerate() {
        let x = i as f32 - centre;
        let sinc = if x == 0.0 {
            2.0 * cutoff
        } else {
            (2.0 * std::f32::consts::PI * cutoff * x).sin() / (std::f32::consts::PI * x)
        };
        let window = 0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / (TAPS - 1) as f32).cos();
        *tap = sinc * window;
    }
    let sum: f32 = taps.iter().sum();
    taps.map(|t| t / sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// White noise from a fixed-seed linear congruential generator.
    fn noise(seconds: f32, amplitude: f32) -> Vec<f32> {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        (0..(seconds * SAMPLE_RATE as f32) as usize)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                amplitude * ((state >> 40) as f32 / (1u64 << 23) as f32 - 1.0)
            })
            .collect()
    }

    /// The filter's gain at `hz`, from the taps.
    fn gain(taps: &[f32], hz: f32) -> f32 {
        let w = 2.0 * std::f32::consts::PI * hz / SAMPLE_RATE as f32;
        let (re, im) = taps
            .iter()
            .enumerate()
            .fold((0.0, 0.0), |(re, im), (i, t)| {
                (re + t * (w * i as f32).cos(), im - t * (w * i as f32).sin())
            });
        f32::hypot(re, im)
    }

    #[test]
    fn the_filter_passes_speech_and_cuts_what_would_fold_back() {
        let taps = low_pass();
        assert!((gain(&taps, 0.0) - 1.0).abs() < 1e-4);
        assert!(gain(&taps, 1_000.0) > 0.95, "{}", gain(&taps, 1_000.0));
        assert!(gain(&taps, 12_000.0) < 0.05, "{}", gain(&taps, 12_000.0));
        assert!(gain(&taps, 20_000.0) < 0.05, "{}", gain(&taps, 20_000.0));
    }

    #[test]
    fn silence_and_steady_noise_are_not_speech() {
        for samples in [vec![0.0; SAMPLE_RATE as usize * 2], noise(2.0, 0.2)] {
            let mut voice = VoiceActivity::new();
            for chunk in samples.chunks(480) {
                voice.push(&AudioChunk {
                    samples: chunk.to_vec(),
                    captured: Duration::ZERO,
                });
            }
            assert!(voice.speech() < Duration::from_millis(100), "{voice:?}");
            assert!(!voice.speaking());
        }
    }
}
