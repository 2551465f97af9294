//! A virtual X display for the real app: `Xvfb` on the first free display number, stopped
//! when dropped. Shared by the end-to-end test and the startup benchmark.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Xvfb.
pub struct Xvfb {
    child: Child,
    /// Its `DISPLAY`, e.g. `:99`.
    pub display: String,
}

impl Xvfb {
    /// Starts Xvfb with one screen of `width`×`height` and waits for its socket.
    pub fn start(width: u32, height: u32) -> Self {
        let number = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("a free X display number");
        let display = format!(":{number}");
        let child = Command::new("Xvfb")
            .arg(&display)
            .args([
                "-screen",
                "0",
                &format!("{width}x{height}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts (apt install xvfb)");
        let socket = format!("/tmp/.X11-unix/X{number}");
        let started = Instant::now();
        while !Path::new(&socket).exists() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "Xvfb did not open {socket}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, display }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
