//! The device's own cameras, through `nokhwa` (V4L2 on Linux, Media Foundation on
//! Windows, AVFoundation on macOS), as a [`crate::FrameSource`] of I420 frames.
//!
//! [`cameras`] lists what is there; [`DeviceCamera::open`] picks one ([`CameraChoice`]),
//! negotiates the format closest to a [`FormatRequest`] ([`choose_format`]), and gives
//! its frames as I420 whatever the camera sends (MJPEG, YUYV, NV12, RGB, BGR, grey: see
//! [`convert`]). The choices are pure functions over lists, tested without a camera.
//!
//! Phones have no nokhwa backend: there the webview captures and feeds frames in from
//! outside, so the nokhwa part is built for Linux, Windows and macOS only.

pub mod convert;
#[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
mod native;

#[cfg(any(target_os = "linux", target_os = "windows", target_os = "macos"))]
pub use native::{DeviceCamera, cameras, request_permission};

use std::io;

use thiserror::Error;

use crate::CaptureError;

/// Which way a camera looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facing {
    /// At the person holding the device (a selfie camera).
    Front,
    /// Away from them.
    Back,
}

/// A camera the device has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraInfo {
    /// How to ask for it again ([`CameraChoice::ById`]): the platform's index as a string.
    pub id: String,
    /// Its name, for people.
    pub name: String,
    /// Which way it looks, when the platform says (macOS may; Linux and Windows do not,
    /// so the app treats a laptop's built-in camera as the front one).
    pub facing: Option<Facing>,
}

/// Which camera to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraChoice {
    /// The camera with this [`CameraInfo::id`].
    ById(String),
    /// The first camera whose name is this (ignoring case), else the first whose name
    /// contains it.
    ByName(String),
    /// The first camera looking this way; when no camera says which way it looks (a
    /// desktop), the first camera.
    Facing(Facing),
    /// The first camera.
    First,
}

/// How a camera lays out its frames' bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DevicePixels {
    /// A JPEG per frame.
    Mjpeg,
    /// Packed YUV 4:2:2: Y0 U Y1 V.
    Yuyv,
    /// The Y plane, then U and V interleaved at half width and height.
    Nv12,
    /// Packed 8-bit red, green, blue.
    Rgb,
    /// Packed 8-bit blue, green, red.
    Bgr,
    /// 8-bit greys.
    Gray,
}

impl DevicePixels {
    /// Preference among layouts a camera offers at the same size and rate: raw YUV needs
    /// no decoding, MJPEG does, RGB costs the most bandwidth, grey has no colour.
    fn rank(self) -> u8 {
        match self {
            Self::Nv12 => 0,
            Self::Yuyv => 1,
            Self::Mjpeg => 2,
            Self::Rgb | Self::Bgr => 3,
            Self::Gray => 4,
        }
    }
}

/// One format a camera offers: a size, a rate and a layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeviceFormat {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frames per second.
    pub frame_rate: u32,
    /// How the bytes are laid out.
    pub pixels: DevicePixels,
}

/// The format to ask a camera for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatRequest {
    /// The size nearest this one at a rate near this one (see [`choose_format`]).
    Closest {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Frames per second.
        frame_rate: u32,
    },
    /// The largest picture the camera gives, at its best rate for that size: for stills.
    Largest,
}

impl FormatRequest {
    /// 1280×720 at 30 frames a second: preview, guidance and video.
    pub const VIDEO: Self = Self::Closest {
        width: 1280,
        height: 720,
        frame_rate: 30,
    };
}

/// A camera could not be listed, opened or read. The app maps each variant to a message
/// for the person; the strings are details for logs.
#[derive(Debug, Error)]
pub enum CameraError {
    /// The device has no camera.
    #[error("no camera")]
    NoCamera,
    /// No camera is the one asked for, or it went away.
    #[error("camera not found: {0}")]
    NotFound(String),
    /// Another program is using the camera.
    #[error("the camera is busy: {0}")]
    Busy(String),
    /// The system or the person did not allow the camera.
    #[error("the camera is not allowed: {0}")]
    Denied(String),
    /// The camera offers nothing this crate can read.
    #[error("unsupported camera: {0}")]
    Unsupported(String),
    /// Any other failure of the device or the system.
    #[error("camera I/O: {0}")]
    Io(#[from] io::Error),
}

impl CameraError {
    /// The error a platform's message stands for. nokhwa hands its backends' errors on as
    /// text only, so the OS error behind it is read back from that text: errno values for
    /// V4L2, HRESULTs for Media Foundation, words for AVFoundation.
    pub fn from_message(message: String) -> Self {
        let lower = message.to_lowercase();
        let any = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
        if any(&[
            "os error 16",
            "device or resource busy",
            "0x800700aa",
            "0xc00d3704",
            "resource is in use",
        ]) {
            Self::Busy(message)
        } else if any(&[
            "os error 13",
            "os error 1)",
            "permission denied",
            "operation not permitted",
            "0x80070005",
            "access is denied",
            "not authorized",
        ]) {
            Self::Denied(message)
        } else if any(&[
            "os error 2)",
            "os error 19",
            "os error 6)",
            "no such file",
            "no such device",
            "0xc00d36d5",
        ]) {
            Self::NotFound(message)
        } else {
            Self::Io(io::Error::other(message))
        }
    }
}

impl From<CameraError> for CaptureError {
    fn from(error: CameraError) -> Self {
        let kind = match &error {
            CameraError::NoCamera | CameraError::NotFound(_) => io::ErrorKind::NotFound,
            CameraError::Busy(_) => io::ErrorKind::ResourceBusy,
            CameraError::Denied(_) => io::ErrorKind::PermissionDenied,
            CameraError::Unsupported(_) | CameraError::Io(_) => io::ErrorKind::Other,
        };
        match error {
            CameraError::Io(e) => Self::Io(e),
            CameraError::Unsupported(why) => Self::Unsupported(why),
            other => Self::Io(io::Error::new(kind, other)),
        }
    }
}

/// The camera `choice` names among `cameras`.
pub fn choose_camera<'a>(
    cameras: &'a [CameraInfo],
    choice: &CameraChoice,
) -> Result<&'a CameraInfo, CameraError> {
    let first = cameras.first().ok_or(CameraError::NoCamera)?;
    let found = match choice {
        CameraChoice::First => Some(first),
        CameraChoice::ById(id) => cameras.iter().find(|c| &c.id == id),
        CameraChoice::ByName(name) => {
            let name = name.to_lowercase();
            cameras
                .iter()
                .find(|c| c.name.to_lowercase() == name)
                .or_else(|| {
                    cameras
                        .iter()
                        .find(|c| c.name.to_lowercase().contains(&name))
                })
        }
        CameraChoice::Facing(facing) => {
            if cameras.iter().all(|c| c.facing.is_none()) {
                Some(first)
            } else {
                cameras.iter().find(|c| c.facing == Some(*facing))
            }
        }
    };
    found.ok_or_else(|| CameraError::NotFound(format!("{choice:?}")))
}

/// The format to open among those a camera `offered`, `None` if it offered none.
///
/// For [`FormatRequest::Closest`]: first a rate of at least three quarters of the one
/// asked for (so 720p at 5 frames a second loses to 960×540 at 30, but 25 passes for
/// 30), then the size nearest the one asked for (the sum of the sides' differences),
/// then the rate nearest, then the layout cheapest to read (NV12, YUYV, MJPEG, RGB,
/// grey). For [`FormatRequest::Largest`]: the most pixels, then the highest rate, then
/// the layout.
pub fn choose_format(offered: &[DeviceFormat], want: FormatRequest) -> Option<DeviceFormat> {
    match want {
        FormatRequest::Closest {
            width,
            height,
            frame_rate,
        } => offered.iter().copied().min_by_key(|f| {
            (
                u64::from(f.frame_rate) * 4 < u64::from(frame_rate) * 3,
                f.width.abs_diff(width) + f.height.abs_diff(height),
                f.frame_rate.abs_diff(frame_rate),
                f.pixels.rank(),
            )
        }),
        FormatRequest::Largest => offered.iter().copied().min_by_key(|f| {
            (
                std::cmp::Reverse(u64::from(f.width) * u64::from(f.height)),
                std::cmp::Reverse(f.frame_rate),
                f.pixels.rank(),
            )
        }),
    }
}

/// Which way a camera looks, from the description macOS gives through nokhwa
/// ("maker: model - type, Front f1.8"); `None` where it does not say.
fn facing_in(description: &str) -> Option<Facing> {
    if description.contains(", Front ") {
        Some(Facing::Front)
    } else if description.contains(", Back ") {
        Some(Facing::Back)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_facing_is_read_from_a_macos_description_only() {
        assert_eq!(
            facing_in(
                "Apple Inc.: iPhone15,2 - AVCaptureDeviceTypeBuiltInWideAngleCamera, Front f1.9"
            ),
            Some(Facing::Front)
        );
        assert_eq!(
            facing_in("Apple Inc.: x - AVCaptureDeviceTypeBuiltInUltraWideCamera, Back f2.2"),
            Some(Facing::Back)
        );
        assert_eq!(
            facing_in("Apple Inc.: FaceTime HD - BuiltIn, Unspecified f2.4"),
            None
        );
        assert_eq!(facing_in("Video4Linux Device @ /dev/video0"), None);
    }
}
