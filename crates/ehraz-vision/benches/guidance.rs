//! The whole live guidance for one 1280×720 frame, as the app runs it: `Analyzer::analyse`
//! (face detection, every check the target needs, smoothing over time), one thread. The
//! budget is 4 ms a frame on one core.
//!
//! The frames are made from the evaluation photos: the astronaut in the selfie oval in
//! front of a white wall, the same frame dark and out of focus, a café table with nobody
//! in it, a signed sheet and an ID-1 card. Each is written once per run as PNG into
//! `guidance-frames/` in the Cargo target directory (`$CARGO_TARGET_DIR/guidance-frames`,
//! else `target/guidance-frames` at the workspace root), so that the OpenCV baseline
//! (`benches/opencv/baseline.py`) times the very same pixels; `scripts/bench-guidance`
//! runs both. Beside the frames, `rust-calls.tsv` holds every timed call's median, 95th
//! percentile and mean, and the mean time on the CPU (criterion's own figures are
//! medians of per-sample means).
//!
//! `cargo bench -p ehraz-vision --bench guidance`

use std::cell::RefCell;
use std::fs;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use ehraz_vision::{Analyzer, Check, Guidance, Target, Verdict};
use image::RgbImage;

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/scenes/mod.rs"]
mod scenes;

use scenes::{Backdrop, CardScene, PaperScene, Rng, Selfie, Table};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;
/// The app analyses about 15 frames a second.
const FRAME_GAP: Duration = Duration::from_millis(66);

/// One frame of the set: its name (the PNG's file stem) and the camera frame made from
/// exactly the PNG's pixels.
struct Shot {
    name: &'static str,
    frame: common::Frame,
}

/// Where the frames go: `guidance-frames/` in the Cargo target directory.
fn frames_dir() -> PathBuf {
    // Cargo gives benches `<target dir>/tmp`; the frames sit beside it.
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .expect("the target tmp directory is inside the target directory")
        .join("guidance-frames")
}

/// A little sensor noise, the same on the three channels (so it lands in luma), about
/// `sigma` levels: every frame here goes through it, the OpenCV side sees it too.
fn noisy(mut picture: RgbImage, sigma: f32, rng: &mut Rng) -> RgbImage {
    for p in picture.pixels_mut() {
        let n = (rng.normal() * sigma).round();
        for v in &mut p.0 {
            *v = (f32::from(*v) + n).clamp(0.0, 255.0) as u8;
        }
    }
    picture
}

/// The set, written to `dir` as PNG.
fn shots(dir: &std::path::Path) -> Vec<Shot> {
    let mut rng = Rng::new(7);
    let white = Backdrop::Plain {
        colour: [244, 244, 240],
        shade: 0.08,
    };
    let (selfie, _) = Selfie::new(white).render(WIDTH, HEIGHT);
    let mut dark = selfie.clone();
    scenes::gain(&mut dark, 0.15);
    let blurred = scenes::defocus(&selfie, 6.0);
    // The café table of the evaluation set, nobody in front of the camera.
    let empty = PaperScene {
        table: Table::Wood,
        sheet: None,
        signature: None,
    }
    .render(WIDTH, HEIGHT);
    let paper = PaperScene::signed_on_wood().render(WIDTH, HEIGHT);
    let card = CardScene::national_on_wood().render(WIDTH, HEIGHT);

    fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    [
        ("face", selfie),
        ("no-face", empty),
        ("dark", dark),
        ("blurred", blurred),
        ("paper", paper),
        ("card", card),
    ]
    .into_iter()
    .map(|(name, picture)| {
        let picture = noisy(picture, 2.0, &mut rng);
        let path = dir.join(format!("{name}.png"));
        picture
            .save(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Shot {
            name,
            frame: common::to_i420(&picture),
        }
    })
    .collect()
}

/// An analyzer for `target` that has seen `frame` once, so the motion check has a
/// previous frame from the first timed call on.
fn primed(target: Target, frame: &common::Frame) -> (Analyzer, Duration) {
    let mut analyzer = Analyzer::new(target, true).expect("the built-in face model");
    analyzer.analyse(&frame.view(), Duration::ZERO);
    (analyzer, FRAME_GAP)
}

/// Every timed call's duration, for each benchmark, to report the tail criterion's
/// per-sample means hide; and the thread's time on the CPU over the same calls, to show
/// how much of the wall-clock time was spent waiting for the CPU on a busy machine.
#[derive(Default)]
struct Calls(RefCell<Vec<Record>>);

/// One benchmark's calls.
struct Record {
    name: String,
    times: Vec<Duration>,
    /// On-CPU time over the calls' batches (`None` where the kernel does not say).
    on_cpu: Option<Duration>,
}

/// This thread's time on the CPU so far: Linux's scheduler statistics, which move at the
/// scheduler's ticks, so they are only read around batches of calls.
fn on_cpu() -> Option<Duration> {
    let stat = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

impl Calls {
    /// Times `iters` calls of `call` one by one, keeping each under `name`.
    fn time(&self, name: &str, iters: u64, mut call: impl FnMut()) -> Duration {
        let mut all = self.0.borrow_mut();
        if all.last().is_none_or(|last| last.name != name) {
            all.push(Record {
                name: name.to_owned(),
                times: Vec::new(),
                on_cpu: Some(Duration::ZERO),
            });
        }
        let record = all.last_mut().expect("just pushed");
        let cpu_before = on_cpu();
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let start = Instant::now();
            call();
            let took = start.elapsed();
            record.times.push(took);
            total += took;
        }
        record.on_cpu = match (record.on_cpu, cpu_before, on_cpu()) {
            (Some(sum), Some(before), Some(after)) => Some(sum + after.saturating_sub(before)),
            _ => None,
        };
        total
    }

    /// Name, calls, median and 95th percentile of the calls, their mean, and their mean
    /// on the CPU (µs), one benchmark a line.
    fn table(&self) -> String {
        let mut out = String::from("bench\tcalls\tmedian_us\tp95_us\tmean_us\ton_cpu_mean_us\n");
        for record in self.0.borrow_mut().iter_mut() {
            let times = &mut record.times;
            times.sort_unstable();
            let n = times.len();
            let at = |q: f64| times[((n - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
            let mean = times.iter().sum::<Duration>().as_secs_f64() * 1e6 / n as f64;
            let on_cpu = record.on_cpu.map_or("-".to_owned(), |cpu| {
                format!("{:.1}", cpu.as_secs_f64() * 1e6 / n as f64)
            });
            out.push_str(&format!(
                "{}\t{n}\t{:.1}\t{:.1}\t{mean:.1}\t{on_cpu}\n",
                record.name,
                at(0.5),
                at(0.95)
            ));
        }
        out
    }
}

/// The number of threads this process runs (Linux), to show the figures are one thread's.
fn threads() -> Option<usize> {
    fs::read_dir("/proc/self/task").ok().map(|d| d.count())
}

fn guidance(c: &mut Criterion) {
    let dir = frames_dir();
    let shots = shots(&dir);
    let shot = |name: &str| {
        &shots
            .iter()
            .find(|s| s.name == name)
            .expect("a frame of the set")
            .frame
    };

    // The frames are what their names say, as the selfie analyzer sees them.
    for (name, faces, failing) in [
        ("face", 1, None),
        ("no-face", 0, Some((Check::Face, Guidance::NoFace))),
        ("dark", 1, Some((Check::Exposure, Guidance::TooDark))),
        ("blurred", 1, Some((Check::Sharpness, Guidance::Blurry))),
    ] {
        let (mut analyzer, at) = primed(Target::Selfie, shot(name));
        let reading = analyzer.analyse(&shot(name).view(), at);
        assert_eq!(reading.faces.len(), faces, "faces found in {name}");
        if let Some((check, guidance)) = failing {
            assert_eq!(
                reading.assessment.verdict(check),
                Some(Verdict::Fail(guidance)),
                "{name}: {:?}",
                reading.assessment.verdicts
            );
        }
    }

    let calls = Calls::default();
    let mut group = c.benchmark_group("guidance 1280x720");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6));

    // Each target on its frames, one at a time: the same frame again and again, as from a
    // camera held still.
    let cases = [
        (Target::Selfie, "face"),
        (Target::Selfie, "no-face"),
        (Target::Selfie, "dark"),
        (Target::Selfie, "blurred"),
        (Target::SelfieVideo, "face"),
        (Target::Paper, "paper"),
        (Target::Card, "card"),
    ];
    for (target, name) in cases {
        let target_name: &'static str = target.into();
        let id = format!("{target_name}/{name}");
        let frame = shot(name);
        let (mut analyzer, mut at) = primed(target, frame);
        group.bench_function(&id, |b| {
            b.iter_custom(|iters| {
                calls.time(&id, iters, || {
                    black_box(analyzer.analyse(black_box(&frame.view()), at));
                    at += FRAME_GAP;
                })
            });
        });
    }

    // The four selfie frames in turn, each analysed after the one before: a person who
    // steps in, the light going, the camera losing focus.
    let turn = ["face", "no-face", "dark", "blurred"].map(shot);
    let id = "selfie/in-turn".to_owned();
    let (mut analyzer, mut at) = primed(Target::Selfie, turn[3]);
    let mut next = 0;
    group.bench_function(&id, |b| {
        b.iter_custom(|iters| {
            calls.time(&id, iters, || {
                black_box(analyzer.analyse(black_box(&turn[next].view()), at));
                next = (next + 1) % turn.len();
                at += FRAME_GAP;
            })
        });
    });
    group.finish();

    let table = calls.table();
    let path = dir.join("rust-calls.tsv");
    fs::write(&path, &table).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("\nEvery timed call (criterion's warm-up included), µs:\n{table}");
    println!("frames and figures in {}", dir.display());
    if let Some(n) = threads() {
        println!("threads in this process: {n}");
        assert_eq!(n, 1, "the guidance runs on the caller's thread alone");
    }
}

criterion_group!(benches, guidance);
criterion_main!(benches);
