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

    fn format(width: u32, height: u32, frame_rate: u32, pixels: DevicePixels) -> DeviceFormat {
        DeviceFormat {
            width,
            height,
            frame_rate,
            pixels,
        }
    }

    #[test]
    fn the_facing_is_read_from_a_macos_description_only() {
        assert_eq!(
            facing_in("Apple Inc.: iPhone15,2 - AVCaptureDeviceTypeBuiltInWideAngleCamera, Front f1.9"),
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

    #[test]
    fn a_usb2_webcam_gives_720p_as_mjpeg_at_30_rather_than_yuyv_at_10() {
        use DevicePixels::{Mjpeg, Yuyv};
        let offered = [
            format(640, 480, 30, Yuyv),
            format(1280, 720, 10, Yuyv),
            format(1920, 1080, 5, Yuyv),
            format(640, 480, 30, Mjpeg),
            format(1280, 720, 30, Mjpeg),
            format(1920, 1080, 30, Mjpeg),
        ];
        assert_eq!(
            choose_format(&offered, FormatRequest::VIDEO),
            Some(format(1280, 720, 30, Mjpeg))
        );
        assert_eq!(
            choose_format(&offered, FormatRequest::Largest),
            Some(format(1920, 1080, 30, Mjpeg))
        );
    }

    #[test]
    fn closeness_takes_rate_then_size_then_layout() {
        use DevicePixels::{Gray, Mjpeg, Nv12, Rgb, Yuyv};
        // Only slow 720p: a smaller size at full rate wins; 25 counts as near 30.
        let slow = [
            format(1280, 720, 5, Nv12),
            format(960, 540, 30, Mjpeg),
            format(1920, 1080, 25, Mjpeg),
        ];
        assert_eq!(
            choose_format(&slow, FormatRequest::VIDEO),
            Some(format(960, 540, 30, Mjpeg))
        );
        let european = [format(1280, 720, 25, Mjpeg), format(1920, 1080, 30, Mjpeg)];
        assert_eq!(
            choose_format(&european, FormatRequest::VIDEO),
            Some(format(1280, 720, 25, Mjpeg))
        );
        // The same size and rate in every layout: NV12 first, grey last.
        let layouts = [
            format(1280, 720, 30, Gray),
            format(1280, 720, 30, Rgb),
            format(1280, 720, 30, Mjpeg),
            format(1280, 720, 30, Yuyv),
            format(1280, 720, 30, Nv12),
        ];
        assert_eq!(
            choose_format(&layouts, FormatRequest::VIDEO),
            Some(format(1280, 720, 30, Nv12))
        );
        assert_eq!(
            choose_format(&layouts[..3], FormatRequest::VIDEO),
            Some(format(1280, 720, 30, Mjpeg))
        );
        // Of two rates at the asked size, the nearer.
        let rates = [format(1280, 720, 60, Yuyv), format(1280, 720, 24, Yuyv)];
        assert_eq!(
            choose_format(&rates, FormatRequest::VIDEO),
            Some(format(1280, 720, 24, Yuyv))
        );
        assert_eq!(choose_format(&[], FormatRequest::VIDEO), None);
        assert_eq!(choose_format(&[], FormatRequest::Largest), None);
    }

    #[test]
    fn the_largest_picture_wins_then_its_best_rate() {
        use DevicePixels::{Mjpeg, Yuyv};
        let offered = [
            format(2592, 1944, 2, Yuyv),
            format(2592, 1944, 15, Mjpeg),
            format(1920, 1080, 30, Mjpeg),
        ];
        assert_eq!(
            choose_format(&offered, FormatRequest::Largest),
            Some(format(2592, 1944, 15, Mjpeg))
        );
    }

    fn camera(id: &str, name: &str, facing: Option<Facing>) -> CameraInfo {
        CameraInfo {
            id: id.into(),
            name: name.into(),
            facing,
        }
    }

    #[test]
    fn a_camera_is_chosen_by_id_name_facing_or_first() {
        let desk = [
            camera("0", "Integrated Camera: Integrated C", None),
            camera("2", "HD Pro Webcam C920", None),
        ];
        let pick = |choice| choose_camera(&desk, &choice).map(|c| c.id.clone());
        assert_eq!(pick(CameraChoice::First).expect("first"), "0");
        assert_eq!(pick(CameraChoice::ById("2".into())).expect("id"), "2");
        assert_eq!(pick(CameraChoice::ByName("c920".into())).expect("name"), "2");
        // A desktop says nothing of facing: any facing is the first camera.
        assert_eq!(pick(CameraChoice::Facing(Facing::Front)).expect("front"), "0");
        assert!(matches!(
            pick(CameraChoice::ById("1".into())),
            Err(CameraError::NotFound(_))
        ));
        assert!(matches!(
            pick(CameraChoice::ByName("Brio".into())),
            Err(CameraError::NotFound(_))
        ));

        let phone = [
            camera("0", "Back Camera", Some(Facing::Back)),
            camera("1", "Front Camera", Some(Facing::Front)),
        ];
        let pick = |choice| choose_camera(&phone, &choice).map(|c| c.id.clone());
        assert_eq!(pick(CameraChoice::Facing(Facing::Front)).expect("front"), "1");
        assert_eq!(pick(CameraChoice::Facing(Facing::Back)).expect("back"), "0");
        // An exact name beats one that merely contains it.
        let named = [camera("0", "Camera 10", None), camera("1", "camera 1", None)];
        assert_eq!(
            choose_camera(&named, &CameraChoice::ByName("Camera 1".into()))
                .expect("exact")
                .id,
            "1"
        );
        let only_back = [camera("0", "Back Camera", Some(Facing::Back))];
        assert!(matches!(
            choose_camera(&only_back, &CameraChoice::Facing(Facing::Front)),
            Err(CameraError::NotFound(_))
        ));
        assert!(matches!(
            choose_camera(&[], &CameraChoice::First),
            Err(CameraError::NoCamera)
        ));
        assert!(matches!(
            choose_camera(&[], &CameraChoice::ById("0".into())),
            Err(CameraError::NoCamera)
        ));
    }

    #[test]
    fn platform_messages_map_to_what_the_person_is_told() {
        let of = |m: &str| CameraError::from_message(m.to_owned());
        // What nokhwa's V4L2 backend says, with the errno's text from std.
        assert!(matches!(
            of("Could not open device 0: V4L2 Error: Device or resource busy (os error 16)"),
            CameraError::Busy(_)
        ));
        assert!(matches!(
            of("Could not set device property Resolution, FrameFormat with value 1280x720@30FPS, \
                MJPEG: Device or resource busy (os error 16)"),
            CameraError::Busy(_)
        ));
        assert!(matches!(
            of("Could not open device 0: V4L2 Error: Permission denied (os error 13)"),
            CameraError::Denied(_)
        ));
        assert!(matches!(
            of("Could not open device 3: V4L2 Error: No such file or directory (os error 2)"),
            CameraError::NotFound(_)
        ));
        assert!(matches!(
            of("Could not capture frame: No such device (os error 19)"),
            CameraError::NotFound(_)
        ));
        // Media Foundation's HRESULTs.
        assert!(matches!(
            of("Could not open device stream: Access is denied. (0x80070005)"),
            CameraError::Denied(_)
        ));
        assert!(matches!(
            of("Could not open device stream: The video recording device is already in use \
                (0xC00D3704)"),
            CameraError::Busy(_)
        ));
        // Not "os error 21" mistaken for "os error 2".
        match of("Could not capture frame: Is a directory (os error 21)") {
            CameraError::Io(e) => assert!(e.to_string().contains("os error 21")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn camera_errors_keep_their_kind_when_a_source_fails() {
        let kind = |e: CameraError| match CaptureError::from(e) {
            CaptureError::Io(e) => Some(e.kind()),
            _ => None,
        };
        assert_eq!(
            kind(CameraError::Busy("x".into())),
            Some(io::ErrorKind::ResourceBusy)
        );
        assert_eq!(
            kind(CameraError::Denied("x".into())),
            Some(io::ErrorKind::PermissionDenied)
        );
        assert_eq!(kind(CameraError::NoCamera), Some(io::ErrorKind::NotFound));
        assert!(matches!(
            CaptureError::from(CameraError::Unsupported("grey".into())),
            CaptureError::Unsupported(w) if w == "grey"
        ));
    }
}
