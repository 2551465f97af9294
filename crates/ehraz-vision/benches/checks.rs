//! The guidance checks on one 1280×720 frame, one thread: `assess` for each target, the
//! faces given (the detector's own time is not in these figures). The budget for all of
//! guidance is 4 ms a frame, most of it the face detector's; the checks aim well under
//! 1.5 ms.
//!
//! The frames are the evaluation set's scenes (the astronaut in the oval, a signed sheet,
//! an ID-1 card), made as in the tests.
//!
//! `cargo bench -p ehraz-vision --bench checks`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ehraz_vision::detect::Face;
use ehraz_vision::{Layout, Limits, Target, Thumbnail, assess};

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/scenes/mod.rs"]
mod scenes;

use scenes::{Backdrop, CardScene, PaperScene, Rng, Selfie};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;

fn per_frame(c: &mut Criterion) {
    let mut rng = Rng::new(1);
    let white = Backdrop::Plain {
        colour: [244, 244, 240],
        shade: 0.08,
    };
    let (selfie, face) = Selfie::new(white).render(WIDTH, HEIGHT);
    let paper = PaperScene::signed_on_wood().render(WIDTH, HEIGHT);
    let card = CardScene::national_on_wood().render(WIDTH, HEIGHT);
    let selfie = scenes::capture(&selfie, 2.0, &mut rng);
    let paper = scenes::capture(&paper, 2.0, &mut rng);
    let card = scenes::capture(&card, 2.0, &mut rng);
    let limits = Limits::default();

    let mut group = c.benchmark_group("assess 1280x720");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(4));
    let cases: [(Target, &common::Frame, &[Face]); 5] = [
        (Target::Selfie, &selfie, &[face]),
        (Target::SelfieVideo, &selfie, &[face]),
        (Target::SelfieWithCard, &selfie, &[face]),
        (Target::Paper, &paper, &[]),
        (Target::Card, &card, &[]),
    ];
    for (target, frame, faces) in cases {
        let view = frame.view();
        let layout = Layout::new(target, WIDTH, HEIGHT, true);
        // The previous frame: the same scene, so the motion check runs too.
        let previous = assess(target, &view, &layout, faces, None, &limits).thumbnail;
        let name: &'static str = target.into();
        group.bench_function(name, |b| {
            b.iter(|| {
                assess(
                    target,
                    black_box(&view),
                    &layout,
                    faces,
                    Some(&previous),
                    &limits,
                )
            });
        });
    }
    group.bench_function("thumbnail only", |b| {
        let view = selfie.view();
        b.iter(|| Thumbnail::of(black_box(&view)));
    });
    group.finish();
}

criterion_group!(benches, per_frame);
criterion_main!(benches);
