//! One-time codes: asking for one and checking it.

use ehraz_client::JourneyView;
use tauri::State;

use super::under_way;
use crate::error::CommandError;
use crate::state::AppState;

/// Sends (or sends again) the current code step's code.
#[tauri::command]
pub async fn code_send(state: State<'_, AppState>) -> Result<JourneyView, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    journey
        .send_code(jiff::Timestamp::now().as_millisecond())
        .await?;
    Ok(journey.view())
}

/// Checks a code typed in any digit script; moves on when the backend accepts it.
#[tauri::command]
pub async fn code_verify(
    state: State<'_, AppState>,
    code: String,
) -> Result<JourneyView, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    journey.verify_code(&code).await?;
    Ok(journey.view())
}
