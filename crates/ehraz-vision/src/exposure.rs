//! Light: too dark, too bright, or backlit (the face much darker than what is around it).
//!
//! Judged on the part of the picture that matters (the face, the paper, the card), from
//! the luma histogram of the frame's [`Thumbnail`]; levels are BT.601 limited range
//! (black 16, white 235), as the capture crate gives.

use crate::geometry::Rect;
use crate::guidance::{Guidance, Verdict};
use crate::histogram::Histogram;
use crate::thumbnail::{Bounds, Thumbnail};

/// What the light must suit: the part of the frame the picture is about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Subject {
    /// A face's box: skin, light or dark; the only subject that can be backlit.
    Face(Rect),
    /// A region that should look white (the paper): darker than white paper should be
    /// is too dark sooner.
    White(Rect),
    /// Any other region (a card, or the oval when no face was found), whose own colours
    /// may be dark (a navy bank card): judged by its bright parts.
    Region(Rect),
}

/// Limits of the exposure check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExposureLimits {
    /// A face whose median luma is below this is too dark.
    pub dark_below: f32,
    /// A white subject whose median luma is below this is too dark.
    pub white_dark_below: f32,
    /// A region whose bright level (90th percentile) is below this is too dark.
    pub region_dark_below: f32,
    /// A face or region whose median luma is above this is washed out.
    pub bright_above: f32,
    /// Luma from which a pixel counts as clipped (limited-range white is 235).
    pub clip_level: u8,
    /// A subject with more than this share of clipped pixels is too bright.
    pub max_clipped: f32,
    /// Backlit when the face's median is below this share of its surround's bright level…
    pub backlit_ratio: f32,
    /// …and that bright level (the 90th percentile around the face) is at least this.
    pub backlit_surround: f32,
}

impl Default for ExposureLimits {
    fn default() -> Self {
        Self {
            dark_below: 70.0,
            white_dark_below: 110.0,
            region_dark_below: 120.0,
            bright_above: 205.0,
            clip_level: 232,
            max_clipped: 0.4,
            backlit_ratio: 0.45,
            backlit_surround: 170.0,
        }
    }
}

/// What the exposure check measured (luma levels, shares from 0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exposure {
    /// What was judged.
    pub subject: Subject,
    /// The whole frame's mean luma.
    pub mean: f32,
    /// The whole frame's 5th percentile.
    pub p05: f32,
    /// The whole frame's median.
    pub p50: f32,
    /// The whole frame's 95th percentile.
    pub p95: f32,
    /// The whole frame's share of near-black pixels (luma 24 or less).
    pub dark: f32,
    /// The whole frame's share of clipped pixels.
    pub clipped: f32,
    /// The subject's median luma.
    pub subject_median: f32,
    /// The subject's bright level: its 90th percentile.
    pub subject_p90: f32,
    /// The subject's share of clipped pixels.
    pub subject_clipped: f32,
    /// For a face: the bright level around it (its surround's 90th percentile).
    pub surround: Option<f32>,
}

/// Measures the light of `thumb` for `subject`.
pub fn measure(thumb: &Thumbnail, subject: Subject, limits: &ExposureLimits) -> Exposure {
    let mut frame = Histogram::new();
    frame.extend(thumb.pixels());
    let rect = match subject {
        Subject::Face(r) | Subject::White(r) | Subject::Region(r) => r,
    };
    let bounds = thumb.bounds(&rect);
    let region = if bounds.area() == 0 {
        frame.clone()
    } else {
        histogram(thumb, bounds, None)
    };
    let surround = match subject {
        Subject::Face(_) if bounds.area() > 0 => {
            let (w, h) = (bounds.width(), bounds.height());
            let outer = Bounds {
                left: bounds.left.saturating_sub(w),
                top: bounds.top.saturating_sub(h * 3 / 4),
                right: (bounds.right + w).min(thumb.width()),
                bottom: (bounds.bottom + h / 4).min(thumb.height()),
            };
            let around = histogram(thumb, outer, Some(bounds));
            (around.total() > 0).then(|| around.percentile(0.9))
        }
        _ => None,
    };
    Exposure {
        subject,
        mean: frame.mean(),
        p05: frame.percentile(0.05),
        p50: frame.percentile(0.5),
        p95: frame.percentile(0.95),
        dark: frame.share_at_most(24),
        clipped: frame.share_at_least(limits.clip_level),
        subject_median: region.percentile(0.5),
        subject_p90: region.percentile(0.9),
        subject_clipped: region.share_at_least(limits.clip_level),
        surround,
    }
}

impl Exposure {
    /// The verdict: backlit first (a dark face before a bright surround is not a dark
    /// room), then too dark, then too bright.
    pub fn verdict(&self, limits: &ExposureLimits) -> Verdict {
        if let Some(surround) = self.surround
            && surround >= limits.backlit_surround
            && self.subject_median < limits.backlit_ratio * surround
        {
            return Verdict::Fail(Guidance::Backlit);
        }
        let dark = match self.subject {
            Subject::Face(_) => self.subject_median < limits.dark_below,
            Subject::White(_) => self.subject_median < limits.white_dark_below,
            Subject::Region(_) => self.subject_p90 < limits.region_dark_below,
        };
        if dark {
            return Verdict::Fail(Guidance::TooDark);
        }
        let washed_out = match self.subject {
            // White paper is meant to be near white: only clipping is too much.
            Subject::White(_) => false,
            Subject::Face(_) | Subject::Region(_) => self.subject_median > limits.bright_above,
        };
        if washed_out || self.subject_clipped > limits.max_clipped {
            return Verdict::Fail(Guidance::TooBright);
        }
        Verdict::Pass
    }
}

/// The histogram of `bounds`, leaving out `hole`.
fn histogram(thumb: &Thumbnail, bounds: Bounds, hole: Option<Bounds>) -> Histogram {
    let mut h = Histogram::new();
    for y in bounds.top..bounds.bottom {
        let row = &thumb.row(y)[bounds.left..bounds.right];
        match hole {
            Some(hole) if (hole.top..hole.bottom).contains(&y) => {
                for (x, &p) in (bounds.left..).zip(row) {
                    if !(hole.left..hole.right).contains(&x) {
                        h.add(p);
                    }
                }
            }
            _ => h.extend(row),
        }
    }
    h
}
