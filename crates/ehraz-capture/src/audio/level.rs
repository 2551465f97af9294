//! How loud sound is: RMS and peak for a meter, and whether a recording heard anything.

use super::{AudioChunk, SAMPLE_RATE};

/// The loudness a window of sound must pass to count as heard: an RMS of 0.01, that is
/// -40 dBFS. A quiet room through a laptop microphone sits around -60 to -50 dBFS, speech at
/// arm's length around -30 to -15 dBFS. Measured as the RMS of 10 ms, not as a peak: the
/// energy of a sound, so a lone spike of noise (a sample at -14 dBFS) does not count.
pub const SOUND_THRESHOLD: f32 = 0.01;

/// The window [`heard_sound`] measures: 10 ms, shorter than a syllable.
const WINDOW: usize = (SAMPLE_RATE / 100) as usize;

/// The loudness of a run of samples, linear, 0 (silence) to 1 (full scale).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Level {
    /// Root mean square: what the ear hears as loudness.
    pub rms: f32,
    /// The largest absolute sample: how near the sound is to clipping.
    pub peak: f32,
}

impl Level {
    /// The level of `samples` (zero for none).
    pub fn of(samples: &[f32]) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        let squares: f64 = samples.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
        let peak = samples.iter().fold(0.0f32, |peak, s| peak.max(s.abs()));
        Self {
            rms: (squares / samples.len() as f64).sqrt() as f32,
            peak,
        }
    }

    /// The RMS in dB relative to full scale (-inf for silence).
    pub fn rms_dbfs(&self) -> f32 {
        20.0 * self.rms.log10()
    }
}

/// Whether any 10 ms of `chunks`, taken as one run of sound, rose above
/// [`SOUND_THRESHOLD`]: the check that a person spoke when asked to read aloud.
pub fn heard_sound(chunks: &[AudioChunk]) -> bool {
    let threshold = f64::from(SOUND_THRESHOLD) * f64::from(SOUND_THRESHOLD);
    let (mut squares, mut count) = (0.0f64, 0usize);
    for &sample in chunks.iter().flat_map(|chunk| &chunk.samples) {
        squares += f64::from(sample) * f64::from(sample);
        count += 1;
        if count == WINDOW {
            if squares / WINDOW as f64 > threshold {
                return true;
            }
            (squares, count) = (0.0, 0);
        }
    }
    count > 0 && squares / count as f64 > threshold
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn chunk(samples: Vec<f32>) -> AudioChunk {
        AudioChunk {
            samples,
            captured: Duration::ZERO,
        }
    }

    #[test]
    fn level_of_known_signals() {
        assert_eq!(Level::of(&[]), Level::default());
        assert_eq!(
            Level::of(&[0.0; 100]),
            Level {
                rms: 0.0,
                peak: 0.0
            }
        );
        let square = Level::of(&[0.5, -0.5, 0.5, -0.5]);
        assert_eq!(
            square,
            Level {
                rms: 0.5,
                peak: 0.5
            }
        );
        let sine: Vec<f32> = (0..48_000)
            .map(|i| 0.8 * (std::f32::consts::TAU * 1_000.0 * i as f32 / 48_000.0).sin())
            .collect();
        let level = Level::of(&sine);
        assert!((level.rms - 0.8 / 2f32.sqrt()).abs() < 1e-4, "{level:?}");
        assert!((level.peak - 0.8).abs() < 1e-4, "{level:?}");
        assert!(
            (level.rms_dbfs() - (-4.94)).abs() < 0.01,
            "{}",
            level.rms_dbfs()
        );
        let one_spike = Level::of(&[0.0, 0.0, -1.0, 0.0]);
        assert_eq!(
            one_spike,
            Level {
                rms: 0.5,
                peak: 1.0
            }
        );
    }

    #[test]
    fn sound_is_heard_above_forty_decibels_below_full_scale() {
        assert!(!heard_sound(&[]));
        assert!(!heard_sound(&[chunk(vec![0.0; 48_000])]));
        // Steady noise just under the threshold, everywhere: not heard.
        let hum = |amplitude: f32| {
            (0..9_600)
                .map(|i| if i % 2 == 0 { amplitude } else { -amplitude })
                .collect::<Vec<_>>()
        };
        assert!(!heard_sound(&[chunk(hum(0.009)), chunk(hum(0.009))]));
        // 10 ms just over it, split across two chunks: heard.
        let mut first = vec![0.0; 960];
        first[960 - 240..].copy_from_slice(&hum(0.011)[..240]);
        let mut second = hum(0.011)[..240].to_vec();
        second.extend(vec![0.0; 720]);
        assert!(heard_sound(&[
            chunk(vec![0.0; 240]),
            chunk(first),
            chunk(second)
        ]));
        // A lone spike far above -40 dBFS is not a sound heard.
        let mut click = vec![0.0; 4_800];
        click[100] = 0.2;
        assert!(!heard_sound(&[chunk(click)]));
    }
}
