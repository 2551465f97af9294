//! A real microphone through cpal (ALSA, PulseAudio/PipeWire through ALSA, WASAPI,
//! CoreAudio), giving mono 48 kHz chunks whatever the device's own format.
//!
//! cpal calls back on its own real-time thread. The callback mixes the device's frames
//! down to mono into a buffer taken from a fixed pool and passes it on through a bounded
//! channel, never waiting: if the consumer falls behind and the pool is empty, the
//! samples are counted as dropped and the next block is marked as coming after a gap.
//! Conversion to 48 kHz (when the device is at another rate) happens on the consumer's
//! side, in [`Microphone::next_chunk`].

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{ErrorKind, FromSample, InputCallbackInfo, Sample, SampleFormat, SizedSample};

use super::resample::StreamResampler;
use super::{AudioChunk, AudioError, AudioSource, SAMPLE_RATE, samples_to_duration};
use crate::clock;

/// Buffers between the callback and the consumer. With a usual 10–20 ms device period
/// this is one to two seconds of sound before anything is dropped.
const BUFFERS: usize = 96;
/// Samples a pooled buffer holds without growing (a device period of up to 85 ms at
/// 48 kHz); a larger period grows a buffer once.
const BUFFER_SAMPLES: usize = 4096;
/// How long [`Microphone::next_chunk`] waits for a silent device before it gives up.
const STALL: Duration = Duration::from_secs(3);
const POLL: Duration = Duration::from_millis(50);

/// A microphone the system offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicrophoneInfo {
    /// cpal's identifier (such as `alsa:default`), stable across runs where the system
    /// allows: what [`Microphone::open`] is best given.
    pub id: String,
    /// A name for people.
    pub name: String,
    /// Whether it is the system's default input.
    pub is_default: bool,
}

/// Mono samples of one device period, and when its first sample was captured.
struct Block {
    samples: Vec<f32>,
    captured: Duration,
    after_gap: bool,
}

/// A cpal input device as an [`AudioSource`]. Dropping it stops the stream.
pub struct Microphone {
    name: String,
    device_rate: u32,
    device_channels: u16,
    device_format: SampleFormat,
    blocks: Blocks,
    // Last, so it is dropped (and the callback stopped) after nothing else needs it.
    _stream: cpal::Stream,
}

/// The consumer's end of the callback's blocks: turns them into chunks on one time line.
struct Blocks {
    blocks: Receiver<Block>,
    recycle: SyncSender<Vec<f32>>,
    failure: Arc<Mutex<Option<AudioError>>>,
    dropped: Arc<AtomicU64>,
    overrun: Arc<AtomicBool>,
    resampler: Option<StreamResampler>,
    anchor: Option<Duration>,
    given: u64,
}

/// The two ends between cpal's callback and the consumer, for a device of `channels` at
/// `rate` Hz.
fn connect(channels: u16, rate: u32) -> Result<(CallbackSink, Blocks), AudioError> {
    let (recycle, pool) = sync_channel(BUFFERS);
    for _ in 0..BUFFERS {
        // The pool's channel holds exactly BUFFERS: this never fails.
        let _ = recycle.try_send(Vec::with_capacity(BUFFER_SAMPLES));
    }
    let (sender, blocks) = sync_channel(BUFFERS);
    let dropped = Arc::new(AtomicU64::new(0));
    let overrun = Arc::new(AtomicBool::new(false));
    let sink = CallbackSink {
        pool,
        blocks: sender,
        dropped: Arc::clone(&dropped),
        overrun: Arc::clone(&overrun),
        channels: usize::from(channels.max(1)),
        gap: false,
    };
    let resampler = (rate != SAMPLE_RATE)
        .then(|| StreamResampler::new(rate, SAMPLE_RATE))
        .transpose()?;
    let blocks = Blocks {
        blocks,
        recycle,
        failure: Arc::new(Mutex::new(None)),
        dropped,
        overrun,
        resampler,
        anchor: None,
        given: 0,
    };
    Ok((sink, blocks))
}

impl std::fmt::Debug for Microphone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Microphone")
            .field("name", &self.name)
            .field("device_rate", &self.device_rate)
            .field("device_channels", &self.device_channels)
            .field("device_format", &self.device_format)
            .field("dropped", &self.blocks.dropped.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// cpal's error as ours: refusals as [`AudioError::Denied`], devices in use, gone or
/// unable to give a format as [`AudioError::Busy`], the rest as [`AudioError::Io`].
fn device_error(error: &cpal::Error) -> AudioError {
    let text = error.to_string();
    match error.kind() {
        ErrorKind::PermissionDenied => AudioError::Denied(text),
        ErrorKind::DeviceBusy
        | ErrorKind::DeviceNotAvailable
        | ErrorKind::UnsupportedConfig
        | ErrorKind::UnsupportedOperation
        | ErrorKind::StreamInvalidated
        | ErrorKind::ResourceExhausted => AudioError::Busy(text),
        _ => AudioError::Io(text),
    }
}

fn describe(device: &cpal::Device) -> String {
    device
        .description()
        .map_or_else(|_| device.to_string(), |d| d.name().to_owned())
}

impl Microphone {
    /// The input devices the system offers.
    pub fn devices() -> Result<Vec<MicrophoneInfo>, AudioError> {
        let host = cpal::default_host();
        let default = host.default_input_device().and_then(|d| d.id().ok());
        let devices = host.input_devices().map_err(|e| device_error(&e))?;
        Ok(devices
            .filter_map(|device| {
                let id = device.id().ok()?;
                if is_alsa_plugin(&id.to_string()) {
                    return None;
                }
                Some(MicrophoneInfo {
                    is_default: default.as_ref() == Some(&id),
                    id: id.to_string(),
                    name: describe(&device),
                })
            })
            .collect())
    }

    /// Opens and starts the device whose [`MicrophoneInfo::id`] or name is `device`, or the
    /// default input with `None`. It is asked for 48 kHz in its own sample format and
    /// channel count when it can give it, else opened in its default format.
    pub fn open(device: Option<&str>) -> Result<Self, AudioError> {
        let host = cpal::default_host();
        let device = match device {
            None => host.default_input_device().ok_or(AudioError::NoDevice)?,
            Some(wanted) => {
                let devices: Vec<_> = host
                    .input_devices()
                    .map_err(|e| device_error(&e))?
                    .collect();
                if devices.is_empty() {
                    return Err(AudioError::NoDevice);
                }
                devices
                    .into_iter()
                    .find(|d| {
                        d.id().is_ok_and(|id| id.to_string() == wanted) || describe(d) == wanted
                    })
                    .ok_or_else(|| AudioError::NotFound(wanted.to_owned()))?
            }
        };
        let name = describe(&device);
        let default = device
            .default_input_config()
            .map_err(|e| device_error(&e))?;
        let config = device
            .supported_input_configs()
            .ok()
            .and_then(|mut ranges| {
                ranges.find(|r| {
                    r.sample_format() == default.sample_format()
                        && r.channels() == default.channels()
                        && (r.min_sample_rate()..=r.max_sample_rate()).contains(&SAMPLE_RATE)
                })
            })
            .map_or(default, |r| r.with_sample_rate(SAMPLE_RATE));

        let (sink, blocks) = connect(config.channels(), config.sample_rate())?;
        let (failure, overrun) = (Arc::clone(&blocks.failure), Arc::clone(&blocks.overrun));
        let on_error = move |error: cpal::Error| match error.kind() {
            // cpal recovers from these; an overrun lost samples, so the next block starts
            // a new time line.
            ErrorKind::Xrun => overrun.store(true, Ordering::Relaxed),
            ErrorKind::DeviceChanged | ErrorKind::RealtimeDenied => {}
            _ => *lock(&failure) = Some(device_error(&error)),
        };
        let stream_config = config.config();
        let stream = match config.sample_format() {
            SampleFormat::I8 => build::<i8>(&device, &stream_config, sink, on_error),
            SampleFormat::I16 => build::<i16>(&device, &stream_config, sink, on_error),
            SampleFormat::I32 => build::<i32>(&device, &stream_config, sink, on_error),
            SampleFormat::I64 => build::<i64>(&device, &stream_config, sink, on_error),
            SampleFormat::U8 => build::<u8>(&device, &stream_config, sink, on_error),
            SampleFormat::U16 => build::<u16>(&device, &stream_config, sink, on_error),
            SampleFormat::U32 => build::<u32>(&device, &stream_config, sink, on_error),
            SampleFormat::U64 => build::<u64>(&device, &stream_config, sink, on_error),
            SampleFormat::F32 => build::<f32>(&device, &stream_config, sink, on_error),
            SampleFormat::F64 => build::<f64>(&device, &stream_config, sink, on_error),
            other => {
                return Err(AudioError::Busy(format!(
                    "{name} gives {other} samples, which are not supported"
                )));
            }
        }
        .map_err(|e| device_error(&e))?;
        stream.play().map_err(|e| device_error(&e))?;
        Ok(Self {
            name,
            device_rate: config.sample_rate(),
            device_channels: config.channels(),
            device_format: config.sample_format(),
            blocks,
            _stream: stream,
        })
    }

    /// The rate the device itself captures at, in Hz.
    pub fn device_rate(&self) -> u32 {
        self.device_rate
    }

    /// The channels the device itself captures.
    pub fn device_channels(&self) -> u16 {
        self.device_channels
    }

    /// The sample format the device itself gives (such as `i16` or `f32`).
    pub fn device_format(&self) -> String {
        self.device_format.to_string()
    }
}

impl AudioSource for Microphone {
    fn name(&self) -> String {
        self.name.clone()
    }

    /// The next chunk: one device period, resampled to 48 kHz if needed. Its `captured`
    /// is the capture time cpal reports for the first block after the stream started (or
    /// after samples were lost), plus the samples since; so chunks follow each other
    /// exactly, on the device's clock.
    fn next_chunk(&mut self) -> Result<AudioChunk, AudioError> {
        self.blocks.next_chunk(&self.name)
    }

    fn dropped_samples(&self) -> u64 {
        self.blocks.dropped.load(Ordering::Relaxed)
    }
}

impl Blocks {
    /// The chunk of `block`, on the time line of its first sample since the last gap.
    fn chunk_of(&mut self, mut block: Block) -> Result<Option<AudioChunk>, AudioError> {
        if block.after_gap || self.anchor.is_none() {
            self.anchor = Some(block.captured);
            self.given = 0;
            if let Some(resampler) = &mut self.resampler {
                resampler.reset();
            }
        }
        let samples = match &mut self.resampler {
            None => std::mem::replace(&mut block.samples, Vec::with_capacity(BUFFER_SAMPLES)),
            Some(resampler) => {
                let mut out = Vec::with_capacity(BUFFER_SAMPLES);
                resampler.push(&block.samples, &mut out)?;
                out
            }
        };
        // The pool gets a buffer back for each it gave: it never holds more than BUFFERS.
        let _ = self.recycle.try_send(block.samples);
        if samples.is_empty() {
            return Ok(None);
        }
        let captured = self.anchor.unwrap_or_default() + samples_to_duration(self.given);
        self.given += samples.len() as u64;
        Ok(Some(AudioChunk { samples, captured }))
    }

    fn next_chunk(&mut self, name: &str) -> Result<AudioChunk, AudioError> {
        let mut waited = Duration::ZERO;
        loop {
            if let Some(error) = lock(&self.failure).take() {
                return Err(error);
            }
            match self.blocks.recv_timeout(POLL) {
                Ok(block) => {
                    waited = Duration::ZERO;
                    if let Some(chunk) = self.chunk_of(block)? {
                        return Ok(chunk);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    waited += POLL;
                    if waited >= STALL {
                        return Err(AudioError::Io(format!(
                            "no sound from {name} for {} s",
                            STALL.as_secs()
                        )));
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(AudioError::Io(format!("{name} stopped")));
                }
            }
        }
    }
}

fn build<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    mut sink: CallbackSink,
    on_error: impl FnMut(cpal::Error) + Send + 'static,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    device.build_input_stream::<T, _, _>(
        *config,
        move |data: &[T], info: &InputCallbackInfo| sink.take(data, info),
        on_error,
        None,
    )
}

/// What lives in cpal's callback: never waits, allocates only when a device period is
/// larger than a pooled buffer.
struct CallbackSink {
    pool: Receiver<Vec<f32>>,
    blocks: SyncSender<Block>,
    dropped: Arc<AtomicU64>,
    overrun: Arc<AtomicBool>,
    channels: usize,
    gap: bool,
}

impl CallbackSink {
    fn take<T>(&mut self, data: &[T], info: &InputCallbackInfo)
    where
        T: Sample,
        f32: FromSample<T>,
    {
        let now = clock::now();
        let frames = data.len() / self.channels;
        if self.overrun.swap(false, Ordering::Relaxed) {
            self.gap = true;
        }
        let Ok(mut buffer) = self.pool.try_recv() else {
            self.lose(frames);
            return;
        };
        buffer.clear();
        let scale = 1.0 / self.channels as f32;
        buffer.extend(
            data.chunks_exact(self.channels)
                .map(|frame| frame.iter().map(|s| s.to_sample::<f32>()).sum::<f32>() * scale),
        );
        let timestamp = info.timestamp();
        let latency = timestamp
            .callback
            .saturating_duration_since(timestamp.capture);
        let block = Block {
            samples: buffer,
            captured: now.saturating_sub(latency),
            after_gap: self.gap,
        };
        match self.blocks.try_send(block) {
            Ok(()) => self.gap = false,
            Err(_) => self.lose(frames),
        }
    }

    fn lose(&mut self, frames: usize) {
        self.dropped.fetch_add(frames as u64, Ordering::Relaxed);
        self.gap = true;
    }
}

/// ALSA lists its plugins as input devices: resamplers, mixers, the null sink, other sound
/// systems' bridges. None of them is a microphone a person would choose.
fn is_alsa_plugin(id: &str) -> bool {
    const PLUGINS: [&str; 12] = [
        "null",
        "lavrate",
        "samplerate",
        "speexrate",
        "jack",
        "oss",
        "speex",
        "upmix",
        "vdownmix",
        "dmix",
        "dsnoop",
        "usbstream",
    ];
    id.strip_prefix("alsa:")
        .is_some_and(|name| PLUGINS.contains(&name.split(':').next().unwrap_or(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alsa_plugins_are_not_offered_as_microphones() {
        for plugin in [
            "alsa:null",
            "alsa:jack",
            "alsa:speexrate",
            "alsa:dsnoop:CARD=0",
        ] {
            assert!(is_alsa_plugin(plugin), "{plugin}");
        }
        for device in [
            "alsa:default",
            "alsa:pulse",
            "alsa:hw:CARD=PCH,DEV=0",
            "wasapi:x",
        ] {
            assert!(!is_alsa_plugin(device), "{device}");
        }
    }

    #[test]
    fn cpal_errors_are_told_apart() {
        let kind = |kind| device_error(&cpal::Error::new(kind));
        assert!(matches!(
            kind(ErrorKind::PermissionDenied),
            AudioError::Denied(_)
        ));
        assert!(matches!(kind(ErrorKind::DeviceBusy), AudioError::Busy(_)));
        assert!(matches!(
            kind(ErrorKind::UnsupportedConfig),
            AudioError::Busy(_)
        ));
        assert!(matches!(
            kind(ErrorKind::DeviceNotAvailable),
            AudioError::Busy(_)
        ));
        assert!(matches!(kind(ErrorKind::BackendError), AudioError::Io(_)));
        assert!(matches!(
            kind(ErrorKind::HostUnavailable),
            AudioError::Io(_)
        ));
        let message = device_error(&cpal::Error::with_message(
            ErrorKind::PermissionDenied,
            "the user said no",
        ));
        assert_eq!(
            message.to_string(),
            "microphone access denied: the user said no"
        );
    }

    fn info(latency_ms: u64) -> InputCallbackInfo {
        let callback = cpal::StreamInstant::new(1_000, 0);
        InputCallbackInfo::new(cpal::InputStreamTimestamp {
            callback,
            capture: callback
                .checked_sub(Duration::from_millis(latency_ms))
                .expect("instant"),
        })
    }

    #[test]
    fn stereo_integer_blocks_become_mono_chunks_that_follow_each_other() {
        let (mut sink, mut blocks) = connect(2, SAMPLE_RATE).expect("connects");
        // 480 frames of 10 ms: left at half scale, right silent.
        let block: Vec<i16> = (0..480).flat_map(|_| [16_384i16, 0]).collect();
        sink.take(&block, &info(5));
        sink.take(&block, &info(5));
        let first = blocks.next_chunk("test").expect("chunk");
        let second = blocks.next_chunk("test").expect("chunk");
        assert_eq!(first.samples.len(), 480);
        assert!(
            first.samples.iter().all(|&s| s == 0.25),
            "{:?}",
            &first.samples[..4]
        );
        assert_eq!(second.captured - first.captured, Duration::from_millis(10));
        assert_eq!(blocks.dropped.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_consumer_that_falls_behind_loses_counted_samples_not_memory() {
        let (mut sink, mut blocks) = connect(1, SAMPLE_RATE).expect("connects");
        for i in 0..BUFFERS {
            sink.take(&vec![i as f32 / 1_000.0; 480], &info(0));
        }
        // The pool is empty: these are dropped, not queued.
        sink.take(&[0.5f32; 480], &info(0));
        sink.take(&[0.5f32; 100], &info(0));
        assert_eq!(blocks.dropped.load(Ordering::Relaxed), 580);
        let mut last = None;
        for i in 0..BUFFERS {
            let chunk = blocks.next_chunk("test").expect("chunk");
            assert_eq!(chunk.samples[0], i as f32 / 1_000.0);
            last = Some(chunk.captured);
        }
        // After the gap the time line starts again from the block's own capture time (here
        // as early as the clock goes), not from where the lost samples would have ended.
        let continued = last.expect("chunks") + Duration::from_millis(10);
        sink.take(&[0.25f32; 480], &info(1_000_000));
        let after_gap = blocks.next_chunk("test").expect("chunk");
        assert_eq!(after_gap.samples, vec![0.25; 480]);
        assert_eq!(after_gap.captured, Duration::ZERO);
        assert_ne!(after_gap.captured, continued);
    }

    #[test]
    fn a_device_at_another_rate_is_brought_to_48_khz() {
        let (mut sink, mut blocks) = connect(1, 44_100).expect("connects");
        let tone: Vec<f32> = (0..44_100)
            .map(|i| 0.5 * (std::f32::consts::TAU * 440.0 * i as f32 / 44_100.0).sin())
            .collect();
        for block in tone.chunks(441) {
            sink.take(block, &info(0));
        }
        let mut heard = Vec::new();
        let mut expected_start = None;
        while heard.len() < 40_000 {
            let chunk = blocks.next_chunk("test").expect("chunk");
            let start = *expected_start.get_or_insert(chunk.captured);
            assert_eq!(
                chunk.captured,
                start + samples_to_duration(heard.len() as u64)
            );
            heard.extend(chunk.samples);
        }
        let whole = super::super::resample::convert(&tone, 44_100, SAMPLE_RATE).expect("converts");
        let worst = heard
            .iter()
            .zip(&whole)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-4, "worst difference {worst}");
    }

    #[test]
    fn a_silent_device_and_a_failed_one_are_reported() {
        let (sink, mut blocks) = connect(1, SAMPLE_RATE).expect("connects");
        *lock(&blocks.failure) = Some(AudioError::Busy("unplugged".into()));
        assert!(matches!(
            blocks.next_chunk("test"),
            Err(AudioError::Busy(_))
        ));
        drop(sink);
        let stopped = blocks.next_chunk("test").expect_err("no callback any more");
        assert_eq!(stopped.to_string(), "microphone I/O: test stopped");
    }
}
