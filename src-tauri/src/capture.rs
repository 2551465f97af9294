//! The capture desk: the camera and microphone open for the current step, the preview on
//! its way to the page, a recording under way, and what was taken, waiting in memory for
//! the person's review. Nothing taken touches the disk until it is accepted, and then
//! only encrypted, in the outbox.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

#[cfg(desktop)]
use ehraz_capture::DeviceCamera;
use ehraz_capture::audio::{
    self, AudioCapture, AudioError, Microphone, VoiceActivity, WavFileSource,
};
use ehraz_capture::device::{self, CameraChoice, CameraError, FormatRequest};
use ehraz_capture::preview::{self, Preview, PreviewFormat, PreviewSettings};
use ehraz_capture::video::{Recorder, VideoSettings};
use ehraz_capture::{
    Camera, FedPixels, FedSource, FeedError, Feeder, Frame, FrameSource, ImageFolderSource,
    LatestFrame, Sampler, SamplerStats, Y4mSource, photo,
};
use ehraz_core::flow::CaptureKind;
use ehraz_core::{CaptureChecks, CaptureTrigger, RecordingChecks};
use ehraz_vision::{Analyzer, Check, I420, Tally, Target, Verdict, check_results};
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
    /// While recording a digits challenge: digit `index` is shown from now on.
    ChallengeDigit {
        /// From 0.
        index: usize,
        /// Media time recorded when it appeared.
        elapsed_ms: u32,
    },
    /// Live guidance: what to tell the person, smoothed, and whether all is right.
    Guidance {
        /// The guidance code (Fluent message `guidance-<code>`).
        code: &'static str,
        /// Every check has passed for a steady moment.
        ready: bool,
    },
    /// While recording: whether someone is speaking, and how much speech so far.
    Voice {
        /// Speech within the last 300 ms.
        speaking: bool,
        /// Speech heard since the recording started.
        speech_ms: u32,
    },
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
    /// Speech heard (voice activity detection) while recording.
    pub speech_ms: u32,
    /// For a sentence challenge, whether at least [`MIN_SPEECH`] of speech was heard while
    /// the sentence was on screen; true for other challenges.
    pub speech_heard: bool,
}

/// The least speech that counts as having read the sentence aloud.
pub const MIN_SPEECH: Duration = Duration::from_millis(1000);

/// What the person is asked to do while recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Nothing.
    None,
    /// Show this many digits with the fingers, one at a time.
    Digits(usize),
    /// Read a sentence aloud.
    Sentence,
}

/// What the recording's prompt came to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PromptRecord {
    /// When each digit appeared, in milliseconds of media time.
    pub digits_shown_at_ms: Vec<u32>,
    /// Speech heard while recording.
    pub speech_ms: u32,
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
        /// What the guidance found when it was taken, if it was running.
        checks: Option<CaptureChecks>,
    },
    /// A video.
    Video {
        /// The MP4 (H.264 and Opus) to upload.
        mp4: Vec<u8>,
        /// The sound alone, 16 kHz mono, for the backend's speech check.
        wav: Vec<u8>,
        /// Its first frame, for the review image.
        poster: Frame,
        /// What its prompt came to.
        prompt: PromptRecord,
        /// What the guidance found when it started and while it ran, if it was running.
        checks: Option<CaptureChecks>,
    },
}

impl Pending {
    /// What the guidance found when it was taken.
    pub fn checks(&self) -> Option<&CaptureChecks> {
        match self {
            Self::Photo { checks, .. } | Self::Video { checks, .. } => checks.as_ref(),
        }
    }

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

/// The id of the webview's own camera: the page captures (`getUserMedia`) and feeds its
/// frames in ([`CaptureState::feed`]). The only camera on phones, where nokhwa has no
/// backend; on a desktop, offered where nokhwa finds no camera but the page does.
pub const WEBVIEW_DEVICE: &str = "webview";

/// The largest side of a fed frame, in pixels.
pub const MAX_FEED_SIDE: u32 = 1920;

/// How often the page feeds frames, about: what the fed camera tells its consumers.
const FEED_RATE: (u32, u32) = (15, 1);

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

fn feed_error(error: &FeedError) -> CommandError {
    let code = match error {
        FeedError::SizeChanged { .. } => "camera_feed_resized",
        FeedError::Length { .. } => "camera_feed_invalid",
        FeedError::Closed => "camera_not_open",
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

fn webview_device() -> Device {
    Device {
        id: WEBVIEW_DEVICE.to_owned(),
        name: WEBVIEW_DEVICE.to_owned(),
        facing: None,
        file: false,
    }
}

/// The device's own cameras, through nokhwa; none on phones.
fn device_cameras() -> Vec<Device> {
    #[cfg(desktop)]
    let found = device::cameras().unwrap_or_default();
    #[cfg(mobile)]
    let found: Vec<device::CameraInfo> = Vec::new();
    found
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
        .collect()
}

/// The cameras there are: the devices; else the webview's, when the page says it has
/// one (`webview_camera`); then the file-backed one if configured. A built-in camera that
/// does not say which way it faces is taken as the front one. The webview's camera is
/// offered only where nokhwa finds none: it would be the same device twice.
pub fn cameras(config: &Config, webview_camera: bool) -> Vec<Device> {
    let mut all = device_cameras();
    if all.is_empty() && webview_camera {
        all.push(webview_device());
    }
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
        None => device_cameras().is_empty() && file.is_some(),
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
    if id == Some(WEBVIEW_DEVICE) {
        return Err(CommandError::new(
            "camera_missing",
            "the webview's camera is opened with the size of its frames",
        ));
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
    #[cfg(desktop)]
    {
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
    #[cfg(mobile)]
    {
        let _ = (choice, want);
        Err(camera_error(&CameraError::NoCamera))
    }
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
    /// The preview sent to the page; none for the webview's camera, whose page shows its
    /// own video.
    preview: Option<Preview>,
    camera: Camera,
    /// The live guidance, for a camera opened for a step.
    guide: Option<Guide>,
    /// Where the page's frames go in, for the webview's camera.
    feeder: Option<Feeder>,
}

impl Drop for OpenCamera {
    fn drop(&mut self) {
        // The camera's thread waits for the next fed frame: the feed must end before the
        // camera is dropped (after this), or dropping it would wait for ever.
        if let Some(feeder) = &self.feeder {
            feeder.close();
        }
    }
}

/// The live guidance of an open camera: its sampler, and what it last found.
struct Guide {
    sampler: Sampler,
    seen: Arc<Mutex<GuideSeen>>,
}

#[derive(Default)]
struct GuideSeen {
    /// Each check's verdict on the newest analysed frame (turned into the manifest's
    /// words only when a capture is taken, not on every frame).
    verdicts: Option<Vec<(Check, Verdict)>>,
    /// Counting while a recording runs.
    tally: Option<Tally>,
}

impl Guide {
    /// Starts analysing `frames` for `target` about fifteen times a second, telling the
    /// page what is shown on each.
    fn start(
        frames: LatestFrame,
        target: Target,
        send: Arc<dyn Fn(CaptureEvent) + Send + Sync>,
    ) -> Result<Self, CommandError> {
        let mirrored = matches!(
            target,
            Target::Selfie | Target::SelfieVideo | Target::SelfieWithCard
        );
        let mut analyzer = Analyzer::new(target, mirrored)
            .map_err(|e| CommandError::new("camera_failed", e.to_string()))?;
        let seen = Arc::new(Mutex::new(GuideSeen::default()));
        let shared = Arc::clone(&seen);
        let sampler = Sampler::start(frames, GUIDANCE_PERIOD, move |frame| {
            let Ok(view) = I420::new(frame.width, frame.height, &frame.data) else {
                return;
            };
            let reading = analyzer.analyse(&view, frame.captured);
            {
                let mut seen = shared.lock().unwrap_or_else(PoisonError::into_inner);
                let verdicts = seen.verdicts.get_or_insert_with(Vec::new);
                verdicts.clear();
                verdicts.extend_from_slice(&reading.assessment.verdicts);
                if let Some(tally) = seen.tally.as_mut() {
                    tally.add(&reading.assessment);
                }
            }
            send(CaptureEvent::Guidance {
                code: reading.shown.guidance.id(),
                ready: reading.shown.ready,
            });
        })
        .map_err(|e| CommandError::new("camera_failed", e.to_string()))?;
        Ok(Self { sampler, seen })
    }

    fn seen(&self) -> MutexGuard<'_, GuideSeen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The checks on the newest analysed frame, for a capture taken by `trigger`.
    fn checks(&self, trigger: CaptureTrigger) -> Option<CaptureChecks> {
        self.seen()
            .verdicts
            .as_deref()
            .map(|verdicts| CaptureChecks {
                trigger,
                results: check_results(verdicts),
                recording: None,
            })
    }
}

/// How often the guidance looks at a frame: about fifteen times a second.
const GUIDANCE_PERIOD: Duration = Duration::from_millis(66);

/// What kind of picture a capture step takes, for the guidance.
pub fn guidance_target(capture: CaptureKind) -> Target {
    match capture {
        CaptureKind::SelfiePhoto => Target::Selfie,
        CaptureKind::SelfieVideo => Target::SelfieVideo,
        CaptureKind::SignaturePhoto | CaptureKind::CommitmentLetterPhoto => Target::Paper,
        CaptureKind::IdentityDocumentPhoto | CaptureKind::BankCardPhoto => Target::Card,
        CaptureKind::SelfieWithDocumentsPhoto => Target::SelfieWithCard,
    }
}

struct OpenRecording {
    recorder: Recorder,
    limit: Duration,
    limit_told: bool,
    prompt: Prompt,
    digits_shown_at_ms: Vec<u32>,
    voice: Listener,
    /// What the guidance found when it started.
    checks_at_start: Option<CaptureChecks>,
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
        if let Prompt::Digits(count) = recording.prompt {
            let elapsed = recording.recorder.elapsed();
            while recording.digits_shown_at_ms.len() < ehraz_core::digits_due(elapsed, count) {
                let elapsed_ms = u32::try_from(elapsed.as_millis()).unwrap_or(u32::MAX);
                send(CaptureEvent::ChallengeDigit {
                    index: recording.digits_shown_at_ms.len(),
                    elapsed_ms,
                });
                // A late tick shows each digit due, one after the other; the times rise.
                let last = recording.digits_shown_at_ms.last().map_or(0, |&t| t + 1);
                recording.digits_shown_at_ms.push(elapsed_ms.max(last));
            }
        }
        let (speaking, speech) = recording.voice.heard();
        send(CaptureEvent::Voice {
            speaking,
            speech_ms: millis_u32(speech),
        });
    }
}

fn millis_u32(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

/// Voice activity on the microphone while recording, on its own thread.
struct Listener {
    heard: Arc<Mutex<(bool, Duration)>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    fn start(chunks: std::sync::mpsc::Receiver<audio::AudioChunk>) -> Self {
        let heard = Arc::new(Mutex::new((false, Duration::ZERO)));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (heard, stop) = (Arc::clone(&heard), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("ehraz-voice".into())
                .spawn(move || {
                    let mut voice = VoiceActivity::new();
                    let tell = |voice: &VoiceActivity| {
                        *heard.lock().unwrap_or_else(PoisonError::into_inner) =
                            (voice.speaking(), voice.speech());
                    };
                    while !stop.load(Ordering::Acquire) {
                        match chunks.recv_timeout(Duration::from_millis(100)) {
                            Ok(chunk) => voice.push(&chunk),
                            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                        }
                        tell(&voice);
                    }
                    // Stopped: what had arrived by then counts too.
                    while let Ok(chunk) = chunks.try_recv() {
                        voice.push(&chunk);
                    }
                    tell(&voice);
                })
                .ok()
        };
        Self {
            heard,
            stop,
            thread,
        }
    }

    /// Whether someone is speaking now, and the speech heard so far.
    fn heard(&self) -> (bool, Duration) {
        *self.heard.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops listening once what has arrived is heard; the speech heard in all.
    fn finish(mut self) -> Duration {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.heard().1
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl CaptureState {
    fn desk(&self) -> MutexGuard<'_, Desk> {
        lock(&self.desk)
    }

    /// Opens a camera, replacing one already open (what waits for review stays), and
    /// starts its preview, and its live guidance for a `target`: each preview message
    /// goes to `send_frame`, events to `send_event`.
    #[allow(clippy::too_many_arguments)]
    pub fn open_camera(
        &self,
        config: &Config,
        device: Option<&str>,
        facing: Facing,
        target: Option<Target>,
        preview_width: u32,
        send_frame: impl FnMut(Vec<u8>) -> bool + Send + 'static,
        send_event: impl Fn(CaptureEvent) + Send + Sync + 'static,
    ) -> Result<CameraOpened, CommandError> {
        self.close_camera();
        let for_video = target == Some(Target::SelfieVideo);
        let (source, device) = open_camera_source(config, device, facing, for_video)?;
        let camera =
            Camera::start(source).map_err(|e| CommandError::new("camera_failed", e.to_string()))?;
        let settings = PreviewSettings {
            max_width: preview_width.clamp(160, 1920),
            format: preview_format(),
            ..PreviewSettings::default()
        };
        let preview = Preview::start(camera.frames().clone(), settings, send_frame)
            .map_err(|e| CommandError::new("camera_failed", e.to_string()))?;
        self.run_camera(camera, device, Some(preview), None, target, send_event)
    }

    /// Opens the webview's camera, fed `width`×`height` frames by the page through
    /// [`Self::feed`], replacing one already open (what waits for review stays), with its
    /// live guidance for a `target`; events go to `send_event`. No preview is sent: the
    /// page shows its own video.
    pub fn open_webview_camera(
        &self,
        facing: Facing,
        target: Option<Target>,
        width: u32,
        height: u32,
        send_event: impl Fn(CaptureEvent) + Send + Sync + 'static,
    ) -> Result<CameraOpened, CommandError> {
        // Refused before the camera already open is touched.
        if !(1..=MAX_FEED_SIDE).contains(&width) || !(1..=MAX_FEED_SIDE).contains(&height) {
            return Err(CommandError::new(
                "camera_feed_invalid",
                format!("a fed camera of {width}×{height} (sides of 1 to {MAX_FEED_SIDE})"),
            ));
        }
        self.close_camera();
        let (source, feeder) = FedSource::new(WEBVIEW_DEVICE, width, height, FEED_RATE)
            .map_err(|e| CommandError::new("camera_feed_invalid", e.to_string()))?;
        let camera =
            Camera::start(source).map_err(|e| CommandError::new("camera_failed", e.to_string()))?;
        let device = Device {
            facing: Some(facing),
            ..webview_device()
        };
        self.run_camera(camera, device, None, Some(feeder), target, send_event)
    }

    /// One frame from the page for the webview's camera: `width`×`height` `pixels`,
    /// checked, converted and handed to the camera. Blocks for the conversion: call it
    /// off the async threads.
    pub fn feed(
        &self,
        width: u32,
        height: u32,
        pixels: FedPixels,
        bytes: &[u8],
    ) -> Result<(), CommandError> {
        // A clone, so the conversion runs outside the desk's lock.
        let feeder = self
            .desk()
            .camera
            .as_ref()
            .and_then(|open| open.feeder.clone())
            .ok_or_else(|| {
                CommandError::new("camera_not_open", "the webview's camera is not open")
            })?;
        feeder
            .push(width, height, pixels, bytes)
            .map_err(|e| feed_error(&e))
    }

    /// Runs an opened camera: its guidance for a `target`, and a watch that tells the
    /// page of failures, levels and progress.
    fn run_camera(
        &self,
        camera: Camera,
        device: Device,
        preview: Option<Preview>,
        feeder: Option<Feeder>,
        target: Option<Target>,
        send_event: impl Fn(CaptureEvent) + Send + Sync + 'static,
    ) -> Result<CameraOpened, CommandError> {
        let info = camera.info().clone();
        let send_event: Arc<dyn Fn(CaptureEvent) + Send + Sync> = Arc::new(send_event);
        let guide = match target
            .map(|target| Guide::start(camera.frames().clone(), target, Arc::clone(&send_event)))
            .transpose()
        {
            Ok(guide) => guide,
            Err(error) => {
                // A fed camera's thread waits for frames: end the feed before it is dropped.
                if let Some(feeder) = &feeder {
                    feeder.close();
                }
                return Err(error);
            }
        };
        let desk = Arc::downgrade(&self.desk);
        let watch = Watch::start(move || {
            let Some(desk) = desk.upgrade() else {
                return false;
            };
            report(&mut lock(&desk), &*send_event);
            true
        });
        let mut desk = self.desk();
        desk.camera = Some(OpenCamera {
            preview,
            camera,
            guide,
            feeder,
        });
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
        if let Some(preview) = self.desk().camera.as_ref().and_then(|o| o.preview.as_ref()) {
            preview.ack(sequence);
        }
    }

    /// The preview's figures so far, if a camera is open.
    pub fn preview_stats(&self) -> Option<preview::PreviewStats> {
        self.desk()
            .camera
            .as_ref()
            .and_then(|open| open.preview.as_ref())
            .map(Preview::stats)
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
            if let Some(preview) = &open.preview {
                report_preview(&preview.stats());
            }
            if let Some(guide) = &open.guide {
                report_guidance(&guide.sampler.stats());
            }
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
    pub fn take_photo(&self, trigger: CaptureTrigger) -> Result<PhotoTaken, CommandError> {
        let (frames, checks) = match &self.desk().camera {
            Some(open) => (
                open.camera.frames().clone(),
                open.guide.as_ref().and_then(|guide| guide.checks(trigger)),
            ),
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
        self.desk().pending = Some(Pending::Photo {
            jpeg,
            frame,
            checks,
        });
        Ok(taken)
    }

    /// Starts recording the camera and the microphone; it stops by itself at `limit`.
    /// While it runs, the page hears when each digit of a digits `prompt` is due, and
    /// whether someone is speaking.
    pub fn start_recording(&self, limit: Duration, prompt: Prompt) -> Result<(), CommandError> {
        let mut desk = self.desk();
        if desk.recording.is_some() {
            return Err(CommandError::new(
                "recording_running",
                "a recording is under way",
            ));
        }
        let (frames, guide, (num, den)) = match &desk.camera {
            Some(open) => (
                open.camera.frames().clone(),
                open.guide.as_ref(),
                open.camera.info().frame_rate,
            ),
            None => return Err(not_open()),
        };
        let checks_at_start = guide.and_then(|guide| {
            guide.seen().tally = Some(Tally::default());
            guide.checks(CaptureTrigger::Shutter)
        });
        let (audio, voice) = match &desk.microphone {
            Some(microphone) => (
                microphone.subscribe(),
                Listener::start(microphone.subscribe()),
            ),
            None => {
                return Err(CommandError::new(
                    "microphone_missing",
                    "open a microphone first",
                ));
            }
        };
        // The encoder's rate control spreads the bitrate over the frames the camera gives:
        // 30 a second from a device, about 15 from the webview's.
        let settings = VideoSettings {
            limit,
            frame_rate: num as f32 / den.max(1) as f32,
            ..VideoSettings::default()
        };
        let recorder = Recorder::start(frames, Some(audio), settings)
            .map_err(|e| CommandError::new("recording_failed", e.to_string()))?;
        desk.recording = Some(OpenRecording {
            recorder,
            limit,
            limit_told: false,
            prompt,
            digits_shown_at_ms: Vec::new(),
            voice,
            checks_at_start,
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
        let OpenRecording {
            recorder,
            prompt,
            mut digits_shown_at_ms,
            voice,
            checks_at_start,
            ..
        } = recording;
        let tally = self
            .desk()
            .camera
            .as_ref()
            .and_then(|open| open.guide.as_ref())
            .and_then(|guide| guide.seen().tally.take());
        let checks = checks_at_start.map(|checks| CaptureChecks {
            recording: tally.map(|tally| RecordingChecks {
                frames: tally.frames,
                failures: tally
                    .failures
                    .into_iter()
                    .map(|(guidance, n)| (guidance.id().to_owned(), n))
                    .collect(),
            }),
            ..checks
        });
        let done = recorder
            .stop()
            .map_err(|e| CommandError::new("recording_failed", e.to_string()))?;
        // The recorder has stopped taking sound: what the listener has by now is all.
        let speech = voice.finish();
        // Digits never shown (a recording stopped early) have no time.
        if let Prompt::Digits(count) = prompt {
            digits_shown_at_ms.truncate(count);
        }
        let wav = audio::wav::speech_wav(&done.audio)
            .map_err(|e| CommandError::new("recording_failed", e.to_string()))?;
        let result = RecordingDone {
            duration_ms: u64::try_from(done.duration.as_millis()).unwrap_or(u64::MAX),
            frames: done.frames,
            dropped: done.dropped,
            video_bytes: done.mp4.len(),
            audio_bytes: wav.len(),
            heard_sound: audio::heard_sound(&done.audio),
            speech_ms: millis_u32(speech),
            speech_heard: prompt != Prompt::Sentence || speech >= MIN_SPEECH,
        };
        self.desk().pending = Some(Pending::Video {
            mp4: done.mp4,
            wav,
            poster: done.poster,
            prompt: PromptRecord {
                digits_shown_at_ms,
                speech_ms: result.speech_ms,
            },
            checks,
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

/// One line on stderr for the preview benchmark: how often the guidance looked, and how
/// long a look took.
fn report_guidance(stats: &SamplerStats) {
    let looked = stats.looked.max(1) as f64;
    eprintln!(
        "ehraz: guidance looked={} per_second={:.1} mean_ms={:.2} longest_ms={:.2}",
        stats.looked,
        stats.per_second(),
        stats.busy.as_secs_f64() * 1000.0 / looked,
        stats.longest.as_secs_f64() * 1000.0,
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
