//! Submission: the client's manifest, checked against what the server holds (answers,
//! code receipts, every artifact whole by SHA-256, the challenges shown), then the
//! session waits for the operator's decision.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use ehraz_core::flow::FieldKind;
use ehraz_core::{Flow, Manifest, Step};
use serde::Deserialize;
use utoipa::ToSchema;

use super::codes::proved;
use super::status::{Reason, SessionStatus};
use super::{AppState, flow_of, takes_changes};
use crate::error::{ApiError, ApiJson, ErrorBody, FieldProblem};
use crate::store::{SessionRecord, UploadRecord};

/// Submits the session with its manifest.
#[utoipa::path(
    post,
    path = "/v1/sessions/{session}/submission",
    tag = "submission",
    params(("session" = String, Path, description = "Session id")),
    request_body(content = Object, description = "The submission manifest (schema of `ehraz-core`)"),
    security(("session_token" = [])),
    responses(
        (status = 202, description = "Submitted; the status is `pending`", body = SessionStatus),
        (status = 200, description = "The same manifest was already submitted", body = SessionStatus),
        (status = 422, description = "`submission_incomplete` (with the items: `answer_missing`, `answer_mismatch`, `verification_missing`, `artifact_missing`, `artifact_not_received`, `challenge_missing`) or `manifest_flow`", body = ErrorBody),
        (status = 409, description = "`already_submitted` with another manifest, or `already_decided`", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`session_not_found`", body = ErrorBody),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Path(session): Path<String>,
    headers: HeaderMap,
    ApiJson(manifest): ApiJson<Manifest>,
) -> Result<(StatusCode, axum::Json<SessionStatus>), ApiError> {
    let session = state.authorised(&session, &headers).await?;
    let canonical = serde_json::to_string(&manifest).map_err(|e| ApiError::internal(&e))?;
    if !takes_changes(&session) {
        return match (session.status.as_str(), &session.manifest) {
            ("pending", Some(stored)) if *stored == canonical => {
                Ok((StatusCode::OK, axum::Json(status_of(&session)?)))
            }
            ("pending", _) => Err(ApiError::new(
                StatusCode::CONFLICT,
                "already_submitted",
                "submitted with another manifest",
            )),
            _ => Err(ApiError::new(
                StatusCode::CONFLICT,
                "already_decided",
                "the session was decided",
            )),
        };
    }
    let flow = flow_of(&session)?;
    if manifest.flow_id != flow.id
        || manifest.flow_version != flow.version
        || manifest.manifest_version != 1
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "manifest_flow",
            format!(
                "this session follows {} version {} (manifest version 1)",
                flow.id, flow.version
            ),
        ));
    }
    let uploads = state.store.complete_uploads(&session.id).await?;
    let verifications = state.store.verifications(&session.id).await?;
    let problems = check(&flow, &session, &manifest, &uploads, &verifications);
    if !problems.is_empty() {
        tracing::info!(session = %session.id, problems = problems.len(), "submission refused");
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "submission_incomplete",
            "some items are missing or differ",
        )
        .with_fields(problems));
    }
    let now = state.clock.now();
    state.store.submit(&session.id, &canonical, now).await?;
    tracing::info!(session = %session.id, artifacts = manifest.artifacts.len(), "submitted");
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(SessionStatus {
            status: "pending".into(),
            reasons: Vec::new(),
            updated_at: now,
        }),
    ))
}

/// The operator's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `approved`, `rejected` or `needs-resubmission`.
    pub status: String,
    /// Why, per item; required for `rejected` and `needs-resubmission`.
    #[serde(default)]
    pub reasons: Vec<Reason>,
}

/// Sets the decision on a submitted session (operators only).
#[utoipa::path(
    post,
    path = "/v1/admin/sessions/{session}/status",
    tag = "status",
    params(("session" = String, Path, description = "Session id")),
    request_body = Decision,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Decided", body = SessionStatus),
        (status = 400, description = "`status_unknown` or `reasons_required`", body = ErrorBody),
        (status = 409, description = "`status_transition`: only a pending session is decided", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`session_not_found`", body = ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    Path(session): Path<String>,
    headers: HeaderMap,
    ApiJson(decision): ApiJson<Decision>,
) -> Result<axum::Json<SessionStatus>, ApiError> {
    state.operator(&headers)?;
    let session = state
        .store
        .session(&session)
        .await?
        .ok_or_else(ApiError::session_not_found)?;
    let needs_reasons = match decision.status.as_str() {
        "approved" => false,
        "rejected" | "needs-resubmission" => true,
        _ => {
            return Err(ApiError::bad_request(
                "status_unknown",
                "approved, rejected or needs-resubmission",
            ));
        }
    };
    if needs_reasons && decision.reasons.is_empty() {
        return Err(ApiError::bad_request(
            "reasons_required",
            "say why, per item",
        ));
    }
    if session.status != "pending" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "status_transition",
            format!("the session is {}", session.status),
        ));
    }
    let reasons = serde_json::to_string(&decision.reasons).map_err(|e| ApiError::internal(&e))?;
    let now = state.clock.now();
    state
        .store
        .set_status(&session.id, &decision.status, &reasons, now)
        .await?;
    tracing::info!(session = %session.id, status = %decision.status, "decided");
    Ok(axum::Json(SessionStatus {
        status: decision.status,
        reasons: decision.reasons,
        updated_at: now,
    }))
}

fn status_of(session: &SessionRecord) -> Result<SessionStatus, ApiError> {
    let reasons = serde_json::from_str(&session.reasons).map_err(|e| ApiError::internal(&e))?;
    Ok(SessionStatus {
        status: session.status.clone(),
        reasons,
        updated_at: session.status_updated_at,
    })
}

/// Every way the manifest falls short of what the server holds, by item.
fn check(
    flow: &Flow,
    session: &SessionRecord,
    manifest: &Manifest,
    uploads: &[UploadRecord],
    verifications: &BTreeMap<String, (String, String)>,
) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut problem = |item: String, code: &str| {
        problems.push(FieldProblem {
            field: item,
            code: code.to_owned(),
        });
    };
    let answers = &manifest.answers;
    for (field, value) in answers {
        if session.answers.get(field) != Some(value) {
            problem(field.clone(), "answer_mismatch");
        }
    }
    let shown = |when: Option<&ehraz_core::flow::Condition>| when.is_none_or(|c| c.holds(answers));
    for step in flow.steps.iter().filter(|s| shown(s.when())) {
        let id = step.id();
        match step {
            Step::Form { fields, .. } | Step::Commitments { fields, .. } => {
                for field in fields.iter().filter(|f| shown(f.when.as_ref())) {
                    let answer = answers.get(&field.id);
                    if answer.is_none()
                        || (field.kind == FieldKind::Consent
                            && answer.map(String::as_str) != Some("true"))
                    {
                        problem(field.id.clone(), "answer_missing");
                    }
                }
            }
            Step::OneTimeCode { verifies, .. } => {
                let held = verifications.get(id);
                let receipt = manifest.verifications.get(id);
                let proves = proved(verifies, answers);
                if held.is_none_or(|(p, r)| Some(r) != receipt || Some(p) != proves.as_ref()) {
                    problem(id.to_owned(), "verification_missing");
                }
            }
            Step::Capture {
                capture, challenge, ..
            } => {
                for media in capture.required_media() {
                    let listed = manifest
                        .artifacts
                        .iter()
                        .find(|a| a.step == id && a.artifact.media_type == *media);
                    let media_name = media.as_str();
                    let item = format!("{id}/{media_name}");
                    let Some(listed) = listed else {
                        problem(item, "artifact_missing");
                        continue;
                    };
                    let digest = listed.artifact.sha256.to_string();
                    let received = uploads.iter().any(|u| {
                        u.step == id
                            && u.media_type == media_name
                            && u.sha256.as_deref() == Some(digest.as_str())
                            && u64::try_from(u.length).ok() == Some(listed.artifact.size)
                    });
                    if !received {
                        problem(item, "artifact_not_received");
                    }
                }
                if challenge.is_some() {
                    let shown = manifest.challenges.get(id);
                    if !shown
                        .is_some_and(|c| step.accepts_challenge(c.kind()) && c.is_well_formed())
                    {
                        problem(id.to_owned(), "challenge_missing");
                    }
                }
            }
            Step::Review { .. } => {}
        }
    }
    problems
}
