//! Startup benchmark of the real app under Xvfb: time from process start to the first
//! screen drawn and interactive (the UI's `app_ready` call, reported on standard error
//! when `EHRAZ_REPORT_READY` is set), and memory once that screen shows: RSS and PSS
//! summed over the app and the WebKit processes it starts. Also the binary's size,
//! as built and stripped. `cargo bench -p ehraz --bench startup`; needs `Xvfb` and
//! `strip` (binutils).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../tests/xvfb/mod.rs"]
mod xvfb;

const RUNS: usize = 7;

fn main() {
    let app = PathBuf::from(env!("CARGO_BIN_EXE_ehraz"));
    let xvfb = xvfb::Xvfb::start(1280, 800);
    let display = xvfb.display.clone();
    let mut ready_ms = Vec::new();
    let mut rss_mb = Vec::new();
    let mut pss_mb = Vec::new();
    // One run first to warm the page cache; it is not counted.
    for run in 0..=RUNS {
        let (ms, rss, pss) = one_start(&app, &display);
        if run > 0 {
            println!("run {run}: ready after {ms:.0} ms, RSS {rss:.1} MB, PSS {pss:.1} MB");
            ready_ms.push(ms);
            rss_mb.push(rss);
            pss_mb.push(pss);
        }
    }
    drop(xvfb);
    println!(
        "startup to first screen interactive: median {:.0} ms (min {:.0}, max {:.0}) over {RUNS} runs",
        median(&mut ready_ms),
        ready_ms[0],
        ready_ms[RUNS - 1]
    );
    println!(
        "memory after the first screen, app + WebKit processes: RSS median {:.1} MB, PSS median {:.1} MB",
        median(&mut rss_mb),
        median(&mut pss_mb)
    );
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

fn one_start(app: &Path, display: &str) -> (f64, f64, f64) {
    let data = std::env::temp_dir().join(format!("ehraz-startup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let started = Instant::now();
    let mut child = Command::new(app)
        .env("DISPLAY", display)
        .env("EHRAZ_REPORT_READY", "1")
        .env("EHRAZ_DATA_DIR", &data)
        .env("EHRAZ_OS_KEY_STORE", "false")
        .env_remove("WAYLAND_DISPLAY")
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
    let (rss, pss) = tree_memory(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data);
    (ms, rss, pss)
}

/// RSS and PSS in MB of a process and all its descendants.
fn tree_memory(root: u32) -> (f64, f64) {
    let mut pids = vec![root];
    let mut i = 0;
    while i < pids.len() {
        let parent = pids[i];
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // The parent pid is the second field after the parenthesised command name.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if ppid == Some(parent) && !pids.contains(&pid) {
                pids.push(pid);
            }
        }
        i += 1;
    }
    let kb = |file: &str, key: &str| -> f64 {
        std::fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let rss: f64 = pids
        .iter()
        .map(|p| kb(&format!("/proc/{p}/status"), "VmRSS:"))
        .sum();
    let pss: f64 = pids
        .iter()
        .map(|p| kb(&format!("/proc/{p}/smaps_rollup"), "Pss:"))
        .sum();
    (rss / 1024.0, pss / 1024.0)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
