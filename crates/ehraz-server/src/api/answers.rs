//! A person's answers (identity, contact, choices), validated again on the server by the
//! same rules the client used.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use ehraz_core::{JalaliDate, Message, Step};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AppState, flow_of};
use crate::error::{ApiError, ApiJson, ErrorBody, FieldProblem};

/// Answers to some fields of the flow, as typed; later answers replace earlier ones.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Field id → value.
    pub answers: BTreeMap<String, String>,
}

/// Every answer stored for the session, normalised.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoredAnswers {
    /// Field id → normalised value.
    pub answers: BTreeMap<String, String>,
}

/// Stores answers after validating each one.
#[utoipa::path(
    put,
    path = "/v1/sessions/{session}/answers",
    tag = "answers",
    params(("session" = String, Path, description = "Session id")),
    request_body = Answers,
    security(("session_token" = [])),
    responses(
        (status = 200, description = "Stored", body = StoredAnswers),
        (status = 422, description = "`invalid_answers`, with the refused fields", body = ErrorBody),
        (status = 400, description = "`unknown_field` or `invalid_request`", body = ErrorBody),
        (status = 409, description = "`session_closed`: already submitted", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`session_not_found`", body = ErrorBody),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    Path(session): Path<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<Answers>,
) -> Result<axum::Json<StoredAnswers>, ApiError> {
    let session = state.authorised(&session, &headers).await?;
    super::require_open(&session)?;
    let flow = flow_of(&session)?;
    let today = JalaliDate::today_in_tehran(
        jiff::Timestamp::from_second(state.clock.now()).unwrap_or_default(),
    );
    let mut answers = session.answers.clone();
    let mut problems = Vec::new();
    for (id, raw) in &request.answers {
        let field = flow
            .steps
            .iter()
            .flat_map(Step::fields)
            .find(|f| &f.id == id);
        let Some(field) = field else {
            return Err(ApiError::bad_request(
                "unknown_field",
                format!("the flow has no field `{id}`"),
            ));
        };
        match field.parse(raw, today) {
            Ok(value) => {
                answers.insert(id.clone(), value);
            }
            Err(e) => problems.push(FieldProblem {
                field: id.clone(),
                code: e.message_id().to_owned(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_answers",
            "some answers were refused",
        )
        .with_fields(problems));
    }
    state.store.set_answers(&session.id, &answers).await?;
    tracing::info!(session = %session.id, fields = request.answers.len(), "answers stored");
    Ok(axum::Json(StoredAnswers { answers }))
}
