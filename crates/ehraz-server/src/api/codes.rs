//! One-time codes: sent for a step of the flow to the number it proves (the mobile
//! answered, or the one registered at Sejam for the national and tracking codes), checked
//! with expiry, a limit of tries, and rate limits per number and per client address.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use ehraz_core::flow::FieldKind;
use ehraz_core::{
    CodeLength, Flow, MobileNumber, NationalCode, OneTimeCode, SejamTrackingCode, Step,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{AppState, flow_of};
use ehraz_i18n::Arg;

use crate::error::{ApiError, ApiJson, ErrorBody};
use crate::providers::SejamAnswer;
use crate::secret;
use crate::store::{CodeRecord, SessionRecord};

/// Which step's code to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendCode {
    /// The id of a one-time code step of the session's flow, e.g. `mobile-code`.
    pub step: String,
}

/// A code is on its way.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeSent {
    /// The step.
    pub step: String,
    /// Digits in the code.
    pub code_length: u8,
    /// Seconds the code stays valid.
    pub expires_in_seconds: i64,
    /// Seconds before another code may be asked for.
    pub resend_after_seconds: i64,
    /// The number it went to, masked (`0912***4567`).
    pub sent_to: String,
}

/// A code typed by the person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyCode {
    /// The step.
    pub step: String,
    /// The code, in any digit script.
    pub code: String,
}

/// The code was right.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeVerified {
    /// The step.
    pub step: String,
    /// Proof for the submission manifest.
    pub receipt: String,
}

/// Sends the one-time code of a step.
#[utoipa::path(
    post,
    path = "/v1/sessions/{session}/codes",
    tag = "codes",
    params(("session" = String, Path, description = "Session id")),
    request_body = SendCode,
    security(("session_token" = [])),
    responses(
        (status = 200, description = "Sent", body = CodeSent),
        (status = 400, description = "`not_a_code_step`", body = ErrorBody),
        (status = 409, description = "`answers_missing`: the fields the code proves are not answered", body = ErrorBody),
        (status = 422, description = "`sejam_not_registered` or `sejam_tracking_code_mismatch`", body = ErrorBody),
        (status = 429, description = "`rate_limited`, with `Retry-After`", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`session_not_found`", body = ErrorBody),
        (status = 502, description = "`provider_failed`: the SMS or Sejam service did not answer", body = ErrorBody),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    Path(session): Path<String>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SendCode>,
) -> Result<axum::Json<CodeSent>, ApiError> {
    let session = state.authorised(&session, &headers).await?;
    let flow = flow_of(&session)?;
    let CodeStep {
        length,
        proves,
        fields,
    } = code_step(&flow, &session, &request.step)?;
    let to = destination(&state, &flow, &session, &fields).await?;

    let now = state.clock.now();
    let limits = state.limits;
    // The resend countdown runs per number and step (one phone may get the SMS code and
    // Sejam's code within seconds); the window limit counts every code to the number.
    let number_key = format!("number:{}", secret::hash(&[to.as_str()]));
    let step_key = format!(
        "number-step:{}",
        secret::hash(&[to.as_str(), &request.step])
    );
    let address_key = format!("address:{}", client.ip());
    let window_start = now - limits.window_seconds;
    let for_step = state
        .store
        .sends_since(&step_key, now - limits.resend_after_seconds)
        .await?;
    if let Some(&last) = for_step.last() {
        return Err(rate_limited(limits.resend_after_seconds - (now - last)));
    }
    let to_number = state.store.sends_since(&number_key, window_start).await?;
    if to_number.len() >= limits.sends_per_number {
        return Err(rate_limited(to_number[0] + limits.window_seconds - now));
    }
    let from_address = state.store.sends_since(&address_key, window_start).await?;
    if from_address.len() >= limits.sends_per_address {
        return Err(rate_limited(from_address[0] + limits.window_seconds - now));
    }

    let code = secret::code(length.get());
    let salt = secret::token();
    let record = CodeRecord {
        proves,
        code_hash: secret::hash(&[&salt, &code]),
        salt,
        sent_at: now,
        expires_at: now + limits.code_ttl_seconds,
        attempts: 0,
    };
    state
        .store
        .put_code(&session.id, &request.step, &record)
        .await?;
    state.store.record_send(&number_key, now).await?;
    state.store.record_send(&step_key, now).await?;
    state.store.record_send(&address_key, now).await?;
    // An SMS is plain text: no bidi isolation marks around the code, which would break
    // the phone's code autofill.
    let text = state
        .catalog
        .message("sms-one-time-code", &[("code", Arg::Text(&code))])
        .replace(['\u{2068}', '\u{2069}'], "");
    state
        .sms
        .send(&to, &text)
        .await
        .map_err(|e| ApiError::new(StatusCode::BAD_GATEWAY, "provider_failed", e.to_string()))?;
    tracing::info!(session = %session.id, step = %request.step, "code sent");
    Ok(axum::Json(CodeSent {
        step: request.step,
        code_length: length.get(),
        expires_in_seconds: limits.code_ttl_seconds,
        resend_after_seconds: limits.resend_after_seconds,
        sent_to: mask(&to),
    }))
}

/// Checks a one-time code.
#[utoipa::path(
    post,
    path = "/v1/sessions/{session}/codes/verify",
    tag = "codes",
    params(("session" = String, Path, description = "Session id")),
    request_body = VerifyCode,
    security(("session_token" = [])),
    responses(
        (status = 200, description = "Right", body = CodeVerified),
        (status = 400, description = "`code_wrong` (with `attempts_left`), `code_malformed` or `not_a_code_step`", body = ErrorBody),
        (status = 409, description = "`code_not_sent`: none sent, or its fields changed since", body = ErrorBody),
        (status = 410, description = "`code_expired`", body = ErrorBody),
        (status = 429, description = "`code_attempts_exhausted`: ask for a new code", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`session_not_found`", body = ErrorBody),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    Path(session): Path<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<VerifyCode>,
) -> Result<axum::Json<CodeVerified>, ApiError> {
    let session = state.authorised(&session, &headers).await?;
    let flow = flow_of(&session)?;
    let CodeStep { length, proves, .. } = code_step(&flow, &session, &request.step)?;
    let step = request.step.as_str();
    let not_sent = || {
        ApiError::new(
            StatusCode::CONFLICT,
            "code_not_sent",
            "ask for a code first",
        )
    };
    let record = state
        .store
        .code(&session.id, step)
        .await?
        .ok_or_else(not_sent)?;
    if record.proves != proves {
        return Err(not_sent());
    }
    if state.clock.now() >= record.expires_at {
        state.store.delete_code(&session.id, step).await?;
        return Err(ApiError::new(
            StatusCode::GONE,
            "code_expired",
            "the code expired; ask for a new one",
        ));
    }
    let code = OneTimeCode::parse(&request.code, length).map_err(|_| {
        ApiError::bad_request(
            "code_malformed",
            format!("a code has {} digits", length.get()),
        )
    })?;
    if !secret::same(
        &secret::hash(&[&record.salt, code.as_str()]),
        &record.code_hash,
    ) {
        let attempts = state.store.add_attempt(&session.id, step).await?;
        let left = state.limits.max_attempts - attempts;
        if left <= 0 {
            state.store.delete_code(&session.id, step).await?;
            return Err(exhausted());
        }
        tracing::info!(session = %session.id, step, attempts, "wrong code");
        return Err(ApiError::bad_request("code_wrong", "the code is not right")
            .with_attempts_left(u32::try_from(left).unwrap_or(0)));
    }
    state.store.delete_code(&session.id, step).await?;
    let receipt = secret::token();
    state
        .store
        .put_verification(&session.id, step, &proves, &receipt)
        .await?;
    tracing::info!(session = %session.id, step, "code verified");
    Ok(axum::Json(CodeVerified {
        step: request.step,
        receipt,
    }))
}

fn rate_limited(seconds: i64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "too many codes; wait before asking again",
    )
    .with_retry_after(u64::try_from(seconds.max(1)).unwrap_or(1))
}

fn exhausted() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "code_attempts_exhausted",
        "too many wrong tries; ask for a new code",
    )
}

/// What the server needs of a one-time code step.
struct CodeStep {
    /// Digits in its code.
    length: CodeLength,
    /// What a code proves: the answers of its fields, joined.
    proves: String,
    /// The proved fields' kinds and answers.
    fields: Vec<(FieldKind, String)>,
}

fn code_step(flow: &Flow, session: &SessionRecord, step: &str) -> Result<CodeStep, ApiError> {
    let Some(Step::OneTimeCode {
        code_length,
        verifies,
        ..
    }) = flow.step(step)
    else {
        return Err(ApiError::bad_request(
            "not_a_code_step",
            format!("`{step}` is not a one-time code step"),
        ));
    };
    let kinds = flow.steps.iter().flat_map(Step::fields);
    let mut fields = Vec::new();
    let mut missing = Vec::new();
    for id in verifies {
        match (kinds.clone().find(|f| &f.id == id), session.answers.get(id)) {
            (Some(field), Some(value)) => fields.push((field.kind, value.clone())),
            _ => missing.push(id.as_str()),
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "answers_missing",
            format!("answer these first: {}", missing.join(", ")),
        ));
    }
    let proves = proved(verifies, &session.answers).unwrap_or_default();
    Ok(CodeStep {
        length: *code_length,
        proves,
        fields,
    })
}

/// What a code for these fields proves: their answers, joined; `None` if one is missing.
pub(crate) fn proved(verifies: &[String], answers: &BTreeMap<String, String>) -> Option<String> {
    let values: Option<Vec<&str>> = verifies
        .iter()
        .map(|f| answers.get(f).map(String::as_str))
        .collect();
    values.map(|v| v.join("\u{1F}"))
}

/// Where the code goes: the mobile among the proved fields, or the mobile Sejam has for
/// the national and tracking codes.
async fn destination(
    state: &AppState,
    flow: &Flow,
    session: &SessionRecord,
    fields: &[(FieldKind, String)],
) -> Result<MobileNumber, ApiError> {
    let value = |kind| {
        fields
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, v)| v.as_str())
    };
    if let Some(mobile) = value(FieldKind::Mobile) {
        return MobileNumber::parse(mobile).map_err(|e| ApiError::internal(&e));
    }
    let (Some(national), Some(tracking)) = (
        value(FieldKind::NationalCode),
        value(FieldKind::SejamTrackingCode),
    ) else {
        return Err(ApiError::internal(&format!(
            "flow {} has a code step proving no number",
            flow.id
        )));
    };
    let national = NationalCode::parse(national).map_err(|e| ApiError::internal(&e))?;
    let tracking = SejamTrackingCode::parse(tracking).map_err(|e| ApiError::internal(&e))?;
    let answer = state
        .sejam
        .inquire(&national, &tracking)
        .await
        .map_err(|e| ApiError::new(StatusCode::BAD_GATEWAY, "provider_failed", e.to_string()))?;
    match answer {
        SejamAnswer::Registered { mobile } => Ok(mobile),
        SejamAnswer::NotRegistered => {
            tracing::info!(session = %session.id, "not registered at Sejam");
            Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "sejam_not_registered",
                "register at Sejam first",
            ))
        }
        SejamAnswer::TrackingCodeMismatch => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "sejam_tracking_code_mismatch",
            "the tracking code does not match the national code at Sejam",
        )),
    }
}

/// `09121234567` → `0912***4567`.
fn mask(mobile: &MobileNumber) -> String {
    let s = mobile.as_str();
    format!("{}***{}", &s[..4], &s[7..])
}
