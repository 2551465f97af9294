//! Sending the finished journey and following its review.

use ehraz_client::{SendProgress, Status};
use tauri::State;
use tauri::ipc::Channel;

use super::under_way;
use crate::error::CommandError;
use crate::state::AppState;

/// Hands the finished journey to the outbox and delivers it, reporting upload progress
/// on `on_progress`.
#[tauri::command]
pub async fn submission_send(
    state: State<'_, AppState>,
    on_progress: Channel<SendProgress>,
) -> Result<Status, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    let mut report = |progress: SendProgress| {
        // A closed page stops hearing progress; the upload goes on.
        let _ = on_progress.send(progress);
    };
    Ok(journey
        .submit(env!("CARGO_PKG_VERSION"), &state.receipts, &mut report)
        .await?)
}

/// The submitted session's status at the backend.
#[tauri::command]
pub async fn submission_status(state: State<'_, AppState>) -> Result<Status, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    Ok(journey.status().await?)
}
