//! The video recorder: frames from a [`LatestFrame`] as H.264, sound from a channel of
//! [`AudioChunk`]s as Opus, both put into an MP4 held in memory (never a file: the app
//! puts it into its encrypted outbox).
//!
//! Media time zero is the capture time of the first frame the recorder takes. Pictures
//! are shown at their capture time from there; sound is placed by its capture time and
//! sample count, so a flash and a beep that happened at the same moment
//! play at the same moment. The recorder takes every frame it can keep up with, counts
//! those it could not ([`Recording::dropped`]), and stops taking frames by itself once
//! [`VideoSettings::limit`] of them is recorded.

mod h264;
mod sound;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use muxide::api::{AudioCodec, MuxerBuilder, VideoCodec};
use thiserror::Error;

pub use h264::{EncodedFrame, H264Encoder};
use sound::{SoundPacket, SoundTrack};

use crate::audio::{AudioChunk, SAMPLE_RATE};
use crate::{Frame, LatestFrame};

/// How often the recorder's threads look whether they were asked to stop.
const POLL: Duration = Duration::from_millis(20);

/// How a recording is made.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoSettings {
    /// The longest recording: frames after it are not taken.
    pub limit: Duration,
    /// The H.264 target bitrate, in bits per second.
    pub bitrate_bps: u32,
    /// The frame rate the camera is expected to give, for the encoder's rate control.
    pub frame_rate: f32,
    /// The longest stretch of media time between two keyframes.
    pub keyframe_interval: Duration,
    /// The Opus bitrate, in bits per second.
    pub audio_bitrate_bps: u32,
}

impl Default for VideoSettings {
    /// A 10 s selfie video: 1.8 Mbit/s of H.264 (10 s of 720p30 comes to about 2.3 MB
    /// with sound, under the 3 MB budget with room for the rate control's overshoot,
    /// and clean enough for a face and fingers at 720p), a keyframe every 2 s, and
    /// 32 kbit/s of Opus (clear wideband speech).
    fn default() -> Self {
        Self {
            limit: Duration::from_secs(10),
            bitrate_bps: 1_800_000,
            frame_rate: 30.0,
            keyframe_interval: Duration::from_secs(2),
            audio_bitrate_bps: 32_000,
        }
    }
}

/// A recording could not be made.
#[derive(Debug, Error)]
pub enum VideoError {
    /// H.264 4:2:0 needs even sides.
    #[error("a frame of {width}×{height}: both sides must be even and non-zero")]
    OddSize {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The camera changed its frame size during the recording.
    #[error("the frame size changed from {expected:?} to {actual:?}")]
    SizeChanged {
        /// The first frame's width and height.
        expected: (u32, u32),
        /// This frame's.
        actual: (u32, u32),
    },
    /// The frame's bytes do not match its size and format.
    #[error("the frame holds {actual} bytes, {expected} expected")]
    FrameSize {
        /// What the size and format need.
        expected: usize,
        /// What the frame holds.
        actual: usize,
    },
    /// The H.264 encoder failed.
    #[error("H.264 encoding failed: {0}")]
    Encoder(String),
    /// The Opus encoder failed.
    #[error("Opus encoding failed: {0}")]
    Sound(String),
    /// The MP4 could not be written.
    #[error("MP4 muxing failed: {0}")]
    Mux(String),
    /// No frame arrived before the recording was stopped.
    #[error("no frame was recorded")]
    NoFrames,
    /// A recorder thread could not be started.
    #[error("could not start a recorder thread: {0}")]
    Thread(#[from] std::io::Error),
    /// A recorder thread panicked.
    #[error("a recorder thread panicked")]
    Panicked,
}

/// A finished recording.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The MP4: H.264 video and, if sound was given, an Opus track, `moov` first.
    pub mp4: Vec<u8>,
    /// The sound chunks that overlap the recording, as they arrived (for a WAV of it):
    /// the first may start before the first frame, the last end after the last.
    pub audio: Vec<AudioChunk>,
    /// How long the video is: the last frame's time plus one frame interval.
    pub duration: Duration,
    /// Frames in the video.
    pub frames: u64,
    /// Frames the camera gave between the first and the last recorded that the
    /// recorder could not take in time (or could not encode).
    pub dropped: u64,
    /// The first frame, to show in place of the video.
    pub poster: Frame,
}

/// What the threads and the handle share.
#[derive(Debug, Default)]
struct Shared {
    stop: AtomicBool,
    finished: AtomicBool,
    t0: OnceLock<Duration>,
    elapsed_nanos: AtomicU64,
    frames: AtomicU64,
}

/// A recording under way: frames and sound are encoded on their own threads as they
/// arrive. Dropping it without [`Recorder::stop`] throws the recording away.
#[derive(Debug)]
pub struct Recorder {
    shared: Arc<Shared>,
    settings: VideoSettings,
    video: Option<JoinHandle<Result<VideoTrack, VideoError>>>,
    sound: Option<JoinHandle<Result<SoundTaken, VideoError>>>,
}

impl Recorder {
    /// Starts recording the frames published to `frames` from the next one on, and
    /// the chunks `audio` delivers, if any.
    pub fn start(
        frames: LatestFrame,
        audio: Option<Receiver<AudioChunk>>,
        settings: VideoSettings,
    ) -> Result<Self, VideoError> {
        let shared = Arc::new(Shared::default());
        let video = {
            let (shared, settings) = (Arc::clone(&shared), settings.clone());
            std::thread::Builder::new()
                .name("ehraz-video".into())
                .spawn(move || {
                    let track = record_video(&frames, &settings, &shared);
                    shared.finished.store(true, Ordering::Release);
                    track
                })?
        };
        let mut recorder = Self {
            shared,
            settings,
            video: Some(video),
            sound: None,
        };
        if let Some(audio) = audio {
            let (shared, settings) = (Arc::clone(&recorder.shared), recorder.settings.clone());
            recorder.sound = Some(
                std::thread::Builder::new()
                    .name("ehraz-sound".into())
                    .spawn(move || record_sound(&audio, &settings, &shared))?,
            );
        }
        Ok(recorder)
    }

    /// Media time recorded so far: the time of the last frame taken.
    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.shared.elapsed_nanos.load(Ordering::Acquire))
    }

    /// Frames recorded so far.
    pub fn frames(&self) -> u64 {
        self.shared.frames.load(Ordering::Acquire)
    }

    /// Whether the recording takes no more frames: it reached its limit, its source
    /// ended, or encoding failed ([`Recorder::stop`] then says how).
    pub fn is_finished(&self) -> bool {
        self.shared.finished.load(Ordering::Acquire)
    }

    /// Stops and returns the recording.
    pub fn stop(mut self) -> Result<Recording, VideoError> {
        self.shared.stop.store(true, Ordering::Release);
        let video = join(self.video.take());
        let sound = self.sound.take().map(|thread| join(Some(thread)));
        let video = video?;
        let (packets, audio) = match sound {
            Some(taken) => {
                let (packets, audio) = taken?.finish(video.t0, video.duration, &self.settings)?;
                (Some(packets), audio)
            }
            None => (None, Vec::new()),
        };
        let mp4 = mux(&video, packets.as_deref(), &self.settings)?;
        Ok(Recording {
            mp4,
            audio,
            duration: video.duration,
            frames: video.packets.len() as u64,
            dropped: video.dropped,
            poster: video.poster,
        })
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        let _ = join(self.video.take());
        let _ = join(self.sound.take());
    }
}

fn join<T>(thread: Option<JoinHandle<Result<T, VideoError>>>) -> Result<T, VideoError> {
    thread
        .ok_or(VideoError::Panicked)?
        .join()
        .map_err(|_| VideoError::Panicked)?
}

/// The encoded pictures of a recording.
#[derive(Debug)]
struct VideoTrack {
    t0: Duration,
    packets: Vec<(Duration, EncodedFrame)>,
    poster: Frame,
    duration: Duration,
    dropped: u64,
}

fn record_video(
    frames: &LatestFrame,
    settings: &VideoSettings,
    shared: &Shared,
) -> Result<VideoTrack, VideoError> {
    let mut encoder: Option<H264Encoder> = None;
    let mut packets: Vec<(Duration, EncodedFrame)> = Vec::new();
    let mut poster = None;
    let mut last_sequence = None;
    let mut dropped = 0;
    while !shared.stop.load(Ordering::Acquire) {
        let Some(frame) = frames.newer_than(last_sequence, POLL) else {
            if frames.failure().is_some() {
                break;
            }
            continue;
        };
        let t0 = *shared.t0.get_or_init(|| frame.captured);
        let pts = frame.captured.saturating_sub(t0);
        if pts >= settings.limit {
            break;
        }
        let skipped = last_sequence.map_or(0, |last| frame.sequence - last - 1);
        last_sequence = Some(frame.sequence);
        dropped += skipped;
        if packets.last().is_some_and(|(last, _)| pts <= *last) {
            // A frame stamped no later than the one before cannot be shown after it.
            dropped += 1;
            continue;
        }
        let encoder = match &mut encoder {
            Some(encoder) => encoder,
            None => encoder.insert(H264Encoder::new(frame.width, frame.height, settings)?),
        };
        let Some(encoded) = encoder.encode(&frame, pts)? else {
            dropped += 1;
            continue;
        };
        packets.push((pts, encoded));
        poster.get_or_insert(frame);
        shared.elapsed_nanos.store(
            u64::try_from(pts.as_nanos()).unwrap_or(u64::MAX),
            Ordering::Release,
        );
        shared.frames.store(packets.len() as u64, Ordering::Release);
    }
    let poster = poster.ok_or(VideoError::NoFrames)?;
    let t0 = shared.t0.get().copied().unwrap_or_default();
    // As the MP4 has it: the last frame lasts as long as the one before it.
    let duration = match packets.as_slice() {
        [.., (before, _), (last, _)] => *last + (*last - *before),
        _ => Duration::from_secs_f32(1.0 / settings.frame_rate.max(1.0)),
    };
    Ok(VideoTrack {
        t0,
        packets,
        poster,
        duration,
        dropped,
    })
}

/// Sound taken while recording; placed on the time line once the first frame's time is
/// known.
#[derive(Debug)]
struct SoundTaken {
    track: Option<SoundTrack>,
    /// Chunks that came before the first frame did.
    early: Vec<AudioChunk>,
    kept: Vec<AudioChunk>,
}

impl SoundTaken {
    fn take(
        &mut self,
        chunk: AudioChunk,
        t0: Option<Duration>,
        settings: &VideoSettings,
    ) -> Result<(), VideoError> {
        let Some(t0) = t0 else {
            self.early.push(chunk);
            return Ok(());
        };
        if self.track.is_none() {
            self.track = Some(SoundTrack::new(
                t0,
                settings.limit,
                settings.audio_bitrate_bps,
            )?);
            for early in std::mem::take(&mut self.early) {
                self.take(early, Some(t0), settings)?;
            }
        }
        let end = chunk.captured
            + Duration::from_nanos(
                chunk.samples.len() as u64 * 1_000_000_000 / u64::from(SAMPLE_RATE),
            );
        if end <= t0 || chunk.captured >= t0 + settings.limit {
            return Ok(());
        }
        if let Some(track) = &mut self.track {
            track.push(&chunk)?;
        }
        self.kept.push(chunk);
        Ok(())
    }

    /// The Opus packets, as long as the video, and the chunks kept.
    fn finish(
        mut self,
        t0: Duration,
        duration: Duration,
        settings: &VideoSettings,
    ) -> Result<(Vec<SoundPacket>, Vec<AudioChunk>), VideoError> {
        for early in std::mem::take(&mut self.early) {
            self.take(early, Some(t0), settings)?;
        }
        let track = match self.track {
            Some(track) => track,
            // No sound at all came: a silent track, so the file still has one.
            None => SoundTrack::new(t0, settings.limit, settings.audio_bitrate_bps)?,
        };
        // Sound that came after the last frame (the limit, or a stop called late) is not
        // part of the recording.
        self.kept.retain(|chunk| chunk.captured < t0 + duration);
        Ok((track.finish(duration)?, self.kept))
    }
}

fn record_sound(
    audio: &Receiver<AudioChunk>,
    settings: &VideoSettings,
    shared: &Shared,
) -> Result<SoundTaken, VideoError> {
    let mut taken = SoundTaken {
        track: None,
        early: Vec::new(),
        kept: Vec::new(),
    };
    loop {
        // Once asked to stop, what has arrived is still taken, then no more.
        let chunk = if shared.stop.load(Ordering::Acquire) {
            match audio.try_recv() {
                Ok(chunk) => chunk,
                Err(_) => break,
            }
        } else {
            match audio.recv_timeout(POLL) {
                Ok(chunk) => chunk,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        };
        taken.take(chunk, shared.t0.get().copied(), settings)?;
    }
    Ok(taken)
}

fn mux(
    video: &VideoTrack,
    sound: Option<&[SoundPacket]>,
    settings: &VideoSettings,
) -> Result<Vec<u8>, VideoError> {
    let mux_error = |e: muxide::api::MuxerError| VideoError::Mux(e.to_string());
    let mut builder = MuxerBuilder::new(Vec::new()).video(
        VideoCodec::H264,
        video.poster.width,
        video.poster.height,
        f64::from(settings.frame_rate),
    );
    if sound.is_some() {
        builder = builder.audio(AudioCodec::Opus, SAMPLE_RATE, 1);
    }
    let mut muxer = builder.build().map_err(mux_error)?;
    for (pts, frame) in &video.packets {
        muxer
            .write_video(pts.as_secs_f64(), &frame.annex_b, frame.keyframe)
            .map_err(mux_error)?;
    }
    for packet in sound.unwrap_or_default() {
        muxer
            .write_audio(packet.start as f64 / f64::from(SAMPLE_RATE), &packet.data)
            .map_err(mux_error)?;
    }
    muxer.finish_in_place().map_err(mux_error)?;
    Ok(muxer.into_writer())
}
