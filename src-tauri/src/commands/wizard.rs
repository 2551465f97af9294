//! Moving through the flow: start, resume, answer, go back, start over.

use std::collections::BTreeMap;

use ehraz_client::{Journey, JourneyError, JourneyView};
use ehraz_core::{Flow, JalaliDate};
use tauri::State;

use super::under_way;
use crate::error::CommandError;
use crate::state::AppState;

/// The journey the app was closed in, if any.
#[tauri::command]
pub async fn wizard_resume(
    state: State<'_, AppState>,
) -> Result<Option<JourneyView>, CommandError> {
    let mut guard = state.journey.lock().await;
    if guard.is_none() {
        *guard = Journey::resume(&state.client, &state.outbox, &state.receipts)?;
    }
    Ok(guard.as_ref().map(Journey::view))
}

/// Starts a new journey for a flow, wiping one left unfinished.
#[tauri::command]
pub async fn wizard_start(
    state: State<'_, AppState>,
    flow: String,
) -> Result<JourneyView, CommandError> {
    // A flow that does not exist is refused before anything under way is wiped.
    Flow::bundled(&flow).map_err(JourneyError::from)?;
    let mut guard = state.journey.lock().await;
    // What the journey under way saved goes with the rest.
    guard.take();
    state.discard_saved()?;
    let journey = Journey::start(state.client.clone(), &state.outbox, &flow).await?;
    Ok(guard.insert(journey).view())
}

/// Answers the current form or commitments step.
#[tauri::command]
pub async fn wizard_submit_form(
    state: State<'_, AppState>,
    values: BTreeMap<String, String>,
) -> Result<JourneyView, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    let today = JalaliDate::today_in_tehran(jiff::Timestamp::now());
    journey.submit_form(&values, today).await?;
    Ok(journey.view())
}

/// Leaves a step with nothing to submit (the review).
#[tauri::command]
pub async fn wizard_advance(state: State<'_, AppState>) -> Result<JourneyView, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    journey.advance()?;
    Ok(journey.view())
}

/// Back to the previous shown step.
#[tauri::command]
pub async fn wizard_back(state: State<'_, AppState>) -> Result<JourneyView, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    journey.back()?;
    Ok(journey.view())
}

/// Back to an earlier shown step, from the review.
#[tauri::command]
pub async fn wizard_go_to(
    state: State<'_, AppState>,
    step: String,
) -> Result<JourneyView, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    journey.go_to(&step)?;
    Ok(journey.view())
}

/// Deletes the journey and everything of it on this device, including a saved one that
/// no longer opens.
#[tauri::command]
pub async fn wizard_start_over(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.journey.lock().await.take();
    state.discard_saved()
}
