//! What the UI needs to know of the app before the first screen.

use ehraz_core::Flow;
use serde::Serialize;
use tauri::State;

use crate::config::Kiosk;
use crate::error::CommandError;

use crate::state::AppState;

/// The app's version and settings.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// The app's version.
    pub version: &'static str,
    /// `fa` or `en`.
    pub locale: &'static str,
    /// Kiosk mode.
    pub kiosk: bool,
    /// In kiosk mode, its timings (idle, warning, done); `None` otherwise.
    pub kiosk_timing: Option<Kiosk>,
    /// The backend.
    pub backend_url: String,
    /// The bundled flows.
    pub flows: Vec<&'static str>,
}

/// The app's version and settings.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        locale: state.config.locale.tag(),
        kiosk: state.config.kiosk.is_some(),
        kiosk_timing: state.config.kiosk.clone(),
        backend_url: state.config.backend_url.to_string(),
        flows: Flow::bundled_ids().collect(),
    }
}

/// The UI has drawn its first screen: show the window, which starts hidden so that no
/// blank frame is ever seen. With `EHRAZ_REPORT_READY` set, says so on standard error
/// (the startup benchmark waits for it).
#[tauri::command]
pub fn app_ready(state: State<'_, AppState>) -> Result<(), CommandError> {
    if std::env::var_os("EHRAZ_REPORT_READY").is_some() {
        eprintln!("ehraz: first screen ready");
    }
    state
        .show_window
        .show()
        .map_err(|e| CommandError::new("window_failed", e.to_string()))
}
