//! The HTTP API: one module per part of the contract. Handlers adapt HTTP to the store and
//! the core's rules; every refusal is an [`ApiError`](crate::error::ApiError).

pub mod answers;
pub mod codes;
pub mod sessions;
pub mod status;
pub mod submission;
pub mod uploads;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use ehraz_core::Flow;
use ehraz_i18n::Catalog;

use crate::clock::Clock;
use crate::config::Limits;
use crate::error::ApiError;
use crate::media::MediaStore;
use crate::providers::{SejamRegistry, SmsSender};
use crate::secret;
use crate::store::{SessionRecord, Store};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) sms: Arc<dyn SmsSender>,
    pub(crate) sejam: Arc<dyn SejamRegistry>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) limits: Limits,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) media: Arc<dyn MediaStore>,
    pub(crate) admin_token_hash: String,
    pub(crate) in_flight: Arc<uploads::InFlight>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The session, if the request carries its bearer token.
    pub(crate) async fn authorised(
        &self,
        id: &str,
        headers: &HeaderMap,
    ) -> Result<SessionRecord, ApiError> {
        let session = self
            .store
            .session(id)
            .await?
            .ok_or_else(ApiError::session_not_found)?;
        bearer_matches(headers, &session.token_hash)?;
        Ok(session)
    }

    /// Whether the request carries the operator's bearer token.
    pub(crate) fn operator(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        bearer_matches(headers, &self.admin_token_hash)
    }
}

/// Whether the request's bearer token hashes to `expected`; 401 otherwise.
fn bearer_matches(headers: &HeaderMap, expected: &str) -> Result<(), ApiError> {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(ApiError::unauthorized)?;
    if secret::same(&secret::hash(&[token]), expected) {
        Ok(())
    } else {
        Err(ApiError::unauthorized())
    }
}

/// Whether a session takes answers and uploads: before submission, or when the operator
/// asked for items again.
pub(crate) fn takes_changes(session: &SessionRecord) -> bool {
    matches!(session.status.as_str(), "open" | "needs-resubmission")
}

/// Refuses changes to a session that was submitted (and not sent back for items).
pub(crate) fn require_open(session: &SessionRecord) -> Result<(), ApiError> {
    if takes_changes(session) {
        Ok(())
    } else {
        Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "session_closed",
            "the session was already submitted",
        ))
    }
}

/// The flow a stored session follows.
pub(crate) fn flow_of(session: &SessionRecord) -> Result<Flow, ApiError> {
    Flow::bundled(&session.flow_id).map_err(|e| ApiError::internal(&e))
}
