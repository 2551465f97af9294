//! Startup benchmark of the real app under Xvfb: time from process start to the first
//! screen drawn and interactive (the UI's `app_ready` call, reported on standard error
//! when `EHRAZ_REPORT_READY` is set), and memory once that screen shows: the app's own
//! RSS, and RSS, PSS and private memory summed over the app and the WebKit processes it
//! starts. Each is taken with WebKitGTK's defaults and with compositing switched off.
//! Also the binary's size, as built and stripped. `cargo bench -p ehraz --bench startup`;
//! needs `Xvfb` and `strip` (binutils).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod procfs;
#[path = "../tests/xvfb/mod.rs"]
mod xvfb;

const RUNS: usize = 7;

/// One way of starting the app: a name and extra environment.
struct Variant {
    name: &'static str,
    env: &'static [(&'static str, &'static str)],
}

const VARIANTS: [Variant; 2] = [
    Variant {
        name: "default",
        env: &[],
    },
    Variant {
        name: "WEBKIT_DISABLE_COMPOSITING_MODE=1",
        env: &[("WEBKIT_DISABLE_COMPOSITING_MODE", "1")],
    },
];

fn main() {
    let app = PathBuf::from(env!("CARGO_BIN_EXE_ehraz"));
    let xvfb = xvfb::Xvfb::start(1280, 800);
    let display = xvfb.display.clone();
    for variant in &VARIANTS {
        let mut ready_ms = Vec::new();
        let mut memory = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        // One run first to warm the page cache; it is not counted.
        for run in 0..=RUNS {
            let (ms, figures) = one_start(&app, &display, variant.env);
            if run > 0 {
                println!(
                    "{} run {run}: ready after {ms:.0} ms; app RSS {:.1} MB; all processes: RSS {:.1} MB, PSS {:.1} MB, private {:.1} MB",
                    variant.name, figures[0], figures[1], figures[2], figures[3]
                );
                ready_ms.push(ms);
                for (all, figure) in memory.iter_mut().zip(figures) {
                    all.push(figure);
                }
            }
        }
        let ready = median(&mut ready_ms);
        println!(
            "{}: first screen interactive after a median {ready:.0} ms (min {:.0}, max {:.0}) over {RUNS} runs",
            variant.name,
            ready_ms[0],
            ready_ms[RUNS - 1]
        );
        let [app_rss, rss, pss, private] = memory.map(|mut m| median(&mut m));
        println!(
            "{}: memory after the first screen, medians: the app's own process RSS {app_rss:.1} MB; \
             app + WebKit processes RSS {rss:.1} MB, PSS {pss:.1} MB, private (USS) {private:.1} MB",
            variant.name
        );
    }
    drop(xvfb);
    let built = std::fs::metadata(&app).map(|m| m.len()).unwrap_or(0);
    let stripped_path = std::env::temp_dir().join("ehraz-stripped");
    let stripped = Command::new("strip")
        .arg("-o")
        .arg(&stripped_path)
        .arg(&app)
        .status()
        .ok()
        .filter(|s| s.success())
        .and_then(|_| std::fs::metadata(&stripped_path).ok())
        .map_or(0, |m| m.len());
    println!(
        "binary {}: {:.2} MB as built, {:.2} MB stripped",
        app.display(),
        built as f64 / 1e6,
        stripped as f64 / 1e6
    );
}

/// Starts the app once: milliseconds to its first screen, and memory in MB once it
/// shows: the app's own RSS, then RSS, PSS and private memory of the whole process tree.
fn one_start(app: &Path, display: &str, env: &[(&str, &str)]) -> (f64, [f64; 4]) {
    let data = std::env::temp_dir().join(format!("ehraz-startup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let started = Instant::now();
    let mut child = Command::new(app)
        .env("DISPLAY", display)
        .env("EHRAZ_REPORT_READY", "1")
        .env("EHRAZ_DATA_DIR", &data)
        .env("EHRAZ_OS_KEY_STORE", "false")
        .env_remove("WAYLAND_DISPLAY")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the app starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let ms = loop {
        match lines.next() {
            Some(Ok(line)) if line.contains("first screen ready") => {
                break started.elapsed().as_secs_f64() * 1e3;
            }
            Some(_) => {}
            None => panic!("the app ended before its first screen"),
        }
    };
    // Keep draining its standard error so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    std::thread::sleep(Duration::from_millis(1500));
    let figures = tree_memory(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data);
    (ms, figures)
}

/// The root's RSS, then RSS, PSS and private memory summed over a process and all its
/// descendants, in MB.
fn tree_memory(root: u32) -> [f64; 4] {
    let mut pids = procfs::descendants(root);
    pids.push(root);
    let sum = |file: &str, keys: &[&str]| -> f64 {
        pids.iter()
            .flat_map(|&p| keys.iter().map(move |k| procfs::kb(p, file, k)))
            .sum::<f64>()
            / 1024.0
    };
    [
        procfs::rss_mb(root),
        sum("status", &["VmRSS:"]),
        sum("smaps_rollup", &["Pss:"]),
        sum("smaps_rollup", &["Private_Clean:", "Private_Dirty:"]),
    ]
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
