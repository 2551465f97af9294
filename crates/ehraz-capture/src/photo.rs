//! Stills: a frame turned into a JPEG that carries nothing but the picture (no EXIF, no
//! comment, no thumbnail) and stays under a size bound, by stepping the quality down.

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

fn dimension(value: u32) -> Result<u16, PhotoError> {
    u16::try_from(value).map_err(|_| PhotoError::Encoding(format!("a side of {value} pixels")))
}

/// RGB of an I420 frame: BT.601, studio range (16–235), as cameras and Y4M files give.
pub fn to_rgb(frame: &Frame) -> Result<Vec<u8>, PhotoError> {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let expected = frame.format.frame_len(frame.width, frame.height);
    if frame.data.len() != expected {
        return Err(PhotoError::FrameSize {
            expected,
            actual: frame.data.len(),
        });
    }
    let PixelFormat::I420 = frame.format;
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let (y_plane, chroma) = frame.data.split_at(w * h);
    let (u_plane, v_plane) = chroma.split_at(cw * ch);
    let mut rgb = Vec::with_capacity(w * h * 3);
    for row in 0..h {
        for col in 0..w {
            let c = (row / 2) * cw + col / 2;
            let y = (i32::from(y_plane[row * w + col]) - 16) * 298;
            let u = i32::from(u_plane[c]) - 128;
            let v = i32::from(v_plane[c]) - 128;
            let clamp = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
            rgb.push(clamp(y + 409 * v));
            rgb.push(clamp(y - 100 * u - 208 * v));
            rgb.push(clamp(y + 516 * u));
        }
    }
    Ok(rgb)
}
