//! Scenes for the checks' evaluation, made from the evaluation photos: the astronaut
//! placed in the selfie oval in front of one backdrop or another, a sheet of paper with a
//! drawn signature on a table, an ID-1 card on a table; and what a camera does to them
//! (light, focus, motion blur, shake, noise). Everything is deterministic.

#![allow(dead_code)]

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ehraz_vision::detect::Face;
use ehraz_vision::{Layout, Point, Rect, Target};
use image::imageops::FilterType;
use image::{DynamicImage, GrayImage, Luma, RgbImage};

use crate::common::{self, Frame};

/// Deterministic random numbers (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Uniform in [a, b).
    pub fn range(&mut self, a: f32, b: f32) -> f32 {
        a + (b - a) * self.unit()
    }

    /// About normal, mean 0, deviation 1 (sum of four uniforms).
    pub fn normal(&mut self) -> f32 {
        (self.unit() + self.unit() + self.unit() + self.unit() - 2.0) * 3f32.sqrt()
    }
}

/// `make()`, made once per test run for each `key` (scenes are shared between tests).
fn cached<T: Clone + Send + 'static>(key: String, make: impl FnOnce() -> T) -> T {
    type Store = Mutex<HashMap<String, Box<dyn Any + Send>>>;
    static STORE: OnceLock<Store> = OnceLock::new();
    let store = STORE.get_or_init(Store::default);
    if let Some(found) = store.lock().unwrap().get(&key) {
        return found.downcast_ref::<T>().expect("one type per key").clone();
    }
    let made = make();
    store.lock().unwrap().insert(key, Box::new(made.clone()));
    made
}

// ----- the astronaut, labelled by hand once, in the 512×512 photo's pixels -----

/// The face's box: cheek to cheek, brow to chin.
const FACE_BOX: [f32; 4] = [180.0, 78.0, 270.0, 188.0];
/// The face's centre.
const FACE_CENTRE: (f32, f32) = (225.0, 133.0);
/// Right eye, left eye, nose tip, mouth, right ear, left ear (MediaPipe's order).
const KEYPOINTS: [(f32, f32); 6] = [
    (203.0, 101.0),
    (247.0, 102.0),
    (227.0, 125.0),
    (228.0, 146.0),
    (182.0, 118.0),
    (270.0, 118.0),
];
/// The person's outline (hair, neck ring, suit, and the helmet in front), clockwise
/// from the top of the hair; the flag, the shuttle and the backdrop are outside.
const SILHOUETTE: [(f32, f32); 66] = [
    (212.0, 17.0),
    (240.0, 16.0),
    (261.0, 24.0),
    (276.0, 32.0),
    (286.0, 40.0),
    (295.0, 56.0),
    (299.0, 72.0),
    (301.0, 88.0),
    (299.0, 96.0),
    (293.0, 112.0),
    (287.0, 120.0),
    (279.0, 128.0),
    (271.0, 136.0),
    (264.0, 146.0),
    (257.0, 160.0),
    (256.0, 170.0),
    (262.0, 178.0),
    (279.0, 192.0),
    (292.0, 208.0),
    (300.0, 224.0),
    (304.0, 234.0),
    (325.0, 248.0),
    (341.0, 264.0),
    (347.0, 280.0),
    (354.0, 296.0),
    (357.0, 312.0),
    (360.0, 336.0),
    (365.0, 342.0),
    (420.0, 336.0),
    (470.0, 348.0),
    (500.0, 372.0),
    (511.0, 398.0),
    (511.0, 511.0),
    (40.0, 511.0),
    (27.0, 480.0),
    (25.0, 448.0),
    (20.0, 416.0),
    (21.0, 384.0),
    (49.0, 368.0),
    (48.0, 352.0),
    (35.0, 336.0),
    (34.0, 320.0),
    (42.0, 288.0),
    (50.0, 272.0),
    (58.0, 256.0),
    (74.0, 240.0),
    (93.0, 224.0),
    (110.0, 208.0),
    (129.0, 200.0),
    (127.0, 184.0),
    (132.0, 168.0),
    (139.0, 160.0),
    (153.0, 152.0),
    (183.0, 146.0),
    (182.0, 136.0),
    (175.0, 128.0),
    (164.0, 112.0),
    (157.0, 104.0),
    (154.0, 88.0),
    (153.0, 72.0),
    (158.0, 56.0),
    (167.0, 48.0),
    (181.0, 40.0),
    (191.0, 32.0),
    (200.0, 24.0),
    (212.0, 17.0),
];

fn astronaut() -> &'static RgbImage {
    static PHOTO: OnceLock<RgbImage> = OnceLock::new();
    PHOTO.get_or_init(|| common::photo("astronaut.jpg"))
}

/// The person's mask over the photo (255 inside the outline).
fn silhouette() -> &'static GrayImage {
    static MASK: OnceLock<GrayImage> = OnceLock::new();
    MASK.get_or_init(|| {
        let (w, h) = astronaut().dimensions();
        let mut mask = GrayImage::new(w, h);
        fill_polygon(&SILHOUETTE, w, h, |x, y| mask.put_pixel(x, y, Luma([255])));
        mask
    })
}

/// A photo of the evaluation set, loaded once.
pub fn texture(name: &'static str) -> &'static RgbImage {
    static TEXTURES: OnceLock<[RgbImage; 3]> = OnceLock::new();
    let all = TEXTURES.get_or_init(|| ["brick.jpg", "gravel.jpg", "coffee.jpg"].map(common::photo));
    match name {
        "brick" => &all[0],
        "gravel" => &all[1],
        "coffee" => &all[2],
        _ => panic!("no texture {name}"),
    }
}

/// Calls `fill` for every pixel whose centre is inside `polygon` (even-odd rule).
fn fill_polygon(polygon: &[(f32, f32)], width: u32, height: u32, mut fill: impl FnMut(u32, u32)) {
    let mut crossings = Vec::new();
    for y in 0..height {
        let cy = y as f32 + 0.5;
        crossings.clear();
        for edge in polygon.windows(2) {
            let ((x0, y0), (x1, y1)) = (edge[0], edge[1]);
            if (y0 <= cy) != (y1 <= cy) {
                crossings.push(x0 + (cy - y0) / (y1 - y0) * (x1 - x0));
            }
        }
        crossings.sort_by(f32::total_cmp);
        for pair in crossings.chunks_exact(2) {
            let from = (pair[0] - 0.5).ceil().max(0.0) as u32;
            let to = ((pair[1] - 0.5).floor().min(width as f32 - 1.0)).max(-1.0) as i64;
            for x in from as i64..=to {
                fill(x as u32, y);
            }
        }
    }
}

/// `image` resized to exactly `w`×`h`.
fn resized(image: &RgbImage, w: u32, h: u32) -> RgbImage {
    DynamicImage::ImageRgb8(image.clone())
        .resize_exact(w.max(1), h.max(1), FilterType::Triangle)
        .to_rgb8()
}

/// `image` scaled to cover `w`×`h` and cropped to it, centred.
fn covering(image: &RgbImage, w: u32, h: u32) -> RgbImage {
    DynamicImage::ImageRgb8(image.clone())
        .resize_to_fill(w, h, FilterType::Triangle)
        .to_rgb8()
}

// ----- selfies -----

/// What is behind the person.
#[derive(Debug, Clone, Copy)]
pub enum Backdrop {
    /// The photo's own: a mottled grey backdrop, a flag on the left, a shuttle model.
    Photo,
    /// A plain wall of one colour, lit a little unevenly (`shade`: darkening to one side).
    Plain { colour: [u8; 3], shade: f32 },
    /// One of the textures, tinted.
    Texture { name: &'static str, tint: [f32; 3] },
}

/// The astronaut, placed in the selfie oval.
#[derive(Debug, Clone, Copy)]
pub struct Selfie {
    pub backdrop: Backdrop,
    /// The face box's height as a share of the oval's height.
    pub size: f32,
    /// The face's centre from the oval's centre, as shares of the frame's width and height.
    pub dx: f32,
    pub dy: f32,
    /// Light on the person and on the backdrop (1 = as photographed).
    pub person_gain: f32,
    pub backdrop_gain: f32,
}

impl Selfie {
    /// A well-lit selfie, face centred and a good size, in front of `backdrop`.
    pub fn new(backdrop: Backdrop) -> Self {
        Self {
            backdrop,
            size: 0.6,
            dx: 0.0,
            dy: 0.0,
            person_gain: 1.0,
            backdrop_gain: 1.0,
        }
    }

    /// The picture, and the face as a detector would report it (made once per test run).
    pub fn render(&self, width: u32, height: u32) -> (RgbImage, Face) {
        cached(format!("{self:?} {width}×{height}"), || {
            self.draw(width, height)
        })
    }

    fn draw(&self, width: u32, height: u32) -> (RgbImage, Face) {
        let layout = Layout::new(Target::Selfie, width, height, true);
        let oval = layout.oval.expect("selfies have an oval");
        let face_h = self.size * 2.0 * oval.radius_y * height as f32;
        let s = face_h / (FACE_BOX[3] - FACE_BOX[1]);
        let cx = (oval.centre.x + self.dx) * width as f32;
        let cy = (oval.centre.y + self.dy) * height as f32;
        let (ox, oy) = (
            (cx - FACE_CENTRE.0 * s).round() as i64,
            (cy - FACE_CENTRE.1 * s).round() as i64,
        );
        let side = (512.0 * s).round() as u32;
        let (photo, mask) = cached(format!("astronaut {side}"), || {
            let photo = resized(astronaut(), side, side);
            let mask = DynamicImage::ImageLuma8(silhouette().clone())
                .resize_exact(side, side, FilterType::Triangle)
                .to_luma8();
            (photo, mask)
        });
        let mut out = match self.backdrop {
            Backdrop::Photo => RgbImage::new(width, height),
            Backdrop::Plain { colour, shade } => plain(width, height, colour, shade),
            Backdrop::Texture { name, tint } => {
                let mut t = covering(texture(name), width, height);
                tinted(&mut t, tint);
                t
            }
        };
        let photo_backdrop = matches!(self.backdrop, Backdrop::Photo);
        // Light, as tables from 0..=255 to the lit value.
        let lit = |gain: f32| -> Vec<u16> {
            (0..256)
                .map(|v| (v as f32 * gain).round().min(255.0) as u16)
                .collect()
        };
        let (person_lit, backdrop_lit) = (lit(self.person_gain), lit(self.backdrop_gain));
        let (photo, mask, side) = (photo.as_raw(), mask.as_raw(), side as i64);
        let row_len = width as usize * 3;
        let out_raw: &mut [u8] = &mut out;
        for (y, row) in out_raw.chunks_exact_mut(row_len).enumerate() {
            let py = (y as i64 - oy).clamp(0, side - 1) as usize;
            let inside_y = (0..side).contains(&(y as i64 - oy));
            for (x, p) in row.chunks_exact_mut(3).enumerate() {
                let px = (x as i64 - ox).clamp(0, side - 1) as usize;
                let i = py * side as usize + px;
                let alpha = if inside_y && (0..side).contains(&(x as i64 - ox)) {
                    u16::from(mask[i])
                } else {
                    0
                };
                for c in 0..3 {
                    let person = person_lit[usize::from(photo[i * 3 + c])];
                    let behind = if photo_backdrop {
                        backdrop_lit[usize::from(photo[i * 3 + c])]
                    } else {
                        backdrop_lit[usize::from(p[c])]
                    };
                    p[c] = ((alpha * person + (255 - alpha) * behind + 127) / 255) as u8;
                }
            }
        }
        let to_frame = |(x, y): (f32, f32)| Point {
            x: (x * s + ox as f32) / width as f32,
            y: (y * s + oy as f32) / height as f32,
        };
        let top_left = to_frame((FACE_BOX[0], FACE_BOX[1]));
        let bottom_right = to_frame((FACE_BOX[2], FACE_BOX[3]));
        let face = Face {
            bounds: Rect {
                x: top_left.x,
                y: top_left.y,
                width: bottom_right.x - top_left.x,
                height: bottom_right.y - top_left.y,
            },
            score: 0.95,
            keypoints: KEYPOINTS.map(to_frame),
        };
        (out, face)
    }
}

/// A plain wall: `colour`, darkening by `shade` from left to right and a little downwards.
fn plain(width: u32, height: u32, colour: [u8; 3], shade: f32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let k = 1.0 - shade * (x as f32 / width as f32) - 0.3 * shade * (y as f32 / height as f32);
        image::Rgb(colour.map(|c| (f32::from(c) * k).round().clamp(0.0, 255.0) as u8))
    })
}

fn tinted(image: &mut RgbImage, tint: [f32; 3]) {
    for p in image.pixels_mut() {
        for (v, t) in p.0.iter_mut().zip(tint) {
            *v = (f32::from(*v) * t).round().clamp(0.0, 255.0) as u8;
        }
    }
}

// ----- tables, paper and cards -----

/// What paper and cards lie on.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    /// Gravel, tinted.
    Gravel([f32; 3]),
    /// The wooden café table, with its cup.
    Wood,
    /// A plain desk of one colour.
    Desk([u8; 3]),
}

impl Table {
    fn render(self, width: u32, height: u32) -> RgbImage {
        cached(format!("{self:?} {width}×{height}"), || {
            self.draw(width, height)
        })
    }

    fn draw(self, width: u32, height: u32) -> RgbImage {
        match self {
            Table::Gravel(tint) => {
                let mut t = covering(texture("gravel"), width, height);
                tinted(&mut t, tint);
                t
            }
            Table::Wood => covering(texture("coffee"), width, height),
            Table::Desk(colour) => plain(width, height, colour, 0.15),
        }
    }
}

/// Where a flat thing lies in the frame: its centre (normalised), its height in pixels
/// and its rotation.
#[derive(Debug, Clone, Copy)]
struct Placement {
    cx: f32,
    cy: f32,
    w: f32,
    h: f32,
    angle: f32,
}

impl Placement {
    /// Local coordinates (0..1 across and down) of frame pixel (x, y), if on the thing.
    fn local(&self, x: f32, y: f32) -> Option<(f32, f32)> {
        let (s, c) = self.angle.to_radians().sin_cos();
        let (dx, dy) = (x - self.cx, y - self.cy);
        let u = (dx * c + dy * s) / self.w + 0.5;
        let v = (-dx * s + dy * c) / self.h + 0.5;
        ((0.0..1.0).contains(&u) && (0.0..1.0).contains(&v)).then_some((u, v))
    }

    /// The frame pixel of local coordinates (u, v).
    fn frame(&self, u: f32, v: f32) -> (f32, f32) {
        let (s, c) = self.angle.to_radians().sin_cos();
        let (lx, ly) = ((u - 0.5) * self.w, (v - 0.5) * self.h);
        (self.cx + lx * c - ly * s, self.cy + lx * s + ly * c)
    }

    /// Pixel rows and columns that may be covered.
    fn reach(&self, width: u32, height: u32) -> (u32, u32, u32, u32) {
        let r = (self.w * self.w + self.h * self.h).sqrt() / 2.0 + 2.0;
        let clamp = |v: f32, max: u32| v.max(0.0).min(max as f32) as u32;
        (
            clamp(self.cx - r, width),
            clamp(self.cy - r, height),
            clamp(self.cx + r, width),
            clamp(self.cy + r, height),
        )
    }
}

/// A sheet of A4 paper.
#[derive(Debug, Clone, Copy)]
pub struct Sheet {
    pub colour: [u8; 3],
    /// Its height as a share of the paper frame's height.
    pub scale: f32,
    /// Its centre from the frame's centre, as shares of the frame's width and height.
    pub dx: f32,
    pub dy: f32,
    /// Degrees.
    pub angle: f32,
}

/// A signature drawn with a pen.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    /// Its width as a share of the sheet's width.
    pub span: f32,
    /// Its centre on the sheet (0..1 across and down).
    pub u: f32,
    pub v: f32,
    /// The pen's width as a share of the sheet's height.
    pub pen: f32,
    pub ink: [u8; 3],
    pub seed: u64,
}

/// A sheet (or none) with a signature (or none) on a table.
#[derive(Debug, Clone, Copy)]
pub struct PaperScene {
    pub table: Table,
    pub sheet: Option<Sheet>,
    pub signature: Option<Signature>,
}

impl PaperScene {
    /// A sheet filling the paper frame on the wooden table, signed in blue ink: what the
    /// benches time.
    pub fn signed_on_wood() -> Self {
        Self {
            table: Table::Wood,
            sheet: Some(Sheet {
                colour: [246, 246, 242],
                scale: 1.1,
                dx: 0.0,
                dy: 0.0,
                angle: 0.0,
            }),
            signature: Some(Signature {
                span: 0.7,
                u: 0.5,
                v: 0.55,
                pen: 0.0035,
                ink: [25, 30, 90],
                seed: 1,
            }),
        }
    }

    pub fn render(&self, width: u32, height: u32) -> RgbImage {
        let mut out = self.table.render(width, height);
        let Some(sheet) = self.sheet else {
            return out;
        };
        let layout = Layout::new(Target::Paper, width, height, false);
        let frame = layout.paper.expect("paper has a frame");
        let h = sheet.scale * frame.height * height as f32;
        let place = Placement {
            cx: (0.5 + sheet.dx) * width as f32,
            cy: (0.5 + sheet.dy) * height as f32,
            w: h * 210.0 / 297.0,
            h,
            angle: sheet.angle,
        };
        let (x0, y0, x1, y1) = place.reach(width, height);
        for y in y0..y1 {
            for x in x0..x1 {
                if let Some((u, v)) = place.local(x as f32 + 0.5, y as f32 + 0.5) {
                    // Light falling off a little across the sheet.
                    let k = 1.0 - 0.06 * u - 0.04 * v;
                    let p = sheet.colour.map(|c| (f32::from(c) * k).round() as u8);
                    out.put_pixel(x, y, image::Rgb(p));
                }
            }
        }
        if let Some(signature) = self.signature {
            let radius = (signature.pen * h / 2.0).max(0.5);
            let path = signature_path(signature.seed);
            let (sw, sh) = (signature.span, signature.span * 0.42 * 210.0 / 297.0);
            let mut last: Option<(f32, f32)> = None;
            for &(a, b) in &path {
                let (fx, fy) = place.frame(signature.u + a * sw, signature.v + b * sh);
                // Stamps at most a third of a pixel apart.
                let (lx, ly) = last.unwrap_or((fx, fy));
                let steps = (((fx - lx).hypot(fy - ly)) * 3.0).ceil().max(1.0) as usize;
                for i in 1..=steps {
                    let t = i as f32 / steps as f32;
                    stamp(
                        &mut out,
                        lx + (fx - lx) * t,
                        ly + (fy - ly) * t,
                        radius,
                        signature.ink,
                    );
                }
                last = Some((fx, fy));
            }
        }
        out
    }
}

/// A signature's pen path in its own coordinates (x from -0.5 to 0.5, y about -0.5 to
/// 0.5): up and down strokes through random points, some of them looped, then an
/// underline flourish.
fn signature_path(seed: u64) -> Vec<(f32, f32)> {
    let mut rng = Rng::new(seed);
    let n = 7 + (rng.next_u64() % 4) as usize;
    let mut points: Vec<(f32, f32)> = Vec::new();
    for i in 0..n {
        let x = (-0.5 + i as f32 / (n - 1) as f32 + rng.range(-0.04, 0.04)).clamp(-0.5, 0.5);
        let up = if i % 2 == 0 { -1.0 } else { 1.0 };
        let y = up * rng.range(0.15, 0.5);
        points.push((x, y));
        // A loop at some of the tops, as in a cursive l or e.
        if up < 0.0 && rng.unit() < 0.5 {
            let r = rng.range(0.05, 0.09);
            points.push((x + r, y - r));
            points.push((x, y - 2.0 * r));
            points.push((x - r, y - r));
            points.push((x + 0.2 * r, y + r));
        }
    }
    // The flourish: back under the name, from right to left.
    points.push((0.45, 0.45));
    points.push((-0.1, 0.5));
    points.push((-0.45, 0.35));
    // Catmull-Rom through the points, 24 samples a segment.
    let mut path = Vec::new();
    for i in 0..points.len() - 1 {
        let p0 = points[i.saturating_sub(1)];
        let (p1, p2) = (points[i], points[i + 1]);
        let p3 = points[(i + 2).min(points.len() - 1)];
        for k in 0..24 {
            let t = k as f32 / 24.0;
            let (t2, t3) = (t * t, t * t * t);
            let f = |a: f32, b: f32, c: f32, d: f32| {
                0.5 * (2.0 * b
                    + (c - a) * t
                    + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2
                    + (3.0 * b - a - 3.0 * c + d) * t3)
            };
            path.push((f(p0.0, p1.0, p2.0, p3.0), f(p0.1, p1.1, p2.1, p3.1)));
        }
    }
    path.push(*points.last().unwrap());
    path
}

/// A round dab of `ink` of `radius` pixels at (x, y).
fn stamp(image: &mut RgbImage, x: f32, y: f32, radius: f32, ink: [u8; 3]) {
    let (w, h) = image.dimensions();
    let r = radius.ceil() as i64 + 1;
    for py in (y as i64 - r)..=(y as i64 + r) {
        for px in (x as i64 - r)..=(x as i64 + r) {
            if px < 0 || py < 0 || px >= w as i64 || py >= h as i64 {
                continue;
            }
            let d = (px as f32 + 0.5 - x).hypot(py as f32 + 0.5 - y);
            // Anti-aliased edge: full ink within the radius, fading over one pixel.
            let a = (radius + 0.5 - d).clamp(0.0, 1.0);
            if a > 0.0 {
                let p = image.get_pixel_mut(px as u32, py as u32);
                for (v, i) in p.0.iter_mut().zip(ink) {
                    let inked = f32::from(*v) * (1.0 - a) + f32::from(i) * a;
                    *v = inked.min(f32::from(*v)).round() as u8;
                }
            }
        }
    }
}

/// An ID-1 card's colours: base, band, photo, print.
#[derive(Debug, Clone, Copy)]
pub struct CardStyle {
    pub base: [u8; 3],
    pub band: [u8; 3],
    pub photo: [u8; 3],
    pub print: [u8; 3],
}

/// A national card: pale blue, a blue band, a grey photo, dark print.
pub const NATIONAL: CardStyle = CardStyle {
    base: [200, 222, 236],
    band: [40, 90, 160],
    photo: [120, 110, 105],
    print: [30, 35, 50],
};
/// A pale green card with brown print.
pub const GREEN: CardStyle = CardStyle {
    base: [196, 226, 196],
    band: [60, 130, 80],
    photo: [140, 120, 110],
    print: [60, 40, 30],
};
/// A dark bank card with light print.
pub const BANK: CardStyle = CardStyle {
    base: [28, 44, 96],
    band: [200, 170, 60],
    photo: [210, 180, 70],
    print: [230, 230, 235],
};
/// A cream card.
pub const CREAM: CardStyle = CardStyle {
    base: [236, 226, 200],
    band: [170, 60, 50],
    photo: [110, 100, 100],
    print: [40, 30, 30],
};

/// A card.
#[derive(Debug, Clone, Copy)]
pub struct Card {
    pub style: CardStyle,
    /// Its width as a share of the card frame's width.
    pub scale: f32,
    /// Its centre from the card frame's centre, as shares of the frame's width and height.
    pub dx: f32,
    pub dy: f32,
    /// Degrees.
    pub angle: f32,
    pub seed: u64,
}

/// A glare spot: its centre on the card (0..1), and the radius of its clipped core as a
/// share of the card's height.
#[derive(Debug, Clone, Copy)]
pub struct Glare {
    pub u: f32,
    pub v: f32,
    pub radius: f32,
}

/// A card (or none) on a table, maybe with glare.
#[derive(Debug, Clone, Copy)]
pub struct CardScene {
    pub table: Table,
    pub card: Option<Card>,
    pub glare: Option<Glare>,
}

impl CardScene {
    /// A national card filling the card frame on the wooden table: what the benches time.
    pub fn national_on_wood() -> Self {
        Self {
            table: Table::Wood,
            card: Some(Card {
                style: NATIONAL,
                scale: 1.0,
                dx: 0.0,
                dy: 0.0,
                angle: 0.0,
                seed: 1,
            }),
            glare: None,
        }
    }

    pub fn render(&self, width: u32, height: u32) -> RgbImage {
        let mut out = self.table.render(width, height);
        let Some(card) = self.card else {
            return out;
        };
        let layout = Layout::new(Target::Card, width, height, false);
        let frame = layout.card.expect("cards have a frame");
        let w = card.scale * frame.width * width as f32;
        let centre = frame.centre();
        let place = Placement {
            cx: (centre.x + card.dx) * width as f32,
            cy: (centre.y + card.dy) * height as f32,
            w,
            h: w * 54.0 / 85.6,
            angle: card.angle,
        };
        let marks = card_marks(card.seed);
        let aspect = 85.6 / 54.0;
        let (x0, y0, x1, y1) = place.reach(width, height);
        for y in y0..y1 {
            for x in x0..x1 {
                let Some((u, v)) = place.local(x as f32 + 0.5, y as f32 + 0.5) else {
                    continue;
                };
                // Rounded corners: 3.18 mm of 54.
                let r = 3.18 / 54.0;
                let (cu, cv) = ((u * aspect).clamp(r, aspect - r), v.clamp(r, 1.0 - r));
                if (u * aspect - cu).hypot(v - cv) > r {
                    continue;
                }
                let mut p = card_colour(&card.style, &marks, u, v);
                if let Some(glare) = self.glare {
                    let d = ((u - glare.u) * aspect).hypot(v - glare.v);
                    let k = if d < glare.radius {
                        1.0
                    } else {
                        (-((d - glare.radius) / (0.6 * glare.radius)).powi(2)).exp()
                    };
                    p = p.map(|c| (f32::from(c) + (300.0 - f32::from(c)) * k).min(255.0) as u8);
                }
                out.put_pixel(x, y, image::Rgb(p));
            }
        }
        out
    }
}

/// Text-like marks on a card: rectangles (u0, v0, u1, v1) in card coordinates.
fn card_marks(seed: u64) -> Vec<[f32; 4]> {
    let mut rng = Rng::new(seed);
    let mut marks = Vec::new();
    // Lines of "words" right of the photo.
    let mut v = 0.3;
    while v < 0.85 {
        let mut u = 0.36;
        let end = rng.range(0.6, 0.94);
        while u < end {
            let len = rng.range(0.03, 0.12);
            marks.push([u, v, (u + len).min(end), v + 0.045]);
            u += len + 0.02;
        }
        v += rng.range(0.09, 0.13);
    }
    // The card number along the bottom.
    for i in 0..4 {
        let u = 0.08 + 0.22 * i as f32;
        marks.push([u, 0.88, u + 0.17, 0.94]);
    }
    marks
}

fn card_colour(style: &CardStyle, marks: &[[f32; 4]], u: f32, v: f32) -> [u8; 3] {
    if v < 0.18 {
        return style.band;
    }
    if (0.06..0.3).contains(&u) && (0.26..0.8).contains(&v) {
        return style.photo;
    }
    if marks
        .iter()
        .any(|m| (m[0]..m[2]).contains(&u) && (m[1]..m[3]).contains(&v))
    {
        return style.print;
    }
    style.base
}

// ----- what the camera does -----

/// Every channel times `gain`, clipped (more or less light).
pub fn gain(image: &mut RgbImage, gain: f32) {
    let table: Vec<u8> = (0..256)
        .map(|v| (v as f32 * gain).round().clamp(0.0, 255.0) as u8)
        .collect();
    for v in image.iter_mut() {
        *v = table[usize::from(*v)];
    }
}

/// Out of focus: a Gaussian blur of `sigma` pixels.
pub fn defocus(image: &RgbImage, sigma: f32) -> RgbImage {
    DynamicImage::ImageRgb8(image.clone()).blur(sigma).to_rgb8()
}

/// Which way a motion blur goes.
#[derive(Debug, Clone, Copy)]
pub enum Direction {
    Across,
    Down,
    /// Down and to the right.
    Diagonal,
    /// Down and to the left.
    AntiDiagonal,
}

/// Moved during the exposure: the mean along a line of `length` pixels (a line kernel).
pub fn motion_blur(image: &RgbImage, length: usize, direction: Direction) -> RgbImage {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let (dx, dy): (i64, i64) = match direction {
        Direction::Across => (1, 0),
        Direction::Down => (0, 1),
        Direction::Diagonal => (1, 1),
        Direction::AntiDiagonal => (-1, 1),
    };
    // Diagonal steps are √2 long: fewer of them for the same length.
    let taps = if dx != 0 && dy != 0 {
        (length as f32 / std::f32::consts::SQRT_2).round() as i64
    } else {
        length as i64
    }
    .max(1);
    let src = image.as_raw();
    let mut out = vec![0u8; src.len()];
    // Walk each line in the direction, keeping a running sum of the last `taps` pixels
    // (edges repeated), centred on the pixel written.
    let starts: Vec<(i64, i64)> = match (dx, dy) {
        (1, 0) => (0..h).map(|y| (0, y)).collect(),
        (0, 1) => (0..w).map(|x| (x, 0)).collect(),
        (1, 1) => (0..w)
            .map(|x| (x, 0))
            .chain((1..h).map(|y| (0, y)))
            .collect(),
        _ => (0..w)
            .map(|x| (x, 0))
            .chain((1..h).map(|y| (w - 1, y)))
            .collect(),
    };
    let half = taps / 2;
    let mut line: Vec<usize> = Vec::new();
    for (sx, sy) in starts {
        line.clear();
        let (mut x, mut y) = (sx, sy);
        while x >= 0 && y >= 0 && x < w && y < h {
            line.push(((y * w + x) * 3) as usize);
            x += dx;
            y += dy;
        }
        let n = line.len() as i64;
        let at = |i: i64| line[i.clamp(0, n - 1) as usize];
        let mut sum = [0u32; 3];
        for i in -half..taps - half {
            for c in 0..3 {
                sum[c] += u32::from(src[at(i) + c]);
            }
        }
        for i in 0..n {
            let o = line[i as usize];
            for c in 0..3 {
                out[o + c] = ((sum[c] as f32) / taps as f32).round() as u8;
                sum[c] += u32::from(src[at(i + taps - half) + c]);
                sum[c] -= u32::from(src[at(i - half) + c]);
            }
        }
    }
    RgbImage::from_raw(image.width(), image.height(), out).expect("same size")
}

/// The camera moved by (`dx`, `dy`) pixels: the picture shifted, edges repeated.
pub fn shifted(image: &RgbImage, dx: i64, dy: i64) -> RgbImage {
    let (w, h) = (image.width() as i64, image.height() as i64);
    RgbImage::from_fn(w as u32, h as u32, |x, y| {
        let sx = (x as i64 - dx).clamp(0, w - 1) as u32;
        let sy = (y as i64 - dy).clamp(0, h - 1) as u32;
        *image.get_pixel(sx, sy)
    })
}

/// What the camera gives: the picture in I420, with sensor noise of `noise` luma levels.
pub fn capture(image: &RgbImage, noise: f32, rng: &mut Rng) -> Frame {
    let mut frame = common::to_i420(image);
    let n = (frame.width * frame.height) as usize;
    // About normal: the sum of four 16-bit uniforms from one draw, as a table lookup.
    let scale = noise * 3f32.sqrt() / 32768.0;
    for v in &mut frame.data[..n] {
        let r = rng.next_u64();
        let sum = (r & 0xFFFF) + (r >> 16 & 0xFFFF) + (r >> 32 & 0xFFFF) + (r >> 48);
        let offset = (sum as f32 - 2.0 * 65535.0) * scale;
        *v = (f32::from(*v) + offset).round().clamp(0.0, 255.0) as u8;
    }
    frame
}
