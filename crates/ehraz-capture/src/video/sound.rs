//! The sound track: chunks placed on the video's time line and encoded as Opus.
//!
//! Media time zero is the first frame's capture time. The first chunk is placed where it
//! was captured (silence before it, or its samples from before zero cut off); later
//! chunks follow by sample count, as a microphone's own clock counts them. Only when a
//! chunk's stamp is more than [`RESYNC`] away from where the count puts it (the device lost
//! or repeated sound) is the track padded or cut to the stamp again.

use std::time::Duration;

use opus::{Application, Bitrate, Channels};

use super::VideoError;
use crate::audio::{AudioChunk, SAMPLE_RATE};

/// Samples in one Opus packet: 20 ms at 48 kHz.
pub(crate) const PACKET_SAMPLES: usize = SAMPLE_RATE as usize / 50;
/// How far a chunk's stamp may stray from its counted place before the track follows it.
const RESYNC: Duration = Duration::from_millis(50);
/// Room for one packet; Opus's own upper bound for a frame is 1275 bytes.
const MAX_PACKET: usize = 1500;

/// An Opus packet and the media time it starts at, in samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SoundPacket {
    pub start: u64,
    pub data: Vec<u8>,
}

/// Builds the sound track of one recording as chunks arrive.
pub(crate) struct SoundTrack {
    encoder: opus::Encoder,
    t0: Duration,
    limit: u64,
    /// Samples placed on the time line so far (encoded or pending).
    placed: u64,
    started: bool,
    pending: Vec<f32>,
    packets: Vec<SoundPacket>,
}

impl std::fmt::Debug for SoundTrack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoundTrack")
            .field("t0", &self.t0)
            .field("placed", &self.placed)
            .field("packets", &self.packets.len())
            .finish_non_exhaustive()
    }
}

fn samples_in(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos() * u128::from(SAMPLE_RATE) / 1_000_000_000).unwrap_or(u64::MAX)
}

impl SoundTrack {
    /// A track whose zero is capture-clock `t0`, holding at most `limit` of sound.
    pub fn new(t0: Duration, limit: Duration, bitrate_bps: u32) -> Result<Self, VideoError> {
        let opus_error = |e: opus::Error| VideoError::Sound(e.to_string());
        let mut encoder = opus::Encoder::new(SAMPLE_RATE, Channels::Mono, Application::Voip)
            .map_err(opus_error)?;
        encoder
            .set_bitrate(Bitrate::Bits(
                i32::try_from(bitrate_bps).unwrap_or(i32::MAX),
            ))
            .map_err(opus_error)?;
        Ok(Self {
            encoder,
            t0,
            limit: samples_in(limit),
            placed: 0,
            started: false,
            pending: Vec::with_capacity(PACKET_SAMPLES),
            packets: Vec::new(),
        })
    }

    /// The encoder's delay in samples, which the MP4 declares as Opus pre-skip.
    #[cfg(test)]
    pub fn lookahead(&mut self) -> Result<u32, VideoError> {
        let samples = self
            .encoder
            .get_lookahead()
            .map_err(|e| VideoError::Sound(e.to_string()))?;
        Ok(u32::try_from(samples).unwrap_or(0))
    }

    /// Places `chunk` on the time line and encodes every full packet.
    pub fn push(&mut self, chunk: &AudioChunk) -> Result<(), VideoError> {
        // Where the stamp puts the chunk, in samples from zero (negative: before it).
        let stamped = if chunk.captured >= self.t0 {
            i128::from(samples_in(chunk.captured - self.t0))
        } else {
            -i128::from(samples_in(self.t0 - chunk.captured))
        };
        let counted = i128::from(self.placed);
        let place =
            if !self.started || (stamped - counted).unsigned_abs() > samples_in(RESYNC).into() {
                stamped
            } else {
                counted
            };
        self.started = true;
        let mut samples = chunk.samples.as_slice();
        if place < counted {
            // Sound from before zero, or sound the track already holds.
            let cut = usize::try_from(counted - place).unwrap_or(usize::MAX);
            samples = samples.get(cut..).unwrap_or_default();
        } else if place > counted {
            let gap = u64::try_from(place - counted).unwrap_or(0);
            self.silence(gap)?;
        }
        let room = usize::try_from(self.limit.saturating_sub(self.placed)).unwrap_or(usize::MAX);
        let samples = &samples[..samples.len().min(room)];
        self.append(samples)
    }

    fn silence(&mut self, samples: u64) -> Result<(), VideoError> {
        let room = self.limit.saturating_sub(self.placed);
        let zeros = vec![0.0; PACKET_SAMPLES];
        let mut left = samples.min(room);
        while left > 0 {
            let n = usize::try_from(left)
                .unwrap_or(usize::MAX)
                .min(PACKET_SAMPLES);
            self.append(&zeros[..n])?;
            left -= n as u64;
        }
        Ok(())
    }

    fn append(&mut self, mut samples: &[f32]) -> Result<(), VideoError> {
        while !samples.is_empty() {
            let take = (PACKET_SAMPLES - self.pending.len()).min(samples.len());
            self.pending.extend_from_slice(&samples[..take]);
            self.placed += take as u64;
            samples = &samples[take..];
            if self.pending.len() == PACKET_SAMPLES {
                self.encode_pending()?;
            }
        }
        Ok(())
    }

    fn encode_pending(&mut self) -> Result<(), VideoError> {
        self.pending.resize(PACKET_SAMPLES, 0.0);
        let start = self.packets.len() as u64 * PACKET_SAMPLES as u64;
        let data = self
            .encoder
            .encode_vec_float(&self.pending, MAX_PACKET)
            .map_err(|e| VideoError::Sound(e.to_string()))?;
        self.pending.clear();
        self.packets.push(SoundPacket { start, data });
        Ok(())
    }

    /// The packets of a track exactly `length` long (to the packet): cut if it holds
    /// more, padded with silence if less, so the sound ends with the pictures.
    pub fn finish(mut self, length: Duration) -> Result<Vec<SoundPacket>, VideoError> {
        let target = samples_in(length).min(self.limit);
        if self.placed < target {
            self.silence(target - self.placed)?;
        }
        if !self.pending.is_empty() {
            self.encode_pending()?;
        }
        self.packets.retain(|p| p.start < target);
        Ok(self.packets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(at_ms: u64, samples: Vec<f32>) -> AudioChunk {
        AudioChunk {
            samples,
            captured: Duration::from_millis(at_ms),
        }
    }

    fn track() -> SoundTrack {
        SoundTrack::new(Duration::from_secs(1), Duration::from_secs(10), 32_000).expect("opus")
    }

    #[test]
    fn a_first_chunk_after_the_first_frame_is_preceded_by_silence() {
        let mut track = track();
        track.push(&chunk(1_100, vec![0.5; 480])).expect("push");
        assert_eq!(track.placed, 4_800 + 480);
        assert_eq!(track.packets.len(), 5);
        // 100 ms of silence is five whole packets; the chunk waits for the sixth.
        assert_eq!(track.pending.len(), 480);
        assert!(track.pending.iter().all(|&s| s == 0.5));
    }

    #[test]
    fn sound_from_before_the_first_frame_is_cut_off() {
        let mut track = track();
        let mut samples = vec![0.25; 960];
        samples.extend(vec![0.75; 960]);
        // 20 ms before zero: the first 960 samples are cut.
        track.push(&chunk(980, samples)).expect("push");
        assert_eq!(track.placed, 960);
        assert_eq!(track.packets.len(), 1);
        assert!(track.pending.is_empty());
    }

    #[test]
    fn later_chunks_follow_by_count_through_jitter_and_resync_after_a_loss() {
        let mut track = track();
        track.push(&chunk(1_000, vec![0.1; 480])).expect("push");
        // Stamped 3 ms late: jitter, placed right after the first.
        track.push(&chunk(1_013, vec![0.1; 480])).expect("push");
        assert_eq!(track.placed, 960);
        // 200 ms of sound went missing: silence fills it.
        track.push(&chunk(1_220, vec![0.1; 480])).expect("push");
        assert_eq!(track.placed, 220 * 48 + 480);
        // Sound repeated from 110 ms back is cut back to what is new.
        track.push(&chunk(1_120, vec![0.1; 7_200])).expect("push");
        assert_eq!(track.placed, 120 * 48 + 7_200);
    }

    #[test]
    fn the_finished_track_is_as_long_as_the_pictures() {
        let mut long = track();
        long.push(&chunk(1_000, vec![0.1; 48_000])).expect("push");
        let packets = long.finish(Duration::from_millis(500)).expect("finish");
        assert_eq!(packets.len(), 25);
        assert_eq!(packets[24].start, 24 * 960);

        let mut short = track();
        short.push(&chunk(1_000, vec![0.1; 4_800])).expect("push");
        let packets = short.finish(Duration::from_millis(990)).expect("finish");
        assert_eq!(
            packets.len(),
            50,
            "padded to 1 s, the packet holding 990 ms"
        );
        assert!(packets.iter().all(|p| !p.data.is_empty()));
    }

    #[test]
    fn nothing_goes_past_the_limit() {
        let mut track =
            SoundTrack::new(Duration::ZERO, Duration::from_millis(100), 32_000).expect("opus");
        track.push(&chunk(0, vec![0.1; 48_000])).expect("push");
        assert_eq!(track.placed, 4_800);
        assert_eq!(
            track.finish(Duration::from_secs(1)).expect("finish").len(),
            5
        );
    }

    #[test]
    fn the_declared_pre_skip_is_the_encoders_delay() {
        // muxide writes 312 samples of pre-skip into the MP4's dOps box; libopus at 48 kHz
        // in VoIP mode delays by exactly that.
        assert_eq!(track().lookahead().expect("lookahead"), 312);
    }
}
