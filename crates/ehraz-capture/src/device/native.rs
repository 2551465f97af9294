//! The nokhwa backend. nokhwa's camera is neither `Send` nor safe to stop from another
//! thread on every platform, so each [`DeviceCamera`] keeps it on a thread of its own that
//! opens it, reads raw frames, and closes it; frames cross to the reader through a
//! one-frame channel, and are converted to I420 on the reader's side, so reading the next
//! frame from the device overlaps converting this one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use nokhwa::NokhwaError;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};

use super::convert::{self, ConvertError};
use super::{
    CameraChoice, CameraError, CameraInfo, DeviceFormat, DevicePixels, FormatRequest,
    choose_camera, choose_format, facing_in,
};
use crate::{CaptureError, Frame, FrameSource, PixelFormat, SourceInfo, clock};

/// Every layout this crate reads.
const READABLE: [FrameFormat; 6] = [
    FrameFormat::NV12,
    FrameFormat::YUYV,
    FrameFormat::MJPEG,
    FrameFormat::RAWRGB,
    FrameFormat::RAWBGR,
    FrameFormat::GRAY,
];

/// Frames in a row that may fail to convert (a torn MJPEG frame after a USB hiccup)
/// before the camera is given up as unreadable.
const BAD_FRAMES_IN_A_ROW: u32 = 30;

/// The cameras the device has, in the platform's order. An empty list when there are
/// none. On Linux every `/dev/video*` capture node is listed, which may include a USB
/// camera's metadata node that cannot be opened.
pub fn cameras() -> Result<Vec<CameraInfo>, CameraError> {
    Ok(native_cameras()?
        .into_iter()
        .map(|(info, _)| info)
        .collect())
}

/// Asks the system for camera access where it must be asked (macOS shows its prompt);
/// `on_done` hears whether it was granted. Elsewhere it is granted at once.
pub fn request_permission(on_done: impl Fn(bool) + Send + Sync + 'static) {
    nokhwa::nokhwa_initialize(on_done);
}

fn native_cameras() -> Result<Vec<(CameraInfo, CameraIndex)>, CameraError> {
    if !nokhwa::nokhwa_check() {
        return Err(CameraError::Denied(
            "camera access has not been granted".into(),
        ));
    }
    let listed = nokhwa::query(ApiBackend::Auto).map_err(|e| classify(&e))?;
    Ok(listed
        .into_iter()
        .map(|camera| {
            let info = CameraInfo {
                id: camera.index().as_string(),
                name: camera.human_name(),
                facing: facing_in(camera.description()),
            };
            (info, camera.index().clone())
        })
        .collect())
}

fn classify(error: &NokhwaError) -> CameraError {
    CameraError::from_message(error.to_string())
}

/// A raw frame as the device gave it, and when.
struct RawFrame {
    data: Vec<u8>,
    captured: Duration,
}

/// A camera of the device as a [`FrameSource`]: I420 frames stamped on the
/// [`crate::clock`] as they arrive from the device. Dropping it stops the stream and
/// closes the device (it waits for the frame being read, a frame time at most).
///
/// It streams in the one format negotiated at [`open`](Self::open). For a still at the
/// camera's full size, drop the preview camera and open again with
/// [`FormatRequest::Largest`], then again with [`FormatRequest::VIDEO`]: a device streams
/// one format at a time, and V4L2 refuses a second stream while one runs.
pub struct DeviceCamera {
    info: SourceInfo,
    format: DeviceFormat,
    raw: Option<Receiver<Result<RawFrame, CameraError>>>,
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<()>>,
    sequence: u64,
}

impl std::fmt::Debug for DeviceCamera {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceCamera")
            .field("info", &self.info)
            .field("format", &self.format)
            .field("sequence", &self.sequence)
            .finish_non_exhaustive()
    }
}

impl DeviceCamera {
    /// Opens the camera `choice` names, in the format nearest `want` (see
    /// [`choose_format`]), and starts it streaming; the first frame has arrived when
    /// this returns, so a camera that is busy or refused says so here.
    pub fn open(choice: &CameraChoice, want: FormatRequest) -> Result<Self, CameraError> {
        let listed = native_cameras()?;
        let infos: Vec<CameraInfo> = listed.iter().map(|(info, _)| info.clone()).collect();
        let chosen = choose_camera(&infos, choice)?;
        let name = chosen.name.clone();
        let index = listed
            .iter()
            .find(|(info, _)| info.id == chosen.id)
            .map(|(_, index)| index.clone())
            .ok_or_else(|| CameraError::NotFound(chosen.id.clone()))?;

        let (ready_tx, ready_rx) = sync_channel(1);
        let (frame_tx, frame_rx) = sync_channel(1);
        let stop = Arc::new(AtomicBool::new(false));
        let worker = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("ehraz-device-camera".into())
                .spawn(move || stream(&index, want, &ready_tx, &frame_tx, &stop))?
        };
        let format = match ready_rx.recv() {
            Ok(Ok(format)) => format,
            Ok(Err(error)) => {
                let _ = worker.join();
                return Err(error);
            }
            Err(mpsc::RecvError) => {
                let _ = worker.join();
                return Err(CameraError::Io(std::io::Error::other(
                    "the camera's thread ended while opening it",
                )));
            }
        };
        Ok(Self {
            info: SourceInfo {
                name,
                width: format.width,
                height: format.height,
                frame_rate: (format.frame_rate, 1),
                format: PixelFormat::I420,
            },
            format,
            raw: Some(frame_rx),
            stop,
            worker: Some(worker),
            sequence: 0,
        })
    }

    /// The format the camera streams in.
    pub fn device_format(&self) -> DeviceFormat {
        self.format
    }
}

/// The camera's thread: open, report the format (or why not), then pass raw frames on
/// until told to stop or nobody listens.
fn stream(
    index: &CameraIndex,
    want: FormatRequest,
    ready: &SyncSender<Result<DeviceFormat, CameraError>>,
    frames: &SyncSender<Result<RawFrame, CameraError>>,
    stop: &AtomicBool,
) {
    let opened = open_streaming(index, want);
    let (mut camera, format, first) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            let _ = ready.send(Err(error));
            return;
        }
    };
    if ready.send(Ok(format)).is_err() || frames.send(Ok(first)).is_err() {
        return;
    }
    while !stop.load(Ordering::Acquire) {
        let raw = read(&mut camera);
        let failed = raw.is_err();
        if frames.send(raw).is_err() || failed {
            break;
        }
    }
    // Dropping nokhwa's camera stops the stream and closes the device.
}

fn open_streaming(
    index: &CameraIndex,
    want: FormatRequest,
) -> Result<(nokhwa::Camera, DeviceFormat, RawFrame), CameraError> {
    let any = RequestedFormat::with_formats(RequestedFormatType::None, &READABLE);
    let mut camera = nokhwa::Camera::new(index.clone(), any).map_err(|e| classify(&e))?;
    let offered: Vec<DeviceFormat> = camera
        .compatible_camera_formats()
        .map_err(|e| classify(&e))?
        .into_iter()
        .map(from_nokhwa)
        .collect();
    let chosen = choose_format(&offered, want).ok_or_else(|| {
        CameraError::Unsupported("the camera offers no format this app reads".into())
    })?;
    let exact = CameraFormat::new(
        Resolution::new(chosen.width, chosen.height),
        to_nokhwa(chosen.pixels),
        chosen.frame_rate,
    );
    camera
        .set_camera_requset(RequestedFormat::with_formats(
            RequestedFormatType::Exact(exact),
            &READABLE,
        ))
        .map_err(|e| classify(&e))?;
    camera.open_stream().map_err(|e| classify(&e))?;
    // V4L2 starts streaming at the first read: a busy device tells only then.
    let first = read(&mut camera)?;
    let streaming = from_nokhwa(camera.camera_format());
    Ok((camera, streaming, first))
}

fn read(camera: &mut nokhwa::Camera) -> Result<RawFrame, CameraError> {
    let data = camera.frame_raw().map_err(|e| classify(&e))?.into_owned();
    Ok(RawFrame {
        data,
        captured: clock::now(),
    })
}

fn from_nokhwa(format: CameraFormat) -> DeviceFormat {
    DeviceFormat {
        width: format.width(),
        height: format.height(),
        frame_rate: format.frame_rate(),
        pixels: match format.format() {
            FrameFormat::MJPEG => DevicePixels::Mjpeg,
            FrameFormat::YUYV => DevicePixels::Yuyv,
            FrameFormat::NV12 => DevicePixels::Nv12,
            FrameFormat::GRAY => DevicePixels::Gray,
            FrameFormat::RAWRGB => DevicePixels::Rgb,
            FrameFormat::RAWBGR => DevicePixels::Bgr,
        },
    }
}

fn to_nokhwa(pixels: DevicePixels) -> FrameFormat {
    match pixels {
        DevicePixels::Mjpeg => FrameFormat::MJPEG,
        DevicePixels::Yuyv => FrameFormat::YUYV,
        DevicePixels::Nv12 => FrameFormat::NV12,
        DevicePixels::Gray => FrameFormat::GRAY,
        DevicePixels::Rgb => FrameFormat::RAWRGB,
        DevicePixels::Bgr => FrameFormat::RAWBGR,
    }
}

impl FrameSource for DeviceCamera {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    fn next_frame(&mut self) -> Result<Frame, CaptureError> {
        let mut bad: Option<ConvertError> = None;
        for _ in 0..BAD_FRAMES_IN_A_ROW {
            let raw = self
                .raw
                .as_ref()
                .and_then(|raw| raw.recv().ok())
                .ok_or_else(|| CameraError::NotFound("the camera stopped".into()))??;
            let f = self.format;
            match convert::to_i420(f.pixels, f.width, f.height, &raw.data) {
                Ok(picture) => {
                    let frame = Frame {
                        width: picture.width,
                        height: picture.height,
                        format: PixelFormat::I420,
                        data: picture.data.into(),
                        captured: raw.captured,
                        sequence: self.sequence,
                    };
                    self.sequence += 1;
                    return Ok(frame);
                }
                Err(error) => bad = Some(error),
            }
        }
        Err(CaptureError::Unsupported(format!(
            "{BAD_FRAMES_IN_A_ROW} frames in a row could not be read: {}",
            bad.map_or_else(String::new, |e| e.to_string())
        )))
    }
}

impl Drop for DeviceCamera {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // With no receiver, a thread waiting to hand a frame over stops at once.
        drop(self.raw.take());
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
