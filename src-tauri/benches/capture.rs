//! Capture benchmark of the real app under Xvfb, with the 720p, 30 fps file camera and
//! the speech file microphone of `scripts/demo-media`, driven over WebDriver like the
//! end-to-end test (the same journeys). For each way of running it (JPEG or raw RGBA
//! preview; WebKitGTK's defaults, or its compositing switched off):
//!
//! - the preview: the exchange flow's commitment-letter step, the camera open for
//!   `PREVIEW_SECONDS`, then the step left, which closes the camera and makes the app
//!   print its preview figures (`EHRAZ_REPORT_PREVIEW=1`): frames sent and drawn, drawn
//!   per second, bytes, capture-to-drawn latency; and the live guidance's figures (frames
//!   analysed per second, time per analysis) for the paper it looks for there;
//! - a recording: the video step's recording run to its 20 s limit, while the app's
//!   process and, separately, its WebKit processes are sampled from `/proc`: CPU used
//!   (cores: CPU seconds over wall seconds) and peak RSS; then the step is left, and the
//!   app prints the preview's and the guidance's figures over the video step, where the
//!   guidance runs the face detector on every frame it analyses.
//!
//! The window is 1280×800 CSS pixels at a device pixel ratio of 2 (`GDK_SCALE=2`): the
//! UI asks for preview frames as wide as the canvas in device pixels, capped at 1280, and
//! its column is 42rem, so only a HiDPI screen makes it ask for the full 1280.
//! `cargo bench -p ehraz --bench capture`; needs what the end-to-end test needs.

#[path = "../tests/demo/mod.rs"]
mod demo;
#[path = "../tests/journeys/mod.rs"]
mod journeys;
mod procfs;
#[path = "../tests/webdriver/mod.rs"]
mod webdriver;
#[path = "../tests/xvfb/mod.rs"]
mod xvfb;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use journeys::{Media, Rig, click};

const PREVIEW_SECONDS: u64 = 10;
const RECORDING_LIMIT_SECONDS: u64 = 20;

/// One way of running the app: a name and extra environment.
struct Variant {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
}

const VARIANTS: [Variant; 4] = [
    Variant {
        name: "JPEG preview (default)",
        env: &[],
    },
    Variant {
        name: "RGBA preview",
        env: &[("EHRAZ_PREVIEW_FORMAT", "rgba")],
    },
    Variant {
        name: "JPEG, WEBKIT_DISABLE_COMPOSITING_MODE=1",
        env: &[("WEBKIT_DISABLE_COMPOSITING_MODE", "1")],
    },
    Variant {
        name: "RGBA, WEBKIT_DISABLE_COMPOSITING_MODE=1",
        env: &[
            ("EHRAZ_PREVIEW_FORMAT", "rgba"),
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        ],
    },
];

/// What one variant measured.
struct Figures {
    asked_width: String,
    preview: BTreeMap<String, String>,
    guidance: BTreeMap<String, String>,
    video_preview: BTreeMap<String, String>,
    video_guidance: BTreeMap<String, String>,
    recording: Recording,
}

/// CPU and memory over one recording.
#[derive(Default)]
struct Recording {
    wall_seconds: f64,
    app_cores: f64,
    app_peak_rss_mb: f64,
    webkit_cores: f64,
    webkit_peak_rss_mb: f64,
    webkit_processes: usize,
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let media_dir = std::env::temp_dir().join("ehraz-bench-media");
    let media = Media::demo(&media_dir);
    println!(
        "camera {} ({}x{}, 30 fps), microphone {}",
        media.camera.display(),
        media.width,
        media.height,
        media.microphone.display()
    );
    let mut results = Vec::new();
    for variant in &VARIANTS {
        let figures = runtime.block_on(one_variant(variant, media.clone()));
        println!(
            "{}: preview asked {} px wide; {}; recording {:.1} s: app {:.2} cores, peak RSS {:.1} MB; \
             WebKit ({} processes) {:.2} cores, peak RSS {:.1} MB",
            variant.name,
            figures.asked_width,
            figures
                .preview
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
            figures.recording.wall_seconds,
            figures.recording.app_cores,
            figures.recording.app_peak_rss_mb,
            figures.recording.webkit_processes,
            figures.recording.webkit_cores,
            figures.recording.webkit_peak_rss_mb,
        );
        results.push((variant.name, figures));
    }
    println!();
    println!(
        "preview over {PREVIEW_SECONDS} s of the 720p file camera; recording run to its {RECORDING_LIMIT_SECONDS} s limit"
    );
    println!(
        "{:<40} {:>6} {:>6} {:>6} {:>6} {:>8} {:>7} {:>7} | {:>9} {:>9} {:>9} {:>9}",
        "variant",
        "width",
        "sent",
        "drawn",
        "fps",
        "MB/s",
        "p50 ms",
        "p95 ms",
        "app cores",
        "app MB",
        "WK cores",
        "WK MB"
    );
    for (name, f) in &results {
        let get = |k: &str| f.preview.get(k).cloned().unwrap_or_else(|| "?".into());
        let megabytes_per_second = f
            .preview
            .get("bytes")
            .and_then(|b| b.parse::<f64>().ok())
            .map_or_else(
                || "?".into(),
                |b| format!("{:.1}", b / 1e6 / PREVIEW_SECONDS as f64),
            );
        println!(
            "{:<40} {:>6} {:>6} {:>6} {:>6} {:>8} {:>7} {:>7} | {:>9.2} {:>9.1} {:>9.2} {:>9.1}",
            name,
            f.asked_width,
            get("sent"),
            get("acked"),
            get("fps"),
            megabytes_per_second,
            get("latency_ms_p50"),
            get("latency_ms_p95"),
            f.recording.app_cores,
            f.recording.app_peak_rss_mb,
            f.recording.webkit_cores,
            f.recording.webkit_peak_rss_mb,
        );
    }
    println!(
        "(MB/s: preview bytes sent per second of the {PREVIEW_SECONDS} s window; WK: the WebKit processes, summed; MB: peak RSS)"
    );
    println!();
    println!(
        "live guidance while the preview runs (analyses per second, mean and longest ms per analysis)"
    );
    println!(
        "{:<40} {:>12} {:>8} {:>8} {:>8} | {:>12} {:>8} {:>8} {:>8} {:>9}",
        "variant",
        "paper: /s",
        "mean",
        "longest",
        "UI fps",
        "face: /s",
        "mean",
        "longest",
        "UI fps",
        "UI p50 ms"
    );
    for (name, f) in &results {
        let get =
            |m: &BTreeMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_else(|| "?".into());
        println!(
            "{:<40} {:>12} {:>8} {:>8} {:>8} | {:>12} {:>8} {:>8} {:>8} {:>9}",
            name,
            get(&f.guidance, "per_second"),
            get(&f.guidance, "mean_ms"),
            get(&f.guidance, "longest_ms"),
            get(&f.preview, "fps"),
            get(&f.video_guidance, "per_second"),
            get(&f.video_guidance, "mean_ms"),
            get(&f.video_guidance, "longest_ms"),
            get(&f.video_preview, "fps"),
            get(&f.video_preview, "latency_ms_p50"),
        );
    }
    println!("(paper: the commitment letter's step; face: the video step, preview and recording)");
}

/// The `key=value` pairs of one of the app's report lines.
fn pairs(line: &str) -> BTreeMap<String, String> {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

async fn one_variant(variant: &Variant, media: Media) -> Figures {
    let application = PathBuf::from(env!("CARGO_BIN_EXE_ehraz"));
    let mut env: Vec<(&str, OsString)> = vec![
        ("EHRAZ_REPORT_PREVIEW", "1".into()),
        ("GDK_SCALE", "2".into()),
    ];
    env.extend(variant.env.iter().map(|(k, v)| (*k, OsString::from(v))));
    let rig = Rig::start(application.clone(), media, (2600, 1700), &env).await;
    let app = rig.open_app().await;
    app.set_window_size(1280, 800).await;
    journeys::exchange_to(&rig, &app, "documents").await;

    // The preview, on a photo step.
    journeys::open_camera_for_photo(&app).await;
    let asked_width = app
        .execute(
            "const c = document.querySelector('canvas#capture-preview'); \
             return Math.min(1280, Math.max(320, Math.round(c.clientWidth * (window.devicePixelRatio || 1))))",
            &[],
        )
        .await;
    tokio::time::sleep(Duration::from_secs(PREVIEW_SECONDS)).await;
    click(&app, "header button.btn-quiet").await;
    rig.at_step(&app, "method").await;
    let preview = pairs(&wait_for_line(&rig, "ehraz: preview", 0).await);
    let guidance = pairs(&wait_for_line(&rig, "ehraz: guidance", 0).await);

    // A recording, on the video step.
    journeys::choose(&app, "method", "video").await;
    journeys::continue_form(&app).await;
    rig.at_step(&app, "video").await;
    journeys::open_camera_for_video(&app).await;
    let app_pid = find_app(rig.driver.pid(), &application).expect("the app's process");
    click(&app, "#record-start").await;
    let started = Instant::now();
    let first = Sample::take(app_pid);
    let mut samples = vec![first.clone()];
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        samples.push(Sample::take(app_pid));
        if app.find("img#capture-review").await.is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(RECORDING_LIMIT_SECONDS + 90),
            "the recording never ended"
        );
    }
    let wall = started.elapsed().as_secs_f64();
    let last = samples.last().cloned().unwrap_or_default();
    // Leaving the step closes the camera: the figures of the video step's preview and
    // guidance.
    click(&app, "header button.btn-quiet").await;
    let video_preview = pairs(&wait_for_line(&rig, "ehraz: preview", 1).await);
    let video_guidance = pairs(&wait_for_line(&rig, "ehraz: guidance", 1).await);
    let recording = Recording {
        wall_seconds: wall,
        app_cores: (last.app_cpu - first.app_cpu) / wall,
        app_peak_rss_mb: samples.iter().map(|s| s.app_rss_mb).fold(0.0, f64::max),
        webkit_cores: (last.webkit_cpu - first.webkit_cpu) / wall,
        webkit_peak_rss_mb: samples.iter().map(|s| s.webkit_rss_mb).fold(0.0, f64::max),
        webkit_processes: last.webkit_processes,
    };
    app.quit().await;
    rig.stop().await;
    Figures {
        asked_width,
        preview,
        guidance,
        video_preview,
        video_guidance,
        recording,
    }
}

/// Waits for the `nth` (from 0) line of the app's standard error starting with `prefix`.
async fn wait_for_line(rig: &Rig, prefix: &str, nth: usize) -> String {
    let started = Instant::now();
    loop {
        if let Some(line) = rig
            .driver
            .stderr()
            .into_iter()
            .filter(|l| l.starts_with(prefix))
            .nth(nth)
        {
            return line;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the app printed no `{prefix}` line"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One look at the app's process and its WebKit processes (its descendants).
#[derive(Clone, Default)]
struct Sample {
    app_cpu: f64,
    app_rss_mb: f64,
    webkit_cpu: f64,
    webkit_rss_mb: f64,
    webkit_processes: usize,
}

impl Sample {
    fn take(app: u32) -> Self {
        let children = procfs::descendants(app);
        Self {
            app_cpu: cpu_seconds(app),
            app_rss_mb: procfs::rss_mb(app),
            webkit_cpu: children.iter().map(|&p| cpu_seconds(p)).sum(),
            webkit_rss_mb: children.iter().map(|&p| procfs::rss_mb(p)).sum(),
            webkit_processes: children.len(),
        }
    }
}

/// The app under tauri-driver (under WebKitWebDriver): the descendant running `binary`.
fn find_app(root: u32, binary: &Path) -> Option<u32> {
    let binary = binary.canonicalize().ok()?;
    procfs::descendants(root).into_iter().find(|&pid| {
        std::fs::read_link(format!("/proc/{pid}/exe"))
            .ok()
            .and_then(|p| p.canonicalize().ok())
            .is_some_and(|p| p == binary)
    })
}

/// Clock ticks per second of `/proc/<pid>/stat` times.
fn ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// User and system CPU seconds a process used so far.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // After the command name: state is field 3, utime 14 and stime 15 (1-based).
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(11) + tick(12)) / ticks_per_second()
}
