//! The selfie video's background: plain white around the face.
//!
//! Looks at the area beside and above the head (the face's box widened for hair), down to
//! the mouth so shoulders stay out: it should be bright, even and without colour.

use crate::frame::I420;
use crate::geometry::Rect;
use crate::guidance::{Guidance, Verdict};
use crate::histogram::Histogram;
use crate::thumbnail::{Bounds, Thumbnail};

/// Limits of the background check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackgroundLimits {
    /// Median luma at least this (about 80 % of limited-range white): white, not a light
    /// grey or beige.
    pub min_median: f32,
    /// Spread (90th minus 10th percentile of luma) at most this: one plain surface.
    pub max_spread: f32,
    /// Mean colour (distance of the chroma from grey) at most this.
    pub max_colour: f32,
    /// At least this share of the thumbnail must be background to judge it.
    pub min_share: f32,
}

impl Default for BackgroundLimits {
    fn default() -> Self {
        Self {
            min_median: 185.0,
            max_spread: 40.0,
            max_colour: 10.0,
            min_share: 0.05,
        }
    }
}

/// What the background check measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Background {
    /// The background's median luma.
    pub median: f32,
    /// Its 90th minus its 10th percentile of luma.
    pub spread: f32,
    /// Its mean colour: distance of (Cb, Cr) from grey, in chroma levels.
    pub colour: f32,
    /// The share of the thumbnail it covers.
    pub share: f32,
}

/// Measures the background around `face` (the face's box, normalised frame coordinates).
pub fn measure(thumb: &Thumbnail, frame: &I420<'_>, face: &Rect) -> Background {
    let f = thumb.bounds(face);
    let (w, h) = (f.width() as f32, f.height() as f32);
    let grow = |v: usize, by: f32| (v as f32 + by).round().max(0.0) as usize;
    let zone = Bounds {
        left: grow(f.left, -1.5 * w),
        top: grow(f.top, -h),
        right: grow(f.right, 1.5 * w).min(thumb.width()),
        bottom: grow(f.top, 0.6 * h).min(thumb.height()),
    };
    // The head: the face with its hair; below it the neck and shoulders.
    let head = Bounds {
        left: grow(f.left, -0.45 * w),
        top: grow(f.top, -0.7 * h),
        right: grow(f.right, 0.45 * w),
        bottom: thumb.height(),
    };
    let (u, v, chroma_w) = (frame.u(), frame.v(), frame.chroma_width());
    let (frame_w, frame_h) = (frame.width() as usize, frame.height() as usize);
    let factor = thumb.factor();
    let mut luma = Histogram::new();
    let mut colour = 0f32;
    for y in zone.top..zone.bottom {
        let cy = ((y * factor + factor / 2).min(frame_h - 1) / 2) * chroma_w;
        for x in zone.left..zone.right {
            if head.contains(x, y) {
                continue;
            }
            luma.add(thumb.at(x, y));
            let c = cy + (x * factor + factor / 2).min(frame_w - 1) / 2;
            let (cb, cr) = (f32::from(u[c]) - 128.0, f32::from(v[c]) - 128.0);
            colour += (cb * cb + cr * cr).sqrt();
        }
    }
    let n = luma.total();
    Background {
        median: luma.percentile(0.5),
        spread: luma.percentile(0.9) - luma.percentile(0.1),
        colour: if n == 0 { 0.0 } else { colour / n as f32 },
        share: n as f32 / (thumb.width() * thumb.height()).max(1) as f32,
    }
}

impl Background {
    /// Not white when too little of it is seen, or it is grey, uneven or coloured.
    pub fn verdict(&self, limits: &BackgroundLimits) -> Verdict {
        if self.share < limits.min_share
            || self.median < limits.min_median
            || self.spread > limits.max_spread
            || self.colour > limits.max_colour
        {
            Verdict::Fail(Guidance::BackgroundNotWhite)
        } else {
            Verdict::Pass
        }
    }
}
