//! Starting a verification session, and serving the flows.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use ehraz_core::Flow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use crate::error::{ApiError, ApiJson, ErrorBody};
use crate::secret;

/// Asks for a new session.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// The flow to follow: `sejam` or `exchange`.
    pub flow: String,
}

/// A new session and the flow it follows.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// The session's id, used in every later path.
    pub session_id: String,
    /// Bearer token for the session's endpoints; shown once, stored only hashed.
    pub token: String,
    /// The flow definition the server wants followed (schema of `ehraz-core`).
    #[schema(value_type = Object)]
    pub flow: serde_json::Value,
}

/// Starts a verification session.
#[utoipa::path(
    post,
    path = "/v1/sessions",
    tag = "sessions",
    request_body = NewSession,
    responses(
        (status = 201, description = "Session started", body = SessionCreated),
        (status = 404, description = "`flow_unknown`", body = ErrorBody),
        (status = 400, description = "`invalid_request`", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<NewSession>,
) -> Result<(StatusCode, axum::Json<SessionCreated>), ApiError> {
    let flow = known_flow(&request.flow)?;
    let session_id = uuid::Uuid::new_v4().to_string();
    let token = secret::token();
    let now = state.clock.now();
    state
        .store
        .create_session(
            &session_id,
            &secret::hash(&[&token]),
            &flow.id,
            i64::from(flow.version),
            now,
        )
        .await?;
    tracing::info!(session = %session_id, flow = %flow.id, "session started");
    let flow = serde_json::to_value(&flow).map_err(|e| ApiError::internal(&e))?;
    Ok((
        StatusCode::CREATED,
        axum::Json(SessionCreated {
            session_id,
            token,
            flow,
        }),
    ))
}

/// Serves a flow definition.
#[utoipa::path(
    get,
    path = "/v1/flows/{flow}",
    tag = "sessions",
    params(("flow" = String, Path, description = "`sejam` or `exchange`")),
    responses(
        (status = 200, description = "The flow (schema of `ehraz-core`)", body = Object),
        (status = 404, description = "`flow_unknown`", body = ErrorBody),
    )
)]
pub async fn flow(Path(flow): Path<String>) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let flow = known_flow(&flow)?;
    serde_json::to_value(&flow)
        .map(axum::Json)
        .map_err(|e| ApiError::internal(&e))
}

/// A flow this server serves, or 404 `flow_unknown`.
fn known_flow(id: &str) -> Result<Flow, ApiError> {
    Flow::bundled(id)
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "flow_unknown", "no such flow"))
}
