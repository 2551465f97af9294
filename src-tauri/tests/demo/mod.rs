//! The demo camera and microphone of `scripts/demo-media` (which needs ffmpeg and
//! espeak-ng), for the tests and benches that want them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Makes (once) the demo media in `dir`: the camera clip (1280×720 at 30 fps, the
/// evaluation set's astronaut portrait holding still in the selfie oval) and the spoken
/// WAV; their paths.
pub fn demo_media(dir: &Path) -> (PathBuf, PathBuf) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/demo-media");
    let out = Command::new(script)
        .arg(dir)
        .output()
        .expect("scripts/demo-media runs");
    assert!(
        out.status.success(),
        "scripts/demo-media: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let camera = PathBuf::from(lines.next().expect("the camera's path"));
    let microphone = PathBuf::from(lines.next().expect("the microphone's path"));
    (camera, microphone)
}
