//! Ehraz's app shell: Tauri commands that adapt `ehraz-core` and `ehraz-client` for the
//! UI in `ui/`. No domain rule lives here; the shell reads the settings, opens the
//! outbox, and turns calls and errors into what the UI speaks.

pub mod capture;
// Tauri hands commands their `State` and `Channel` by value.
#[allow(clippy::needless_pass_by_value)]
pub mod commands;
pub mod config;
pub mod error;
pub mod state;
pub mod webview;

use std::path::PathBuf;

use tauri::{App, Builder, Context, Manager, Runtime};

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
/// commands and, in kiosk mode, a fullscreen window without decorations.
pub fn run_app<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    config: Config,
) -> Result<App<R>, StartError> {
    let kiosk = config.kiosk;
    // The webview's own camera: camera and microphone granted, everything else refused.
    let builder = builder.on_permission_request(|_, kind| webview::permission(kind));
    let app = builder
        .setup(move |app| {
            // The webview's own camera on Linux: WebKitGTK's media streams are off until
            // switched on.
            #[cfg(target_os = "linux")]
            if let Some(window) = app.get_webview_window("main") {
                webview::enable_media_stream(&window)?;
            }
            // Runs once the event loop is up and the configured window exists.
            if let Some(window) = app.get_webview_window("main") {
                if kiosk {
                    window.set_decorations(false)?;
                    window.set_fullscreen(true)?;
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

/// The settings file: `config.toml` in the platform's configuration folder for the app.
fn config_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("ehraz").join("config.toml"))
}

/// Starts the app with its settings; a setting that cannot be used stops it with a
/// message naming it.
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let config = match Config::load(config_file().as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("ehraz: {error}");
            std::process::exit(2);
        }
    };
    let app = run_app(Builder::default(), tauri::generate_context!(), config);
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("ehraz: {error}");
            std::process::exit(1);
        }
    }
}
