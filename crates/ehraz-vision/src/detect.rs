//! Face detection.

use crate::geometry::{Point, Rect};

/// One face found in a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Face {
    /// The face's box, in normalised frame coordinates.
    pub bounds: Rect,
    /// The detector's confidence, 0 to 1.
    pub score: f32,
    /// Six landmarks, in MediaPipe's order: the person's right eye, left eye, nose tip,
    /// mouth centre, right ear tragion, left ear tragion (normalised frame coordinates;
    /// in an unmirrored frame the person's right eye is on the image's left).
    pub keypoints: [Point; 6],
}

impl Face {
    /// The person's right eye.
    pub fn right_eye(&self) -> Point {
        self.keypoints[0]
    }

    /// The person's left eye.
    pub fn left_eye(&self) -> Point {
        self.keypoints[1]
    }

    /// The nose tip.
    pub fn nose(&self) -> Point {
        self.keypoints[2]
    }
}
