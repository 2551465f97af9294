//! Stills: a frame turned into a JPEG that carries nothing but the picture (no EXIF, no
//! comment, no thumbnail) and stays under a size bound, by stepping the quality down.
//! A still from a phone held sideways is turned upright in the pixels themselves
//! ([`jpeg_oriented`]), since the photo carries no orientation tag to do it for the viewer.

use jpeg_encoder::{ColorType, Encoder};
use thiserror::Error;

use crate::{Frame, PixelFormat};

/// The largest photo the app sends, in bytes.
pub const MAX_PHOTO_BYTES: usize = 600 * 1024;
/// The quality a photo is tried at first.
pub const START_QUALITY: u8 = 90;
/// The lowest quality tried before giving up.
pub const MIN_QUALITY: u8 = 50;

/// A photo could not be made.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum PhotoError {
    /// The frame's bytes do not match its size and format.
    #[error("the frame holds {actual} bytes, {expected} expected")]
    FrameSize {
        /// What the size and format need.
        expected: usize,
        /// What the frame holds.
        actual: usize,
    },
    /// The encoder refused.
    #[error("JPEG encoding failed: {0}")]
    Encoding(String),
    /// Even at the lowest quality the photo is over the bound.
    #[error("the photo is {0} bytes at the lowest quality")]
    TooLarge(usize),
}

/// A JPEG of the frame, unmirrored, at the best quality from [`START_QUALITY`] down to
/// [`MIN_QUALITY`] (in steps of 5) that fits in `max_bytes`.
pub fn jpeg(frame: &Frame, max_bytes: usize) -> Result<Vec<u8>, PhotoError> {
    let rgb = to_rgb(frame)?;
    let (width, height) = (dimension(frame.width)?, dimension(frame.height)?);
    let mut quality = START_QUALITY;
    loop {
        let mut out = Vec::new();
        Encoder::new(&mut out, quality)
            .encode(&rgb, width, height, ColorType::Rgb)
            .map_err(|e| PhotoError::Encoding(e.to_string()))?;
        if out.len() <= max_bytes {
            return Ok(out);
        }
        if quality <= MIN_QUALITY {
            return Err(PhotoError::TooLarge(out.len()));
        }
        quality -= 5;
    }
}

/// A JPEG of the frame turned by `orientation` (see [`orient`]), within `max_bytes` as
/// [`jpeg`] makes it. The app passes the rotation that brings a still from a device held
/// sideways upright; nothing here mirrors a photo on its own (a front camera's preview is
/// mirrored by the UI, never the saved picture).
pub fn jpeg_oriented(
    frame: &Frame,
    orientation: Orientation,
    max_bytes: usize,
) -> Result<Vec<u8>, PhotoError> {
    jpeg(&orient(frame, orientation)?, max_bytes)
}

/// How a picture as stored must be turned to be seen upright: the eight EXIF orientations
/// (tag 0x0112), named for what is done to the stored picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Orientation {
    /// EXIF 1: as stored.
    #[default]
    Upright,
    /// EXIF 2: mirrored left to right.
    MirrorHorizontal,
    /// EXIF 3: turned half a turn.
    Rotate180,
    /// EXIF 4: mirrored top to bottom.
    MirrorVertical,
    /// EXIF 5: mirrored across the top-left to bottom-right diagonal.
    Transpose,
    /// EXIF 6: turned a quarter turn clockwise.
    Rotate90,
    /// EXIF 7: mirrored across the top-right to bottom-left diagonal.
    Transverse,
    /// EXIF 8: turned a quarter turn counter-clockwise (270° clockwise).
    Rotate270,
}

impl Orientation {
    /// The orientation of an EXIF orientation value (1–8).
    pub fn from_exif(value: u16) -> Option<Self> {
        Some(match value {
            1 => Self::Upright,
            2 => Self::MirrorHorizontal,
            3 => Self::Rotate180,
            4 => Self::MirrorVertical,
            5 => Self::Transpose,
            6 => Self::Rotate90,
            7 => Self::Transverse,
            8 => Self::Rotate270,
            _ => return None,
        })
    }

    /// The EXIF orientation value (1–8).
    pub fn exif(self) -> u16 {
        match self {
            Self::Upright => 1,
            Self::MirrorHorizontal => 2,
            Self::Rotate180 => 3,
            Self::MirrorVertical => 4,
            Self::Transpose => 5,
            Self::Rotate90 => 6,
            Self::Transverse => 7,
            Self::Rotate270 => 8,
        }
    }

    /// The turn by `degrees` clockwise (any multiple of 90, negative too), without
    /// mirroring: what a device's rotation sensor gives.
    pub fn clockwise(degrees: i32) -> Option<Self> {
        match degrees.rem_euclid(360) {
            0 => Some(Self::Upright),
            90 => Some(Self::Rotate90),
            180 => Some(Self::Rotate180),
            270 => Some(Self::Rotate270),
            _ => None,
        }
    }

    /// Whether width and height trade places.
    pub fn swaps_sides(self) -> bool {
        matches!(
            self,
            Self::Transpose | Self::Rotate90 | Self::Transverse | Self::Rotate270
        )
    }

    /// The stored pixel shown at (`x`, `y`) of the turned picture, for a stored picture
    /// `width`×`height`.
    fn source(self, x: usize, y: usize, width: usize, height: usize) -> (usize, usize) {
        let (last_x, last_y) = (width - 1, height - 1);
        match self {
            Self::Upright => (x, y),
            Self::MirrorHorizontal => (last_x - x, y),
            Self::Rotate180 => (last_x - x, last_y - y),
            Self::MirrorVertical => (x, last_y - y),
            Self::Transpose => (y, x),
            Self::Rotate90 => (y, last_y - x),
            Self::Transverse => (last_x - y, last_y - x),
            Self::Rotate270 => (last_x - y, x),
        }
    }
}

/// The frame turned by `orientation`: each I420 plane moved pixel for pixel, so nothing is
/// resampled. Exact for even sides (what cameras give); with an odd side the colour planes
/// may shift by one luma pixel.
pub fn orient(frame: &Frame, orientation: Orientation) -> Result<Frame, PhotoError> {
    let expected = frame.format.frame_len(frame.width, frame.height);
    if frame.data.len() != expected {
        return Err(PhotoError::FrameSize {
            expected,
            actual: frame.data.len(),
        });
    }
    if orientation == Orientation::Upright {
        return Ok(frame.clone());
    }
    let PixelFormat::I420 = frame.format;
    let (w, h) = (frame.width as usize, frame.height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let (y_plane, chroma) = frame.data.split_at(w * h);
    let (u_plane, v_plane) = chroma.split_at(cw * ch);
    let mut data = Vec::with_capacity(expected);
    for (plane, pw, ph) in [(y_plane, w, h), (u_plane, cw, ch), (v_plane, cw, ch)] {
        let (out_w, out_h) = if orientation.swaps_sides() {
            (ph, pw)
        } else {
            (pw, ph)
        };
        for y in 0..out_h {
            for x in 0..out_w {
                let (sx, sy) = orientation.source(x, y, pw, ph);
                data.push(plane[sy * pw + sx]);
            }
        }
    }
    let (width, height) = if orientation.swaps_sides() {
        (frame.height, frame.width)
    } else {
        (frame.width, frame.height)
    };
    Ok(Frame {
        width,
        height,
        format: frame.format,
        data: data.into(),
        captured: frame.captured,
        sequence: frame.sequence,
    })
}

fn dimension(value: u32) -> Result<u16, PhotoError> {
    u16::try_from(value).map_err(|_| PhotoError::Encoding(format!("a side of {value} pixels")))
}

/// RGB of an I420 frame: BT.601, studio range (16–235), as cameras and Y4M files give
/// (the same SIMD conversion as the preview's, [`crate::preview::convert`]).
pub fn to_rgb(frame: &Frame) -> Result<Vec<u8>, PhotoError> {
    let mut rgb = vec![0; frame.width as usize * frame.height as usize * 3];
    crate::preview::convert(frame, &mut rgb, 3)?;
    Ok(rgb)
}
