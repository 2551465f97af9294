//! What cameras give, as I420 (8-bit planar YUV 4:2:0, BT.601 studio range, as
//! [`crate::photo::to_rgb`] reads it).
//!
//! Written here rather than taken from a crate: each is a dozen lines of integer
//! arithmetic, exact to BT.601's coefficients and checked against known values, where a
//! SIMD conversion crate would be one more native-heavy build for a cost (a few
//! milliseconds a 720p frame) well inside the frame time. MJPEG is decoded with the
//! `image` crate (zune-jpeg).

use thiserror::Error;

use super::DevicePixels;

/// A camera's frame could not be read.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ConvertError {
    /// The bytes do not fill a frame of that size and layout.
    #[error("a {pixels:?} frame of {width}×{height} needs {expected} bytes, it has {actual}")]
    Size {
        /// The layout.
        pixels: DevicePixels,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// What the size and layout need.
        expected: usize,
        /// What the frame holds.
        actual: usize,
    },
    /// YUYV pairs pixels: an odd width cannot be.
    #[error("a YUYV frame of odd width {0}")]
    OddWidth(u32),
    /// The MJPEG frame does not decode.
    #[error("a broken MJPEG frame: {0}")]
    Jpeg(String),
}

/// A frame in I420.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct I420 {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The Y plane, then U and V at half width and height (rounded up).
    pub data: Vec<u8>,
}

/// A frame of `pixels` laid out at `width`×`height` (rows packed, no padding), as I420.
/// An MJPEG frame takes the size it decodes to.
pub fn to_i420(
    pixels: DevicePixels,
    width: u32,
    height: u32,
    data: &[u8],
) -> Result<I420, ConvertError> {
    let converted = |data| I420 {
        width,
        height,
        data,
    };
    match pixels {
        DevicePixels::Mjpeg => mjpeg_to_i420(data),
        DevicePixels::Yuyv => yuyv_to_i420(width, height, data).map(converted),
        DevicePixels::Nv12 => nv12_to_i420(width, height, data).map(converted),
        DevicePixels::Rgb => rgb_to_i420(width, height, data).map(converted),
        DevicePixels::Bgr => {
            packed_to_i420(DevicePixels::Bgr, width, height, data, [2, 1, 0]).map(converted)
        }
        DevicePixels::Gray => gray_to_i420(width, height, data).map(converted),
    }
}

fn check(
    pixels: DevicePixels,
    width: u32,
    height: u32,
    data: &[u8],
    expected: usize,
) -> Result<(), ConvertError> {
    if data.len() < expected {
        return Err(ConvertError::Size {
            pixels,
            width,
            height,
            expected,
            actual: data.len(),
        });
    }
    Ok(())
}

fn sides(width: u32, height: u32) -> (usize, usize, usize, usize) {
    let (w, h) = (width as usize, height as usize);
    (w, h, w.div_ceil(2), h.div_ceil(2))
}

/// Packed YUYV 4:2:2 (Y0 U Y1 V), the raw format of most USB cameras: the luma as it is,
/// each chroma sample the rounded mean of the two rows it covers.
pub fn yuyv_to_i420(width: u32, height: u32, data: &[u8]) -> Result<Vec<u8>, ConvertError> {
    if width % 2 == 1 {
        return Err(ConvertError::OddWidth(width));
    }
    let (w, h, cw, ch) = sides(width, height);
    check(DevicePixels::Yuyv, width, height, data, w * h * 2)?;
    let stride = w * 2;
    let mut out = Vec::with_capacity(w * h + 2 * cw * ch);
    out.extend(data[..stride * h].iter().step_by(2));
    for offset in [1, 3] {
        for row in 0..ch {
            let top = &data[2 * row * stride..][..stride];
            // An odd last row stands alone.
            let bottom = if 2 * row + 1 < h {
                &data[(2 * row + 1) * stride..][..stride]
            } else {
                top
            };
            out.extend(
                top.iter()
                    .skip(offset)
                    .step_by(4)
                    .zip(bottom.iter().skip(offset).step_by(4))
                    .map(|(&a, &b)| mean(u16::from(a) + u16::from(b), 2)),
            );
        }
    }
    Ok(out)
}

/// NV12: the Y plane, then U and V interleaved at half width and height.
pub fn nv12_to_i420(width: u32, height: u32, data: &[u8]) -> Result<Vec<u8>, ConvertError> {
    let (w, h, cw, ch) = sides(width, height);
    check(DevicePixels::Nv12, width, height, data, w * h + 2 * cw * ch)?;
    let (luma, chroma) = data.split_at(w * h);
    let chroma = &chroma[..2 * cw * ch];
    let mut out = Vec::with_capacity(w * h + 2 * cw * ch);
    out.extend_from_slice(luma);
    out.extend(chroma.iter().step_by(2));
    out.extend(chroma.iter().skip(1).step_by(2));
    Ok(out)
}

/// 8-bit greys (full range) as I420 luma in studio range, with neutral chroma.
pub fn gray_to_i420(width: u32, height: u32, data: &[u8]) -> Result<Vec<u8>, ConvertError> {
    let (w, h, cw, ch) = sides(width, height);
    check(DevicePixels::Gray, width, height, data, w * h)?;
    let mut out = Vec::with_capacity(w * h + 2 * cw * ch);
    out.extend(
        data[..w * h]
            .iter()
            .map(|&g| 16 + mean(u16::from(g) * 219, 255)),
    );
    out.resize(w * h + 2 * cw * ch, 128);
    Ok(out)
}

/// Packed 8-bit RGB as I420, BT.601 studio range: the luma of each pixel, the chroma of
/// the mean colour of each 2×2 block.
pub fn rgb_to_i420(width: u32, height: u32, data: &[u8]) -> Result<Vec<u8>, ConvertError> {
    packed_to_i420(DevicePixels::Rgb, width, height, data, [0, 1, 2])
}

fn packed_to_i420(
    pixels: DevicePixels,
    width: u32,
    height: u32,
    data: &[u8],
    order: [usize; 3],
) -> Result<Vec<u8>, ConvertError> {
    check(
        pixels,
        width,
        height,
        data,
        width as usize * height as usize * 3,
    )?;
    Ok(packed(width, height, data, 3, order))
}

/// Packed 8-bit RGBA (rows packed, alpha ignored: what a web page's canvas gives with
/// `getImageData`) as I420, exactly as [`rgb_to_i420`] converts its colours. `data` must
/// hold `width * height * 4` bytes: the webview camera checks that before it converts.
pub(crate) fn rgba_to_i420(width: u32, height: u32, data: &[u8]) -> Vec<u8> {
    packed(width, height, data, 4, [0, 1, 2])
}

/// Packed pixels of `step` bytes each, the colours at `order` within a pixel, as I420:
/// the luma of each pixel, the chroma of the mean colour of each 2×2 block. `data` holds
/// at least `width * height * step` bytes.
fn packed(width: u32, height: u32, data: &[u8], step: usize, [r, g, b]: [usize; 3]) -> Vec<u8> {
    let (w, h, cw, ch) = sides(width, height);
    let mut out = vec![0u8; w * h + 2 * cw * ch];
    let (luma, chroma) = out.split_at_mut(w * h);
    let (u_plane, v_plane) = chroma.split_at_mut(cw * ch);
    for (dst, px) in luma.iter_mut().zip(data.chunks_exact(step)) {
        let (r, g, b) = (i32::from(px[r]), i32::from(px[g]), i32::from(px[b]));
        *dst = studio(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
    }
    let row_len = w * step;
    let rows = u_plane
        .chunks_exact_mut(cw)
        .zip(v_plane.chunks_exact_mut(cw));
    for (row, (u_row, v_row)) in rows.enumerate() {
        let top = &data[2 * row * row_len..][..row_len];
        // An odd last row or column stands for its missing neighbour: the mean is the same.
        let bottom = if 2 * row + 1 < h {
            &data[(2 * row + 1) * row_len..][..row_len]
        } else {
            top
        };
        for (col, (u, v)) in u_row.iter_mut().zip(v_row.iter_mut()).enumerate() {
            let (left, right) = (2 * col * step, (2 * col + 1).min(w - 1) * step);
            let mean = |c: usize| {
                let sum = u32::from(top[left + c])
                    + u32::from(top[right + c])
                    + u32::from(bottom[left + c])
                    + u32::from(bottom[right + c]);
                ((sum + 2) >> 2) as i32
            };
            let (r, g, b) = (mean(r), mean(g), mean(b));
            *u = studio(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
            *v = studio(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
        }
    }
    out
}

/// An MJPEG frame (a JPEG per frame) as I420, at the size it decodes to.
pub fn mjpeg_to_i420(data: &[u8]) -> Result<I420, ConvertError> {
    let picture = image::load_from_memory_with_format(data, image::ImageFormat::Jpeg)
        .map_err(|e| ConvertError::Jpeg(e.to_string()))?
        .into_rgb8();
    let (width, height) = picture.dimensions();
    let data = rgb_to_i420(width, height, picture.as_raw())?;
    Ok(I420 {
        width,
        height,
        data,
    })
}

fn mean(sum: u16, count: u16) -> u8 {
    u8::try_from((sum + count / 2) / count).unwrap_or(u8::MAX)
}

fn studio(value: i32) -> u8 {
    value.clamp(0, 255) as u8
}
