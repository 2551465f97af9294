//! The face check: exactly one face, inside the oval, near enough, looking at the camera.

use crate::detect::Face;
use crate::geometry::Ellipse;
use crate::guidance::{Guidance, Verdict};

/// Limits of the face check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceLimits {
    /// How far the face's centre may be from the oval's centre, as a share of the oval's
    /// radii (1 = anywhere inside the oval).
    pub centre_within: f32,
    /// Smallest face box height, as a share of the oval's height.
    pub min_height: f32,
    /// Largest face box height, as a share of the oval's height.
    pub max_height: f32,
    /// Largest sideways offset of the nose from the point between the eyes, as a share
    /// of the distance between the eyes (0 = straight at the camera).
    pub max_turn: f32,
}

impl Default for FaceLimits {
    fn default() -> Self {
        Self {
            centre_within: 0.45,
            min_height: 0.40,
            max_height: 0.95,
            max_turn: 0.40,
        }
    }
}

/// Checks the faces found against the oval.
pub fn check(faces: &[Face], oval: &Ellipse, limits: &FaceLimits) -> Verdict {
    let face = match faces {
        [] => return Verdict::Fail(Guidance::NoFace),
        [face] => face,
        _ => return Verdict::Fail(Guidance::ManyFaces),
    };
    let height = face.bounds.height / (2.0 * oval.radius_y);
    if height < limits.min_height {
        return Verdict::Fail(Guidance::FaceTooSmall);
    }
    let near_centre = Ellipse {
        radius_x: oval.radius_x * limits.centre_within,
        radius_y: oval.radius_y * limits.centre_within,
        ..*oval
    };
    if !near_centre.contains(face.bounds.centre()) {
        return Verdict::Fail(Guidance::FaceOffCentre);
    }
    if height > limits.max_height {
        return Verdict::Fail(Guidance::FaceTooLarge);
    }
    if turn(face) > limits.max_turn {
        return Verdict::Fail(Guidance::FaceTurned);
    }
    Verdict::Pass
}

/// How far the face is turned sideways: the nose's offset from the point between the
/// eyes along the line through the eyes, over the distance between the eyes (0 when
/// frontal, about 0.5 at 30°). Measured in units of the face's box (square in pixels),
/// so a head tilted towards a shoulder is not taken as turned.
pub fn turn(face: &Face) -> f32 {
    let (right, left, nose) = (face.right_eye(), face.left_eye(), face.nose());
    let (sx, sy) = (
        face.bounds.width.max(f32::EPSILON),
        face.bounds.height.max(f32::EPSILON),
    );
    let eyes = ((left.x - right.x) / sx, (left.y - right.y) / sy);
    let nose = (
        (nose.x - (right.x + left.x) / 2.0) / sx,
        (nose.y - (right.y + left.y) / 2.0) / sy,
    );
    let length2 = (eyes.0 * eyes.0 + eyes.1 * eyes.1).max(f32::EPSILON);
    (nose.0 * eyes.0 + nose.1 * eyes.1).abs() / length2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Point, Rect};

    fn oval() -> Ellipse {
        Ellipse {
            centre: Point { x: 0.5, y: 0.5 },
            radius_x: 0.2,
            radius_y: 0.35,
        }
    }

    /// A frontal face box centred at (x, y) of height `h`, eyes and nose placed as a
    /// frontal face's are; `nose_shift` moves the nose sideways (a share of the eyes' gap).
    fn face(x: f32, y: f32, h: f32, nose_shift: f32) -> Face {
        let w = h * 0.6;
        let eye = |dx: f32| Point {
            x: x + dx * w,
            y: y - 0.15 * h,
        };
        let gap = 0.4 * w;
        let mut keypoints = [Point { x, y }; 6];
        keypoints[0] = eye(-0.2);
        keypoints[1] = eye(0.2);
        keypoints[2] = Point {
            x: x + nose_shift * gap,
            y,
        };
        Face {
            bounds: Rect {
                x: x - w / 2.0,
                y: y - h / 2.0,
                width: w,
                height: h,
            },
            score: 0.9,
            keypoints,
        }
    }

    #[test]
    fn each_failure_is_named() {
        let (oval, limits) = (oval(), FaceLimits::default());
        let good = face(0.5, 0.5, 0.45, 0.0);
        assert_eq!(check(&[good], &oval, &limits), Verdict::Pass);
        assert_eq!(check(&[], &oval, &limits), Verdict::Fail(Guidance::NoFace));
        assert_eq!(
            check(&[good, face(0.1, 0.2, 0.3, 0.0)], &oval, &limits),
            Verdict::Fail(Guidance::ManyFaces)
        );
        assert_eq!(
            check(&[face(0.5, 0.5, 0.1, 0.0)], &oval, &limits),
            Verdict::Fail(Guidance::FaceTooSmall)
        );
        assert_eq!(
            check(&[face(0.8, 0.5, 0.45, 0.0)], &oval, &limits),
            Verdict::Fail(Guidance::FaceOffCentre)
        );
        assert_eq!(
            check(&[face(0.5, 0.5, 0.69, 0.0)], &oval, &limits),
            Verdict::Fail(Guidance::FaceTooLarge)
        );
        assert_eq!(
            check(&[face(0.5, 0.5, 0.45, 0.6)], &oval, &limits),
            Verdict::Fail(Guidance::FaceTurned)
        );
    }

    /// `face` turned in the picture's plane by `degrees` about its box centre, the
    /// frame being `aspect` times wider than tall.
    fn tilted(face: Face, degrees: f32, aspect: f32) -> Face {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let c = face.bounds.centre();
        let turn_point = |p: Point| {
            // In pixels of a frame of height 1, then back.
            let (dx, dy) = ((p.x - c.x) * aspect, p.y - c.y);
            Point {
                x: c.x + (cos * dx - sin * dy) / aspect,
                y: c.y + sin * dx + cos * dy,
            }
        };
        Face {
            keypoints: face.keypoints.map(turn_point),
            ..face
        }
    }

    /// A frontal face whose box is square in the pixels of a frame `aspect` times wider
    /// than tall.
    fn square_face(aspect: f32, nose_shift: f32) -> Face {
        let mut f = face(0.5, 0.5, 0.4, nose_shift);
        f.bounds.width = f.bounds.height / aspect;
        f.bounds.x = 0.5 - f.bounds.width / 2.0;
        let w = f.bounds.width;
        f.keypoints[0].x = 0.5 - 0.2 * w;
        f.keypoints[1].x = 0.5 + 0.2 * w;
        f.keypoints[2].x = 0.5 + nose_shift * 0.4 * w;
        f
    }

    #[test]
    fn a_head_tilted_to_a_shoulder_is_not_turned() {
        let aspect = 16.0 / 9.0;
        for degrees in [-25.0, -10.0, 10.0, 25.0] {
            let frontal = tilted(square_face(aspect, 0.0), degrees, aspect);
            assert!(turn(&frontal) < 1e-4, "{degrees}°: {}", turn(&frontal));
            let turned = tilted(square_face(aspect, 0.5), degrees, aspect);
            assert!(
                (turn(&turned) - 0.5).abs() < 1e-3,
                "{degrees}°: {}",
                turn(&turned)
            );
        }
    }

    #[test]
    fn turn_is_zero_when_frontal_and_grows_with_the_nose_offset() {
        assert!(turn(&face(0.5, 0.5, 0.4, 0.0)) < 1e-6);
        let (a, b) = (
            turn(&face(0.5, 0.5, 0.4, 0.2)),
            turn(&face(0.5, 0.5, 0.4, -0.5)),
        );
        assert!((a - 0.2).abs() < 1e-4 && (b - 0.5).abs() < 1e-4, "{a} {b}");
    }
}
