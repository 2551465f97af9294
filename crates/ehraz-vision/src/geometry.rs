//! Where the overlay's guide shapes are, in the frame's own coordinates.
//!
//! Coordinates are normalised: x and y run from 0 to 1 across the frame's width and
//! height, origin top-left, in the frame as captured (not mirrored).

use crate::guidance::Target;

/// A point in normalised frame coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// 0 at the left edge, 1 at the right.
    pub x: f32,
    /// 0 at the top, 1 at the bottom.
    pub y: f32,
}

/// An axis-aligned rectangle in normalised frame coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// Its centre.
    pub fn centre(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }

    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }

    /// Its pixel bounds in a `width`×`height` image, clamped to the image:
    /// (left, top, right, bottom), right and bottom exclusive.
    pub fn pixels(&self, width: u32, height: u32) -> (usize, usize, usize, usize) {
        let clamp = |v: f32, max: u32| (v.max(0.0) * max as f32).round().min(max as f32) as usize;
        (
            clamp(self.x, width),
            clamp(self.y, height),
            clamp(self.right(), width),
            clamp(self.bottom(), height),
        )
    }
}

/// An axis-aligned ellipse in normalised frame coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ellipse {
    /// Its centre.
    pub centre: Point,
    /// Half its width.
    pub radius_x: f32,
    /// Half its height.
    pub radius_y: f32,
}

impl Ellipse {
    /// Whether `point` is inside (or on) it.
    pub fn contains(&self, point: Point) -> bool {
        let dx = (point.x - self.centre.x) / self.radius_x;
        let dy = (point.y - self.centre.y) / self.radius_y;
        dx * dx + dy * dy <= 1.0
    }

    /// The rectangle around it.
    pub fn bounds(&self) -> Rect {
        Rect {
            x: self.centre.x - self.radius_x,
            y: self.centre.y - self.radius_y,
            width: 2.0 * self.radius_x,
            height: 2.0 * self.radius_y,
        }
    }
}

/// The guide shapes drawn over the preview for one target, placed in the frame.
///
/// The UI draws them (`ui/src/lib/components/CaptureOverlay.svelte`) in a 400×300 box
/// fitted inside the preview, centred and as large as fits (`xMidYMid meet`); the preview
/// shows the whole frame. The numbers below are that drawing's, and must change with it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Layout {
    /// Where the face goes, for targets with a face.
    pub oval: Option<Ellipse>,
    /// Where the card goes, for targets with a card.
    pub card: Option<Rect>,
    /// Where the paper goes, for targets with paper.
    pub paper: Option<Rect>,
}

const BOX_W: f32 = 400.0;
const BOX_H: f32 = 300.0;

impl Layout {
    /// The guides for `target` in a `width`×`height` frame. `mirrored` is whether the
    /// preview is shown mirrored (selfies), which swaps left and right for the
    /// off-centre shapes of [`Target::SelfieWithCard`].
    pub fn new(target: Target, width: u32, height: u32, mirrored: bool) -> Self {
        // The 400×300 box in frame pixels, then in normalised coordinates.
        let (w, h) = (width as f32, height as f32);
        let scale = (w / BOX_W).min(h / BOX_H);
        let (left, top) = ((w - BOX_W * scale) / 2.0, (h - BOX_H * scale) / 2.0);
        let x = |bx: f32| {
            let nx = (left + bx * scale) / w;
            if mirrored { 1.0 - nx } else { nx }
        };
        let y = |by: f32| (top + by * scale) / h;
        let rect = |cx: f32, cy: f32, bw: f32, bh: f32| {
            let (x0, x1) = (x(cx - bw / 2.0), x(cx + bw / 2.0));
            Rect {
                x: x0.min(x1),
                y: y(cy - bh / 2.0),
                width: (x1 - x0).abs(),
                height: bh * scale / h,
            }
        };
        let ellipse = |cx: f32, cy: f32, rx: f32, ry: f32| Ellipse {
            centre: Point { x: x(cx), y: y(cy) },
            radius_x: rx * scale / w,
            radius_y: ry * scale / h,
        };
        const CARD_W: f32 = 300.0;
        const CARD_H: f32 = CARD_W * 54.0 / 85.6;
        const PAPER_H: f32 = 270.0;
        const PAPER_W: f32 = PAPER_H * 210.0 / 297.0;
        const SIDE_CARD_W: f32 = 132.0;
        const SIDE_CARD_H: f32 = SIDE_CARD_W * 54.0 / 85.6;
        match target {
            Target::Selfie | Target::SelfieVideo => Self {
                oval: Some(ellipse(200.0, 150.0, 84.0, 112.0)),
                ..Self::default()
            },
            Target::Card => Self {
                card: Some(rect(200.0, 150.0, CARD_W, CARD_H)),
                ..Self::default()
            },
            Target::Paper => Self {
                paper: Some(rect(200.0, 150.0, PAPER_W, PAPER_H)),
                ..Self::default()
            },
            Target::SelfieWithCard => Self {
                oval: Some(ellipse(140.0, 140.0, 74.0, 100.0)),
                card: Some(rect(
                    238.0 + SIDE_CARD_W / 2.0,
                    190.0,
                    SIDE_CARD_W,
                    SIDE_CARD_H,
                )),
                paper: None,
            },
        }
    }
}
