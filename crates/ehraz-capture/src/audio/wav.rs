//! Sound as a WAV file in memory, in the shape a speech check wants: 16 kHz, mono, 16-bit
//! PCM.
//!
//! 48 kHz → 16 kHz is an exact 3:1 step, done by rubato's synchronous FFT resampler (the
//! one that also brings 44.1 kHz devices and files up to 48 kHz): it cuts the spectrum with
//! a Blackman-Harris windowed low-pass below the new 8 kHz Nyquist before the inverse
//! transform, so sound above 8 kHz is removed rather than folded back onto speech. One
//! well-kept crate for both directions instead of a hand-written decimator.

use std::io::Cursor;

use super::{AudioChunk, AudioError, SAMPLE_RATE, resample};

/// The rate of [`speech_wav`]'s files.
pub const SPEECH_RATE: u32 = 16_000;

/// `chunks`, one after the other, as the bytes of a 16 kHz mono 16-bit PCM WAV file.
/// Chunks are joined as they are: a gap between their capture times is not filled.
///
/// Fails only for a file past WAV's 4 GiB limit (some 37 hours of sound).
pub fn speech_wav(chunks: &[AudioChunk]) -> Result<Vec<u8>, AudioError> {
    let samples: Vec<f32> = chunks
        .iter()
        .flat_map(|chunk| chunk.samples.iter().copied())
        .collect();
    let speech = resample::convert(&samples, SAMPLE_RATE, SPEECH_RATE)?;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SPEECH_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    // A WAV's sizes are 32-bit; hound does not check them.
    if 2 * speech.len() as u64 > u64::from(u32::MAX) - 44 {
        return Err(AudioError::Io("too long for a WAV file".into()));
    }
    let mut bytes = Cursor::new(Vec::with_capacity(44 + 2 * speech.len()));
    let written = (|| {
        let mut writer = hound::WavWriter::new(&mut bytes, spec)?;
        for &sample in &speech {
            writer.write_sample(to_i16(sample))?;
        }
        writer.finalize()
    })();
    written.map_err(|e| AudioError::Io(format!("writing WAV: {e}")))?;
    Ok(bytes.into_inner())
}

/// A sample in -1.0..=1.0 as 16-bit PCM, clipped at full scale.
fn to_i16(sample: f32) -> i16 {
    (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_become_pcm_clipped_at_full_scale() {
        assert_eq!(to_i16(0.0), 0);
        assert_eq!(to_i16(1.0), 32_767);
        assert_eq!(to_i16(-1.0), -32_767);
        assert_eq!(to_i16(2.5), 32_767);
        assert_eq!(to_i16(-7.0), -32_767);
        assert_eq!(to_i16(0.5), 16_384);
        assert_eq!(to_i16(f32::NAN), 0);
    }
}
