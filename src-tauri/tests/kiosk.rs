//! Kiosk mode on the real app: the debug binary in Xvfb, driven over WebDriver against a
//! real `ehraz-server`, with its home, data, cache, configuration and temporary folders
//! all under one folder of this test. One person goes through the sejam flow to the end
//! (photos, a video with its speech), the kiosk wipes them; a second person is left at
//! the one-time code and the idle timeout wipes them; the operator leaves with the PIN.
//! After each wipe nothing the app wrote anywhere may hold a file of that person, their
//! national code or phone number, or JPEG, MP4 or WAV bytes. A close request from the
//! window system is refused, and the window fills the screen. The logs of the run (the
//! app's and the server's) hold no national code, phone number or one-time code.
//!
//! Ignored by a plain `cargo test`: it needs `Xvfb`, `tauri-driver`, `WebKitWebDriver`,
//! `ffmpeg` and `espeak-ng`. `scripts/test` installs them and runs it.

mod demo;
mod files;
mod journeys;
mod webdriver;
mod xvfb;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use files::files_under;
use journeys::{
    MOBILE, Media, NATIONAL_CODE, Rig, accept, click, commitments, digits_one_at_a_time,
    open_camera_for_video, photo_step, review_and_continue, sejam_to_selfie, start_recording,
    stop_recording_at_minimum, type_and_continue,
};
use rand::Rng;
use webdriver::Session;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, Window};

/// The second person's own mobile number: the server would refuse a new code to the
/// first person's number so soon after theirs.
const SECOND_MOBILE: &str = "09351234567";
/// The operator's PIN, "set at install time" for this test.
const PIN: &str = "246813";
/// The screen: a branch kiosk's.
const SCREEN: (u32, u32) = (1280, 800);
/// The shortest idle time a kiosk accepts; the question then counts down 20 s.
const IDLE_SECONDS: u32 = 15;

/// Everything of the app's process tree goes under `root`: home, XDG folders, temp.
fn kiosk_env(root: &Path, pin_hash: &str) -> Vec<(&'static str, OsString)> {
    let at = |name: &str| {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).expect("a folder for the app");
        dir.into_os_string()
    };
    vec![
        ("EHRAZ_KIOSK", "true".into()),
        ("EHRAZ_KIOSK_PIN_HASH", pin_hash.into()),
        ("EHRAZ_KIOSK_IDLE_SECONDS", IDLE_SECONDS.to_string().into()),
        ("HOME", at("home")),
        ("XDG_DATA_HOME", at("data")),
        ("XDG_CACHE_HOME", at("cache")),
        ("XDG_CONFIG_HOME", at("config")),
        ("XDG_STATE_HOME", at("state")),
        ("TMPDIR", at("tmp")),
    ]
}

/// What must not be anywhere the app wrote.
struct Traces {
    /// Byte strings: the national code and the phone number in the forms the app
    /// handles them, and pieces of every file the server received from this person.
    needles: Vec<(String, Vec<u8>)>,
}

impl Traces {
    fn of_person(mobile: &str) -> Self {
        let persian = |s: &str| journeys::persian(&s.parse::<u64>().expect("digits"));
        let mut needles = Vec::new();
        for (what, text) in [
            ("national code", NATIONAL_CODE.to_owned()),
            ("national code (Persian digits)", persian(NATIONAL_CODE)),
            ("phone", mobile.to_owned()),
            ("phone without its 0", mobile[1..].to_owned()),
            (
                "phone (Persian digits)",
                format!("۰{}", persian(&mobile[1..])),
            ),
        ] {
            needles.push((what.to_owned(), text.clone().into_bytes()));
            let wide: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            needles.push((format!("{what}, UTF-16"), wide));
        }
        Self { needles }
    }

    /// Adds 64-byte pieces from eight places of each file the server holds.
    fn with_files(mut self, server_dir: &Path) -> Self {
        let media = server_dir.join("media");
        for entry in std::fs::read_dir(&media).expect("the server's media") {
            let path = entry.expect("an entry").path();
            let bytes = std::fs::read(&path).expect("a media file");
            if bytes.len() < 1024 {
                continue;
            }
            // Pieces as unlike any other file as possible: silence, padding and zeros
            // would "match" a database page of zeros.
            let before = self.needles.len();
            for k in 0..8 {
                let start = (bytes.len() - 64) * k / 7;
                let Some(at) = (start..bytes.len() - 64)
                    .step_by(16)
                    .find(|&at| distinct_bytes(&bytes[at..at + 64]) >= 32)
                else {
                    continue;
                };
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                self.needles.push((
                    format!(
                        "64 bytes at {at} of the server's {}",
                        name.unwrap_or_default()
                    ),
                    bytes[at..at + 64].to_vec(),
                ));
            }
            assert!(
                self.needles.len() - before >= 4,
                "pieces to look for from {}",
                path.display()
            );
        }
        self
    }
}

/// How many different byte values `piece` holds.
fn distinct_bytes(piece: &[u8]) -> usize {
    let mut seen = [false; 256];
    for &b in piece {
        seen[usize::from(b)] = true;
    }
    seen.iter().filter(|&&s| s).count()
}

/// A media signature at `i` of `bytes`, if one starts there.
fn media_signature(bytes: &[u8], i: usize) -> Option<&'static str> {
    let rest = &bytes[i..];
    if rest.len() >= 4
        && rest[..3] == [0xFF, 0xD8, 0xFF]
        && matches!(rest[3], 0xDB | 0xE0..=0xEF | 0xC0 | 0xC2 | 0xC4 | 0xFE)
    {
        return Some("JPEG");
    }
    if rest.len() >= 12 && &rest[4..8] == b"ftyp" {
        let brand = &rest[8..12];
        if [
            b"isom", b"iso2", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash",
        ]
        .iter()
        .any(|b| brand == *b)
        {
            return Some("MP4");
        }
    }
    if rest.len() >= 12 && &rest[..4] == b"RIFF" && &rest[8..12] == b"WAVE" {
        return Some("WAV");
    }
    None
}

/// Every file under `dirs`, and what of `traces` or which media signature each holds.
fn scan(dirs: &[&Path], traces: &Traces) -> (Vec<(PathBuf, u64)>, Vec<String>) {
    let mut files = Vec::new();
    let mut found = Vec::new();
    for path in dirs.iter().flat_map(|dir| files_under(dir)) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        for (what, needle) in &traces.needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found.push(format!("{}: {what}", path.display()));
            }
        }
        if let Some(kind) = (0..bytes.len()).find_map(|i| media_signature(&bytes, i)) {
            found.push(format!("{}: {kind} bytes", path.display()));
        }
        files.push((path, bytes.len() as u64));
    }
    files.sort();
    (files, found)
}

/// Scans and fails on any trace, listing what is left either way.
fn nothing_left(moment: &str, dirs: &[&Path], traces: &Traces) {
    let (files, found) = scan(dirs, traces);
    let total: u64 = files.iter().map(|(_, size)| size).sum();
    eprintln!(
        "{moment}: {} files ({total} bytes) left where the app writes, checked for {} traces",
        files.len(),
        traces.needles.len()
    );
    // What is left, by folder (two levels below where the app writes).
    let mut folders = std::collections::BTreeMap::<String, (usize, u64)>::new();
    for (path, size) in &files {
        let (base, rest) = dirs
            .iter()
            .find_map(|d| Some((d, path.strip_prefix(d).ok()?)))
            .expect("under a scanned folder");
        let parts: Vec<_> = rest.components().take(3).collect();
        let folder: PathBuf = parts[..parts.len().saturating_sub(1).min(2)]
            .iter()
            .collect();
        let name = format!("{}/{}", base.display(), folder.display());
        let entry = folders.entry(name).or_default();
        entry.0 += 1;
        entry.1 += size;
    }
    for (folder, (count, bytes)) in &folders {
        eprintln!("  {count:>4} files {bytes:>9} bytes  {folder}");
    }
    assert!(
        found.is_empty(),
        "{moment}: traces of the person left:\n{}",
        found.join("\n")
    );
}

/// The app's top-level X11 windows (WM_CLASS says ehraz), on `display`.
fn app_windows(display: &str) -> (x11rb::rust_connection::RustConnection, Vec<Window>) {
    let (conn, screen) = x11rb::connect(Some(display)).expect("the X display");
    let root = conn.setup().roots[screen].root;
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(window) = stack.pop() {
        let class = conn
            .get_property(false, window, AtomEnum::WM_CLASS, AtomEnum::STRING, 0, 256)
            .expect("request")
            .reply()
            .map(|r| String::from_utf8_lossy(&r.value).to_ascii_lowercase())
            .unwrap_or_default();
        if class.contains("ehraz") {
            found.push(window);
            continue;
        }
        if let Ok(tree) = conn.query_tree(window).expect("request").reply() {
            stack.extend(tree.children);
        }
    }
    (conn, found)
}

/// Asks each of the app's windows to close, as a window manager does for Alt+F4 or the
/// title bar's close button (WM_DELETE_WINDOW).
fn ask_to_close(display: &str) -> usize {
    let (conn, windows) = app_windows(display);
    let atom = |name: &[u8]| {
        conn.intern_atom(false, name)
            .expect("request")
            .reply()
            .expect("atom")
            .atom
    };
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    for &window in &windows {
        let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
        conn.send_event(false, window, EventMask::NO_EVENT, event)
            .expect("send");
    }
    conn.flush().expect("flush");
    windows.len()
}

/// The size of the app's largest window, and the window states it asked for
/// (`_NET_WM_STATE`: fullscreen, above).
fn window_size_and_state(display: &str) -> ((u16, u16), Vec<String>) {
    let (conn, windows) = app_windows(display);
    let size = windows
        .iter()
        .filter_map(|&w| conn.get_geometry(w).ok()?.reply().ok())
        .map(|g| (g.width, g.height))
        .max()
        .unwrap_or((0, 0));
    let state_atom = conn
        .intern_atom(false, b"_NET_WM_STATE")
        .expect("request")
        .reply()
        .expect("atom")
        .atom;
    let mut states = Vec::new();
    for &window in &windows {
        let Ok(reply) = conn
            .get_property(false, window, state_atom, AtomEnum::ATOM, 0, 32)
            .expect("request")
            .reply()
        else {
            continue;
        };
        for atom in reply.value32().into_iter().flatten() {
            if let Ok(name) = conn.get_atom_name(atom).expect("request").reply() {
                states.push(String::from_utf8_lossy(&name.name).into_owned());
            }
        }
    }
    (size, states)
}

/// Whether a process named `ehraz` runs below `root` (tauri-driver's tree).
fn app_running(root: u32) -> bool {
    let mut stack = vec![root];
    while let Some(pid) = stack.pop() {
        let children =
            std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
        for child in children
            .split_whitespace()
            .filter_map(|c| c.parse::<u32>().ok())
        {
            let name = std::fs::read_to_string(format!("/proc/{child}/comm")).unwrap_or_default();
            if name.trim() == "ehraz" {
                return true;
            }
            stack.push(child);
        }
    }
    false
}

async fn on_start_screen(rig: &Rig, app: &Session) {
    rig.at_screen(app, &rig.text("start-title")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver, ffmpeg and espeak-ng; scripts/test runs it"]
async fn a_kiosk_leaves_nothing_of_a_person_behind() {
    let root = std::env::temp_dir().join(format!("ehraz-kiosk-{}", rand::rng().random::<u64>()));
    let pin_hash = ehraz_app::kiosk::hash_pin(PIN).expect("a PIN hash");
    let media = Media::make(&std::env::temp_dir().join("ehraz-e2e-media"), 640, 480, 4);
    let application = PathBuf::from(env!("CARGO_BIN_EXE_ehraz"));
    journeys::keep_server_log();
    let rig = Rig::start(application, media, SCREEN, &kiosk_env(&root, &pin_hash)).await;
    let written: [&Path; 2] = [&root, &rig.data];

    // The first person: sejam from the first answer to the end.
    let app = rig.open_app().await;
    app.wait_for("#kiosk-operator").await;
    let ((width, height), states) = window_size_and_state(&rig.xvfb.display);
    eprintln!(
        "the kiosk's window: {width}×{height} on a {}×{} screen, asking for {states:?}",
        SCREEN.0, SCREEN.1
    );
    assert_eq!(
        (u32::from(width), u32::from(height)),
        SCREEN,
        "the kiosk fills the screen"
    );
    sejam_to_selfie(&rig, &app).await;

    // Alt+F4 or a close button: the window system asks, the kiosk says no.
    let asked = ask_to_close(&rig.xvfb.display);
    assert!(asked > 0, "found the app's window to ask");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(app_running(rig.driver.pid()), "the kiosk is still running");
    rig.at_step(&app, "selfie").await;

    photo_step(&rig, &app, "signature").await;
    photo_step(&rig, &app, "selfie-video").await;
    open_camera_for_video(&app).await;
    start_recording(&app).await;
    digits_one_at_a_time(&app, 4).await;
    stop_recording_at_minimum(&app).await;
    accept(&rig, &app, "review").await;
    review_and_continue(&rig, &app).await;
    commitments(&rig, &app).await;
    rig.at_screen(&app, &rig.text("submit-title")).await;
    click(&app, ".submit-step .actions button.btn-primary").await;
    app.wait_for("#kiosk-done-countdown").await;
    let traces = Traces::of_person(MOBILE).with_files(&rig.server_dir);
    click(&app, "#kiosk-done-now").await;
    on_start_screen(&rig, &app).await;
    nothing_left("after the first person's submission", &written, &traces);

    // The second person stops at the one-time code and walks away.
    click(&app, ".flow-list li:nth-child(2) .flow-card").await;
    rig.at_step(&app, "basic").await;
    type_and_continue(
        &app,
        &[
            ("national-code", NATIONAL_CODE),
            ("mobile", SECOND_MOBILE),
            ("birth-date", "1370/01/15"),
        ],
    )
    .await;
    rig.at_step(&app, "mobile-code").await;
    rig.code_sent(&app, SECOND_MOBILE, None).await;
    app.wait_for_within(
        "#kiosk-idle-countdown",
        Duration::from_secs(u64::from(IDLE_SECONDS) + 30),
    )
    .await;
    let countdown = app.page_text().await;
    assert!(
        countdown.contains(&rig.text("kiosk-idle-title")),
        "the question is on screen: {countdown}"
    );
    on_start_screen(&rig, &app).await;
    nothing_left(
        "after the idle timeout",
        &written,
        &Traces::of_person(SECOND_MOBILE),
    );

    // The operator: a wrong PIN is refused, the right one wipes and quits.
    click(&app, "#kiosk-operator").await;
    let pin = app.wait_for("#kiosk-pin").await;
    app.type_text(&pin, "135799").await;
    click(&app, "#kiosk-operator-leave").await;
    app.wait_for("#kiosk-pin-error").await;
    assert!(
        app_running(rig.driver.pid()),
        "a wrong PIN leaves the kiosk running"
    );
    let pin = app.wait_for("#kiosk-pin").await;
    app.type_text(&pin, PIN).await;
    // The app quits mid-call: the driver's answer is not waited for.
    let driver_pid = rig.driver.pid();
    let leave = tokio::spawn(async move {
        if let Some(button) = app.find("#kiosk-operator-leave").await {
            app.click(&button).await;
        }
    });
    let started = std::time::Instant::now();
    while app_running(driver_pid) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the app quits after the right PIN"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    leave.abort();
    for mobile in [MOBILE, SECOND_MOBILE] {
        nothing_left(
            "after the operator left",
            &written,
            &Traces::of_person(mobile),
        );
    }

    // Nothing of either person in what the app, its webview and the server said.
    rig.logs_keep_secrets();
    rig.stop().await;
    let _ = std::fs::remove_dir_all(root);
}

/// `ehraz kiosk-pin` at install time: the PIN on standard input, the settings line out.
fn kiosk_pin(input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ehraz"))
        .arg("kiosk-pin")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the app runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("the PIN written");
    child.wait_with_output().expect("it ends")
}

#[test]
fn the_install_time_pin_command_prints_a_hash_the_kiosk_takes() {
    let output = kiosk_pin("۲۴۶۸۱۳\n");
    assert!(output.status.success(), "{output:?}");
    let line = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(!line.contains("246813"), "the PIN is not printed");
    let settings: toml::Table = toml::from_str(&line).expect("a settings line");
    let hash = settings["kiosk_pin_hash"].as_str().expect("the hash");
    let mut pin = ehraz_app::kiosk::OperatorPin::new(hash.to_owned()).expect("a kiosk takes it");
    assert_eq!(pin.check(PIN, std::time::Instant::now()), Ok(()));

    let refused = kiosk_pin("1234\n");
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("6 to 12 digits"));
}
