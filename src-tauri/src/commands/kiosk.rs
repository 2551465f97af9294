//! Kiosk mode: wiping the person at the kiosk, and the operator leaving with the PIN.

use std::time::Instant;

use tauri::{AppHandle, Runtime, State, Webview};

use crate::error::CommandError;
use crate::state::{AppState, KioskState};

fn kiosk_state(state: &AppState) -> Result<&KioskState, CommandError> {
    state
        .kiosk
        .as_ref()
        .ok_or_else(|| CommandError::new("kiosk_off", "the app is not in kiosk mode"))
}

/// Everything of the person goes: the camera and what it took, the journey and every
/// saved one, submission receipts, and what the webview stored (storage, caches). The
/// page reloads itself to the welcome screen after.
async fn wipe<R: Runtime>(state: &AppState, webview: &Webview<R>) -> Result<(), CommandError> {
    state.wipe_person().await?;
    webview
        .clear_all_browsing_data()
        .map_err(|e| CommandError::new("storage_failed", e.to_string()))
}

/// Resets the kiosk for the next person (after a submission, after the idle timeout, or
/// when the person leaves).
#[tauri::command]
pub async fn kiosk_reset<R: Runtime>(
    webview: Webview<R>,
    state: State<'_, AppState>,
) -> Result<(), CommandError> {
    kiosk_state(&state)?;
    wipe(&state, &webview).await
}

/// The operator leaves kiosk mode with the PIN set at install time: the person's traces
/// are wiped and the app quits (a kiosk service does not start it again; see
/// `docs/kiosk.md`). A wrong PIN counts towards a lockout.
#[tauri::command]
pub async fn kiosk_leave<R: Runtime>(
    app: AppHandle<R>,
    webview: Webview<R>,
    state: State<'_, AppState>,
    pin: String,
) -> Result<(), CommandError> {
    let kiosk = kiosk_state(&state)?;
    if pin.len() > 64 {
        return Err(CommandError::new("kiosk_pin_wrong", "not a PIN"));
    }
    tokio::task::block_in_place(|| {
        kiosk
            .pin
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .check(&pin, Instant::now())
    })?;
    wipe(&state, &webview).await?;
    app.exit(0);
    Ok(())
}
