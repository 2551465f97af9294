//! Sample-rate conversion with rubato's synchronous FFT resampler, whose spectrum is cut
//! with a windowed low-pass before the inverse transform: it filters as it converts, so
//! going down (48 kHz → 16 kHz) does not alias. A whole clip goes through [`convert`]; a
//! stream fed in pieces of any size through [`StreamResampler`].

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::AudioError;

/// Input frames per FFT run: ~21 ms at 48 kHz, a latency a recorder does not notice.
const CHUNK_FRAMES: usize = 1024;

fn resampler(from: u32, to: u32) -> Result<Fft<f32>, AudioError> {
    Fft::new(
        from as usize,
        to as usize,
        CHUNK_FRAMES,
        1,
        FixedSync::Input,
    )
    .map_err(|e| AudioError::Io(format!("resampling {from} Hz to {to} Hz: {e}")))
}

fn failed(error: impl std::fmt::Display) -> AudioError {
    AudioError::Io(format!("resampling: {error}"))
}

/// Mono `samples` at `from` Hz as mono samples at `to` Hz, the resampler's delay trimmed
/// so that sample `i` of the output is at the time of `i * from / to` in the input.
pub(crate) fn convert(samples: &[f32], from: u32, to: u32) -> Result<Vec<f32>, AudioError> {
    if from == to || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let input = InterleavedSlice::new(samples, 1, samples.len()).map_err(failed)?;
    let mut output = resampler(from, to)?
        .process_all(&input, samples.len(), None)
        .map_err(failed)?
        .take_data();
    // rubato rounds its length up in floating point (44 100 samples became 48 001 at
    // 48 kHz); the exact length is ⌈len × to / from⌉.
    let exact = (samples.len() as u64 * u64::from(to)).div_ceil(u64::from(from));
    output.truncate(usize::try_from(exact).unwrap_or(usize::MAX));
    Ok(output)
}

/// A resampler for a stream: takes mono samples in pieces of any size and gives back the
/// converted samples as soon as a whole FFT run is ready, its start-up delay trimmed so the
/// output lines up with the input's first sample.
pub(crate) struct StreamResampler {
    fft: Fft<f32>,
    pending: Vec<f32>,
    to_trim: usize,
}

impl std::fmt::Debug for StreamResampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResampler")
            .field("ratio", &self.fft.resample_ratio())
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl StreamResampler {
    pub(crate) fn new(from: u32, to: u32) -> Result<Self, AudioError> {
        let fft = resampler(from, to)?;
        let to_trim = fft.output_delay();
        Ok(Self {
            fft,
            pending: Vec::with_capacity(2 * CHUNK_FRAMES),
            to_trim,
        })
    }

    /// Feeds `input` and appends to `out` whatever output is ready.
    pub(crate) fn push(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<(), AudioError> {
        self.pending.extend_from_slice(input);
        let mut used = 0;
        while self.pending.len() - used >= self.fft.input_frames_next() {
            let wanted = self.fft.input_frames_next();
            let start = out.len();
            out.resize(start + self.fft.output_frames_next(), 0.0);
            let produced = out.len() - start;
            let from = InterleavedSlice::new(&self.pending[used..], 1, wanted).map_err(failed)?;
            let mut to =
                InterleavedSlice::new_mut(&mut out[start..], 1, produced).map_err(failed)?;
            let (read, written) = self
                .fft
                .process_into_buffer(&from, &mut to, None)
                .map_err(failed)?;
            used += read;
            out.truncate(start + written);
            let trim = self.to_trim.min(written);
            out.drain(start..start + trim);
            self.to_trim -= trim;
        }
        self.pending.drain(..used);
        Ok(())
    }

    /// Forgets everything fed so far (after a gap in the input).
    pub(crate) fn reset(&mut self) {
        self.fft.reset();
        self.pending.clear();
        self.to_trim = self.fft.output_delay();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, hz: f32, seconds: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| 0.5 * (std::f32::consts::TAU * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn a_whole_clip_keeps_its_length_and_its_tone() {
        let input = sine(44_100, 440.0, 1.0);
        let output = convert(&input, 44_100, 48_000).expect("converts");
        assert_eq!(output.len(), 48_000);
        let expected = sine(48_000, 440.0, 1.0);
        // Away from the edges the converted tone is the tone at the new rate.
        let worst = output[2_000..46_000]
            .iter()
            .zip(&expected[2_000..46_000])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 0.01, "worst difference {worst}");
    }

    #[test]
    fn a_stream_in_uneven_pieces_gives_what_the_whole_clip_gives() {
        let input = sine(44_100, 1_000.0, 0.5);
        let whole = convert(&input, 44_100, 48_000).expect("converts");
        let mut stream = StreamResampler::new(44_100, 48_000).expect("resampler");
        let mut out = Vec::new();
        for piece in input.chunks(333) {
            stream.push(piece, &mut out).expect("pushes");
        }
        // The stream holds back at most one FFT run; what it gave matches the clip.
        assert!(out.len() > whole.len() - 2 * CHUNK_FRAMES, "{}", out.len());
        let worst = out
            .iter()
            .zip(&whole)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-4, "worst difference {worst}");

        stream.reset();
        let mut again = Vec::new();
        stream.push(&input, &mut again).expect("pushes");
        assert_eq!(
            again[..out.len().min(again.len())],
            out[..out.len().min(again.len())]
        );
    }
}
