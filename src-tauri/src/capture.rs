//! The capture desk: the camera open for the current step, its preview on the way to the
//! page, and what was taken, waiting in memory for the person's review. Nothing taken
//! touches the disk until it is accepted, and then only encrypted, in the outbox.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use ehraz_capture::preview::{self, Preview, PreviewFormat, PreviewSettings};
use ehraz_capture::{Camera, Frame, FrameSource, Y4mSource, photo};
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

/// A camera the person can choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CameraDevice {
    /// Stable id to open it by.
    pub id: String,
    /// Its name, as the system gives it.
    pub name: String,
    /// Which way it faces, when known.
    pub facing: Option<Facing>,
    /// A file-backed camera.
    pub file: bool,
}

/// A camera as it opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CameraOpened {
    /// Which one.
    pub device: CameraDevice,
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
        /// A command error code (`camera_failed`).
        code: &'static str,
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

/// What was taken and waits for the person's review.
#[derive(Debug)]
pub enum Pending {
    /// A photo: the JPEG to upload and the frame it came from (for the review image).
    Photo {
        /// The JPEG.
        jpeg: Vec<u8>,
        /// The frame.
        frame: Frame,
    },
}

impl Pending {
    /// The frame a review image is made from.
    pub fn frame(&self) -> &Frame {
        match self {
            Self::Photo { frame, .. } => frame,
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

/// The cameras there are: the devices, then the file-backed one if configured.
pub fn cameras(config: &Config) -> Vec<CameraDevice> {
    let mut all = Vec::new();
    if let Some(path) = &config.camera_file {
        all.push(file_camera(path));
    }
    all
}

fn file_camera(path: &Path) -> CameraDevice {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    CameraDevice {
        id: FILE_DEVICE.to_owned(),
        name,
        facing: None,
        file: true,
    }
}

/// Opens the chosen camera (by id; else the first facing `facing`; else the first).
fn open_source(
    config: &Config,
    device: Option<&str>,
    facing: Facing,
) -> Result<(Box<dyn FrameSource>, CameraDevice), CommandError> {
    let all = cameras(config);
    let chosen = match device {
        Some(id) => all.iter().find(|d| d.id == id).ok_or_else(|| {
            CommandError::new("camera_missing", format!("no camera with id {id}"))
        })?,
        None => all
            .iter()
            .find(|d| d.facing == Some(facing))
            .or_else(|| all.first())
            .ok_or_else(|| CommandError::new("camera_missing", "no camera found"))?,
    };
    let path = config
        .camera_file
        .as_deref()
        .filter(|_| chosen.file)
        .ok_or_else(|| CommandError::new("camera_missing", "no camera found"))?;
    let source = Y4mSource::open(path, true)
        .map_err(|e| CommandError::new("camera_failed", format!("{}: {e}", path.display())))?;
    Ok((Box::new(source), chosen.clone()))
}

struct OpenCamera {
    // Dropped in order: the watch, the preview, then the camera (releasing the device).
    _watch: Watch,
    preview: Preview,
    camera: Camera,
}

#[derive(Default)]
struct Desk {
    camera: Option<OpenCamera>,
    pending: Option<Pending>,
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

impl CaptureState {
    fn desk(&self) -> MutexGuard<'_, Desk> {
        self.desk.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens a camera, closing one already open, and starts its preview: each message
    /// goes to `send_frame`, events to `send_event`.
    pub fn open_camera(
        &self,
        config: &Config,
        device: Option<&str>,
        facing: Facing,
        preview_width: u32,
        send_frame: impl FnMut(Vec<u8>) -> bool + Send + 'static,
        send_event: impl Fn(CaptureEvent) + Send + 'static,
    ) -> Result<CameraOpened, CommandError> {
        self.close_camera();
        let (source, device) = open_source(config, device, facing)?;
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
        let frames = camera.frames().clone();
        let watch = Watch::start(move || {
            if frames.failure().is_some() {
                send_event(CaptureEvent::CameraFailed {
                    code: "camera_failed",
                });
                return false;
            }
            true
        });
        let (num, den) = info.frame_rate;
        self.desk().camera = Some(OpenCamera {
            _watch: watch,
            preview,
            camera,
        });
        Ok(CameraOpened {
            device,
            width: info.width,
            height: info.height,
            frame_rate: if den == 0 { 0 } else { (num + den / 2) / den },
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

    /// Stops the camera and its preview; nothing if none is open.
    pub fn close_camera(&self) {
        let open = self.desk().camera.take();
        // Joined outside the lock: the preview's thread may be waiting to send.
        drop(open);
    }

    /// Takes a photo from the newest frame, at the camera's full resolution, and keeps it
    /// for review. Blocks for the JPEG encoding: call it off the async threads.
    pub fn take_photo(&self) -> Result<PhotoTaken, CommandError> {
        let frames = match &self.desk().camera {
            Some(open) => open.camera.frames().clone(),
            None => return Err(CommandError::new("camera_not_open", "open a camera first")),
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

    /// Hands over what waits for review (to attach it); `put_back` returns it if that
    /// failed, so nothing is lost.
    pub fn take_pending(&self) -> Result<Pending, CommandError> {
        self.desk().pending.take().ok_or_else(nothing_pending)
    }

    /// Returns what could not be attached.
    pub fn put_back(&self, pending: Pending) {
        self.desk().pending = Some(pending);
    }
}

fn nothing_pending() -> CommandError {
    CommandError::new("nothing_taken", "nothing waits for review")
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
