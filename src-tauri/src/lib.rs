//! Ehraz's app shell: Tauri commands that adapt `ehraz-core` and `ehraz-client` for the
//! UI in `ui/`. No domain rule lives here; the shell reads the settings, opens the
//! outbox, and turns calls and errors into what the UI speaks.

pub mod capture;
// Tauri hands commands their `State` and `Channel` by value.
#[allow(clippy::needless_pass_by_value)]
pub mod commands;
pub mod config;
pub mod error;
pub mod kiosk;
pub mod navigation;
pub mod state;
pub mod webview;

use std::path::PathBuf;

use tauri::{App, Builder, Context, Manager, RunEvent, Runtime, WindowEvent};

use crate::config::Config;
use crate::error::CommandError;
use crate::state::{AppState, ShowWindow};

/// Why the app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Tauri could not build the app.
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
    /// The outbox or the backend client could not be set up.
    #[error("{}: {}", .0.code, .0.detail)]
    State(CommandError),
}

/// Builds the app on any runtime (the real window, or `tauri::test`'s mock): state,
/// commands and, in kiosk mode, a window that fills the screen, has no decorations, stays
/// on top, keeps its content from screen capture and refuses to close.
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    config: Config,
) -> Result<App<R>, StartError> {
    let kiosk = config.kiosk.is_some();
    // The webview's own camera: camera and microphone granted, everything else refused.
    let builder = builder.on_permission_request(|_, kind| webview::permission(kind));
    let app = builder
        // No page but the app's own is ever loaded, in any webview.
        .plugin(navigation::plugin())
        .setup(move |app| {
            // Runs once the event loop is up and the configured window exists.
            if let Some(window) = app.get_webview_window("main") {
                // The webview's own camera on Linux: WebKitGTK's media streams are off
                // until switched on.
                #[cfg(target_os = "linux")]
                webview::enable_media_stream(&window)?;
                if kiosk {
                    window.set_decorations(false)?;
                    // Fullscreen is a request to the window manager; where none runs
                    // (an X session started for the kiosk alone), the window covers its
                    // monitor by itself.
                    if let Some(monitor) = window.current_monitor()?.or(window.primary_monitor()?) {
                        window.set_position(*monitor.position())?;
                        window.set_size(*monitor.size())?;
                    }
                    window.set_fullscreen(true)?;
                    window.set_always_on_top(true)?;
                    // Screenshots and screen sharing see a blank window (Windows,
                    // macOS; Linux has no such protection: see docs/kiosk.md).
                    window.set_content_protected(true)?;
                    window.set_closable(false)?;
                    // Whatever a previous run left in the webview goes too.
                    window.clear_all_browsing_data()?;
                }
                // The window waits hidden for the UI's first screen (`app_ready`), but
                // never longer than this, so a UI that fails still shows its window.
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(4));
                    let _ = window.show();
                });
            }
            Ok(())
        })
        .on_window_event(move |_, event| {
            // A kiosk's window never closes on request (Alt+F4, a window manager);
            // only the operator's PIN ends it.
            if let WindowEvent::CloseRequested { api, .. } = event
                && kiosk
            {
                api.prevent_close();
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::app_ready,
            commands::wizard::wizard_resume,
            commands::wizard::wizard_start,
            commands::wizard::wizard_submit_form,
            commands::wizard::wizard_advance,
            commands::wizard::wizard_back,
            commands::wizard::wizard_go_to,
            commands::wizard::wizard_start_over,
            commands::codes::code_send,
            commands::codes::code_verify,
            commands::submission::submission_send,
            commands::submission::submission_status,
            commands::capture::capture_devices,
            commands::capture::camera_open,
            commands::capture::camera_feed,
            commands::capture::camera_preview_ack,
            commands::capture::camera_close,
            commands::capture::photo_take,
            commands::capture::capture_review_image,
            commands::capture::capture_discard,
            commands::capture::challenge_draw,
            commands::capture::capture_accept,
            commands::capture::microphone_open,
            commands::capture::recording_start,
            commands::capture::recording_stop,
            commands::kiosk::kiosk_reset,
            commands::kiosk::kiosk_leave,
        ])
        .build(context)?;
    let data_dir = match &config.data_dir {
        Some(dir) => dir.clone(),
        None => app.path().app_data_dir()?,
    };
    let mut state = AppState::open(config, &data_dir).map_err(StartError::State)?;
    let handle = app.handle().clone();
    state.show_window = ShowWindow::new(move || match handle.get_webview_window("main") {
        Some(window) => {
            window.show()?;
            window.set_focus()
        }
        None => Ok(()),
    });
    app.manage(state);
    Ok(app)
}

/// The settings file: `EHRAZ_CONFIG` when set (a kiosk's, written at install time),
/// else `ehraz/config.toml` in the user's configuration folder (`%APPDATA%` on Windows,
/// `$XDG_CONFIG_HOME` or `~/.config` elsewhere).
fn config_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("EHRAZ_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    if cfg!(windows) {
        let appdata = std::env::var_os("APPDATA")?;
        return Some(PathBuf::from(appdata).join("ehraz").join("config.toml"));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("ehraz").join("config.toml"))
}

/// Starts the app with its settings; a setting that cannot be used stops it with a
/// message naming it.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    if std::env::args().nth(1).as_deref() == Some("kiosk-pin") {
        std::process::exit(print_kiosk_pin_hash());
    }
    let config = match Config::load(config_file().as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("ehraz: {error}");
            std::process::exit(2);
        }
    };
    let kiosk = config.kiosk.is_some();
    let app = run_app(Builder::default(), tauri::generate_context!(), config);
    match app {
        Ok(app) => app.run(move |_, event| {
            // A kiosk outlives its window: only `kiosk_leave` (an exit with a code) ends it.
            if let RunEvent::ExitRequested {
                code: None, api, ..
            } = event
                && kiosk
            {
                api.prevent_exit();
            }
        }),
        Err(error) => {
            eprintln!("ehraz: {error}");
            std::process::exit(1);
        }
    }
}

/// `ehraz kiosk-pin`: reads the operator's PIN (6–12 digits) from standard input and
/// prints the settings line that holds its Argon2 hash. The PIN itself is stored nowhere.
fn print_kiosk_pin_hash() -> i32 {
    let mut pin = String::new();
    if std::io::stdin().read_line(&mut pin).is_err() {
        eprintln!("ehraz: could not read the PIN from standard input");
        return 2;
    }
    match kiosk::hash_pin(&pin) {
        Ok(hash) => {
            println!("kiosk_pin_hash = \"{hash}\"");
            0
        }
        Err(error) => {
            eprintln!("ehraz: {error}");
            2
        }
    }
}
