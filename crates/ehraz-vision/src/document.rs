//! The identity or bank card: a card filling the card frame, and no glare on it.
//!
//! A card held in the frame has four straight edges near the frame's sides: along each
//! side, in a band around it, the thumbnail's mean step across the side is looked for in
//! six segments. A card's edge is strong in most segments, with one sign (card brighter,
//! or darker, than what is behind it) and at about the same place; a table's texture
//! averages out along a segment. Glare is a clipped (saturated) blob on the card.

use crate::geometry::Rect;
use crate::guidance::{Guidance, Verdict};
use crate::thumbnail::{Bounds, Thumbnail};

/// Limits of the card and glare checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentLimits {
    /// How far from the frame's side an edge is looked for, as a share of the frame's
    /// size across that side (a card much smaller than the frame has no edge in it).
    pub band: f32,
    /// A segment's edge is strong when its mean step across the side (luma levels,
    /// between thumbnail pixels two either side) is at least this.
    pub min_edge: f32,
    /// Each side needs at least this share of its segments to agree on an edge…
    pub min_side: f32,
    /// …and the four sides together at least this share.
    pub min_sides: f32,
    /// Luma from which a pixel counts as clipped (limited-range white is 235).
    pub clip_level: u8,
    /// Glare when at least this share of the card is a clipped blob.
    pub max_glare: f32,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        Self {
            band: 0.12,
            min_edge: 12.0,
            min_side: 0.5,
            min_sides: 0.55,
            clip_level: 232,
            max_glare: 0.002,
        }
    }
}

/// What the card check measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Document {
    /// For the top, right, bottom and left sides: the share of segments with an edge.
    pub sides: [f32; 4],
    /// The mean step across the edges found (luma levels).
    pub edge: f32,
    /// The share of the card inside the frame that is a clipped blob.
    pub glare: f32,
}

/// Segments per side.
const SEGMENTS: usize = 6;

/// The step across a side is taken between pixels this far either side of it, so a card
/// out of focus still shows its edges (and the focus check can say so).
const REACH: usize = 2;

/// Measures the card in `rect` (normalised frame coordinates).
pub fn measure(thumb: &Thumbnail, rect: &Rect, limits: &DocumentLimits) -> Document {
    let b = thumb.bounds(rect);
    let (w, h) = (b.width(), b.height());
    let band_x = ((w as f32 * limits.band).round() as usize).max(2);
    let band_y = ((h as f32 * limits.band).round() as usize).max(2);
    // Each side's extent, leaving out the corners (rounded on a card).
    let along = |start: usize, len: usize| (start + len * 8 / 100, start + len * 92 / 100);
    let (x0, x1) = along(b.left, w);
    let (y0, y1) = along(b.top, h);
    let mut edges = Vec::new();
    let sides = [
        side(
            thumb,
            Across::Rows,
            b.top,
            band_y,
            (x0, x1),
            limits,
            &mut edges,
        ),
        side(
            thumb,
            Across::Columns,
            b.right,
            band_x,
            (y0, y1),
            limits,
            &mut edges,
        ),
        side(
            thumb,
            Across::Rows,
            b.bottom,
            band_y,
            (x0, x1),
            limits,
            &mut edges,
        ),
        side(
            thumb,
            Across::Columns,
            b.left,
            band_x,
            (y0, y1),
            limits,
            &mut edges,
        ),
    ];
    let edge = if edges.is_empty() {
        0.0
    } else {
        edges.iter().sum::<f32>() / edges.len() as f32
    };
    Document {
        sides,
        edge,
        glare: glare(thumb, b, limits.clip_level),
    }
}

impl Document {
    /// Whether a card fills the frame.
    pub fn card_verdict(&self, limits: &DocumentLimits) -> Verdict {
        let mean = self.sides.iter().sum::<f32>() / 4.0;
        if self.sides.iter().all(|&s| s >= limits.min_side) && mean >= limits.min_sides {
            Verdict::Pass
        } else {
            Verdict::Fail(Guidance::NoCard)
        }
    }

    /// Whether there is glare on the card.
    pub fn glare_verdict(&self, limits: &DocumentLimits) -> Verdict {
        if self.glare >= limits.max_glare {
            Verdict::Fail(Guidance::Glare)
        } else {
            Verdict::Pass
        }
    }
}

/// Which way a side's step is taken.
#[derive(Debug, Clone, Copy)]
enum Across {
    /// A horizontal side: the step down the rows.
    Rows,
    /// A vertical side: the step along the columns.
    Columns,
}

/// The share of a side's segments that agree on an edge near `at` (±`band`), along
/// `extent`; pushes the strengths of those that agree onto `edges`.
fn side(
    thumb: &Thumbnail,
    across: Across,
    at: usize,
    band: usize,
    extent: (usize, usize),
    limits: &DocumentLimits,
    edges: &mut Vec<f32>,
) -> f32 {
    let limit = match across {
        Across::Rows => thumb.height(),
        Across::Columns => thumb.width(),
    };
    let (first, last) = (
        at.saturating_sub(band).max(REACH),
        (at + band).min(limit.saturating_sub(REACH + 1)),
    );
    let len = extent.1.saturating_sub(extent.0);
    if first > last || len < SEGMENTS {
        return 0.0;
    }
    let pixel = |pos: usize, t: usize| -> f32 {
        match across {
            Across::Rows => f32::from(thumb.at(t, pos)),
            Across::Columns => f32::from(thumb.at(pos, t)),
        }
    };
    // Each segment's strongest signed mean step, and where it is.
    let mut found: Vec<(f32, usize)> = Vec::with_capacity(SEGMENTS);
    for s in 0..SEGMENTS {
        let (t0, t1) = (
            extent.0 + s * len / SEGMENTS,
            extent.0 + (s + 1) * len / SEGMENTS,
        );
        let mut best = (0f32, first);
        for pos in first..=last {
            let g = (t0..t1)
                .map(|t| pixel(pos + REACH, t) - pixel(pos - REACH, t))
                .sum::<f32>()
                / (t1 - t0) as f32;
            if g.abs() > best.0.abs() {
                best = (g, pos);
            }
        }
        found.push(best);
    }
    // The segments that agree: strong, with the majority's sign, near the median place.
    let positive = found.iter().filter(|(g, _)| *g >= limits.min_edge).count();
    let negative = found.iter().filter(|(g, _)| *g <= -limits.min_edge).count();
    let sign = if positive >= negative { 1.0 } else { -1.0 };
    let mut places: Vec<usize> = found
        .iter()
        .filter(|(g, _)| g * sign >= limits.min_edge)
        .map(|&(_, pos)| pos)
        .collect();
    if places.is_empty() {
        return 0.0;
    }
    places.sort_unstable();
    let median = places[places.len() / 2];
    let tolerance = 2 + band / 4;
    let agree: Vec<f32> = found
        .iter()
        .filter(|(g, pos)| g * sign >= limits.min_edge && pos.abs_diff(median) <= tolerance)
        .map(|(g, _)| g.abs())
        .collect();
    edges.extend(&agree);
    agree.len() as f32 / SEGMENTS as f32
}

/// The share of the card (the frame, inset a little) that is clipped with its four
/// neighbours clipped too: blobs count, thin white print does not.
fn glare(thumb: &Thumbnail, b: Bounds, clip: u8) -> f32 {
    let inset = Bounds {
        left: (b.left + b.width() / 16).max(1),
        right: (b.right - b.width() / 16).min(thumb.width() - 1),
        top: (b.top + b.height() / 16).max(1),
        bottom: (b.bottom - b.height() / 16).min(thumb.height() - 1),
    };
    if inset.area() == 0 {
        return 0.0;
    }
    let mut blob = 0u32;
    for y in inset.top..inset.bottom {
        for x in inset.left..inset.right {
            if thumb.at(x, y) >= clip
                && thumb.at(x - 1, y) >= clip
                && thumb.at(x + 1, y) >= clip
                && thumb.at(x, y - 1) >= clip
                && thumb.at(x, y + 1) >= clip
            {
                blob += 1;
            }
        }
    }
    blob as f32 / inset.area() as f32
}
