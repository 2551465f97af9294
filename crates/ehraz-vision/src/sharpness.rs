//! Focus: whether the part of the picture that matters is sharp.
//!
//! The measure follows the re-blur idea of Crete et al. ("The blur effect: perception and
//! estimation with a new no-reference perceptual blur metric", 2007): blur the picture
//! again (a 9-pixel box) and see how much of the difference between neighbouring pixels
//! survives. At a sharp edge little does; at a blurred one most of it. Unlike the
//! original, only the edges count — the strongest steps between neighbours, where they
//! peak — so flat skin or blank paper and the sensor's noise on them do not sway it. It
//! runs along rows and along columns, and the worse counts, so blur in one direction
//! (motion) shows too. It does not depend on contrast, and the region is first shrunk to
//! a set size, so it does not depend on the camera's resolution either.
//!
//! How sharp a sharp picture measures still depends on what is in it (print has crisp
//! edges, a face soft ones), so each kind of region has its own limits.

use crate::frame::I420;
use crate::geometry::Rect;
use crate::guidance::{Guidance, Verdict};

/// Limits of the sharpness check, for one kind of region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SharpnessLimits {
    /// The region's shorter side is shrunk to this many pixels (never enlarged).
    pub size: usize,
    /// Blurry above this blur estimate (0 sharp … 1 no detail).
    pub max_blur: f32,
}

impl SharpnessLimits {
    /// For a face's box.
    pub const FACE: Self = Self {
        size: 96,
        max_blur: 0.36,
    };
    /// For the paper frame: strokes of a pen.
    pub const PAPER: Self = Self {
        size: 192,
        max_blur: 0.13,
    };
    /// For the card frame: printed text and the card's edges.
    pub const CARD: Self = Self {
        size: 192,
        max_blur: 0.3,
    };
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

/// The re-blur's length, in pixels of the shrunk region (as Crete et al.).
const REBLUR: usize = 9;

/// A step between neighbours counts as an edge from this many luma levels…
const MIN_EDGE: f32 = 6.0;
/// …and from this share of the region's strongest steps (their 99th percentile)…
const EDGE_SHARE: f32 = 0.25;
/// …and from this many times its median step.
const NOISE_TIMES: f32 = 4.0;

/// Measures the sharpness of `region` (normalised frame coordinates) of `frame`.
pub fn measure(frame: &I420<'_>, region: &Rect, limits: &SharpnessLimits) -> Sharpness {
    let (pixels, width, height) = shrink(frame, region, limits.size);
    let blur_x = blur_along::<true>(&pixels, width, height);
    let blur_y = blur_along::<false>(&pixels, width, height);
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
    // At most 257 rows to an output row, so their sums fit in 16 bits.
    let scale = (w.min(h) as f32 / size.max(1) as f32).clamp(1.0, 256.0);
    let out_w = ((w as f32 / scale).round() as usize).clamp(1, w);
    let out_h = ((h as f32 / scale).round() as usize).clamp(1, h);
    // Each output pixel covers whole input pixels: [i·w/out_w, (i+1)·w/out_w).
    let columns: Vec<usize> = (0..=out_w).map(|i| i * w / out_w).collect();
    let widths: Vec<f32> = columns
        .windows(2)
        .map(|s| 1.0 / (s[1] - s[0]) as f32)
        .collect();
    let luma = frame.y();
    // Sums of up to 257 rows fit in 16 bits (which vectorise twice as wide).
    let mut sums = vec![0u16; w];
    let mut pixels = vec![0f32; out_w * out_h];
    for (oy, out) in pixels.chunks_exact_mut(out_w).enumerate() {
        let (y0, y1) = (oy * h / out_h, (oy + 1) * h / out_h);
        sums.fill(0);
        for y in y0..y1 {
            let start = (top + y) * frame_w + left;
            for (sum, &p) in sums.iter_mut().zip(&luma[start..start + w]) {
                *sum = sum.wrapping_add(u16::from(p));
            }
        }
        let rows = 1.0 / (y1 - y0) as f32;
        for ((o, span), &across) in out.iter_mut().zip(columns.windows(2)).zip(&widths) {
            let total: u32 = sums[span[0]..span[1]].iter().map(|&s| u32::from(s)).sum();
            *o = total as f32 * across * rows;
        }
    }
    (pixels, out_w, out_h)
}

/// The blur estimate along every row (`ROWS`) or every column: at the edges, the
/// re-blurred picture's step over the picture's own.
///
/// Written as passes over whole rows, whichever the direction, so they vectorise.
fn blur_along<const ROWS: bool>(pixels: &[f32], width: usize, height: usize) -> f32 {
    let len = if ROWS { width } else { height };
    if len < REBLUR + 3 || pixels.is_empty() {
        return 1.0;
    }
    let half = REBLUR / 2;
    // The neighbour along the direction is `step` away in `pixels`.
    let step = if ROWS { 1 } else { width };

    // Smoothed across the lines (1-2-1), which leaves blur along them as it is but
    // halves the noise.
    let mut smooth = vec![0f32; pixels.len()];
    for (y, out) in smooth.chunks_exact_mut(width).enumerate() {
        let row = |y: usize| &pixels[y * width..(y + 1) * width];
        if ROWS {
            let (a, b, c) = (
                row(y.saturating_sub(1)),
                row(y),
                row((y + 1).min(height - 1)),
            );
            for (((o, &a), &b), &c) in out.iter_mut().zip(a).zip(b).zip(c) {
                *o = (a + 2.0 * b + c) * 0.25;
            }
        } else {
            let b = row(y);
            out.copy_from_slice(b);
            if width > 2 {
                for (((o, &a), &b), &c) in out[1..width - 1]
                    .iter_mut()
                    .zip(&b[..width - 2])
                    .zip(&b[1..width - 1])
                    .zip(&b[2..])
                {
                    *o = (a + 2.0 * b + c) * 0.25;
                }
            }
        }
    }
    // Each pixel's step from its neighbour before it along the direction.
    let mut steps = vec![0f32; pixels.len()];
    let before = &smooth[..pixels.len() - step];
    for ((d, &v), &u) in steps[step..].iter_mut().zip(&smooth[step..]).zip(before) {
        *d = (v - u).abs();
    }

    // Where an edge may be measured: the re-blur and both neighbouring steps fit.
    let (first, last) = (half + 2, len - half - 1);
    let (columns, rows) = if ROWS {
        (first..last, 0..height)
    } else {
        (0..width, first..last)
    };
    // The strongest and the typical step (every other row is plenty).
    let mut histogram = [0u32; 256];
    for y in rows.clone().step_by(2) {
        for &s in &steps[y * width..(y + 1) * width][columns.clone()] {
            histogram[(s + 0.5).min(255.0) as usize] += 1;
        }
    }
    // An edge stands out from the region's strongest steps, and from its typical step
    // (on flat skin or paper: the noise); when none does, nothing is sharp.
    let threshold = (EDGE_SHARE * percentile(&histogram, 0.99))
        .max(NOISE_TIMES * percentile(&histogram, 0.5))
        .max(MIN_EDGE);
    // At each edge's peak: its own step, and the 9-pixel box's step there, which is
    // the difference of the pixels entering and leaving the box.
    let (mut own, mut kept) = (0f32, 0f32);
    for y in rows {
        for i in columns.clone().map(|x| y * width + x) {
            let s = steps[i];
            if s >= threshold && s >= steps[i - step] && s > steps[i + step] {
                own += s;
                kept +=
                    (smooth[i + half * step] - smooth[i - (half + 1) * step]).abs() / REBLUR as f32;
            }
        }
    }
    if own <= 0.0 {
        1.0
    } else {
        (kept / own).min(1.0)
    }
}

/// The value below which a share `p` of a histogram's counts lie.
fn percentile(histogram: &[u32; 256], p: f32) -> f32 {
    let total: u32 = histogram.iter().sum();
    let rank = (p * total as f32) as u32;
    let mut seen = 0;
    for (value, &count) in histogram.iter().enumerate() {
        seen += count;
        if seen > rank {
            return value as f32;
        }
    }
    255.0
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

    /// Squares of 16 pixels, blurred along rows by a box of `blur` pixels.
    fn board(blur: usize) -> Vec<u8> {
        frame(256, 256, |x, y| {
            let cell = |x: f32| ((x as u32 / 16) + (y as u32 / 16)).is_multiple_of(2);
            let lit = (0..blur.max(1))
                .filter(|&k| cell(x + k as f32 - blur as f32 / 2.0))
                .count();
            40.0 + 160.0 * lit as f32 / blur.max(1) as f32
        })
    }

    #[test]
    fn a_crisp_board_is_sharp_and_the_same_board_smeared_along_rows_is_blurred_that_way() {
        let limits = SharpnessLimits {
            size: 256,
            max_blur: 0.3,
        };
        let sharp = measure(&I420::new(256, 256, &board(0)).unwrap(), &whole(), &limits);
        let smeared = measure(&I420::new(256, 256, &board(7)).unwrap(), &whole(), &limits);
        // A one-pixel step: the 9-pixel re-blur keeps a ninth of it.
        assert!((sharp.blur - 1.0 / 9.0).abs() < 0.01, "{sharp:?}");
        assert!(smeared.blur_x > 0.5 && smeared.blur_y < 0.15, "{smeared:?}");
        assert_eq!(sharp.verdict(&limits), Verdict::Pass);
        assert_eq!(smeared.verdict(&limits), Verdict::Fail(Guidance::Blurry));
    }

    #[test]
    fn contrast_does_not_change_the_estimate() {
        let limits = SharpnessLimits {
            size: 256,
            max_blur: 0.3,
        };
        let strong = frame(256, 256, |x, _| {
            40.0 + 0.8 * ((x * 0.3).sin() * 100.0 + 100.0)
        });
        let faint = frame(256, 256, |x, _| {
            100.0 + 0.2 * ((x * 0.3).sin() * 100.0 + 100.0)
        });
        let strong = measure(&I420::new(256, 256, &strong).unwrap(), &whole(), &limits);
        let faint = measure(&I420::new(256, 256, &faint).unwrap(), &whole(), &limits);
        assert!(
            (strong.blur - faint.blur).abs() < 0.05,
            "{strong:?} {faint:?}"
        );
    }

    #[test]
    fn the_region_is_shrunk_to_the_set_size_and_a_flat_one_has_no_detail() {
        let data = frame(1280, 720, |_, _| 100.0);
        let m = measure(
            &I420::new(1280, 720, &data).unwrap(),
            &Rect {
                x: 0.25,
                y: 0.25,
                width: 0.5,
                height: 0.5,
            },
            &SharpnessLimits {
                size: 128,
                max_blur: 0.3,
            },
        );
        assert_eq!((m.width, m.height), (228, 128));
        assert_eq!(m.blur, 1.0);
    }
}
