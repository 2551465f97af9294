//! Ehraz's capture room: where frames come from and how they reach their consumers.
//!
//! A [`FrameSource`] gives frames one after the other at its own pace: a camera of the
//! device ([`device`]), the file-backed [`Y4mSource`] that plays a YUV4MPEG2 file at its
//! real frame rate, or the [`ImageFolderSource`] that plays a folder of pictures, for
//! tests, demos and machines without a camera, or the [`FedSource`] whose frames are
//! pushed in from outside (the webview's camera on phones). A [`Camera`] runs a source on its own
//! thread and publishes each frame to a [`LatestFrame`]: consumers always get the newest
//! frame, so a slow consumer (a preview, an analysis) never builds a queue behind it.
//! [`photo`] turns a frame into an upright JPEG with nothing in it but the picture.
//! [`preview`] makes frames small for the screen, paced by the page. [`audio`] is the
//! sound side: the microphone, a file-backed one, levels and the speech WAV.
//! [`video`] records frames and sound into an MP4 (H.264 and Opus) held in memory. A
//! [`Sampler`] hands the newest frame to an analysis at its own rate.

pub mod audio;
pub mod clock;
pub mod device;
mod fed;
mod frame;
mod image_folder;
mod latest;
pub mod photo;
pub mod preview;
mod sampler;
pub mod video;
mod y4m_source;

#[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
pub use device::DeviceCamera;
pub use fed::{FedPixels, FedSource, FeedError, Feeder};
pub use frame::{Frame, PixelFormat, SourceInfo};
pub use image_folder::ImageFolderSource;
pub use latest::{Camera, LatestFrame};
pub use sampler::{Sampler, SamplerStats};
pub use y4m_source::Y4mSource;

use thiserror::Error;

/// A source failed.
#[derive(Debug, Error)]
pub enum CaptureError {
    /// Reading the device or file failed.
    #[error("capture I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a stream this source can play.
    #[error("unsupported stream: {0}")]
    Unsupported(String),
    /// The file ended and the source does not loop.
    #[error("the stream ended")]
    Ended,
}

/// Where frames come from. `next_frame` blocks until the next frame is due.
pub trait FrameSource: Send {
    /// What the source gives.
    fn info(&self) -> SourceInfo;
    /// The next frame, when it is due.
    fn next_frame(&mut self) -> Result<Frame, CaptureError>;
}

/// A source chosen at run time (a device, a file) is a source too.
impl FrameSource for Box<dyn FrameSource> {
    fn info(&self) -> SourceInfo {
        (**self).info()
    }

    fn next_frame(&mut self) -> Result<Frame, CaptureError> {
        (**self).next_frame()
    }
}
