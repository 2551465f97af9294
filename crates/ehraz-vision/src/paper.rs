//! The signature or handwritten letter: a white sheet filling the paper frame, dark
//! strokes on it, and strokes large enough (the camera near enough).
//!
//! The paper frame is cut into cells; a cell is paper when it is bright, mostly even and
//! without colour. Strokes are looked for in the paper cells at the thumbnail's size, but
//! taking each thumbnail pixel's darkest frame pixel rather than its mean, so a thin pen
//! line is not averaged away.
//!
//! The verdicts, in the order the person fixes things: too few paper cells, or a sheet
//! off to one side, is no paper; a sheet seen whole but smaller than the frame means the
//! camera is too far (strokes too small); then no ink is no strokes; and ink spanning too
//! little of the frame is strokes too small again (come closer).

use crate::frame::I420;
use crate::geometry::Rect;
use crate::guidance::{Guidance, Verdict};
use crate::histogram::Histogram;
use crate::thumbnail::{Bounds, Thumbnail};

/// Limits of the paper check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaperLimits {
    /// A paper cell's level (its 75th percentile of luma) is at least this.
    pub min_level: f32,
    /// At least this share of a paper cell's pixels are within 12 % of its level.
    pub min_even: f32,
    /// A paper cell's colour (its mean chroma's distance from grey) is at most this.
    pub max_colour: f32,
    /// The sheet fills the frame when at least this share of cells are paper.
    pub min_coverage: f32,
    /// Below this share of paper cells there is no sheet at all.
    pub min_sheet: f32,
    /// A sheet not filling the frame whose centre is nearer than this (a share of the
    /// frame's size) to the frame's centre is a whole sheet seen from too far.
    pub max_far_offset: f32,
    /// A pixel is ink when darker than this share of its cell's level.
    pub ink_below: f32,
    /// Strokes are there when at least this share of the paper frame is ink.
    pub min_ink: f32,
    /// The strokes must span at least this share of the frame's width or height.
    pub min_span: f32,
    /// Ink is not looked for within this share of the frame's size from its edges.
    pub margin: f32,
}

impl Default for PaperLimits {
    fn default() -> Self {
        Self {
            min_level: 160.0,
            min_even: 0.55,
            max_colour: 12.0,
            min_coverage: 0.85,
            min_sheet: 0.06,
            max_far_offset: 0.2,
            ink_below: 0.72,
            min_ink: 0.0012,
            min_span: 0.35,
            margin: 0.08,
        }
    }
}

/// What the paper check measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    /// The share of the paper frame's cells that are paper.
    pub coverage: f32,
    /// How far the paper cells' centre is from the frame's centre, as a share of the
    /// frame's size (the larger of across and down).
    pub offset: f32,
    /// The median level of the paper cells (luma; 0 when none).
    pub level: f32,
    /// The share of the paper frame (inside its margin) that is ink.
    pub ink: f32,
    /// How much of the frame's width the strokes span (2nd to 98th percentile).
    pub span_x: f32,
    /// How much of the frame's height the strokes span.
    pub span_y: f32,
}

/// Cells across and down (the frame is portrait).
const CELLS: (usize, usize) = (6, 9);

/// Measures the paper in `rect` (normalised frame coordinates).
pub fn measure(thumb: &Thumbnail, frame: &I420<'_>, rect: &Rect, limits: &PaperLimits) -> Paper {
    let b = thumb.bounds(rect);
    if b.width() < CELLS.0 || b.height() < CELLS.1 {
        return Paper {
            coverage: 0.0,
            offset: 1.0,
            level: 0.0,
            ink: 0.0,
            span_x: 0.0,
            span_y: 0.0,
        };
    }
    let ink_image = darkest(thumb, frame, b);
    // Ink is looked for away from the frame's edge: there the sheet's edge, the table or
    // the fingers holding the sheet show, and nobody signs there.
    let (mx, my) = (
        (b.width() as f32 * limits.margin).round() as usize,
        (b.height() as f32 * limits.margin).round() as usize,
    );
    let inner = Bounds {
        left: b.left + mx,
        top: b.top + my,
        right: b.right - mx,
        bottom: b.bottom - my,
    };
    let (u, v, chroma_w) = (frame.u(), frame.v(), frame.chroma_width());
    let (factor, chroma_h) = (thumb.factor(), (frame.height() as usize).div_ceil(2));
    let mut levels = Vec::new();
    let (mut sheet_x, mut sheet_y) = (0f32, 0f32);
    let (mut xs, mut ys) = (Histogram::new(), Histogram::new());
    let mut ink = 0u32;
    for cy in 0..CELLS.1 {
        for cx in 0..CELLS.0 {
            let cell = Bounds {
                left: b.left + cx * b.width() / CELLS.0,
                right: b.left + (cx + 1) * b.width() / CELLS.0,
                top: b.top + cy * b.height() / CELLS.1,
                bottom: b.top + (cy + 1) * b.height() / CELLS.1,
            };
            let mut h = Histogram::new();
            let (mut cb, mut cr) = (0u32, 0u32);
            for y in cell.top..cell.bottom {
                h.extend(&thumb.row(y)[cell.left..cell.right]);
                let row = ((y * factor + factor / 2) / 2).min(chroma_h - 1) * chroma_w;
                for x in cell.left..cell.right {
                    let c = row + ((x * factor + factor / 2) / 2).min(chroma_w - 1);
                    cb += u32::from(u[c]);
                    cr += u32::from(v[c]);
                }
            }
            let level = h.percentile(0.75);
            let even = h.share_at_least((level * 0.88) as u8)
                - h.share_at_least(((level * 1.12) as u32 + 1).min(255) as u8);
            // The cell's own colour: its mean chroma's distance from grey.
            let n = cell.area().max(1) as f32;
            let colour = (cb as f32 / n - 128.0).hypot(cr as f32 / n - 128.0);
            if level < limits.min_level || even < limits.min_even || colour > limits.max_colour {
                continue;
            }
            levels.push(level);
            sheet_x += cx as f32 + 0.5;
            sheet_y += cy as f32 + 0.5;
            let dark = level * limits.ink_below;
            for y in cell.top.max(inner.top)..cell.bottom.min(inner.bottom) {
                for x in cell.left.max(inner.left)..cell.right.min(inner.right) {
                    if f32::from(ink_image[(y - b.top) * b.width() + x - b.left]) < dark {
                        ink += 1;
                        // Positions in 256ths of the frame, for percentiles.
                        xs.add(((x - b.left) * 255 / (b.width() - 1)) as u8);
                        ys.add(((y - b.top) * 255 / (b.height() - 1)) as u8);
                    }
                }
            }
        }
    }
    let cells = levels.len() as f32;
    let offset = if levels.is_empty() {
        1.0
    } else {
        let ox = (sheet_x / cells / CELLS.0 as f32 - 0.5).abs();
        let oy = (sheet_y / cells / CELLS.1 as f32 - 0.5).abs();
        ox.max(oy)
    };
    levels.sort_by(f32::total_cmp);
    let span = |h: &Histogram| (h.percentile(0.98) - h.percentile(0.02)) / 255.0;
    Paper {
        coverage: cells / (CELLS.0 * CELLS.1) as f32,
        offset,
        level: levels.get(levels.len() / 2).copied().unwrap_or(0.0),
        ink: ink as f32 / inner.area().max(1) as f32,
        span_x: span(&xs),
        span_y: span(&ys),
    }
}

impl Paper {
    /// The verdict, in the order the person fixes things: a sheet, then something on it,
    /// then near enough.
    pub fn verdict(&self, limits: &PaperLimits) -> Verdict {
        if self.coverage < limits.min_coverage {
            // A sheet seen whole inside the frame is too far; anything else is no sheet.
            let far = self.coverage >= limits.min_sheet && self.offset < limits.max_far_offset;
            return Verdict::Fail(if far {
                Guidance::StrokesTooSmall
            } else {
                Guidance::NoPaper
            });
        }
        if self.ink < limits.min_ink {
            return Verdict::Fail(Guidance::NoStrokes);
        }
        if self.span_x < limits.min_span && self.span_y < limits.min_span {
            return Verdict::Fail(Guidance::StrokesTooSmall);
        }
        Verdict::Pass
    }
}

/// For each thumbnail pixel in `b`, the darkest of the frame pixels it stands for.
fn darkest(thumb: &Thumbnail, frame: &I420<'_>, b: Bounds) -> Vec<u8> {
    let factor = thumb.factor();
    let (frame_w, luma) = (frame.width() as usize, frame.y());
    let mut out = Vec::with_capacity(b.area());
    let mut mins = vec![0u8; b.width() * factor];
    for y in b.top..b.bottom {
        mins.fill(255);
        for r in 0..factor {
            let start = (y * factor + r) * frame_w + b.left * factor;
            for (m, &p) in mins
                .iter_mut()
                .zip(&luma[start..start + b.width() * factor])
            {
                *m = (*m).min(p);
            }
        }
        out.extend(
            mins.chunks_exact(factor)
                .map(|c| c.iter().copied().min().unwrap_or(255)),
        );
    }
    out
}
