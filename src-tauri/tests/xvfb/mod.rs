//! A virtual X display for the real app: `Xvfb` on a display number it picks itself,
//! stopped when dropped. Shared by the end-to-end tests and the benchmarks.
//!
//! Xvfb chooses the number (`-displayfd`), so two tests never race for one, and a lock
//! file left by an Xvfb that was killed outright is recognised by Xvfb as stale instead of
//! counting as taken. It is stopped with SIGTERM so that it removes its own lock file and
//! socket; a SIGKILL would leave both behind in `/tmp` for every run.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running Xvfb.
pub struct Xvfb {
    child: Child,
    /// Kept open: Xvfb wrote its display number here and must not meet a closed pipe.
    _stdout: BufReader<ChildStdout>,
    /// Its `DISPLAY`, e.g. `:99`.
    pub display: String,
}

impl Xvfb {
    /// Starts Xvfb with one screen of `width`×`height` and waits until it takes connections.
    pub fn start(width: u32, height: u32) -> Self {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                &format!("{width}x{height}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts (apt install xvfb)");
        let mut stdout = BufReader::new(child.stdout.take().expect("Xvfb's stdout is piped"));
        // Xvfb writes the number once it accepts connections; read it on a thread so a
        // server that never answers fails the test instead of hanging it.
        let (sender, receiver) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut line = String::new();
            let read = stdout.read_line(&mut line);
            let _ = sender.send(read.map(|_| line));
            stdout
        });
        let line = match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(Ok(line)) => line,
            Ok(Err(error)) => panic!("reading Xvfb's display number: {error}"),
            Err(_) => {
                stop(&mut child);
                panic!("Xvfb gave no display number within 20 s");
            }
        };
        let stdout = reader
            .join()
            .expect("the reader thread ends after one line");
        let number: u32 = line.trim().parse().unwrap_or_else(|_| {
            stop(&mut child);
            panic!("Xvfb wrote {line:?} instead of a display number (did it fail to start?)")
        });
        Self {
            child,
            _stdout: stdout,
            display: format!(":{number}"),
        }
    }
}

/// SIGTERM, so Xvfb cleans up after itself; SIGKILL only if it does not stop in 5 s.
fn stop(child: &mut Child) {
    // `kill(1)`, since the workspace forbids `unsafe` (a direct `kill(2)` call needs it).
    let asked_to_stop = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .is_ok_and(|status| status.success());
    if asked_to_stop {
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_secs(5) {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}
