//! The guidance checks against a labelled evaluation set, made at test time from the
//! photos in `eval/photos` (see `scenes`): each check must agree with the labels on at
//! least 95 % of the frames, at 1280×720 and 640×480. Each test prints its confusion
//! numbers (`cargo test --test checks -- --nocapture` shows them); with
//! `EHRAZ_VISION_VERBOSE=1` every frame's measures, and with `EHRAZ_VISION_DUMP=<folder>`
//! the scenes are also written there as PNG.

mod common;
mod scenes;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use ehraz_vision::detect::Face;
use ehraz_vision::{
    Assessment, Check, Guidance, Layout, Limits, Target, Thumbnail, Verdict, assess,
};
use image::RgbImage;
use scenes::{
    BANK, Backdrop, CREAM, Card, CardScene, Direction, GREEN, Glare, NATIONAL, PaperScene, Rng,
    Selfie, Sheet, Signature, Table,
};

use crate::common::Frame;

/// The resolutions every scene is made at.
const SIZES: [(u32, u32); 2] = [(1280, 720), (640, 480)];

/// Agreement each check must reach.
const AGREEMENT: f32 = 0.95;

/// Expected-label × verdict counts for one check, and the frames it got wrong.
struct Confusion {
    check: Check,
    counts: BTreeMap<&'static str, BTreeMap<&'static str, u32>>,
    wrong: Vec<String>,
    total: u32,
    right: u32,
}

fn label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail(g) => g.id(),
    }
}

impl Confusion {
    fn new(check: Check) -> Self {
        Self {
            check,
            counts: BTreeMap::new(),
            wrong: Vec::new(),
            total: 0,
            right: 0,
        }
    }

    fn add(&mut self, name: &str, expected: Verdict, assessment: &Assessment) {
        let got = assessment
            .verdict(self.check)
            .unwrap_or_else(|| panic!("{name}: {:?} did not run", self.check));
        *self
            .counts
            .entry(label(expected))
            .or_default()
            .entry(label(got))
            .or_default() += 1;
        self.total += 1;
        if std::env::var_os("EHRAZ_VISION_VERBOSE").is_some() {
            println!(
                "  {name}: expected {}, got {}; {}",
                label(expected),
                label(got),
                measures(self.check, assessment)
            );
        }
        if got == expected {
            self.right += 1;
        } else {
            self.wrong.push(format!(
                "  {name}: expected {}, got {}; {}",
                label(expected),
                label(got),
                measures(self.check, assessment)
            ));
        }
    }

    /// Prints the table and the misses, and asserts the agreement.
    fn check(&self) {
        let columns: Vec<&str> = {
            let mut c: Vec<&str> = self
                .counts
                .values()
                .flat_map(|r| r.keys().copied())
                .collect();
            c.sort_unstable();
            c.dedup();
            c
        };
        let mut out = String::new();
        let agreement = self.right as f32 / self.total.max(1) as f32;
        let _ = writeln!(
            out,
            "{:?}: {}/{} agree ({:.1} %); rows expected, columns verdict",
            self.check,
            self.right,
            self.total,
            100.0 * agreement
        );
        let _ = write!(out, "  {:>22}", "");
        for c in &columns {
            let _ = write!(out, " {c:>22}");
        }
        out.push('\n');
        for (expected, row) in &self.counts {
            let _ = write!(out, "  {expected:>22}");
            for c in &columns {
                let _ = write!(out, " {:>22}", row.get(c).copied().unwrap_or(0));
            }
            out.push('\n');
        }
        for w in &self.wrong {
            let _ = writeln!(out, "{w}");
        }
        println!("{out}");
        assert!(
            agreement >= AGREEMENT,
            "{:?} agrees on {:.1} % only",
            self.check,
            100.0 * agreement
        );
    }
}

/// A check's measures, for the misses.
fn measures(check: Check, a: &Assessment) -> String {
    match check {
        Check::Exposure => format!("{:?}", a.exposure),
        Check::Sharpness => format!("{:?}", a.sharpness),
        Check::Motion => format!("{:?}", a.motion),
        Check::Background => format!("{:?}", a.background),
        Check::Paper => format!("{:?}", a.paper),
        Check::Document | Check::Glare => format!("{:?}", a.document),
        Check::Face => String::new(),
    }
}

/// Writes `image` to `$EHRAZ_VISION_DUMP/<name>.png` when that is set.
fn dump(name: &str, image: &RgbImage) {
    if let Some(dir) = std::env::var_os("EHRAZ_VISION_DUMP") {
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        image
            .save(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// Assesses `frame` for `target` as the app would: the guides for its size (selfies
/// mirrored), the faces given, and the previous frame's thumbnail.
fn run(target: Target, frame: &Frame, faces: &[Face], previous: Option<&Thumbnail>) -> Assessment {
    let mirrored = matches!(
        target,
        Target::Selfie | Target::SelfieVideo | Target::SelfieWithCard
    );
    let layout = Layout::new(target, frame.width, frame.height, mirrored);
    assess(
        target,
        &frame.view(),
        &layout,
        faces,
        previous,
        &Limits::default(),
    )
}

/// A camera's frame of `image`, with a little sensor noise.
fn capture(name: &str, image: &RgbImage, rng: &mut Rng) -> Frame {
    dump(name, image);
    let noise = rng.range(1.0, 2.5);
    scenes::capture(image, noise, rng)
}

const PASS: Verdict = Verdict::Pass;
const fn fail(g: Guidance) -> Verdict {
    Verdict::Fail(g)
}

// ----- the scenes the tests share -----

const WHITE: Backdrop = Backdrop::Plain {
    colour: [244, 244, 240],
    shade: 0.08,
};

/// Well-lit selfies in front of assorted backdrops, sizes and places.
fn selfies() -> Vec<(&'static str, Selfie)> {
    let brick = Backdrop::Texture {
        name: "brick",
        tint: [1.1, 0.8, 0.7],
    };
    let blue = Backdrop::Plain {
        colour: [150, 180, 215],
        shade: 0.1,
    };
    vec![
        ("photo", Selfie::new(Backdrop::Photo)),
        (
            "white-small-left",
            Selfie {
                size: 0.5,
                dx: -0.02,
                ..Selfie::new(WHITE)
            },
        ),
        (
            "brick-large",
            Selfie {
                size: 0.72,
                dy: 0.02,
                ..Selfie::new(brick)
            },
        ),
        (
            "blue-right",
            Selfie {
                dx: 0.02,
                ..Selfie::new(blue)
            },
        ),
        (
            "photo-dim",
            Selfie {
                person_gain: 0.8,
                backdrop_gain: 0.8,
                size: 0.55,
                ..Selfie::new(Backdrop::Photo)
            },
        ),
        (
            "white-bright",
            Selfie {
                person_gain: 1.12,
                size: 0.65,
                dy: -0.02,
                ..Selfie::new(WHITE)
            },
        ),
    ]
}

const GRAVEL: Table = Table::Gravel([0.95, 0.85, 0.75]);
const DESK: Table = Table::Desk([70, 60, 52]);

fn signature(span: f32, seed: u64) -> Signature {
    Signature {
        span,
        u: 0.5,
        v: 0.55,
        pen: 0.0035,
        ink: [25, 30, 90],
        seed,
    }
}

fn sheet(scale: f32) -> Sheet {
    Sheet {
        colour: [246, 246, 242],
        scale,
        dx: 0.0,
        dy: 0.0,
        angle: 0.0,
    }
}

/// Signatures on white paper that fill the paper frame, large enough.
fn signed_papers() -> Vec<(&'static str, PaperScene)> {
    vec![
        (
            "gravel",
            PaperScene {
                table: GRAVEL,
                sheet: Some(sheet(1.1)),
                signature: Some(signature(0.7, 1)),
            },
        ),
        (
            "wood-tilted",
            PaperScene {
                table: Table::Wood,
                sheet: Some(Sheet {
                    angle: 3.0,
                    dx: 0.01,
                    ..sheet(1.2)
                }),
                signature: Some(Signature {
                    v: 0.4,
                    ..signature(0.6, 2)
                }),
            },
        ),
        (
            "desk-black-ink",
            PaperScene {
                table: DESK,
                sheet: Some(Sheet {
                    colour: [238, 238, 232],
                    dy: 0.02,
                    ..sheet(1.3)
                }),
                signature: Some(Signature {
                    ink: [20, 20, 20],
                    pen: 0.005,
                    ..signature(0.5, 3)
                }),
            },
        ),
        (
            "gravel-fine-pen",
            PaperScene {
                table: GRAVEL,
                sheet: Some(Sheet {
                    angle: -2.0,
                    ..sheet(1.05)
                }),
                signature: Some(Signature {
                    pen: 0.0025,
                    u: 0.45,
                    ..signature(0.75, 4)
                }),
            },
        ),
    ]
}

fn card(style: scenes::CardStyle, seed: u64) -> Card {
    Card {
        style,
        scale: 1.0,
        dx: 0.0,
        dy: 0.0,
        angle: 0.0,
        seed,
    }
}

/// Cards filling the card frame.
fn cards() -> Vec<(&'static str, CardScene)> {
    let on = |table, card| CardScene {
        table,
        card: Some(card),
        glare: None,
    };
    vec![
        ("national-gravel", on(GRAVEL, card(NATIONAL, 1))),
        (
            "green-wood-tilted",
            on(
                Table::Wood,
                Card {
                    angle: 1.5,
                    scale: 0.95,
                    ..card(GREEN, 2)
                },
            ),
        ),
        (
            "bank-gravel-large",
            on(
                Table::Gravel([1.2, 1.15, 1.1]),
                Card {
                    scale: 1.05,
                    dx: 0.015,
                    ..card(BANK, 3)
                },
            ),
        ),
        (
            "cream-desk-low",
            on(
                DESK,
                Card {
                    dy: 0.03,
                    scale: 0.92,
                    ..card(CREAM, 4)
                },
            ),
        ),
        (
            "national-desk-tilted",
            on(
                DESK,
                Card {
                    angle: -2.0,
                    dx: -0.02,
                    ..card(NATIONAL, 5)
                },
            ),
        ),
    ]
}

// ----- exposure -----

#[test]
fn exposure_tells_dark_bright_and_backlit_apart_from_good_light() {
    let mut confusion = Confusion::new(Check::Exposure);
    let mut rng = Rng::new(11);
    for (w, h) in SIZES {
        // Selfies: as lit, darkened, over-exposed, and backlit.
        for (i, (name, selfie)) in selfies().into_iter().enumerate() {
            // Light as a share of the photo's own (some selfies are lit a little off it).
            let dark = [0.14, 0.2, 0.27, 0.32][i % 4] / selfie.person_gain;
            let bright = [1.5, 1.8, 2.2, 2.6][i % 4] / selfie.person_gain;
            let backlit = Selfie {
                person_gain: [0.3, 0.38, 0.45][i % 3],
                backdrop_gain: [1.6, 2.2, 3.0][i % 3],
                ..selfie
            };
            let (picture, face) = selfie.render(w, h);
            let (behind, _) = backlit.render(w, h);
            let mut cases = vec![
                (format!("selfie-{name}-{w}"), picture.clone(), PASS),
                (
                    format!("selfie-{name}-backlit-{w}"),
                    behind,
                    fail(Guidance::Backlit),
                ),
            ];
            let mut darker = picture.clone();
            scenes::gain(&mut darker, dark);
            cases.push((
                format!("selfie-{name}-dark{dark:.2}-{w}"),
                darker,
                fail(Guidance::TooDark),
            ));
            let mut brighter = picture;
            scenes::gain(&mut brighter, bright);
            cases.push((
                format!("selfie-{name}-bright{bright:.2}-{w}"),
                brighter,
                fail(Guidance::TooBright),
            ));
            for (name, picture, expected) in cases {
                let frame = capture(&name, &picture, &mut rng);
                confusion.add(&name, expected, &run(Target::Selfie, &frame, &[face], None));
            }
        }
        // Paper and cards: as lit, darkened, over-exposed.
        let papers = signed_papers()
            .into_iter()
            .map(|(n, s)| (Target::Paper, n, s.render(w, h)));
        let cards = cards()
            .into_iter()
            .map(|(n, s)| (Target::Card, n, s.render(w, h)));
        for (i, (target, name, picture)) in papers.chain(cards).enumerate() {
            let mut cases = vec![(format!("{name}-{w}"), picture.clone(), PASS)];
            let dark = [0.2, 0.28, 0.35][i % 3];
            let mut darker = picture.clone();
            scenes::gain(&mut darker, dark);
            cases.push((
                format!("{name}-dark{dark}-{w}"),
                darker,
                fail(Guidance::TooDark),
            ));
            // A dark bank card cannot be washed out by light alone: only light cards.
            if !name.starts_with("bank") {
                let bright = [1.5, 1.9, 2.4][i % 3];
                let mut brighter = picture;
                scenes::gain(&mut brighter, bright);
                cases.push((
                    format!("{name}-bright{bright}-{w}"),
                    brighter,
                    fail(Guidance::TooBright),
                ));
            }
            for (name, picture, expected) in cases {
                let frame = capture(&name, &picture, &mut rng);
                confusion.add(&name, expected, &run(target, &frame, &[], None));
            }
        }
    }
    confusion.check();
}

// ----- sharpness -----

/// Sharp, defocused and motion-blurred versions of `picture`, with their labels. Blur is
/// sized to the frame's height, so each resolution gets the same scene.
fn blurs(name: &str, picture: &RgbImage, i: usize) -> Vec<(String, RgbImage, Verdict)> {
    let h = picture.height() as f32;
    let sigma = [0.006, 0.009, 0.013][i % 3] * h;
    let length = ([0.035, 0.05, 0.07][i % 3] * h).round() as usize;
    let direction = [
        Direction::Across,
        Direction::Down,
        Direction::Diagonal,
        Direction::AntiDiagonal,
    ][i % 4];
    vec![
        (format!("{name}-sharp"), picture.clone(), PASS),
        (
            format!("{name}-defocus{sigma:.1}"),
            scenes::defocus(picture, sigma),
            fail(Guidance::Blurry),
        ),
        (
            format!("{name}-motion{length}-{direction:?}"),
            scenes::motion_blur(picture, length, direction),
            fail(Guidance::Blurry),
        ),
    ]
}

#[test]
fn sharpness_finds_defocus_and_motion_blur() {
    let mut confusion = Confusion::new(Check::Sharpness);
    let mut rng = Rng::new(12);
    for (w, h) in SIZES {
        for (i, (name, selfie)) in selfies().into_iter().enumerate() {
            let (picture, face) = selfie.render(w, h);
            for (name, picture, expected) in blurs(&format!("selfie-{name}-{w}"), &picture, i) {
                let frame = capture(&name, &picture, &mut rng);
                confusion.add(&name, expected, &run(Target::Selfie, &frame, &[face], None));
            }
        }
        for (i, (name, scene)) in signed_papers().into_iter().enumerate() {
            let picture = scene.render(w, h);
            for (name, picture, expected) in blurs(&format!("paper-{name}-{w}"), &picture, i + 1) {
                let frame = capture(&name, &picture, &mut rng);
                confusion.add(&name, expected, &run(Target::Paper, &frame, &[], None));
            }
        }
        for (i, (name, scene)) in cards().into_iter().enumerate() {
            let picture = scene.render(w, h);
            for (name, picture, expected) in blurs(&format!("card-{name}-{w}"), &picture, i + 2) {
                let frame = capture(&name, &picture, &mut rng);
                confusion.add(&name, expected, &run(Target::Card, &frame, &[], None));
            }
        }
    }
    confusion.check();
}

// ----- motion -----

#[test]
fn motion_finds_a_shaken_camera_and_a_moving_person_but_not_noise_or_light() {
    let mut confusion = Confusion::new(Check::Motion);
    let mut rng = Rng::new(13);
    for (w, h) in SIZES {
        let wf = w as f32;
        let mut pairs: Vec<(String, Target, RgbImage, RgbImage, Option<Face>, Verdict)> =
            Vec::new();
        for (i, (name, selfie)) in selfies().into_iter().enumerate() {
            let (first, face) = selfie.render(w, h);
            // Still: the same scene (new noise), a tiny jitter, the exposure settling.
            let jitter = scenes::shifted(&first, [1, 0, -1][i % 3], [0, 1, 0][i % 3]);
            let mut settled = first.clone();
            scenes::gain(&mut settled, [0.93, 1.07][i % 2]);
            // Moving: the camera shaken by 1.5 to 4 % of the width, the person moving.
            let shake = [0.015, 0.025, 0.04][i % 3] * wf;
            let angle = i as f32 * 1.1;
            let shaken = scenes::shifted(
                &first,
                (shake * angle.cos()).round() as i64,
                (shake * angle.sin()).round() as i64,
            );
            let (moved, _) = Selfie {
                dx: selfie.dx + [0.02, -0.03, 0.025][i % 3],
                dy: selfie.dy + [0.0, 0.01, -0.015][i % 3],
                ..selfie
            }
            .render(w, h);
            let n = |s: &str| format!("selfie-{name}-{s}-{w}");
            for (s, second, expected) in [
                ("still", first.clone(), PASS),
                ("jitter", jitter, PASS),
                ("settled", settled, PASS),
                ("shaken", shaken, fail(Guidance::Moving)),
                ("moved", moved, fail(Guidance::Moving)),
            ] {
                pairs.push((
                    n(s),
                    Target::Selfie,
                    first.clone(),
                    second,
                    Some(face),
                    expected,
                ));
            }
        }
        let flat = signed_papers()
            .into_iter()
            .map(|(n, s)| (Target::Paper, n, s.render(w, h)))
            .chain(
                cards()
                    .into_iter()
                    .map(|(n, s)| (Target::Card, n, s.render(w, h))),
            );
        for (i, (target, name, first)) in flat.enumerate() {
            let shake = [0.015, 0.02, 0.03][i % 3] * wf;
            let angle = 0.7 + i as f32 * 1.3;
            let shaken = scenes::shifted(
                &first,
                (shake * angle.cos()).round() as i64,
                (shake * angle.sin()).round() as i64,
            );
            pairs.push((
                format!("{name}-still-{w}"),
                target,
                first.clone(),
                first.clone(),
                None,
                PASS,
            ));
            pairs.push((
                format!("{name}-shaken-{w}"),
                target,
                first,
                shaken,
                None,
                fail(Guidance::Moving),
            ));
        }
        // The first frame of each scene is captured once and followed by each second.
        let mut before: Option<(RgbImage, Assessment)> = None;
        for (name, target, first, second, face, expected) in pairs {
            let faces = face.as_slice();
            if before.as_ref().is_none_or(|(picture, _)| *picture != first) {
                let a = capture(&format!("{name}-a"), &first, &mut rng);
                let assessment = run(target, &a, faces, None);
                assert_eq!(
                    assessment.motion, None,
                    "no motion without a previous frame"
                );
                before = Some((first, assessment));
            }
            let previous = &before.as_ref().expect("just set").1.thumbnail;
            let b = capture(&format!("{name}-b"), &second, &mut rng);
            confusion.add(&name, expected, &run(target, &b, faces, Some(previous)));
        }
    }
    confusion.check();
}

// ----- background -----

#[test]
fn background_is_white_only_when_plain_white() {
    let mut confusion = Confusion::new(Check::Background);
    let mut rng = Rng::new(14);
    let whites = [
        ("white", WHITE),
        (
            "off-white",
            Backdrop::Plain {
                colour: [236, 234, 228],
                shade: 0.05,
            },
        ),
        (
            "white-shaded",
            Backdrop::Plain {
                colour: [250, 250, 250],
                shade: 0.16,
            },
        ),
        (
            "grey-white",
            Backdrop::Plain {
                colour: [222, 224, 226],
                shade: 0.0,
            },
        ),
    ];
    let others = [
        ("photo", Backdrop::Photo),
        (
            "blue",
            Backdrop::Plain {
                colour: [150, 180, 215],
                shade: 0.1,
            },
        ),
        (
            "yellow",
            Backdrop::Plain {
                colour: [235, 215, 130],
                shade: 0.05,
            },
        ),
        (
            "green",
            Backdrop::Plain {
                colour: [170, 210, 170],
                shade: 0.05,
            },
        ),
        (
            "grey",
            Backdrop::Plain {
                colour: [128, 128, 128],
                shade: 0.1,
            },
        ),
        (
            "brick",
            Backdrop::Texture {
                name: "brick",
                tint: [1.15, 1.1, 1.05],
            },
        ),
        (
            "cafe",
            Backdrop::Texture {
                name: "coffee",
                tint: [1.0, 1.0, 1.0],
            },
        ),
    ];
    for (w, h) in SIZES {
        let placements = [(0.6, 0.0, 0.0), (0.5, -0.02, 0.01), (0.7, 0.02, -0.01)];
        let labelled = whites.iter().map(|&(n, b)| (n, b, PASS)).chain(
            others
                .iter()
                .map(|&(n, b)| (n, b, fail(Guidance::BackgroundNotWhite))),
        );
        for (i, (name, backdrop, expected)) in labelled.enumerate() {
            for (j, &(size, dx, dy)) in placements.iter().enumerate() {
                if (i + j) % 3 == 2 {
                    continue; // two placements of each backdrop per size are enough
                }
                let selfie = Selfie {
                    size,
                    dx,
                    dy,
                    ..Selfie::new(backdrop)
                };
                let (picture, face) = selfie.render(w, h);
                let name = format!("background-{name}-{size}-{w}");
                let frame = capture(&name, &picture, &mut rng);
                confusion.add(
                    &name,
                    expected,
                    &run(Target::SelfieVideo, &frame, &[face], None),
                );
            }
        }
    }
    confusion.check();
}

// ----- paper -----

#[test]
fn paper_needs_a_white_sheet_with_strokes_large_enough() {
    let mut confusion = Confusion::new(Check::Paper);
    let mut rng = Rng::new(15);
    let grey = [150, 150, 146];
    let mut scenes: Vec<(String, PaperScene, Verdict)> = Vec::new();
    for (i, (name, scene)) in signed_papers().into_iter().enumerate() {
        let table = scene.table;
        let s = scene.sheet.unwrap();
        let sig = scene.signature.unwrap();
        scenes.push((format!("{name}-signed"), scene, PASS));
        scenes.push((
            format!("{name}-grey"),
            PaperScene {
                sheet: Some(Sheet {
                    colour: [grey[0] - 10 * i as u8, grey[1] - 10 * i as u8, grey[2]],
                    ..s
                }),
                ..scene
            },
            fail(Guidance::NoPaper),
        ));
        scenes.push((
            format!("{name}-blank"),
            PaperScene {
                signature: None,
                ..scene
            },
            fail(Guidance::NoStrokes),
        ));
        scenes.push((
            format!("{name}-far"),
            PaperScene {
                sheet: Some(Sheet {
                    scale: [0.45, 0.55, 0.62, 0.5][i],
                    dx: [0.0, 0.02, -0.02, 0.01][i],
                    ..s
                }),
                ..scene
            },
            fail(Guidance::StrokesTooSmall),
        ));
        scenes.push((
            format!("{name}-small-signature"),
            PaperScene {
                signature: Some(Signature {
                    span: [0.18, 0.22, 0.25, 0.15][i],
                    u: [0.5, 0.65, 0.35, 0.5][i],
                    ..sig
                }),
                ..scene
            },
            fail(Guidance::StrokesTooSmall),
        ));
        scenes.push((
            format!("{name}-none"),
            PaperScene {
                table,
                sheet: None,
                signature: None,
            },
            fail(Guidance::NoPaper),
        ));
    }
    for (w, h) in SIZES {
        for (name, scene, expected) in &scenes {
            let name = format!("paper-{name}-{w}");
            let frame = capture(&name, &scene.render(w, h), &mut rng);
            confusion.add(&name, *expected, &run(Target::Paper, &frame, &[], None));
        }
    }
    confusion.check();
}

// ----- card and glare -----

#[test]
fn card_must_fill_the_frame_in_focus_or_not() {
    let mut confusion = Confusion::new(Check::Document);
    let mut rng = Rng::new(16);
    // (name, scene, defocus as a share of the height, label)
    let mut scenes: Vec<(String, CardScene, f32, Verdict)> = Vec::new();
    for (i, (name, scene)) in cards().into_iter().enumerate() {
        let c = scene.card.unwrap();
        scenes.push((format!("{name}-fills"), scene, 0.0, PASS));
        // Out of focus is still a card (the focus check says what is wrong).
        let blur = [0.006, 0.009, 0.013][i % 3];
        scenes.push((format!("{name}-fills-defocus{blur}"), scene, blur, PASS));
        scenes.push((
            format!("{name}-small"),
            CardScene {
                card: Some(Card {
                    scale: [0.45, 0.55, 0.62, 0.5, 0.65][i],
                    dx: [0.0, 0.03, -0.02, 0.05, 0.0][i],
                    ..c
                }),
                ..scene
            },
            0.0,
            fail(Guidance::NoCard),
        ));
        scenes.push((
            format!("{name}-absent"),
            CardScene {
                card: None,
                ..scene
            },
            0.0,
            fail(Guidance::NoCard),
        ));
    }
    for (w, h) in SIZES {
        for (name, scene, blur, expected) in &scenes {
            let name = format!("card-{name}-{w}");
            let mut picture = scene.render(w, h);
            if *blur > 0.0 {
                picture = scenes::defocus(&picture, blur * h as f32);
            }
            let frame = capture(&name, &picture, &mut rng);
            confusion.add(&name, *expected, &run(Target::Card, &frame, &[], None));
        }
    }
    confusion.check();
}

#[test]
fn glare_is_a_clipped_spot_on_the_card() {
    let mut confusion = Confusion::new(Check::Glare);
    let mut rng = Rng::new(17);
    let mut scenes: Vec<(String, CardScene, Verdict)> = Vec::new();
    for (i, (name, scene)) in cards().into_iter().enumerate() {
        scenes.push((format!("{name}-clean"), scene, PASS));
        for (j, radius) in [0.05, 0.08, 0.12].into_iter().enumerate() {
            let k = i * 3 + j;
            scenes.push((
                format!("{name}-glare{radius}"),
                CardScene {
                    glare: Some(Glare {
                        u: [0.3, 0.55, 0.75, 0.45, 0.65][k % 5],
                        v: [0.4, 0.6, 0.3, 0.7, 0.5][k % 5],
                        radius,
                    }),
                    ..scene
                },
                fail(Guidance::Glare),
            ));
        }
    }
    for (w, h) in SIZES {
        for (name, scene, expected) in &scenes {
            let name = format!("glare-{name}-{w}");
            let frame = capture(&name, &scene.render(w, h), &mut rng);
            confusion.add(&name, *expected, &run(Target::Card, &frame, &[], None));
        }
    }
    confusion.check();
}

// ----- all checks together -----

/// `assess` on frames with one or more things wrong says the most pressing one, and
/// `Ready` when nothing is.
#[test]
fn assess_tells_the_most_pressing_failure_first() {
    let mut rng = Rng::new(18);
    let (w, h) = (1280, 720);
    let (selfie, face) = Selfie::new(WHITE).render(w, h);
    let (brick, brick_face) = Selfie::new(Backdrop::Texture {
        name: "brick",
        tint: [1.1, 0.8, 0.7],
    })
    .render(w, h);
    let (off_centre, off_face) = Selfie {
        dx: 0.12,
        ..Selfie::new(WHITE)
    }
    .render(w, h);
    let (paper_name, paper) = signed_papers().remove(0);
    let (card_name, card) = cards().remove(0);
    let signed = paper.render(w, h);
    let blank = PaperScene {
        signature: None,
        ..paper
    }
    .render(w, h);
    let card_picture = card.render(w, h);
    let glare = CardScene {
        glare: Some(Glare {
            u: 0.6,
            v: 0.5,
            radius: 0.1,
        }),
        ..card
    }
    .render(w, h);
    let mut dark = selfie.clone();
    scenes::gain(&mut dark, 0.18);
    let dark_blurred = scenes::defocus(&dark, 8.0);
    let off_centre_blurred = scenes::defocus(&off_centre, 8.0);
    let glare_blurred = scenes::defocus(&glare, 8.0);

    /// One frame and what to tell; it follows itself, or itself shaken when the case is
    /// about shake (a change of focus between frames would look like movement too).
    struct Case<'a> {
        name: &'a str,
        target: Target,
        picture: &'a RgbImage,
        shaken: bool,
        faces: &'a [Face],
        expected: Guidance,
    }
    let case = |name, target, picture, shaken, faces, expected| Case {
        name,
        target,
        picture,
        shaken,
        faces,
        expected,
    };
    let (one, off, bricked) = ([face], [off_face], [brick_face]);
    let cases = [
        case(
            "selfie",
            Target::Selfie,
            &selfie,
            false,
            &one,
            Guidance::Ready,
        ),
        case(
            "video",
            Target::SelfieVideo,
            &selfie,
            false,
            &one,
            Guidance::Ready,
        ),
        case(
            paper_name,
            Target::Paper,
            &signed,
            false,
            &[],
            Guidance::Ready,
        ),
        case(
            card_name,
            Target::Card,
            &card_picture,
            false,
            &[],
            Guidance::Ready,
        ),
        case(
            "dark and blurred",
            Target::Selfie,
            &dark_blurred,
            false,
            &one,
            Guidance::TooDark,
        ),
        case(
            "dark, no face found",
            Target::Selfie,
            &dark,
            false,
            &[],
            Guidance::TooDark,
        ),
        case(
            "no face found",
            Target::Selfie,
            &selfie,
            false,
            &[],
            Guidance::NoFace,
        ),
        case(
            "off-centre and blurred",
            Target::Selfie,
            &off_centre_blurred,
            false,
            &off,
            Guidance::FaceOffCentre,
        ),
        case(
            "brick wall and shaken",
            Target::SelfieVideo,
            &brick,
            true,
            &bricked,
            Guidance::BackgroundNotWhite,
        ),
        case(
            "blank paper, shaken",
            Target::Paper,
            &blank,
            true,
            &[],
            Guidance::NoStrokes,
        ),
        case(
            "signed paper, shaken",
            Target::Paper,
            &signed,
            true,
            &[],
            Guidance::Moving,
        ),
        case(
            "glare and blurred",
            Target::Card,
            &glare_blurred,
            false,
            &[],
            Guidance::Blurry,
        ),
        case("glare", Target::Card, &glare, false, &[], Guidance::Glare),
    ];
    for c in cases {
        let now = if c.shaken {
            scenes::shifted(c.picture, 30, -12)
        } else {
            c.picture.clone()
        };
        let before = run(
            c.target,
            &capture(c.name, c.picture, &mut rng),
            c.faces,
            None,
        );
        let now = capture(c.name, &now, &mut rng);
        let now = run(c.target, &now, c.faces, Some(&before.thumbnail));
        println!("{}: {:?} → {}", c.name, now.verdicts, now.guidance().id());
        assert_eq!(now.guidance(), c.expected, "{}: {:?}", c.name, now.verdicts);
    }
}

/// Each target runs its own checks, and motion only with a previous frame.
#[test]
fn each_target_runs_the_checks_it_needs() {
    let mut rng = Rng::new(19);
    let (picture, face) = Selfie::new(WHITE).render(640, 480);
    let frame = capture("targets", &picture, &mut rng);
    let first = run(Target::Card, &frame, &[face], None);
    for (target, expected) in [
        (
            Target::Selfie,
            vec![
                Check::Face,
                Check::Exposure,
                Check::Motion,
                Check::Sharpness,
            ],
        ),
        (
            Target::SelfieVideo,
            vec![
                Check::Face,
                Check::Exposure,
                Check::Background,
                Check::Motion,
                Check::Sharpness,
            ],
        ),
        (
            Target::Paper,
            vec![
                Check::Exposure,
                Check::Paper,
                Check::Motion,
                Check::Sharpness,
            ],
        ),
        (
            Target::Card,
            vec![
                Check::Exposure,
                Check::Document,
                Check::Glare,
                Check::Motion,
                Check::Sharpness,
            ],
        ),
        (
            Target::SelfieWithCard,
            vec![
                Check::Face,
                Check::Exposure,
                Check::Motion,
                Check::Sharpness,
            ],
        ),
    ] {
        let a = run(target, &frame, &[face], Some(&first.thumbnail));
        let ran: Vec<Check> = a.verdicts.iter().map(|&(c, _)| c).collect();
        assert_eq!(ran, expected, "{target:?}");
        let without = run(target, &frame, &[face], None);
        assert_eq!(without.verdict(Check::Motion), None, "{target:?}");
    }
}

/// A 640×480 and a 1920×1080 frame of the same scene get the same verdicts: the measures
/// are normalised for resolution.
#[test]
fn the_same_scene_gets_the_same_verdicts_at_640x480_and_1920x1080() {
    let mut rng = Rng::new(20);
    let mut compared = 0;
    type Scene = Box<dyn Fn(u32, u32) -> (RgbImage, Vec<Face>)>;
    let selfie = |s: Selfie| -> Scene {
        Box::new(move |w, h| {
            let (p, f) = s.render(w, h);
            (p, vec![f])
        })
    };
    let flat = |f: fn(u32, u32) -> RgbImage| -> Scene { Box::new(move |w, h| (f(w, h), vec![])) };
    let scenes: Vec<(&str, Target, Scene)> = vec![
        ("white", Target::SelfieVideo, selfie(Selfie::new(WHITE))),
        (
            "brick, backlit",
            Target::SelfieVideo,
            selfie(Selfie {
                person_gain: 0.35,
                backdrop_gain: 2.5,
                ..Selfie::new(Backdrop::Texture {
                    name: "brick",
                    tint: [1.0, 1.0, 1.0],
                })
            }),
        ),
        (
            "blurred",
            Target::Selfie,
            Box::new(|w, h| {
                let (p, f) = Selfie::new(Backdrop::Photo).render(w, h);
                (scenes::defocus(&p, 0.009 * h as f32), vec![f])
            }),
        ),
        (
            "signed",
            Target::Paper,
            flat(|w, h| signed_papers()[0].1.render(w, h)),
        ),
        (
            "far paper",
            Target::Paper,
            flat(|w, h| {
                let scene = signed_papers()[1].1;
                PaperScene {
                    sheet: scene.sheet.map(|s| Sheet { scale: 0.5, ..s }),
                    ..scene
                }
                .render(w, h)
            }),
        ),
        ("card", Target::Card, flat(|w, h| cards()[0].1.render(w, h))),
        (
            "card with glare",
            Target::Card,
            flat(|w, h| {
                CardScene {
                    glare: Some(Glare {
                        u: 0.4,
                        v: 0.5,
                        radius: 0.08,
                    }),
                    ..cards()[1].1
                }
                .render(w, h)
            }),
        ),
    ];
    for (name, target, scene) in &scenes {
        let verdicts: Vec<Vec<(Check, Verdict)>> = [(640, 480), (1920, 1080)]
            .into_iter()
            .map(|(w, h)| {
                let (picture, faces) = scene(w, h);
                let before = capture(&format!("{name}-{w}-a"), &picture, &mut rng);
                let before = run(*target, &before, &faces, None);
                // The camera moved by 2 % of the width between the frames.
                let moved = scenes::shifted(&picture, (0.02 * w as f32) as i64, 0);
                let now = capture(&format!("{name}-{w}-b"), &moved, &mut rng);
                run(*target, &now, &faces, Some(&before.thumbnail)).verdicts
            })
            .collect();
        println!("{name}: {:?}", verdicts[0]);
        assert_eq!(
            verdicts[0], verdicts[1],
            "{name}: 640×480 against 1920×1080"
        );
        compared += 1;
    }
    assert_eq!(compared, scenes.len());
}
