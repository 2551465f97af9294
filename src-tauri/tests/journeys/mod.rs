//! A person's way through the real app, shared by the end-to-end test and the capture
//! benchmark: the rig (Xvfb, tauri-driver in front of WebKitWebDriver, an in-process
//! `ehraz-server`, file-backed camera and microphone), then the moves: typing forms,
//! entering the one-time codes the server's development SMS provider sent, opening the
//! camera, shooting, recording, accepting. Every wait is for something on the screen, never
//! for a time. Needs `mod webdriver;` and `mod xvfb;` beside it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ehraz_i18n::{Catalog, Locale};
use ehraz_server::{RunningServer, SystemClock};
use rand::Rng;
use serde_json::json;

use crate::webdriver::Session;
use crate::xvfb::Xvfb;

/// The mobile number every journey uses.
pub const MOBILE: &str = "09121234567";
/// A national code that passes the checksum and is in the development Sejam registry.
pub const NATIONAL_CODE: &str = "0499370899";
/// Its Sejam tracking code in that registry.
pub const SEJAM_TRACKING: &str = "1234567890";
/// A national-card serial.
pub const CARD_SERIAL: &str = "1A23456789";
/// A bank card number that passes the Luhn check.
pub const BANK_CARD: &str = "6037991234567893";

/// A file camera clip and a file microphone recording.
#[derive(Debug, Clone)]
pub struct Media {
    /// A YUV4MPEG2 clip (loops).
    pub camera: PathBuf,
    /// A WAV of Persian speech (loops).
    pub microphone: PathBuf,
    /// The clip's frame size.
    pub width: u32,
    /// The clip's frame size.
    pub height: u32,
}

impl Media {
    /// A clip made here, as `scripts/demo-media` makes its own at another size and length:
    /// `width`×`height`, 30 fps, `seconds` of a moving test pattern with a clock (every
    /// frame of a loop differs), and a sentence of Persian speech from espeak-ng. Made
    /// once in `dir` and kept. Needs ffmpeg and espeak-ng.
    pub fn make(dir: &Path, width: u32, height: u32, seconds: u32) -> Self {
        std::fs::create_dir_all(dir).expect("media folder");
        let camera = dir.join(format!("camera-{width}x{height}-{seconds}s.y4m"));
        let microphone = dir.join("microphone.wav");
        if !camera.is_file() {
            let part = camera.with_extension("part");
            let status = Command::new("ffmpeg")
                .args(["-v", "error", "-y", "-f", "lavfi", "-i"])
                .arg(format!(
                    "testsrc2=size={width}x{height}:rate=30:duration={seconds}"
                ))
                .args(["-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe"])
                .arg(&part)
                .status()
                .expect("ffmpeg runs (apt install ffmpeg)");
            assert!(status.success(), "ffmpeg made no clip");
            std::fs::rename(&part, &camera).expect("the clip in place");
        }
        if !microphone.is_file() {
            let part = microphone.with_extension("part");
            let status = Command::new("espeak-ng")
                .args(["-v", "fa", "-s", "140", "-w"])
                .arg(&part)
                .arg("من این ویدیو را امروز برای احراز هویت خودم ضبط می‌کنم.")
                .status()
                .expect("espeak-ng runs (apt install espeak-ng)");
            assert!(status.success(), "espeak-ng made no speech");
            std::fs::rename(&part, &microphone).expect("the speech in place");
        }
        Self {
            camera,
            microphone,
            width,
            height,
        }
    }

    /// What `scripts/demo-media DIR` makes: 1280×720 at 30 fps, and the same speech.
    pub fn demo(dir: &Path) -> Self {
        let (camera, microphone) = crate::demo::demo_media(dir);
        Self {
            camera,
            microphone,
            width: 1280,
            height: 720,
        }
    }
}

/// What the in-process server and the libraries under it log, at debug level, from the
/// first call on: kept for [`Rig::logs_keep_secrets`].
pub fn keep_server_log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let writer = Arc::clone(&log);
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
            .with_ansi(false)
            .with_writer(move || LogWriter(Arc::clone(&writer)))
            .try_init();
        log
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether `secret` (digits) stands alone in `text`: not part of a longer number.
fn holds_number(text: &str, secret: &str) -> bool {
    text.match_indices(secret).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + secret.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

/// A child process stopped when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A program on the `PATH` or in `~/.cargo/bin`.
pub fn which(name: &str) -> Option<PathBuf> {
    let home_cargo = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(home_cargo)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// tauri-driver in front of WebKitWebDriver; the app it starts inherits its environment,
/// and its standard error (the app's too) is kept, line by line.
pub struct Driver {
    child: Killed,
    /// Where it listens.
    pub port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Driver {
    /// Starts it on `display` with the app's environment `env`.
    pub fn start(display: &str, env: &[(&str, OsString)]) -> Self {
        let native =
            which("WebKitWebDriver").expect("WebKitWebDriver (apt install webkit2gtk-driver)");
        let driver = which("tauri-driver").expect("tauri-driver (cargo install tauri-driver)");
        let port = free_port();
        let native_port = free_port();
        let mut child = Command::new(driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .arg("--native-driver")
            .arg(native)
            .env("DISPLAY", display)
            .env_remove("WAYLAND_DISPLAY")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tauri-driver starts");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr");
        let kept = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        Self {
            child: Killed(child),
            port,
            lines,
        }
    }

    /// Every line written to standard error so far.
    pub fn stderr(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The pid of tauri-driver, the root of the app's process tree.
    pub fn pid(&self) -> u32 {
        self.child.0.id()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let lines = self.stderr();
            let tail = &lines[lines.len().saturating_sub(40)..];
            eprintln!("--- the app's last lines on stderr:\n{}", tail.join("\n"));
        }
    }
}

/// Everything a journey runs against: a server, a display, the driver, the app's data.
pub struct Rig {
    /// The reference server, on loopback.
    pub server: RunningServer,
    /// Its data folder (database and media).
    pub server_dir: PathBuf,
    /// Its database URL.
    pub database_url: String,
    /// The app's data folder.
    pub data: PathBuf,
    /// The driver.
    pub driver: Driver,
    /// The app's binary.
    pub application: PathBuf,
    /// The media the file camera and microphone play.
    pub media: Media,
    /// Titles and texts as the app shows them.
    pub catalog: Catalog,
    /// The virtual display the app is on.
    pub xvfb: Xvfb,
}

impl Rig {
    /// Starts a fresh server, Xvfb of `screen` size and the driver; the app will play
    /// `media` and gets `env` besides.
    pub async fn start(
        application: PathBuf,
        media: Media,
        screen: (u32, u32),
        env: &[(&str, OsString)],
    ) -> Self {
        let server_dir =
            std::env::temp_dir().join(format!("ehraz-e2e-server-{}", rand::rng().random::<u64>()));
        let mut config = ehraz_server::Config::local(server_dir.clone());
        config.listen = "127.0.0.1:0".parse().expect("address");
        config.print_sms = false;
        let database_url = config.database_url.clone();
        let server = ehraz_server::start(config, Arc::new(SystemClock))
            .await
            .expect("server starts");
        let backend = format!("http://{}/", server.addr);
        let data =
            std::env::temp_dir().join(format!("ehraz-e2e-app-{}", rand::rng().random::<u64>()));
        let xvfb = Xvfb::start(screen.0, screen.1);
        let mut all: Vec<(&str, OsString)> = vec![
            ("EHRAZ_BACKEND_URL", backend.into()),
            ("EHRAZ_DATA_DIR", data.clone().into()),
            ("EHRAZ_OS_KEY_STORE", "false".into()),
            ("EHRAZ_CAMERA_FILE", media.camera.clone().into()),
            ("EHRAZ_MICROPHONE_FILE", media.microphone.clone().into()),
        ];
        all.extend(env.iter().cloned());
        let driver = Driver::start(&xvfb.display, &all);
        Self {
            server,
            server_dir,
            database_url,
            data,
            driver,
            application,
            media,
            catalog: Catalog::new(Locale::Fa).expect("the Persian catalogue"),
            xvfb,
        }
    }

    /// Starts the app.
    pub async fn open_app(&self) -> Session {
        Session::start(self.driver.port, &self.application).await
    }

    /// A message as the app shows it (without bidi isolation marks).
    pub fn text(&self, id: &str) -> String {
        self.catalog
            .message(id, &[])
            .replace(['\u{2068}', '\u{2069}'], "")
    }

    /// The digits of the newest SMS to `mobile` other than `previous`, once it came.
    pub async fn code_sent(&self, app: &Session, mobile: &str, previous: Option<&str>) -> String {
        app.wait_until("a one-time code by SMS", || async {
            self.server
                .sms
                .last_to(mobile)
                .is_some_and(|t| Some(digits(&t).as_str()) != previous)
        })
        .await;
        digits(&self.server.sms.last_to(mobile).expect("an SMS"))
    }

    /// Waits until the screen's heading is the title of step `id`, and has the focus.
    pub async fn at_step(&self, app: &Session, id: &str) {
        self.at_screen(app, &self.text(&format!("step-{id}"))).await;
    }

    /// Waits until the screen's heading says `title`, and has the focus.
    pub async fn at_screen(&self, app: &Session, title: &str) {
        let title = title.to_owned();
        app.wait_until(&format!("the screen `{title}`"), || async {
            let heading = app
                .execute(
                    "const h = document.querySelector('main h1'); \
                     return h && document.activeElement === h ? h.textContent.trim() : ''",
                    &[],
                )
                .await;
            heading.replace(['\u{2068}', '\u{2069}'], "") == title
        })
        .await;
    }

    /// Fails when the app's log (its standard error, the webview's included) or the
    /// server's (see [`keep_server_log`]) holds the national code, the mobile number
    /// (with or without its 0), the bank card, the card serial or any one-time code the
    /// server sent; says how much was read.
    pub fn logs_keep_secrets(&self) {
        let app = self.driver.stderr().join("\n");
        let server =
            String::from_utf8_lossy(&keep_server_log().lock().unwrap_or_else(|e| e.into_inner()))
                .into_owned();
        let codes: Vec<String> = self.server.sms.texts().iter().map(|t| digits(t)).collect();
        // Long numbers anywhere; the short codes only where they stand alone (a code of
        // five digits may well be part of a byte count).
        let long = [
            ("national code", NATIONAL_CODE),
            ("mobile", &MOBILE[1..]),
            ("bank card", BANK_CARD),
            ("card serial", CARD_SERIAL),
        ];
        for (name, log) in [("app", &app), ("server", &server)] {
            for (what, secret) in long {
                assert!(!log.contains(secret), "the {name}'s log holds the {what}");
            }
            for code in &codes {
                assert!(
                    !holds_number(log, code),
                    "the {name}'s log holds a one-time code"
                );
            }
        }
        let secrets = long.len() + codes.len();
        eprintln!(
            "logs: the app's {} lines and the server's {} lines hold none of {} secrets ({} one-time codes)",
            app.lines().count(),
            server.lines().count(),
            secrets,
            codes.len()
        );
    }

    /// Stops the server and removes its data and the app's.
    pub async fn stop(self) {
        let Self {
            server,
            server_dir,
            data,
            ..
        } = self;
        server.stop().await.expect("server stops");
        let _ = std::fs::remove_dir_all(server_dir);
        let _ = std::fs::remove_dir_all(data);
    }
}

/// The ASCII digits of `text`.
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// `n` in Persian digits.
pub fn persian(n: &impl ToString) -> String {
    n.to_string()
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0x06F0 + d))
                .unwrap_or(c)
        })
        .collect()
}

/// Types into each `#f-<id>` (emptied first) and presses the form's continue button.
pub async fn type_and_continue(app: &Session, fields: &[(&str, &str)]) {
    for (id, value) in fields {
        let input = app.wait_for(&format!("#f-{id}")).await;
        app.clear(&input).await;
        app.type_text(&input, value).await;
    }
    continue_form(app).await;
}

/// Presses the form's continue button.
pub async fn continue_form(app: &Session) {
    let button = app.wait_for("form button[type=submit]").await;
    app.click(&button).await;
}

/// Picks option `value` of the choice field `name`.
pub async fn choose(app: &Session, name: &str, value: &str) {
    let radio = app
        .wait_for(&format!("input[name='{name}'][value='{value}']"))
        .await;
    app.click(&radio).await;
}

/// Types a one-time code; a complete code is sent without pressing anything.
pub async fn enter_code(app: &Session, code: &str) {
    let input = app.wait_for("#one-time-code").await;
    app.type_text(&input, code).await;
}

/// The page is in Persian, right to left, as the app starts by default.
pub async fn the_page_is_persian(app: &Session) {
    assert_eq!(
        app.execute("return document.documentElement.dir", &[])
            .await,
        "rtl"
    );
    assert_eq!(
        app.execute("return document.documentElement.lang", &[])
            .await,
        "fa"
    );
}

/// Clicks the first usable element matching `css`.
pub async fn click(app: &Session, css: &str) {
    let element = app.wait_for(css).await;
    app.click(&element).await;
}

/// Sejam from the start screen to the selfie step (6 of 10).
pub async fn sejam_to_selfie(rig: &Rig, app: &Session) {
    click(app, ".flow-list li:first-child .flow-card").await;
    rig.at_step(app, "mobile").await;
    type_and_continue(app, &[("mobile", MOBILE)]).await;
    rig.at_step(app, "mobile-code").await;
    let code = rig.code_sent(app, MOBILE, None).await;
    enter_code(app, &code).await;
    rig.at_step(app, "identity").await;
    type_and_continue(
        app,
        &[
            ("national-code", NATIONAL_CODE),
            ("sejam-tracking-code", SEJAM_TRACKING),
        ],
    )
    .await;
    rig.at_step(app, "sejam-code").await;
    let sejam_code = rig.code_sent(app, MOBILE, Some(&code)).await;
    enter_code(app, &sejam_code).await;
    rig.at_step(app, "card").await;
    choose(app, "card-document", "smart-card").await;
    type_and_continue(app, &[("card-serial", CARD_SERIAL)]).await;
    rig.at_step(app, "selfie").await;
}

/// Exchange from the start screen to the method step; `method` is then chosen and the
/// next step (`commitment-letter` or `video`) waited for.
pub async fn exchange_to(rig: &Rig, app: &Session, method: &str) {
    click(app, ".flow-list li:nth-child(2) .flow-card").await;
    rig.at_step(app, "basic").await;
    type_and_continue(
        app,
        &[
            ("national-code", NATIONAL_CODE),
            ("mobile", MOBILE),
            ("birth-date", "1370/01/15"),
        ],
    )
    .await;
    rig.at_step(app, "mobile-code").await;
    let code = rig.code_sent(app, MOBILE, None).await;
    enter_code(app, &code).await;
    rig.at_step(app, "method").await;
    choose(app, "method", method).await;
    continue_form(app).await;
    rig.at_step(
        app,
        if method == "video" {
            "video"
        } else {
            "commitment-letter"
        },
    )
    .await;
}

/// Opens the camera of a photo step and waits for the shutter: a first frame was drawn.
pub async fn open_camera_for_photo(app: &Session) {
    click(app, "#capture-open").await;
    app.wait_for("#capture-shutter").await;
}

/// Opens the camera of a video step and waits until recording may start: a first frame,
/// the challenge drawn, the microphone open.
pub async fn open_camera_for_video(app: &Session) {
    click(app, "#capture-open").await;
    app.wait_for("#record-start").await;
}

/// Presses the shutter and waits for the review image to be decoded; its `src`.
pub async fn press_shutter(app: &Session) -> String {
    click(app, "#capture-shutter").await;
    review_shown(app).await
}

/// Waits for the review image, decoded; its `src`.
pub async fn review_shown(app: &Session) -> String {
    review_shown_within(app, Duration::from_secs(30)).await
}

/// Lets a recording run into its limit (`limit_seconds`) and waits for its review.
pub async fn recording_runs_to_its_limit(app: &Session, limit_seconds: u64) -> String {
    review_shown_within(app, Duration::from_secs(limit_seconds + 60)).await
}

async fn review_shown_within(app: &Session, patience: Duration) -> String {
    let image = app.wait_for_within("img#capture-review", patience).await;
    app.wait_until("the review image decoded", || async {
        app.execute(
            "const i = arguments[0]; return i.complete && i.naturalWidth > 0",
            &[image.json()],
        )
        .await
            == "true"
    })
    .await;
    app.property(&image, "src").await
}

/// Accepts what is under review and waits for step `next`.
pub async fn accept(rig: &Rig, app: &Session, next: &str) {
    click(app, "#capture-accept").await;
    if next == "submit" {
        rig.at_screen(app, &rig.text("submit-title")).await;
    } else {
        rig.at_step(app, next).await;
    }
}

/// A whole photo step: open, shoot, accept, then step `next`.
pub async fn photo_step(rig: &Rig, app: &Session, next: &str) {
    open_camera_for_photo(app).await;
    press_shutter(app).await;
    accept(rig, app, next).await;
}

/// Waits until the live guidance speaks: the message says what to fix (the test camera
/// shows no face, no paper, no card, so never "ready").
pub async fn guidance_is_live(app: &Session) {
    app.wait_until("live guidance", || async {
        app.execute(
            "const g = document.querySelector('#capture-guidance'); \
             return !!g && g.dataset.guidance === 'fix' && g.textContent.trim().length > 0",
            &[],
        )
        .await
            == "true"
    })
    .await;
}

/// While recording a digits challenge: the digits as they appear, one at a time, until
/// `count` have been shown; never two on screen at once.
pub async fn digits_one_at_a_time(app: &Session, count: usize) -> Vec<String> {
    let seen = Mutex::new(Vec::<(String, String)>::new());
    app.wait_until("every digit shown", || async {
        let now = app
            .execute(
                "const d = document.querySelectorAll('#challenge-digit'); \
                 const p = document.querySelector('#challenge-digit-position'); \
                 if (d.length > 1) return 'two digits at once'; \
                 return d.length ? p.textContent.trim() + '|' + d[0].textContent.trim() : ''",
                &[],
            )
            .await;
        assert_ne!(now, "two digits at once");
        let mut seen = seen.lock().expect("digits");
        if let Some((position, digit)) = now.split_once('|')
            && seen.last().is_none_or(|(p, _)| p != position)
        {
            seen.push((position.to_owned(), digit.to_owned()));
        }
        seen.len() >= count
    })
    .await;
    let seen = seen.into_inner().expect("digits");
    seen.into_iter().map(|(_, digit)| digit).collect()
}

/// Starts a recording and waits for its countdown.
pub async fn start_recording(app: &Session) {
    click(app, "#record-start").await;
    app.wait_for(".capture-countdown").await;
}

/// Stops the recording once allowed (the step's minimum reached) and waits for the review.
pub async fn stop_recording_at_minimum(app: &Session) -> String {
    click(app, "#record-stop").await;
    review_shown(app).await
}

/// The duration the review says, in whole seconds (read from Persian digits).
pub async fn review_seconds(app: &Session) -> u64 {
    let element = app.wait_for(".capture-duration").await;
    let text = app.property(&element, "textContent").await;
    text.chars()
        .filter_map(|c| {
            let v = u32::from(c);
            (0x06F0..=0x06F9)
                .contains(&v)
                .then(|| char::from_digit(v - 0x06F0, 10))?
        })
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no duration in `{text}`"))
}

/// The review step's continue, then the commitments (sejam) are ticked, then the submit
/// screen: sends and waits for the status screen saying it is pending.
pub async fn review_and_continue(rig: &Rig, app: &Session) {
    rig.at_step(app, "review").await;
    click(app, ".review-step .actions button.btn-primary").await;
}

/// Ticks every consent and continues.
pub async fn commitments(rig: &Rig, app: &Session) {
    rig.at_step(app, "commitments").await;
    for name in [
        "commit-truthful",
        "commit-own-identity",
        "commit-media-processing",
    ] {
        click(app, &format!("input[type=checkbox][name='{name}']")).await;
    }
    continue_form(app).await;
}

/// Sends from the submit screen and waits for the status screen's pending card.
pub async fn submit(rig: &Rig, app: &Session) {
    rig.at_screen(app, &rig.text("submit-title")).await;
    click(app, ".submit-step .actions button.btn-primary").await;
    rig.at_screen(app, &rig.text("status-title")).await;
    let pending = rig.text("status-pending-title");
    app.wait_until("the pending status", || async {
        app.page_text().await.contains(&pending)
    })
    .await;
}

impl crate::webdriver::Element {
    /// The element as a script argument.
    pub fn json(&self) -> serde_json::Value {
        json!({ crate::webdriver::ELEMENT: self.0 })
    }
}
