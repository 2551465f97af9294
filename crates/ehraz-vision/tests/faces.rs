//! Face detection and the face check, on real photos placed into 1280×720 frames the
//! way a camera would see a person: near and far, in and out of the selfie oval,
//! mirrored, tilted, in dim and in bright light, two people at once, and scenes with
//! nobody in them.
//!
//! Every frame is made here from the evaluation set's photos (`eval/photos`), the same
//! way each run. Where each photo's face is (its box, eyes and nose, in photo pixels)
//! was measured once with onnxruntime running the same model on the photo alone, and
//! checked by eye. A frame's label is what the face check says of the faces truly in
//! it, placed where they were put; the detector has to find them for the check to agree.
//!
//! `cargo test -p ehraz-vision --test faces -- --nocapture` prints the confusion tables.

mod common;

use std::fmt::Write as _;
use std::sync::OnceLock;

use ehraz_vision::I420;
use ehraz_vision::detect::{Face, FaceDetector};
use ehraz_vision::face::{self, FaceLimits};
use ehraz_vision::{Ellipse, Guidance, Layout, Point, Rect, Target, Verdict};
use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;

/// A photo of a face and where the face is in it (photo pixels).
struct Portrait {
    file: &'static str,
    /// Centre and height of BlazeFace's (square) box.
    centre: (f32, f32),
    height: f32,
    /// The eye on the image's left, the eye on its right, the nose tip.
    eyes: [(f32, f32); 2],
    nose: (f32, f32),
}

const PORTRAITS: [Portrait; 6] = [
    Portrait {
        file: "astronaut.jpg",
        centre: (227.0, 129.0),
        height: 95.0,
        eyes: [(204.0, 103.0), (249.0, 109.0)],
        nose: (223.0, 126.0),
    },
    Portrait {
        file: "hopper.jpg",
        centre: (266.0, 241.0),
        height: 196.0,
        eyes: [(217.0, 195.0), (305.0, 184.0)],
        nose: (263.0, 230.0),
    },
    Portrait {
        file: "obama.jpg",
        centre: (289.0, 239.0),
        height: 236.0,
        eyes: [(249.0, 183.0), (340.0, 185.0)],
        nose: (299.0, 240.0),
    },
    Portrait {
        file: "biden.jpg",
        centre: (248.0, 274.0),
        height: 247.0,
        eyes: [(218.0, 195.0), (323.0, 214.0)],
        nose: (278.0, 252.0),
    },
    Portrait {
        file: "obama-speech.jpg",
        centre: (273.0, 243.0),
        height: 250.0,
        eyes: [(197.0, 179.0), (292.0, 190.0)],
        nose: (210.0, 240.0),
    },
    Portrait {
        file: "obama-room.jpg",
        centre: (300.0, 328.0),
        height: 233.0,
        eyes: [(268.0, 246.0), (371.0, 259.0)],
        nose: (330.0, 278.0),
    },
];

/// Photos with no face in them (a cat's face is not one).
const FACE_FREE: [&str; 14] = [
    "coffee.jpg",
    "chelsea.jpg",
    "rocket.jpg",
    "brick.jpg",
    "grass.jpg",
    "gravel.jpg",
    "page.jpg",
    "text.jpg",
    "horse.jpg",
    "moon.jpg",
    "hubble.jpg",
    "coins.jpg",
    "ihc.jpg",
    "clock.jpg",
];

/// How a photo is changed on its way into the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Look {
    Plain,
    Mirrored,
    /// Light a little under half as bright.
    Dark,
    /// Light a third brighter, washed out.
    Bright,
    /// The face turned in the picture's plane by this many degrees.
    Tilted(f32),
}

const LOOKS: [Look; 6] = [
    Look::Plain,
    Look::Mirrored,
    Look::Dark,
    Look::Tilted(8.0),
    Look::Bright,
    Look::Tilted(-8.0),
];

/// One face put into a frame.
#[derive(Debug, Clone, Copy)]
struct Placed {
    portrait: usize,
    /// Height of the face's box in the frame, in pixels.
    height: f32,
    /// Where its centre goes, in frame pixels.
    centre: (f32, f32),
    look: Look,
    /// How much of the photo around the face is pasted: half its width and height, in
    /// face heights (a cut-out, when two faces share the frame).
    window: (f32, f32),
}

/// What a frame is there to test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Faces the detector must find, and the check must judge.
    Required,
    /// Faces smaller than 80 px, or small ones outside the oval that only the
    /// whole-frame look sees: printed, not asserted.
    Beyond,
    /// Nobody in the frame.
    FaceFree,
}

/// One frame of the evaluation and what came of it.
#[derive(Debug, Clone)]
struct Case {
    name: String,
    kind: Kind,
    /// The faces truly in the frame.
    truths: Vec<Face>,
    label: Verdict,
    found: Vec<Face>,
    verdict: Verdict,
}

fn oval() -> Ellipse {
    Layout::new(Target::Selfie, WIDTH, HEIGHT, true)
        .oval
        .expect("a selfie has an oval")
}

/// The oval's centre and radii in frame pixels.
fn oval_px() -> ((f32, f32), f32, f32) {
    let o = oval();
    (
        (o.centre.x * WIDTH as f32, o.centre.y * HEIGHT as f32),
        o.radius_x * WIDTH as f32,
        o.radius_y * HEIGHT as f32,
    )
}

// Frames are made with `DynamicImage`'s methods, which are compiled (optimised) in the
// image crate itself, and with row copies: the generic pixel loops of `imageops` would
// be compiled here, unoptimised in a debug build, and take seconds a frame.

/// The photos, decoded once: the face-free ones, then the portraits.
fn photos() -> &'static [DynamicImage] {
    static PHOTOS: OnceLock<Vec<DynamicImage>> = OnceLock::new();
    PHOTOS.get_or_init(|| {
        FACE_FREE
            .iter()
            .copied()
            .chain(PORTRAITS.iter().map(|p| p.file))
            .map(|file| DynamicImage::ImageRgb8(common::photo(file)))
            .collect()
    })
}

/// `photo`'s (`x`, `y`, `w`, `h`) scaled to `out_w`×`out_h`.
fn crop_scaled(
    photo: &DynamicImage,
    (x, y, w, h): (u32, u32, u32, u32),
    out_w: u32,
    out_h: u32,
) -> RgbImage {
    photo
        .crop_imm(x, y, w, h)
        .resize_exact(out_w, out_h, FilterType::Triangle)
        .into_rgb8()
}

/// Face-free photo `photo` scaled to cover the frame, cropped one of six ways.
fn background(photo: usize, variant: usize) -> RgbImage {
    let zoom = [1.0, 1.0, 1.6, 1.0, 2.5, 1.3][variant % 6];
    let (fx, fy) = [
        (0.5, 0.5),
        (0.2, 0.8),
        (0.7, 0.3),
        (0.5, 0.5),
        (0.9, 0.1),
        (0.3, 0.6),
    ][variant % 6];
    let photo = &photos()[photo % FACE_FREE.len()];
    let (pw, ph) = (photo.width() as f32, photo.height() as f32);
    let scale = (WIDTH as f32 / pw).max(HEIGHT as f32 / ph) * zoom;
    let (cw, ch) = (WIDTH as f32 / scale, HEIGHT as f32 / scale);
    let x = ((pw - cw) * fx).clamp(0.0, pw - cw);
    let y = ((ph - ch) * fy).clamp(0.0, ph - ch);
    crop_scaled(
        photo,
        (x as u32, y as u32, cw as u32, ch as u32),
        WIDTH,
        HEIGHT,
    )
}

/// Pastes a portrait into `frame`; returns the face as it now is in the frame.
fn place(frame: &mut RgbImage, placed: &Placed) -> Face {
    let portrait = &PORTRAITS[placed.portrait];
    let photo = &photos()[FACE_FREE.len() + placed.portrait];
    let s = placed.height / portrait.height;
    let (fcx, fcy) = placed.centre;
    let (pcx, pcy) = portrait.centre;
    // The frame area the photo covers (its window around the face, in the frame).
    let (wx, wy) = (
        placed.window.0 * placed.height,
        placed.window.1 * placed.height,
    );
    let left = (fcx - wx).max(0.0);
    let right = (fcx + wx).min(WIDTH as f32);
    let top = (fcy - wy).max(0.0);
    let bottom = (fcy + wy).min(HEIGHT as f32);
    let mirrored = placed.look == Look::Mirrored;
    let angle = match placed.look {
        Look::Tilted(degrees) => degrees.to_radians(),
        _ => 0.0,
    };
    // The part of the photo that lands there (with room for the tilt), scaled. Photo
    // coordinates of frame point (x, y) before tilting; mirrored photos are read from
    // the other side.
    let margin = if angle == 0.0 {
        2.0
    } else {
        0.2 * (right - left).max(bottom - top)
    };
    let to_photo_x = |x: f32| {
        if mirrored {
            pcx - (x - fcx) / s
        } else {
            pcx + (x - fcx) / s
        }
    };
    let to_photo_y = |y: f32| pcy + (y - fcy) / s;
    let (photo_w, photo_h) = (photo.width() as f32, photo.height() as f32);
    let (a, b) = (to_photo_x(left - margin), to_photo_x(right + margin));
    let x0 = a.min(b).floor().clamp(0.0, photo_w - 1.0) as u32;
    let x1 = a.max(b).ceil().clamp(x0 as f32 + 1.0, photo_w) as u32;
    let y0 = to_photo_y(top - margin).floor().clamp(0.0, photo_h - 1.0) as u32;
    let y1 = to_photo_y(bottom + margin)
        .ceil()
        .clamp(y0 as f32 + 1.0, photo_h) as u32;
    let scaled = |n: u32| ((n as f32 * s).round() as u32).max(2);
    let mut piece = crop_scaled(
        photo,
        (x0, y0, x1 - x0, y1 - y0),
        scaled(x1 - x0),
        scaled(y1 - y0),
    );
    // The scale the rounding left, and the face centre in the piece.
    let sx = piece.width() as f32 / (x1 - x0) as f32;
    let sy = piece.height() as f32 / (y1 - y0) as f32;
    if mirrored {
        piece = DynamicImage::ImageRgb8(piece).fliph().into_rgb8();
    }
    let piece_cx = if mirrored {
        (x1 as f32 - pcx) * sx
    } else {
        (pcx - x0 as f32) * sx
    };
    let piece_cy = (pcy - y0 as f32) * sy;
    let (sin, cos) = angle.sin_cos();
    let (fw, pw) = (WIDTH as usize * 3, piece.width() as usize * 3);
    if angle == 0.0 {
        // A straight copy, row by row: frame x = piece x + shift.
        let (shift_x, shift_y) = (
            (fcx - piece_cx).round() as i64,
            (fcy - piece_cy).round() as i64,
        );
        let x_from = (left as i64).max(shift_x);
        let x_to = (right as i64).min(shift_x + piece.width() as i64);
        let y_from = (top as i64).max(shift_y);
        let y_to = (bottom as i64).min(shift_y + piece.height() as i64);
        if x_from < x_to {
            let (src, dst) = (piece.as_raw(), &mut **frame);
            let len = (x_to - x_from) as usize * 3;
            for y in y_from..y_to {
                let from = (y - shift_y) as usize * pw + (x_from - shift_x) as usize * 3;
                let to = y as usize * fw + x_from as usize * 3;
                dst[to..to + len].copy_from_slice(&src[from..from + len]);
            }
        }
    } else {
        for y in top as u32..bottom as u32 {
            for x in left as u32..right as u32 {
                // Frame pixel → piece, turning back by the tilt about the face centre.
                let (dx, dy) = (x as f32 + 0.5 - fcx, y as f32 + 0.5 - fcy);
                let (rx, ry) = (cos * dx + sin * dy, -sin * dx + cos * dy);
                let (u, v) = (piece_cx + rx - 0.5, piece_cy + ry - 0.5);
                if u < 0.0
                    || v < 0.0
                    || u >= (piece.width() - 1) as f32
                    || v >= (piece.height() - 1) as f32
                {
                    continue;
                }
                let at = y as usize * fw + x as usize * 3;
                let pixel = bilinear(&piece, u, v);
                (**frame)[at..at + 3].copy_from_slice(&pixel);
            }
        }
    }
    // The face's landmarks, moved as the photo was.
    let to_frame = |(x, y): (f32, f32)| {
        let dx = if mirrored { pcx - x } else { x - pcx } * s;
        let dy = (y - pcy) * s;
        Point {
            x: (fcx + cos * dx - sin * dy) / WIDTH as f32,
            y: (fcy + sin * dx + cos * dy) / HEIGHT as f32,
        }
    };
    let [a, b] = portrait.eyes.map(to_frame);
    // Keypoint 0 is the eye on the image's left.
    let (left_eye, right_eye) = if a.x <= b.x { (a, b) } else { (b, a) };
    let nose = to_frame(portrait.nose);
    let h = placed.height;
    Face {
        bounds: Rect {
            x: (fcx - h / 2.0) / WIDTH as f32,
            y: (fcy - h / 2.0) / HEIGHT as f32,
            width: h / WIDTH as f32,
            height: h / HEIGHT as f32,
        },
        score: 1.0,
        keypoints: [left_eye, right_eye, nose, nose, left_eye, right_eye],
    }
}

fn bilinear(picture: &RgbImage, u: f32, v: f32) -> [u8; 3] {
    let (x, y) = (u as usize, v as usize);
    let (fx, fy) = (u - x as f32, v - y as f32);
    let (raw, row) = (picture.as_raw(), picture.width() as usize * 3);
    let p = |dx: usize, dy: usize, c: usize| f32::from(raw[(y + dy) * row + (x + dx) * 3 + c]);
    core::array::from_fn(|c| {
        let top = p(0, 0, c) + (p(1, 0, c) - p(0, 0, c)) * fx;
        let bottom = p(0, 1, c) + (p(1, 1, c) - p(0, 1, c)) * fx;
        (top + (bottom - top) * fy).round() as u8
    })
}

/// The frame as the camera gives it (BT.601, limited range, as `common::to_i420`, in
/// integers), in the given light: dimmed for `Dark`, brightened for `Bright`.
fn to_i420(picture: &RgbImage, light: Look) -> common::Frame {
    let (gain, lift) = match light {
        Look::Dark => (115, 0),
        Look::Bright => (333, 25),
        _ => (256, 0),
    };
    let (w, h) = (picture.width() as usize, picture.height() as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let mut data = vec![0u8; I420::len_for(WIDTH, HEIGHT)];
    let (luma, chroma) = data.split_at_mut(w * h);
    let (u_plane, v_plane) = chroma.split_at_mut(cw * ch);
    let raw = picture.as_raw();
    let lit = |c: u8| (((i32::from(c) * gain) >> 8) + lift).min(255);
    for y in 0..h {
        let row = &raw[y * w * 3..(y + 1) * w * 3];
        for (x, px) in row.chunks_exact(3).enumerate() {
            let (r, g, b) = (lit(px[0]), lit(px[1]), lit(px[2]));
            luma[y * w + x] = (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16) as u8;
        }
    }
    for cy in 0..ch {
        for cx in 0..cw {
            let (mut r, mut g, mut b) = (0, 0, 0);
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let at = ((2 * cy + dy) * w + 2 * cx + dx) * 3;
                r += lit(raw[at]);
                g += lit(raw[at + 1]);
                b += lit(raw[at + 2]);
            }
            let (r, g, b) = (r / 4, g / 4, b / 4);
            u_plane[cy * cw + cx] = (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128) as u8;
            v_plane[cy * cw + cx] = (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128) as u8;
        }
    }
    common::Frame {
        width: WIDTH,
        height: HEIGHT,
        data,
    }
}

/// What the face check says of the faces truly in a frame.
fn label(truths: &[Face]) -> Verdict {
    face::check(truths, &oval(), &FaceLimits::default())
}

/// A detected face is a true one when its centre is inside the true box and its size
/// is within a factor of two.
fn matches(found: &Face, truth: &Face) -> bool {
    let c = found.bounds.centre();
    let t = truth.bounds;
    let ratio = found.bounds.height / t.height;
    c.x >= t.x
        && c.x <= t.right()
        && c.y >= t.y
        && c.y <= t.bottom()
        && (0.5..=2.0).contains(&ratio)
}

/// The frames to evaluate: their name, kind, the faces to put in them, the background
/// and the light.
fn scenes() -> Vec<Scene> {
    let ((cx, cy), rx, ry) = oval_px();
    let at = |ox: f32, oy: f32| (cx + ox * rx, cy + oy * ry);
    // (face height, centre, kind) for one face alone.
    let single: [(f32, (f32, f32), Kind); 18] = [
        // Far from the camera, inside the oval: "come closer".
        (80.0, at(0.0, 0.0), Kind::Required),
        (80.0, at(-0.5, -0.5), Kind::Required),
        (110.0, at(0.5, 0.4), Kind::Required),
        (150.0, at(0.0, 0.0), Kind::Required),
        (150.0, at(0.4, -0.6), Kind::Required),
        // Near enough, in the middle.
        (260.0, at(0.0, 0.0), Kind::Required),
        (330.0, at(0.15, -0.1), Kind::Required),
        (400.0, at(-0.1, 0.1), Kind::Required),
        (460.0, at(0.0, 0.0), Kind::Required),
        // Near enough, off the middle or out of the oval.
        (260.0, at(0.8, 0.0), Kind::Required),
        (330.0, at(-0.75, 0.5), Kind::Required),
        (400.0, at(0.9, 0.1), Kind::Required),
        (260.0, (230.0, 360.0), Kind::Required),
        // Too near.
        (570.0, at(0.0, 0.0), Kind::Required),
        (620.0, at(0.1, 0.0), Kind::Required),
        // Beyond what is required: tinier than 80 px, or small and far out of the oval.
        (60.0, at(0.0, 0.0), Kind::Beyond),
        (100.0, (200.0, 200.0), Kind::Beyond),
        (150.0, (1100.0, 500.0), Kind::Beyond),
    ];
    let mut scenes = Vec::new();
    for p in 0..PORTRAITS.len() {
        for (i, &(height, centre, kind)) in single.iter().enumerate() {
            let look = LOOKS[(p + i) % LOOKS.len()];
            let placed = Placed {
                portrait: p,
                height,
                centre,
                look,
                window: (4.0, 4.0),
            };
            let name = format!(
                "{} {height:.0}px at ({:.0},{:.0}) {look:?}",
                PORTRAITS[p].file, centre.0, centre.1
            );
            scenes.push((
                name,
                kind,
                vec![placed],
                ((p * 7 + i) % FACE_FREE.len(), p + i),
                look,
            ));
        }
    }
    // Two people: side by side, or one near and one further back.
    for (n, (a, b)) in [(0, 1), (2, 3), (4, 5), (1, 4), (3, 0), (5, 2)]
        .into_iter()
        .enumerate()
    {
        let look = LOOKS[n % LOOKS.len()];
        let cut = |portrait: usize, height: f32, centre: (f32, f32)| Placed {
            portrait,
            height,
            centre,
            look,
            window: (0.9, 1.4),
        };
        scenes.push((
            format!(
                "{} and {} side by side {look:?}",
                PORTRAITS[a].file, PORTRAITS[b].file
            ),
            Kind::Required,
            vec![
                cut(a, 280.0, (cx - 220.0, cy)),
                cut(b, 280.0, (cx + 220.0, cy)),
            ],
            (n, n),
            look,
        ));
        scenes.push((
            format!(
                "{} near, {} behind {look:?}",
                PORTRAITS[a].file, PORTRAITS[b].file
            ),
            Kind::Required,
            vec![
                cut(a, 380.0, (cx, cy)),
                cut(b, 240.0, (cx + 420.0, cy - 160.0)),
            ],
            (n + 5, n + 1),
            look,
        ));
    }
    // Nobody.
    for (i, file) in FACE_FREE.iter().enumerate() {
        for (j, look) in [
            Look::Plain,
            Look::Mirrored,
            Look::Dark,
            Look::Bright,
            Look::Plain,
            Look::Plain,
        ]
        .into_iter()
        .enumerate()
        {
            scenes.push((
                format!("{file} #{j} {look:?}"),
                Kind::FaceFree,
                Vec::new(),
                (i, j),
                look,
            ));
        }
    }
    scenes
}

/// One frame to make: its name, kind, the faces to put in it, its background (photo
/// and crop) and its light.
type Scene = (String, Kind, Vec<Placed>, (usize, usize), Look);

/// Makes one frame: the background, the faces, then the light.
fn render(
    placed: &[Placed],
    (photo, variant): (usize, usize),
    light: Look,
) -> (common::Frame, Vec<Face>) {
    let mut frame = background(photo, variant);
    if light == Look::Mirrored && placed.is_empty() {
        frame = DynamicImage::ImageRgb8(frame).fliph().into_rgb8();
    }
    let truths = placed.iter().map(|p| place(&mut frame, p)).collect();
    (to_i420(&frame, light), truths)
}

/// Runs the detector on every frame (on two threads), once for all the tests here.
fn evaluation() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let scenes = scenes();
        let half = scenes.len().div_ceil(2);
        let run = |chunk: &[Scene]| {
            let mut detector = FaceDetector::new().expect("the built-in model");
            chunk
                .iter()
                .map(|(name, kind, placed, background, light)| {
                    let (picture, truths) = render(placed, *background, *light);
                    let found = detector.detect(&picture.view());
                    Case {
                        name: name.clone(),
                        kind: *kind,
                        label: label(&truths),
                        verdict: face::check(&found, &oval(), &FaceLimits::default()),
                        truths,
                        found,
                    }
                })
                .collect::<Vec<_>>()
        };
        std::thread::scope(|s| {
            let (first, second) = scenes.split_at(half);
            let other = s.spawn(|| run(second));
            let mut cases = run(first);
            cases.extend(other.join().expect("the second half ran"));
            cases
        })
    })
}

fn describe(face: &Face) -> String {
    let b = face.bounds;
    format!(
        "box ({:.0},{:.0}) {:.0}px score {:.2}",
        b.centre().x * WIDTH as f32,
        b.centre().y * HEIGHT as f32,
        b.height * HEIGHT as f32,
        face.score
    )
}

#[test]
fn the_astronauts_face_is_found_with_its_box_and_eyes_where_they_are() {
    let placed = Placed {
        portrait: 0,
        height: 300.0,
        centre: (640.0, 360.0),
        look: Look::Plain,
        window: (4.0, 4.0),
    };
    let (picture, truths) = render(&[placed], (0, 0), Look::Plain);
    let truth = truths[0];
    let faces = FaceDetector::new()
        .expect("the built-in model")
        .detect(&picture.view());
    assert_eq!(faces.len(), 1, "{faces:?}");
    let face = faces[0];
    assert!(face.score > 0.8, "{}", describe(&face));
    let px = |p: Point| (p.x * WIDTH as f32, p.y * HEIGHT as f32);
    let near = |a: Point, b: Point, tolerance: f32| {
        let ((ax, ay), (bx, by)) = (px(a), px(b));
        (ax - bx).hypot(ay - by) <= tolerance
    };
    // Box centre within 10 % of the face's height, its height within 15 %.
    assert!(
        near(face.bounds.centre(), truth.bounds.centre(), 30.0),
        "{}",
        describe(&face)
    );
    let height = face.bounds.height * HEIGHT as f32;
    assert!((height - 300.0).abs() <= 45.0, "{}", describe(&face));
    // The eyes within 7 % of the face's height, the person's right eye on the image's left.
    assert!(face.right_eye().x < face.left_eye().x);
    for (found, true_eye) in [
        (face.right_eye(), truth.keypoints[0]),
        (face.left_eye(), truth.keypoints[1]),
    ] {
        assert!(
            near(found, true_eye, 21.0),
            "eye at {:?}, truly at {:?}",
            px(found),
            px(true_eye)
        );
    }
    assert_eq!(
        face::check(&faces, &oval(), &FaceLimits::default()),
        Verdict::Pass
    );
}

#[test]
fn the_astronaut_far_from_the_camera_is_told_to_come_closer() {
    let placed = Placed {
        portrait: 0,
        height: 90.0,
        centre: (640.0, 330.0),
        look: Look::Plain,
        window: (4.0, 4.0),
    };
    let (picture, _) = render(&[placed], (3, 0), Look::Plain);
    let faces = FaceDetector::new()
        .expect("the built-in model")
        .detect(&picture.view());
    assert_eq!(faces.len(), 1, "{faces:?}");
    let height = faces[0].bounds.height * HEIGHT as f32;
    assert!((60.0..=120.0).contains(&height), "{}", describe(&faces[0]));
    assert_eq!(
        face::check(&faces, &oval(), &FaceLimits::default()),
        Verdict::Fail(Guidance::FaceTooSmall)
    );
}

#[test]
fn a_face_in_a_portrait_frame_is_found_where_it_is() {
    // A phone held upright: 720×1280, the astronaut's face 250 px tall at (360, 500).
    let (w, h) = (720u32, 1280u32);
    let s = 250.0 / PORTRAITS[0].height;
    let side = (512.0 * s).round() as u32;
    let photo = photos()[FACE_FREE.len()].resize_exact(side, side, FilterType::Triangle);
    let (left, top) = (
        (360.0 - PORTRAITS[0].centre.0 * s).round() as i64,
        (500.0 - PORTRAITS[0].centre.1 * s).round() as i64,
    );
    let mut picture = RgbImage::from_pixel(w, h, image::Rgb([120, 130, 140]));
    let (src, row) = (photo.as_rgb8().expect("RGB").as_raw(), side as usize * 3);
    for y in 0..side as i64 {
        let fy = top + y;
        if !(0..h as i64).contains(&fy) {
            continue;
        }
        // Columns of the photo that land in the frame.
        let x0 = (-left).max(0);
        let x1 = (w as i64 - left).min(side as i64);
        let at = (fy as usize * w as usize + (left + x0) as usize) * 3;
        let from = y as usize * row + x0 as usize * 3;
        let len = (x1 - x0) as usize * 3;
        (*picture)[at..at + len].copy_from_slice(&src[from..from + len]);
    }
    let faces = FaceDetector::new()
        .expect("the built-in model")
        .detect(&common::to_i420(&picture).view());
    assert_eq!(faces.len(), 1, "{faces:?}");
    let (c, height) = (faces[0].bounds.centre(), faces[0].bounds.height * h as f32);
    let (x, y) = (c.x * w as f32, c.y * h as f32);
    assert!(
        (x - 360.0).abs() <= 25.0 && (y - 500.0).abs() <= 25.0,
        "centre ({x}, {y})"
    );
    assert!((height - 250.0).abs() <= 40.0, "{height} px tall");
}

#[test]
fn frontal_faces_of_80_px_and_more_in_the_oval_are_found() {
    let cases = evaluation();
    let mut table = String::new();
    let (mut found, mut total) = (0, 0);
    for (kind, title) in [
        (Kind::Required, "required"),
        (Kind::Beyond, "beyond the requirement"),
    ] {
        writeln!(table, "faces found, {title} (by face height):").unwrap();
        for (low, high) in [
            (0.0, 79.0),
            (80.0, 150.0),
            (151.0, 250.0),
            (251.0, 470.0),
            (471.0, 700.0),
        ] {
            let mut n = (0, 0);
            for case in cases.iter().filter(|c| c.kind == kind) {
                for truth in &case.truths {
                    let h = truth.bounds.height * HEIGHT as f32;
                    if h < low || h > high {
                        continue;
                    }
                    n.1 += 1;
                    if case.found.iter().any(|f| matches(f, truth)) {
                        n.0 += 1;
                    } else {
                        writeln!(
                            table,
                            "    missed: {}; found {:?}",
                            case.name,
                            case.found.iter().map(describe).collect::<Vec<_>>()
                        )
                        .unwrap();
                    }
                }
            }
            if n.1 > 0 {
                writeln!(table, "  {low:>3.0}–{high:.0} px: {}/{}", n.0, n.1).unwrap();
            }
            if kind == Kind::Required {
                found += n.0;
                total += n.1;
            }
        }
    }
    // The scores the true faces were found with, lowest first.
    let mut scores: Vec<f32> = cases
        .iter()
        .filter(|c| c.kind == Kind::Required)
        .flat_map(|c| {
            c.truths
                .iter()
                .filter_map(|t| c.found.iter().find(|f| matches(f, t)))
        })
        .map(|f| f.score)
        .collect();
    scores.sort_by(f32::total_cmp);
    writeln!(
        table,
        "scores of the faces found: lowest {:.2}, 5th percentile {:.2}, median {:.2}",
        scores[0],
        scores[scores.len() / 20],
        scores[scores.len() / 2]
    )
    .unwrap();
    let recall = found as f32 / total as f32;
    println!(
        "{table}required faces found: {found}/{total} ({:.1} %)",
        100.0 * recall
    );
    assert!(total >= 100, "{total} faces");
    assert!(recall >= 0.95, "{found}/{total} faces found");
}

#[test]
fn a_face_is_reported_in_at_most_1_percent_of_face_free_frames() {
    let cases: Vec<&Case> = evaluation()
        .iter()
        .filter(|c| c.kind == Kind::FaceFree)
        .collect();
    let mut table = String::from("face-free frames with a face reported, by photo:\n");
    let mut wrong = 0;
    for file in FACE_FREE {
        let of_file: Vec<_> = cases.iter().filter(|c| c.name.starts_with(file)).collect();
        let bad: Vec<_> = of_file.iter().filter(|c| !c.found.is_empty()).collect();
        wrong += bad.len();
        writeln!(table, "  {file:<12} {}/{}", bad.len(), of_file.len()).unwrap();
        for case in bad {
            writeln!(
                table,
                "    {}: {:?}",
                case.name,
                case.found.iter().map(describe).collect::<Vec<_>>()
            )
            .unwrap();
        }
    }
    match cases
        .iter()
        .flat_map(|c| c.found.iter().map(|f| f.score))
        .reduce(f32::max)
    {
        Some(highest) => writeln!(
            table,
            "highest score of a face in a face-free frame: {highest:.2}"
        ),
        None => writeln!(table, "no face reported in any face-free frame"),
    }
    .unwrap();
    let rate = wrong as f32 / cases.len() as f32;
    println!(
        "{table}face-free frames with a face: {wrong}/{} ({:.1} %)",
        cases.len(),
        100.0 * rate
    );
    assert!(cases.len() >= 80, "{} frames", cases.len());
    assert!(
        rate <= 0.01,
        "{wrong}/{} face-free frames with a face",
        cases.len()
    );
}

#[test]
fn the_face_check_agrees_with_the_labels_in_95_percent_of_frames() {
    let cases: Vec<&Case> = evaluation()
        .iter()
        .filter(|c| c.kind != Kind::Beyond)
        .collect();
    let name = |v: Verdict| match v {
        Verdict::Pass => "ok",
        Verdict::Fail(g) => g.id(),
    };
    let verdicts = [
        Verdict::Pass,
        Verdict::Fail(Guidance::NoFace),
        Verdict::Fail(Guidance::ManyFaces),
        Verdict::Fail(Guidance::FaceTooSmall),
        Verdict::Fail(Guidance::FaceOffCentre),
        Verdict::Fail(Guidance::FaceTooLarge),
        Verdict::Fail(Guidance::FaceTurned),
    ];
    let mut table = String::from("face check: label (rows) against verdict (columns)\n");
    write!(table, "{:>16}", "").unwrap();
    for v in verdicts {
        write!(table, "{:>16}", name(v)).unwrap();
    }
    writeln!(table).unwrap();
    let mut agree = 0;
    for label in verdicts {
        let row: Vec<_> = cases.iter().filter(|c| c.label == label).collect();
        if row.is_empty() {
            continue;
        }
        write!(table, "{:>16}", name(label)).unwrap();
        for verdict in verdicts {
            write!(
                table,
                "{:>16}",
                row.iter().filter(|c| c.verdict == verdict).count()
            )
            .unwrap();
        }
        writeln!(table).unwrap();
        agree += row.iter().filter(|c| c.verdict == label).count();
    }
    for case in cases.iter().filter(|c| c.verdict != c.label) {
        writeln!(
            table,
            "  {}: labelled {}, checked {}; truly {:?}, found {:?}",
            case.name,
            name(case.label),
            name(case.verdict),
            case.truths.iter().map(describe).collect::<Vec<_>>(),
            case.found.iter().map(describe).collect::<Vec<_>>()
        )
        .unwrap();
    }
    let rate = agree as f32 / cases.len() as f32;
    println!(
        "{table}agreement: {agree}/{} ({:.1} %)",
        cases.len(),
        100.0 * rate
    );
    assert!(rate >= 0.95, "{agree}/{} frames agree", cases.len());
}
