//! Focus: whether the part of the picture that matters is sharp.
//!
//! The measure is the no-reference blur estimate of Crete et al. ("The blur effect:
//! perception and estimation with a new no-reference perceptual blur metric", 2007): how
//! much of the variation between neighbouring pixels survives blurring the picture again.
//! A sharp picture loses much of it, a blurred one little. It runs along rows and along
//! columns, and the worse of the two counts, so blur in one direction (motion) shows too.
//! It does not depend on contrast. The region is first shrunk to a set size, so the
//! measure does not depend on the camera's resolution either.

use crate::frame::I420;
use crate::geometry::Rect;
use crate::guidance::{Guidance, Verdict};

/// Limits of the sharpness check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SharpnessLimits {
    /// The region's shorter side is shrunk to this many pixels (never enlarged).
    pub size: usize,
    /// Blurry above this blur estimate (0 sharp … 1 flat).
    pub max_blur: f32,
}

impl Default for SharpnessLimits {
    fn default() -> Self {
        Self {
            size: 128,
            max_blur: 0.5,
        }
    }
}

/// What the sharpness check measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sharpness {
    /// The blur estimate, the worse of the two directions: 0 sharp, 1 no detail at all.
    pub blur: f32,
    /// The estimate along rows (horizontal blur).
    pub blur_x: f32,
    /// The estimate along columns (vertical blur).
    pub blur_y: f32,
    /// Width of the shrunk region it was measured on.
    pub width: usize,
    /// Height of the shrunk region it was measured on.
    pub height: usize,
}

/// The re-blur's length, in pixels of the shrunk region (Crete et al. use 9).
const REBLUR: usize = 9;

/// Measures the sharpness of `region` (normalised frame coordinates) of `frame`.
pub fn measure(frame: &I420<'_>, region: &Rect, limits: &SharpnessLimits) -> Sharpness {
    let (pixels, width, height) = shrink(frame, region, limits.size);
    let blur_x = blur_along_rows(&pixels, width, height);
    let blur_y = blur_along_columns(&pixels, width, height);
    Sharpness {
        blur: blur_x.max(blur_y),
        blur_x,
        blur_y,
        width,
        height,
    }
}

impl Sharpness {
    /// Blurry when the estimate is above the limit.
    pub fn verdict(&self, limits: &SharpnessLimits) -> Verdict {
        if self.blur > limits.max_blur {
            Verdict::Fail(Guidance::Blurry)
        } else {
            Verdict::Pass
        }
    }
}

/// The luma of `region`, shrunk (area mean) so its shorter side is `size` pixels.
fn shrink(frame: &I420<'_>, region: &Rect, size: usize) -> (Vec<f32>, usize, usize) {
    let frame_w = frame.width() as usize;
    let (left, top, right, bottom) = region.pixels(frame.width(), frame.height());
    let (w, h) = (right.saturating_sub(left), bottom.saturating_sub(top));
    if w == 0 || h == 0 {
        return (Vec::new(), 0, 0);
    }
    let scale = (w.min(h) as f32 / size as f32).max(1.0);
    let out_w = ((w as f32 / scale).round() as usize).clamp(1, w);
    let out_h = ((h as f32 / scale).round() as usize).clamp(1, h);
    // Each output pixel covers whole input pixels: [i·w/out_w, (i+1)·w/out_w).
    let columns: Vec<usize> = (0..=out_w).map(|i| i * w / out_w).collect();
    let luma = frame.y();
    let mut sums = vec![0u32; w];
    let mut pixels = Vec::with_capacity(out_w * out_h);
    for oy in 0..out_h {
        let (y0, y1) = (oy * h / out_h, (oy + 1) * h / out_h);
        sums.fill(0);
        for y in y0..y1 {
            let start = (top + y) * frame_w + left;
            for (sum, &p) in sums.iter_mut().zip(&luma[start..start + w]) {
                *sum += u32::from(p);
            }
        }
        for span in columns.windows(2) {
            let total: u32 = sums[span[0]..span[1]].iter().sum();
            pixels.push(total as f32 / ((span[1] - span[0]) * (y1 - y0)) as f32);
        }
    }
    (pixels, out_w, out_h)
}

/// Crete's estimate along each row.
fn blur_along_rows(pixels: &[f32], width: usize, height: usize) -> f32 {
    if width <= REBLUR + 1 {
        return 1.0;
    }
    let (mut total, mut kept) = (0f32, 0f32);
    let mut reblurred = vec![0f32; width];
    for row in pixels.chunks_exact(width).take(height) {
        box_mean(row, &mut reblurred);
        let half = REBLUR / 2;
        for x in half + 1..width - half {
            let d = (row[x] - row[x - 1]).abs();
            let db = (reblurred[x] - reblurred[x - 1]).abs();
            total += d;
            kept += (d - db).max(0.0);
        }
    }
    estimate(total, kept)
}

/// Crete's estimate along each column.
fn blur_along_columns(pixels: &[f32], width: usize, height: usize) -> f32 {
    if height <= REBLUR + 1 {
        return 1.0;
    }
    let (mut total, mut kept) = (0f32, 0f32);
    let (mut column, mut reblurred) = (vec![0f32; height], vec![0f32; height]);
    let half = REBLUR / 2;
    for x in 0..width {
        for (y, c) in column.iter_mut().enumerate() {
            *c = pixels[y * width + x];
        }
        box_mean(&column, &mut reblurred);
        for y in half + 1..height - half {
            let d = (column[y] - column[y - 1]).abs();
            let db = (reblurred[y] - reblurred[y - 1]).abs();
            total += d;
            kept += (d - db).max(0.0);
        }
    }
    estimate(total, kept)
}

/// `out[i]` = the mean of `line[i - 4 ..= i + 4]` where that fits (edges left as is).
fn box_mean(line: &[f32], out: &mut [f32]) {
    let half = REBLUR / 2;
    out.copy_from_slice(line);
    if line.len() < REBLUR {
        return;
    }
    let mut sum: f32 = line[..REBLUR].iter().sum();
    out[half] = sum / REBLUR as f32;
    for i in half + 1..line.len() - half {
        sum += line[i + half] - line[i - half - 1];
        out[i] = sum / REBLUR as f32;
    }
}

/// The share of neighbour differences the re-blur did not remove (1 for a flat region).
fn estimate(total: f32, kept: f32) -> f32 {
    if total <= f32::EPSILON {
        1.0
    } else {
        (total - kept) / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame whose luma is `f(x, y)`.
    fn frame(width: u32, height: u32, f: impl Fn(f32, f32) -> f32) -> Vec<u8> {
        let mut data = vec![128u8; I420::len_for(width, height)];
        for y in 0..height {
            for x in 0..width {
                data[(y * width + x) as usize] = f(x as f32, y as f32).clamp(16.0, 235.0) as u8;
            }
        }
        data
    }

    fn whole() -> Rect {
        Rect {
            x: 0.0,
            y: 0.0,
            width: 1.0,
            height: 1.0,
        }
    }

    #[test]
    fn a_checkerboard_is_sharp_and_a_smooth_ramp_is_not() {
        let limits = SharpnessLimits::default();
        let board = frame(256, 256, |x, y| {
            if ((x as u32 / 8) + (y as u32 / 8)) % 2 == 0 {
                40.0
            } else {
                200.0
            }
        });
        let sharp = measure(&I420::new(256, 256, &board).unwrap(), &whole(), &limits);
        // Soft stripes: a sine with a 64-pixel period.
        let soft = frame(256, 256, |x, _| {
            128.0 + 80.0 * (x * std::f32::consts::TAU / 64.0).sin()
        });
        let soft = measure(&I420::new(256, 256, &soft).unwrap(), &whole(), &limits);
        assert!(sharp.blur < 0.3, "{sharp:?}");
        assert!(soft.blur > 0.7, "{soft:?}");
        assert_eq!(sharp.verdict(&limits), Verdict::Pass);
        assert_eq!(soft.verdict(&limits), Verdict::Fail(Guidance::Blurry));
        // The soft stripes only vary along rows: rows are blurred, columns flat.
        assert!(soft.blur_x > 0.7 && soft.blur_y >= 0.99, "{soft:?}");
    }

    #[test]
    fn the_region_is_shrunk_to_the_set_size() {
        let data = frame(1280, 720, |_, _| 100.0);
        let m = measure(
            &I420::new(1280, 720, &data).unwrap(),
            &Rect {
                x: 0.25,
                y: 0.25,
                width: 0.5,
                height: 0.5,
            },
            &SharpnessLimits::default(),
        );
        assert_eq!((m.width, m.height), (228, 128));
        assert_eq!(m.blur, 1.0, "a flat region has no detail");
    }
}
