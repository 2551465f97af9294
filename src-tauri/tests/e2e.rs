//! End to end on the real app: the release-shaped binary in Xvfb, driven over WebDriver
//! (`tauri-driver` in front of `WebKitWebDriver`), against a real `ehraz-server` on
//! loopback. A person goes through the sejam flow up to the first capture step, with the
//! one-time codes read from the server's development SMS provider, closes the app, opens
//! it again and finds the wizard where they left it. Screenshots of the main screens at
//! phone and desktop sizes go to `$EHRAZ_SCREENSHOTS` (default `target/e2e-screenshots`).
//!
//! Ignored by a plain `cargo test`: it needs `Xvfb`, `tauri-driver` and
//! `WebKitWebDriver`. `scripts/test` installs them and runs it.

mod webdriver;
mod xvfb;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use ehraz_server::SystemClock;
use rand::Rng;
use webdriver::Session;

const PHONE: (u32, u32) = (360, 640);
const DESKTOP: (u32, u32) = (1280, 800);
const KIOSK: (u32, u32) = (1920, 1080);

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_driver(display: &str, port: u16, backend: &str, data: &Path) -> Killed {
    let native = which("WebKitWebDriver").expect("WebKitWebDriver (apt install webkit2gtk-driver)");
    let driver = which("tauri-driver").expect("tauri-driver (cargo install tauri-driver)");
    let native_port = free_port();
    let child = Command::new(driver)
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
        .env("EHRAZ_BACKEND_URL", backend)
        .env("EHRAZ_DATA_DIR", data)
        .env("EHRAZ_OS_KEY_STORE", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tauri-driver starts");
    Killed(child)
}

fn which(name: &str) -> Option<PathBuf> {
    let home_cargo = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(home_cargo)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn screenshots_dir() -> PathBuf {
    let dir = std::env::var_os("EHRAZ_SCREENSHOTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// Takes the current screen at phone, kiosk and desktop sizes, then leaves the desktop
/// size.
async fn shoot(app: &Session, name: &str) {
    let dir = screenshots_dir();
    for (w, h) in [PHONE, KIOSK, DESKTOP] {
        app.set_window_size(w, h).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        app.screenshot(&dir.join(format!("{name}-{w}x{h}.png")))
            .await;
    }
}

async fn type_and_continue(app: &Session, fields: &[(&str, &str)]) {
    for (id, value) in fields {
        let input = app.wait_for(&format!("#f-{id}")).await;
        app.clear(&input).await;
        app.type_text(&input, value).await;
    }
    let button = app.wait_for("form button[type=submit]").await;
    app.click(&button).await;
}

/// Types a one-time code; a complete code is sent without pressing anything.
async fn enter_code(app: &Session, code: &str) {
    let input = app.wait_for("#one-time-code").await;
    app.type_text(&input, code).await;
}

/// Waits until the step indicator says "step k of n" in Persian digits.
async fn wait_for_step(app: &Session, number: usize, total: usize) {
    let persian = |n: usize| -> String {
        n.to_string()
            .chars()
            .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
            .collect()
    };
    let wanted = format!("{} از {}", persian(number), persian(total));
    app.wait_until(&format!("step {number} of {total}"), || async {
        app.page_text().await.contains(&wanted)
    })
    .await;
    // A new screen moves the focus to its heading (for screen readers); typing before
    // that would lose keys to it.
    app.wait_until("the focus on the step's heading", || async {
        app.execute("return document.activeElement.tagName", &[])
            .await
            == "H1"
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver; scripts/test runs it"]
async fn a_person_reaches_the_first_capture_step_and_finds_it_again_after_a_restart() {
    let server_dir =
        std::env::temp_dir().join(format!("ehraz-e2e-server-{}", rand::rng().random::<u64>()));
    let mut config = ehraz_server::Config::local(server_dir);
    config.listen = "127.0.0.1:0".parse().expect("address");
    let server = ehraz_server::start(config, Arc::new(SystemClock))
        .await
        .expect("server starts");
    let backend = format!("http://{}/", server.addr);
    let data = std::env::temp_dir().join(format!("ehraz-e2e-app-{}", rand::rng().random::<u64>()));

    let xvfb = xvfb::Xvfb::start(1920, 1080);
    let display = xvfb.display.clone();
    let port = free_port();
    let _driver = start_driver(&display, port, &backend, &data);
    let application = PathBuf::from(env!("CARGO_BIN_EXE_ehraz"));

    let app = Session::start(port, &application).await;
    app.set_window_size(DESKTOP.0, DESKTOP.1).await;
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
    let sejam = app.wait_for(".flow-list li:first-child .flow-card").await;
    shoot(&app, "01-start").await;
    app.click(&sejam).await;

    wait_for_step(&app, 1, 10).await;
    // A malformed number in Persian digits is refused with the Persian message.
    type_and_continue(&app, &[("mobile", "۰۸۱۲۱۲۳۴۵۶۷")]).await;
    app.wait_until("the mobile refusal", || async {
        app.page_text().await.contains("باید با ۰۹ شروع شود")
    })
    .await;
    shoot(&app, "02-mobile-refused").await;
    type_and_continue(&app, &[("mobile", "۰۹۱۲۱۲۳۴۵۶۷")]).await;

    wait_for_step(&app, 2, 10).await;
    app.wait_until("the code to be sent", || async {
        server.sms.last_to("09121234567").is_some()
    })
    .await;
    shoot(&app, "03-mobile-code").await;
    let code = digits(&server.sms.last_to("09121234567").expect("an SMS"));
    enter_code(&app, &code).await;

    wait_for_step(&app, 3, 10).await;
    type_and_continue(
        &app,
        &[
            ("national-code", "0499370899"),
            ("sejam-tracking-code", "1234567890"),
        ],
    )
    .await;

    wait_for_step(&app, 4, 10).await;
    let before = code.clone();
    app.wait_until("Sejam's code to be sent", || async {
        server
            .sms
            .last_to("09121234567")
            .is_some_and(|t| digits(&t) != before)
    })
    .await;
    let sejam_code = digits(&server.sms.last_to("09121234567").expect("an SMS"));
    enter_code(&app, &sejam_code).await;

    wait_for_step(&app, 5, 10).await;
    let smart_card = app
        .wait_for("input[name='card-document'][value='smart-card']")
        .await;
    app.click(&smart_card).await;
    shoot(&app, "04-card").await;
    type_and_continue(&app, &[("card-serial", "1A23456789")]).await;

    wait_for_step(&app, 6, 10).await;
    app.wait_for("#capture-unavailable-title").await;
    shoot(&app, "05-selfie-instructions").await;
    app.quit().await;

    // Opened again: the same step, with what was typed before.
    let app = Session::start(port, &application).await;
    app.set_window_size(DESKTOP.0, DESKTOP.1).await;
    wait_for_step(&app, 6, 10).await;
    app.wait_for("#capture-unavailable-title").await;
    let back = app.wait_for("header button.btn-quiet").await;
    app.click(&back).await;
    wait_for_step(&app, 5, 10).await;
    let serial = app.wait_for("#f-card-serial").await;
    assert_eq!(app.property(&serial, "value").await, "1A23456789");
    app.quit().await;
    server.stop().await.expect("server stops");
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}
