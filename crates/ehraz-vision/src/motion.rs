//! Shake: how far the picture moved since the previous analysed frame.
//!
//! Both frames' [`Thumbnail`]s (halved again, about 160×90) are compared cell by cell.
//! For a small shift `d`, the difference between two pictures is about the gradient
//! times `d`, so each cell's mean difference over its mean gradient estimates how many
//! pixels it moved. The largest cell counts, so a moving head shows as well as a shaking
//! camera. Brightness and contrast are matched first, so the camera's exposure settling
//! is not taken for movement.

use crate::guidance::{Guidance, Verdict};
use crate::thumbnail::Thumbnail;

/// Limits of the motion check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MotionLimits {
    /// Moving when a cell moved more than this share of the frame's width.
    pub max_shift: f32,
    /// Cells whose mean gradient (luma per pixel) is below this say little about
    /// movement; their gradient counts as this much.
    pub min_gradient: f32,
}

impl Default for MotionLimits {
    fn default() -> Self {
        Self {
            max_shift: 0.009,
            min_gradient: 2.0,
        }
    }
}

/// What the motion check measured (shifts as shares of the frame's width).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Motion {
    /// The largest cell's estimated shift.
    pub shift: f32,
    /// The whole picture's estimated shift.
    pub mean_shift: f32,
}

/// Cells across and down.
const CELLS: (usize, usize) = (4, 3);

/// Measures the movement from `previous` to `current` (both made by [`Thumbnail::halved`]
/// or both not); `None` when they are not the same size, e.g. the camera changed.
pub fn measure(previous: &Thumbnail, current: &Thumbnail, limits: &MotionLimits) -> Option<Motion> {
    let (w, h) = (current.width(), current.height());
    if previous.width() != w || previous.height() != h || w < 3 * CELLS.0 || h < 3 * CELLS.1 {
        return None;
    }
    let (a, b) = (previous.pixels(), current.pixels());
    // Match `b`'s brightness and contrast to `a`'s.
    let (mean_a, dev_a) = mean_deviation(a);
    let (mean_b, dev_b) = mean_deviation(b);
    let gain = if dev_b > f32::EPSILON {
        dev_a / dev_b
    } else {
        1.0
    };
    let offset = mean_a - mean_b * gain;
    let mut difference = [0f32; CELLS.0 * CELLS.1];
    let mut gradient = [0f32; CELLS.0 * CELLS.1];
    let mut counts = [0u32; CELLS.0 * CELLS.1];
    // Each cell's columns (the outermost left out: no neighbour there).
    let columns: Vec<(usize, usize)> = (0..CELLS.0)
        .map(|c| ((c * w / CELLS.0).max(1), ((c + 1) * w / CELLS.0).min(w - 1)))
        .collect();
    for y in 1..h - 1 {
        let row = (y * CELLS.1 / h) * CELLS.0;
        let ((a_up, a_mid, a_down), (b_up, b_mid, b_down)) = (around(a, w, y), around(b, w, y));
        // Central differences across and down, both pictures: four times one pixel's
        // change (twice each), in whole levels.
        let grad = |up: &[u8], mid: &[u8], down: &[u8], x: usize| {
            u32::from(mid[x + 1].abs_diff(mid[x - 1])) + u32::from(down[x].abs_diff(up[x]))
        };
        for (c, &(x0, x1)) in columns.iter().enumerate() {
            let (mut d, mut g) = (0f32, 0u32);
            for x in x0..x1 {
                let matched = f32::from(b_mid[x]) * gain + offset;
                d += (f32::from(a_mid[x]) - matched).abs();
                g += grad(a_up, a_mid, a_down, x) + grad(b_up, b_mid, b_down, x);
            }
            difference[row + c] += d;
            gradient[row + c] += g as f32 / 8.0;
            counts[row + c] += (x1 - x0) as u32;
        }
    }
    let shift_of = |d: f32, g: f32, n: u32| d / (g.max(limits.min_gradient * n as f32)) / w as f32;
    let shift = (0..difference.len())
        .map(|c| shift_of(difference[c], gradient[c], counts[c]))
        .fold(0f32, f32::max);
    let mean_shift = shift_of(
        difference.iter().sum(),
        gradient.iter().sum(),
        counts.iter().sum(),
    );
    Some(Motion { shift, mean_shift })
}

impl Motion {
    /// Moving when the largest cell moved more than the limit.
    pub fn verdict(&self, limits: &MotionLimits) -> Verdict {
        if self.shift > limits.max_shift {
            Verdict::Fail(Guidance::Moving)
        } else {
            Verdict::Pass
        }
    }
}

/// Rows `y - 1`, `y` and `y + 1` of `pixels` (rows of `w`).
fn around(pixels: &[u8], w: usize, y: usize) -> (&[u8], &[u8], &[u8]) {
    (
        &pixels[(y - 1) * w..y * w],
        &pixels[y * w..(y + 1) * w],
        &pixels[(y + 1) * w..(y + 2) * w],
    )
}

/// The mean and the mean absolute deviation of `pixels`.
fn mean_deviation(pixels: &[u8]) -> (f32, f32) {
    let n = pixels.len().max(1) as f32;
    let mean = pixels.iter().map(|&p| f32::from(p)).sum::<f32>() / n;
    let deviation = pixels
        .iter()
        .map(|&p| (f32::from(p) - mean).abs())
        .sum::<f32>()
        / n;
    (mean, deviation)
}
