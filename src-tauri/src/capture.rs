//! The capture desk: the camera and microphone open for the current step, the preview on
//! its way to the page, a recording under way, and what was taken, waiting in memory for
//! the person's review. Nothing taken touches the disk until it is accepted, and then
//! only encrypted, in the outbox.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use ehraz_capture::audio::{self, AudioCapture, AudioError, Microphone, WavFileSource};
use ehraz_capture::device::{self, CameraChoice, CameraError, FormatRequest};
use ehraz_capture::preview::{self, Preview, PreviewFormat, PreviewSettings};
use ehraz_capture::video::{Recorder, VideoSettings};
use ehraz_capture::{
    Camera, DeviceCamera, Frame, FrameSource, ImageFolderSource, Y4mSource, photo,
};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::CommandError;

/// Which way a camera faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Facing {
    /// Towards the person (selfies).
    Front,
    /// Away from the person (documents).
    Back,
}

/// A camera or microphone the person can choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    /// Stable id to open it by.
    pub id: String,
    /// Its name, as the system gives it.
    pub name: String,
    /// Which way a camera faces, when known (never for microphones).
    pub facing: Option<Facing>,
    /// A file-backed device.
    pub file: bool,
}

/// A camera as it opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CameraOpened {
    /// Which one.
    pub device: Device,
    /// Full resolution.
    pub width: u32,
    /// Full resolution.
    pub height: u32,
    /// Frames per second, rounded.
    pub frame_rate: u32,
}

/// Events of what is open, for the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CaptureEvent {
    /// The camera stopped giving frames.
    CameraFailed {
        /// A command error code.
        code: &'static str,
    },
    /// The microphone's level, linear 0..1.
    Level {
        /// Root mean square over the last 100 ms.
        rms: f32,
        /// Peak over the last 100 ms.
        peak: f32,
    },
    /// The microphone stopped.
    MicrophoneFailed {
        /// A command error code.
        code: &'static str,
    },
    /// A recording's progress.
    Recording {
        /// Media time recorded.
        elapsed_ms: u64,
        /// When it stops by itself.
        limit_ms: u64,
    },
    /// The recording stopped by itself at its limit.
    RecordingLimit,
}

/// A photo taken, waiting for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoTaken {
    /// Its size in pixels.
    pub width: u32,
    /// Its size in pixels.
    pub height: u32,
    /// Bytes of the JPEG that will be uploaded.
    pub bytes: usize,
}

/// A recording finished, waiting for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordingDone {
    /// Its length.
    pub duration_ms: u64,
    /// Frames in it.
    pub frames: u64,
    /// Frames the encoder could not keep up with.
    pub dropped: u64,
    /// Bytes of the MP4.
    pub video_bytes: usize,
    /// Bytes of the speech WAV.
    pub audio_bytes: usize,
    /// Whether the microphone heard anything above silence.
    pub heard_sound: bool,
}

/// What was taken and waits for the person's review.
#[derive(Debug)]
pub enum Pending {
    /// A photo.
    Photo {
        /// The JPEG to upload.
        jpeg: Vec<u8>,
        /// The frame it came from, for the review image.
        frame: Frame,
    },
    /// A video.
    Video {
        /// The MP4 (H.264 and Opus) to upload.
        mp4: Vec<u8>,
        /// The sound alone, 16 kHz mono, for the backend's speech check.
        wav: Vec<u8>,
        /// Its first frame, for the review image.
        poster: Frame,
    },
}

impl Pending {
    /// The frame a review image is made from.
    pub fn frame(&self) -> &Frame {
        match self {
            Self::Photo { frame, .. } => frame,
            Self::Video { poster, .. } => poster,
        }
    }
}

/// The id of the file-backed camera or microphone.
pub const FILE_DEVICE: &str = "file";

/// The preview's format: JPEG unless `EHRAZ_PREVIEW_FORMAT=rgba` (for measuring both).
fn preview_format() -> PreviewFormat {
    match std::env::var("EHRAZ_PREVIEW_FORMAT").as_deref() {
        Ok("rgba") => PreviewFormat::Rgba,
        _ => PreviewFormat::Jpeg(75),
    }
}

fn camera_error(error: &CameraError) -> CommandError {
    let code = match error {
        CameraError::NoCamera | CameraError::NotFound(_) => "camera_missing",
        CameraError::Busy(_) => "camera_busy",
        CameraError::Denied(_) => "camera_denied",
        CameraError::Unsupported(_) | CameraError::Io(_) => "camera_failed",
    };
    CommandError::new(code, error.to_string())
}

fn microphone_error(error: &AudioError) -> CommandError {
    let code = match error {
        AudioError::NoDevice | AudioError::NotFound(_) => "microphone_missing",
        AudioError::Busy(_) => "microphone_busy",
        AudioError::Denied(_) => "microphone_denied",
        AudioError::Io(_) | AudioError::Ended => "microphone_failed",
    };
    CommandError::new(code, error.to_string())
}

fn file_device(path: &Path) -> Device {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Device {
        id: FILE_DEVICE.to_owned(),
        name,
        facing: None,
        file: true,
    }
}

/// The cameras there are: the devices, then the file-backed one if configured. A built-in
/// camera that does not say which way it faces is taken as the front one.
pub fn cameras(config: &Config) -> Vec<Device> {
    let mut all: Vec<Device> = device::cameras()
        .unwrap_or_default()
        .into_iter()
        .map(|c| Device {
            id: c.id,
            name: c.name,
            facing: c.facing.map(|f| match f {
                device::Facing::Front => Facing::Front,
                device::Facing::Back => Facing::Back,
            }),
            file: false,
        })
        .collect();
    if let Some(path) = &config.camera_file {
        all.push(file_device(path));
    }
    all
}

/// The microphones there are: the devices, then the file-backed one if configured.
pub fn microphones(config: &Config) -> Vec<Device> {
    let mut all: Vec<Device> = Microphone::devices()
        .unwrap_or_default()
        .into_iter()
        .map(|m| Device {
            id: m.id,
            name: m.name,
            facing: None,
            file: false,
        })
        .collect();
    if let Some(path) = &config.microphone_file {
        all.push(file_device(path));
    }
    all
}

/// Opens the chosen camera: by id; else a device facing `facing`, else the first device;
/// else the file-backed one. Photos ask for the largest picture, videos for 720p.
fn open_camera_source(
    config: &Config,
    id: Option<&str>,
    facing: Facing,
    for_video: bool,
) -> Result<(Box<dyn FrameSource>, Device), CommandError> {
    let file = config.camera_file.as_deref();
    let use_file = match id {
        Some(FILE_DEVICE) => true,
        Some(_) => false,
        None => device::cameras().unwrap_or_default().is_empty() && file.is_some(),
    };
    if use_file {
        let path = file.ok_or_else(|| CommandError::new("camera_missing", "no file camera"))?;
        let source: Box<dyn FrameSource> = if path.is_dir() {
            Box::new(ImageFolderSource::open(path, (30, 1), true).map_err(file_failed(path))?)
        } else {
            Box::new(Y4mSource::open(path, true).map_err(file_failed(path))?)
        };
        return Ok((source, file_device(path)));
    }
    let choice = match id {
        Some(id) => CameraChoice::ById(id.to_owned()),
        None => CameraChoice::Facing(match facing {
            Facing::Front => device::Facing::Front,
            Facing::Back => device::Facing::Back,
        }),
    };
    // A still at the best the camera gives; a video at the 720p the budget is set for.
    let want = if for_video {
        FormatRequest::VIDEO
    } else {
        FormatRequest::Largest
    };
    let camera = DeviceCamera::open(&choice, want).map_err(|e| camera_error(&e))?;
    let info = camera.info();
    let device = Device {
        id: id.unwrap_or_default().to_owned(),
        name: info.name,
        facing: Some(facing),
        file: false,
    };
    Ok((Box::new(camera), device))
}

fn file_failed(path: &Path) -> impl Fn(ehraz_capture::CaptureError) -> CommandError + '_ {
    move |e| CommandError::new("camera_failed", format!("{}: {e}", path.display()))
}

/// Opens the chosen microphone: by id; else the default device, or the file-backed one
/// where there is none.
fn open_microphone(
    config: &Config,
    id: Option<&str>,
) -> Result<(AudioCapture, Device), CommandError> {
    let file = config.microphone_file.as_deref();
    let from_file = |path: &Path| -> Result<(AudioCapture, Device), CommandError> {
        let source = WavFileSource::open(path, true).map_err(|e| microphone_error(&e))?;
        let capture = AudioCapture::start(source).map_err(|e| microphone_error(&e))?;
        Ok((capture, file_device(path)))
    };
    match (id, file) {
        (Some(FILE_DEVICE), Some(path)) => from_file(path),
        (Some(FILE_DEVICE), None) => Err(CommandError::new(
            "microphone_missing",
            "no file microphone",
        )),
        (wanted, _) => match Microphone::open(wanted) {
            Ok(microphone) => {
                let name = audio::AudioSource::name(&microphone);
                let capture = AudioCapture::start(microphone).map_err(|e| microphone_error(&e))?;
                let device = Device {
                    id: wanted.unwrap_or_default().to_owned(),
                    name,
                    facing: None,
                    file: false,
                };
                Ok((capture, device))
            }
            Err(error) => match (wanted, file) {
                (None, Some(path)) => from_file(path),
                _ => Err(microphone_error(&error)),
            },
        },
    }
}

struct OpenCamera {
    preview: Preview,
    camera: Camera,
}

struct OpenRecording {
    recorder: Recorder,
    limit: Duration,
    limit_told: bool,
}

#[derive(Default)]
struct Desk {
    camera: Option<OpenCamera>,
    microphone: Option<AudioCapture>,
    recording: Option<OpenRecording>,
    pending: Option<Pending>,
    /// Tells the page about failures, levels and progress while a camera is open.
    watch: Option<Watch>,
}

/// The capture desk, shared by the capture commands.
#[derive(Default)]
pub struct CaptureState {
    desk: Arc<Mutex<Desk>>,
}

impl std::fmt::Debug for CaptureState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaptureState")
    }
}

fn lock(desk: &Mutex<Desk>) -> MutexGuard<'_, Desk> {
    desk.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One look at the desk for the page: what failed, the level, the recording's progress.
fn report(desk: &mut Desk, send: &dyn Fn(CaptureEvent)) {
    if let Some(open) = &desk.camera
        && open.camera.frames().failure().is_some()
    {
        send(CaptureEvent::CameraFailed {
            code: "camera_failed",
        });
        // Told once: the page closes the camera.
        desk.camera = None;
    }
    if let Some(microphone) = &desk.microphone {
        if microphone.failure().is_some() {
            send(CaptureEvent::MicrophoneFailed {
                code: "microphone_failed",
            });
            desk.microphone = None;
        } else {
            let level = microphone.level();
            send(CaptureEvent::Level {
                rms: level.rms,
                peak: level.peak,
            });
        }
    }
    if let Some(recording) = &mut desk.recording {
        let millis = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        send(CaptureEvent::Recording {
            elapsed_ms: millis(recording.recorder.elapsed()),
            limit_ms: millis(recording.limit),
        });
        if recording.recorder.is_finished() && !recording.limit_told {
            recording.limit_told = true;
            send(CaptureEvent::RecordingLimit);
        }
    }
}

impl CaptureState {
    fn desk(&self) -> MutexGuard<'_, Desk> {
        lock(&self.desk)
    }

    /// Opens a camera, replacing one already open (what waits for review stays), and
    /// starts its preview: each message goes to `send_frame`, events to `send_event`.
    #[allow(clippy::too_many_arguments)]
    pub fn open_camera(
        &self,
        config: &Config,
        device: Option<&str>,
        facing: Facing,
        for_video: bool,
        preview_width: u32,
        send_frame: impl FnMut(Vec<u8>) -> bool + Send + 'static,
        send_event: impl Fn(CaptureEvent) + Send + 'static,
    ) -> Result<CameraOpened, CommandError> {
        self.close_camera();
        let (source, device) = open_camera_source(config, device, facing, for_video)?;
        let camera =
            Camera::start(source).map_err(|e| CommandError::new("camera_failed", e.to_string()))?;
        let info = camera.info().clone();
        let settings = PreviewSettings {
            max_width: preview_width.clamp(160, 1920),
            format: preview_format(),
            ..PreviewSettings::default()
        };
        let preview = Preview::start(camera.frames().clone(), settings, send_frame)
            .map_err(|e| CommandError::new("camera_failed", e.to_string()))?;
        let desk = Arc::downgrade(&self.desk);
        let watch = Watch::start(move || {
            let Some(desk) = desk.upgrade() else {
                return false;
            };
            report(&mut lock(&desk), &send_event);
            true
        });
        let mut desk = self.desk();
        desk.camera = Some(OpenCamera { preview, camera });
        desk.watch = Some(watch);
        let (num, den) = info.frame_rate;
        Ok(CameraOpened {
            device,
            width: info.width,
            height: info.height,
            frame_rate: (num + den / 2).checked_div(den).unwrap_or(0),
        })
    }

    /// The page drew preview frame `sequence`.
    pub fn preview_ack(&self, sequence: u32) {
        if let Some(open) = &self.desk().camera {
            open.preview.ack(sequence);
        }
    }

    /// The preview's figures so far, if a camera is open.
    pub fn preview_stats(&self) -> Option<preview::PreviewStats> {
        self.desk().camera.as_ref().map(|open| open.preview.stats())
    }

    /// Stops the camera, the microphone and any recording (which is thrown away); what
    /// waits for review stays. Nothing if none is open.
    pub fn close_camera(&self) {
        let (watch, camera, microphone, recording) = {
            let mut desk = self.desk();
            (
                desk.watch.take(),
                desk.camera.take(),
                desk.microphone.take(),
                desk.recording.take(),
            )
        };
        if let Some(open) = &camera
            && std::env::var_os("EHRAZ_REPORT_PREVIEW").is_some()
        {
            report_preview(&open.preview.stats());
        }
        // Joined outside the lock: the watch takes the lock on every tick, and the
        // preview's thread may be waiting to send.
        drop(watch);
        drop(recording);
        drop(microphone);
        drop(camera);
    }

    /// Opens a microphone, replacing one already open; its level goes to the page with
    /// the camera's events.
    pub fn open_microphone(
        &self,
        config: &Config,
        device: Option<&str>,
    ) -> Result<Device, CommandError> {
        let old = self.desk().microphone.take();
        drop(old);
        let (capture, device) = open_microphone(config, device)?;
        self.desk().microphone = Some(capture);
        Ok(device)
    }

    /// Takes a photo from the newest frame, at the camera's full resolution, and keeps it
    /// for review. Blocks for the JPEG encoding: call it off the async threads.
    pub fn take_photo(&self) -> Result<PhotoTaken, CommandError> {
        let frames = match &self.desk().camera {
            Some(open) => open.camera.frames().clone(),
            None => return Err(not_open()),
        };
        let frame = frames
            .newer_than(None, Duration::from_secs(3))
            .ok_or_else(|| CommandError::new("no_frame", "the camera gave no frame"))?;
        let jpeg = photo::jpeg(&frame, photo::MAX_PHOTO_BYTES)
            .map_err(|e| CommandError::new("capture_failed", e.to_string()))?;
        let taken = PhotoTaken {
            width: frame.width,
            height: frame.height,
            bytes: jpeg.len(),
        };
        self.desk().pending = Some(Pending::Photo { jpeg, frame });
        Ok(taken)
    }

    /// Starts recording the camera and the microphone; it stops by itself at `limit`.
    pub fn start_recording(&self, limit: Duration) -> Result<(), CommandError> {
        let mut desk = self.desk();
        if desk.recording.is_some() {
            return Err(CommandError::new(
                "recording_running",
                "a recording is under way",
            ));
        }
        let frames = match &desk.camera {
            Some(open) => open.camera.frames().clone(),
            None => return Err(not_open()),
        };
        let audio = match &desk.microphone {
            Some(microphone) => microphone.subscribe(),
            None => {
                return Err(CommandError::new(
                    "microphone_missing",
                    "open a microphone first",
                ));
            }
        };
        let settings = VideoSettings {
            limit,
            ..VideoSettings::default()
        };
        let recorder = Recorder::start(frames, Some(audio), settings)
            .map_err(|e| CommandError::new("recording_failed", e.to_string()))?;
        desk.recording = Some(OpenRecording {
            recorder,
            limit,
            limit_told: false,
        });
        Ok(())
    }

    /// Stops the recording, finishes its MP4 and WAV and keeps them for review. Blocks
    /// for the encoding's end: call it off the async threads.
    pub fn stop_recording(&self) -> Result<RecordingDone, CommandError> {
        let recording =
            self.desk().recording.take().ok_or_else(|| {
                CommandError::new("recording_not_started", "no recording under way")
            })?;
        let done = recording
            .recorder
            .stop()
            .map_err(|e| CommandError::new("recording_failed", e.to_string()))?;
        let wav = audio::wav::speech_wav(&done.audio)
            .map_err(|e| CommandError::new("recording_failed", e.to_string()))?;
        let result = RecordingDone {
            duration_ms: u64::try_from(done.duration.as_millis()).unwrap_or(u64::MAX),
            frames: done.frames,
            dropped: done.dropped,
            video_bytes: done.mp4.len(),
            audio_bytes: wav.len(),
            heard_sound: audio::heard_sound(&done.audio),
        };
        self.desk().pending = Some(Pending::Video {
            mp4: done.mp4,
            wav,
            poster: done.poster,
        });
        Ok(result)
    }

    /// A JPEG at most `max_width` wide of what waits for review.
    pub fn review_image(&self, max_width: u32) -> Result<Vec<u8>, CommandError> {
        let frame = match &self.desk().pending {
            Some(pending) => pending.frame().clone(),
            None => return Err(nothing_pending()),
        };
        let message = preview::encode(&frame, max_width.clamp(160, 1920), PreviewFormat::Jpeg(85))
            .map_err(|e| CommandError::new("capture_failed", e.to_string()))?;
        Ok(message[preview::HEADER_BYTES..].to_vec())
    }

    /// Throws away what waits for review.
    pub fn discard(&self) {
        self.desk().pending = None;
    }

    /// Hands over what waits for review (to attach it); [`Self::put_back`] returns it if
    /// that failed, so nothing is lost.
    pub fn take_pending(&self) -> Result<Pending, CommandError> {
        self.desk().pending.take().ok_or_else(nothing_pending)
    }

    /// Returns what could not be attached.
    pub fn put_back(&self, pending: Pending) {
        self.desk().pending = Some(pending);
    }
}

/// One line on stderr for the preview benchmark (`EHRAZ_REPORT_PREVIEW=1`): frames sent
/// and drawn, drawn per second, bytes, and the capture-to-drawn-and-answered times.
fn report_preview(stats: &preview::PreviewStats) {
    let mut millis: Vec<f64> = stats
        .latencies
        .iter()
        .map(|d| d.as_secs_f64() * 1000.0)
        .collect();
    millis.sort_by(f64::total_cmp);
    let at = |q: f64| {
        millis
            .get(((millis.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    eprintln!(
        "ehraz: preview sent={} acked={} fps={:.1} bytes={} latency_ms_p50={:.1} latency_ms_p95={:.1}",
        stats.sent,
        stats.acked,
        stats.frames_per_second(),
        stats.bytes,
        at(0.5),
        at(0.95),
    );
}

fn not_open() -> CommandError {
    CommandError::new("camera_not_open", "open a camera first")
}

fn nothing_pending() -> CommandError {
    CommandError::new("nothing_to_review", "nothing waits for review")
}

/// A small thread that runs `tick` about fifteen times a second until it returns false
/// or the watch is dropped.
struct Watch {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Watch {
    fn start(mut tick: impl FnMut() -> bool + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("ehraz-capture-watch".into())
                .spawn(move || {
                    while !stop.load(Ordering::Acquire) && tick() {
                        std::thread::sleep(Duration::from_millis(66));
                    }
                })
                .ok()
        };
        Self { stop, thread }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
