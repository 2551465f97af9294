//! Face detection: MediaPipe's BlazeFace (short-range) on the frame's own pixels.
//!
//! The model (`model/blazeface-short-range.onnx`, Apache-2.0, see `model/README.md`) is
//! built into the binary and run by this module's own small network runner (`net`):
//! pure Rust, one thread, with the CPU's vector instructions chosen at run time.
//!
//! A frame is looked at twice, each time sampled straight from its I420 planes into the
//! model's input (no full-size RGB copy is ever made):
//!
//! 1. the whole frame, its long side scaled to 128 pixels and its aspect ratio kept (a
//!    1280×720 frame becomes 128×72, centred in a 128×80 input: the input's sides must
//!    be multiples of 16, and the few rows over are letterbox padding). This finds faces
//!    of about a sixth of the frame's long side and more (≈ 200 px in 1280×720);
//! 2. a centred square of 0.4 × the long side (512×512 of 1280×720, which holds most of
//!    the selfie oval) scaled to 128×128, 2.5 times closer, which finds the small faces
//!    of a person far from the camera (all of 80 px and more in the evaluation), so the
//!    app can say "come closer". A small face far out of the oval is not seen.
//!
//! Both looks cost about 2 ms on one core (`benches/detect.rs`); the close look alone
//! is 60 % of it.
//!
//! The boxes of both are decoded from BlazeFace's anchors, mapped back to the whole
//! frame, and merged by weighted non-maximum suppression as MediaPipe does.

mod net;
mod onnx;

use crate::frame::I420;
use crate::geometry::{Point, Rect};

/// The model, as `model/fix-model` made it from the npm package's file.
const MODEL: &[u8] = include_bytes!("../model/blazeface-short-range.onnx");

/// Lowest score a face is reported with. On the evaluation set (`tests/faces.rs`) the
/// true faces scored 0.81 and up (5 % under 0.88); at MediaPipe's 0.5, 14 of 84
/// face-free frames had a "face", none scoring over 0.66.
pub const MIN_SCORE: f32 = 0.75;
/// Boxes overlapping more than this (intersection over union) are one face.
const MIN_OVERLAP: f32 = 0.3;
/// The close look's square, as a share of the frame's long side.
const CLOSE_SIDE: f32 = 0.4;
/// The model's input: the long side of the whole-frame look, and the close look's side.
const INPUT: usize = 128;
/// Numbers per anchor in the box output: box centre and size, then six keypoints.
const BOX_VALUES: usize = 16;

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

/// Why the face model could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DetectError {
    /// The file is not a readable ONNX model.
    #[error("the face model is not readable ONNX: {0}")]
    Malformed(String),
    /// The model asks for something the network runner does not do.
    #[error("the face model needs what this runner does not do: {0}")]
    Unsupported(String),
}

/// Finds faces in frames. Load it once and keep it: loading reads and rearranges the
/// model's weights, and each input size's working memory is kept between frames.
#[derive(Debug)]
pub struct FaceDetector {
    net: net::Network,
}

/// One look at (part of) the frame: which frame pixels the model's input covers.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View {
    /// Frame pixel position of the input's top-left corner.
    left: f32,
    top: f32,
    /// Input pixels per frame pixel.
    scale: f32,
    /// Input size.
    width: usize,
    height: usize,
    /// Whether faces reaching past the input's edge are dropped (the close look sees
    /// only part of a face there, which the whole-frame look sees whole).
    inner_only: bool,
}

impl View {
    /// The whole frame, long side to `INPUT`, centred in an input padded to multiples
    /// of 16.
    fn whole(width: u32, height: u32) -> Self {
        let (w, h) = (width as f32, height as f32);
        let scale = INPUT as f32 / w.max(h);
        let (iw, ih) = (round16(w * scale), round16(h * scale));
        Self {
            left: (w - iw as f32 / scale) / 2.0,
            top: (h - ih as f32 / scale) / 2.0,
            scale,
            width: iw,
            height: ih,
            inner_only: false,
        }
    }

    /// The centred square of `CLOSE_SIDE` × the long side (at most the short side).
    fn close(width: u32, height: u32) -> Self {
        let (w, h) = (width as f32, height as f32);
        let side = (CLOSE_SIDE * w.max(h)).min(w.min(h));
        let scale = INPUT as f32 / side;
        Self {
            left: (w - side) / 2.0,
            top: (h - side) / 2.0,
            scale,
            width: INPUT,
            height: INPUT,
            inner_only: true,
        }
    }
}

/// `v` rounded up to a multiple of 16, at least 16.
fn round16(v: f32) -> usize {
    ((v.ceil() as usize).div_ceil(16) * 16).max(16)
}

impl FaceDetector {
    /// Loads the built-in model.
    pub fn new() -> Result<Self, DetectError> {
        let graph = onnx::parse(MODEL)?;
        let net = net::Network::new(&graph)?;
        Ok(Self { net })
    }

    /// The faces in `frame` scoring at least [`MIN_SCORE`], best first.
    pub fn detect(&mut self, frame: &I420) -> Vec<Face> {
        let mut found = Vec::new();
        let views = [
            View::whole(frame.width(), frame.height()),
            View::close(frame.width(), frame.height()),
        ];
        for view in views {
            sample(frame, &view, self.net.input(view.height, view.width));
            let outputs = self.net.run(view.height, view.width);
            decode(&outputs, &view, frame, &mut found);
        }
        merge(found)
    }
}

/// Fills the model's input from the frame: RGB scaled to -1…1, each input pixel the
/// mean of 2×2 samples spread over the frame pixels it covers; outside the frame, 0.
fn sample(frame: &I420, view: &View, input: &mut net::Tensor) {
    let (fw, fh) = (frame.width() as usize, frame.height() as usize);
    let (luma, u, v, cw) = (frame.y(), frame.u(), frame.v(), frame.chroma_width());
    // For each input pixel along one axis, its two sample positions in the frame, or
    // None outside it.
    let taps = |n: usize, start: f32, limit: usize| -> Vec<Option<[usize; 2]>> {
        let step = 1.0 / view.scale;
        (0..n)
            .map(|i| {
                let centre = start + (i as f32 + 0.5) * step;
                (centre >= 0.0 && centre < limit as f32).then(|| {
                    [centre - step / 4.0, centre + step / 4.0]
                        .map(|p| (p.max(0.0) as usize).min(limit - 1))
                })
            })
            .collect()
    };
    let xs = taps(view.width, view.left, fw);
    let ys = taps(view.height, view.top, fh);
    let stride = input.stride();
    for (iy, ty) in ys.iter().enumerate() {
        let row = input.row_mut(iy);
        let Some([y0, y1]) = *ty else {
            row.fill(0.0);
            continue;
        };
        let (l0, l1) = (&luma[y0 * fw..][..fw], &luma[y1 * fw..][..fw]);
        let (c0, c1) = ((y0 / 2) * cw, (y1 / 2) * cw);
        let (u0, u1, v0, v1) = (
            &u[c0..][..cw],
            &u[c1..][..cw],
            &v[c0..][..cw],
            &v[c1..][..cw],
        );
        for (pixel, tx) in row.chunks_exact_mut(stride).zip(&xs) {
            let Some([x0, x1]) = *tx else {
                pixel[..3].fill(0.0);
                continue;
            };
            let (h0, h1) = (x0 / 2, x1 / 2);
            let sum = |a: &[u8], b: &[u8], i: usize, j: usize| {
                u32::from(a[i]) + u32::from(a[j]) + u32::from(b[i]) + u32::from(b[j])
            };
            let yy = sum(l0, l1, x0, x1) as f32 / 4.0 - 16.0;
            let uu = sum(u0, u1, h0, h1) as f32 / 4.0 - 128.0;
            let vv = sum(v0, v1, h0, h1) as f32 / 4.0 - 128.0;
            // BT.601, limited range, as cameras deliver I420.
            let r = 1.164 * yy + 1.596 * vv;
            let g = 1.164 * yy - 0.392 * uu - 0.813 * vv;
            let b = 1.164 * yy + 2.017 * uu;
            for (out, c) in pixel.iter_mut().zip([r, g, b]) {
                *out = c.clamp(0.0, 255.0) / 127.5 - 1.0;
            }
        }
    }
}

/// Adds the faces one look's outputs hold to `found`, in normalised frame coordinates.
fn decode(outputs: &[net::Output], view: &View, frame: &I420, found: &mut Vec<Face>) {
    let (fw, fh) = (frame.width() as f32, frame.height() as f32);
    let (iw, ih) = (view.width as f32, view.height as f32);
    // Input pixels to normalised frame coordinates.
    let to_frame = |x: f32, y: f32| Point {
        x: (view.left + x / view.scale) / fw,
        y: (view.top + y / view.scale) / fh,
    };
    for scores in outputs.iter().filter(|o| o.k == 1) {
        let Some(boxes) = outputs
            .iter()
            .find(|o| o.k == BOX_VALUES && o.grid == scores.grid)
        else {
            continue;
        };
        let (gh, gw) = scores.grid;
        let per_cell = scores.data.len() / (gh * gw);
        for (i, &logit) in scores.data.iter().enumerate() {
            let score = 1.0 / (1.0 + (-logit.clamp(-100.0, 100.0)).exp());
            if score < MIN_SCORE {
                continue;
            }
            let cell = i / per_cell;
            let (ax, ay) = (
                ((cell % gw) as f32 + 0.5) / gw as f32 * iw,
                ((cell / gw) as f32 + 0.5) / gh as f32 * ih,
            );
            let b = &boxes.data[i * BOX_VALUES..(i + 1) * BOX_VALUES];
            let (cx, cy, w, h) = (ax + b[0], ay + b[1], b[2], b[3]);
            if w <= 0.0 || h <= 0.0 {
                continue;
            }
            // A face reaching well past the close look's edge is only partly in it.
            let margin = -0.15 * h;
            if view.inner_only
                && (cx - w / 2.0 < margin
                    || cy - h / 2.0 < margin
                    || cx + w / 2.0 > iw - margin
                    || cy + h / 2.0 > ih - margin)
            {
                continue;
            }
            let (top_left, bottom_right) = (
                to_frame(cx - w / 2.0, cy - h / 2.0),
                to_frame(cx + w / 2.0, cy + h / 2.0),
            );
            found.push(Face {
                bounds: Rect {
                    x: top_left.x,
                    y: top_left.y,
                    width: bottom_right.x - top_left.x,
                    height: bottom_right.y - top_left.y,
                },
                score,
                keypoints: core::array::from_fn(|k| to_frame(ax + b[4 + 2 * k], ay + b[5 + 2 * k])),
            });
        }
    }
}

/// Intersection over union of two boxes.
fn overlap(a: &Rect, b: &Rect) -> f32 {
    let w = (a.right().min(b.right()) - a.x.max(b.x)).max(0.0);
    let h = (a.bottom().min(b.bottom()) - a.y.max(b.y)).max(0.0);
    let inter = w * h;
    let union = a.width * a.height + b.width * b.height - inter;
    if union > 0.0 { inter / union } else { 0.0 }
}

/// Weighted non-maximum suppression: the best box and all that overlap it become one
/// face, their boxes and keypoints averaged by score, with the best score; best first.
fn merge(mut found: Vec<Face>) -> Vec<Face> {
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut faces = Vec::new();
    while let Some(best) = found.first().copied() {
        let (group, rest): (Vec<Face>, Vec<Face>) = found
            .into_iter()
            .partition(|f| overlap(&best.bounds, &f.bounds) > MIN_OVERLAP);
        found = rest;
        let total: f32 = group.iter().map(|f| f.score).sum();
        let mean = |get: &dyn Fn(&Face) -> f32| {
            group.iter().map(|f| get(f) * f.score).sum::<f32>() / total
        };
        faces.push(Face {
            bounds: Rect {
                x: mean(&|f| f.bounds.x),
                y: mean(&|f| f.bounds.y),
                width: mean(&|f| f.bounds.width),
                height: mean(&|f| f.bounds.height),
            },
            score: best.score,
            keypoints: core::array::from_fn(|k| Point {
                x: mean(&|f| f.keypoints[k].x),
                y: mean(&|f| f.keypoints[k].y),
            }),
        });
    }
    faces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_model_loads() {
        FaceDetector::new().expect("the built-in model");
    }

    #[test]
    fn the_runner_computes_what_onnxruntime_computes() {
        // model/reference wrote onnxruntime's outputs for this input.
        let reference: Vec<f32> = include_bytes!("../model/reference-80x128.bin")
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mut net = net::Network::new(&onnx::parse(MODEL).unwrap()).unwrap();
        let (h, w) = (80, 128);
        let input = net.input(h, w);
        let stride = input.stride();
        for y in 0..h {
            for (x, pixel) in input.row_mut(y).chunks_exact_mut(stride).enumerate() {
                for (c, value) in pixel.iter_mut().enumerate() {
                    *value = ((7 * x + 13 * y + 29 * c) % 255) as f32 / 127.5 - 1.0;
                }
            }
        }
        // Twice: the second run reuses the first one's memory.
        for _ in 0..2 {
            let outputs = net.run(h, w);
            let ours: Vec<f32> = outputs
                .iter()
                .flat_map(|o| o.data.iter().copied())
                .collect();
            assert_eq!(ours.len(), reference.len());
            let worst = ours
                .iter()
                .zip(&reference)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(worst < 1e-3, "largest difference {worst}");
            assert_eq!(
                outputs.iter().map(|o| (o.grid, o.k)).collect::<Vec<_>>(),
                [((10, 16), 1), ((5, 8), 1), ((10, 16), 16), ((5, 8), 16)]
            );
        }
    }

    #[test]
    fn a_1280x720_frame_is_seen_whole_and_close() {
        let whole = View::whole(1280, 720);
        assert_eq!((whole.width, whole.height, whole.scale), (128, 80, 0.1));
        assert_eq!((whole.left, whole.top), (0.0, -40.0));
        let close = View::close(1280, 720);
        assert_eq!((close.width, close.height, close.scale), (128, 128, 0.25));
        assert_eq!((close.left, close.top), (384.0, 104.0));
    }

    #[test]
    fn overlapping_boxes_merge_into_the_best_and_others_stay() {
        let face = |x: f32, score: f32| Face {
            bounds: Rect {
                x,
                y: 0.2,
                width: 0.2,
                height: 0.3,
            },
            score,
            keypoints: [Point { x, y: 0.3 }; 6],
        };
        let merged = merge(vec![face(0.11, 0.6), face(0.7, 0.7), face(0.1, 0.9)]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].score, 0.9);
        let x = (0.1 * 0.9 + 0.11 * 0.6) / 1.5;
        assert!((merged[0].bounds.x - x).abs() < 1e-6);
        assert_eq!(merged[1], face(0.7, 0.7));
    }
}
