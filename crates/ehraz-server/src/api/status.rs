//! The verification status of a session, which the app polls.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use crate::error::{ApiError, ErrorBody};

/// Where a session stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionStatus {
    /// `open` (still collecting), `pending`, `needs-resubmission`, `approved` or `rejected`.
    pub status: String,
    /// Reasons given by the operator, per item.
    pub reasons: Vec<Reason>,
    /// When the status last changed (Unix seconds).
    pub updated_at: i64,
}

/// Why an item was not accepted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    /// The step or field concerned, or `session` for the whole.
    pub item: String,
    /// A stable reason code the app explains, e.g. `photo-blurred`.
    pub reason: String,
}

/// Reads a session's status.
#[utoipa::path(
    get,
    path = "/v1/sessions/{session}/status",
    tag = "status",
    params(("session" = String, Path, description = "Session id")),
    security(("session_token" = [])),
    responses(
        (status = 200, description = "The status", body = SessionStatus),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`session_not_found`", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(session): Path<String>,
    headers: HeaderMap,
) -> Result<axum::Json<SessionStatus>, ApiError> {
    let session = state.authorised(&session, &headers).await?;
    let reasons = serde_json::from_str(&session.reasons).map_err(|e| ApiError::internal(&e))?;
    Ok(axum::Json(SessionStatus {
        status: session.status,
        reasons,
        updated_at: session.status_updated_at,
    }))
}
