//! The API over real HTTP on loopback: sessions, answers, one-time codes with their
//! expiry, tries and rate limits, the Sejam registry, errors and the contract document.

mod common;

use common::{Session, harness};
use ehraz_server::Limits;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}

#[tokio::test]
async fn a_session_starts_with_its_flow_and_a_token() {
    let h = harness(Limits::default()).await;
    let response = h
        .http
        .post(format!("{}/v1/sessions", h.base))
        .json(&json!({ "flow": "sejam" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["flow"]["id"], "sejam");
    assert_eq!(body["flow"]["steps"][1]["kind"], "one-time-code");
    assert!(body["token"].as_str().is_some_and(|t| t.len() >= 43));
    let flow: Value = h
        .http
        .get(format!("{}/v1/flows/exchange", h.base))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert!(
        ehraz_core::Flow::from_json(&flow.to_string()).is_ok(),
        "the served flow loads in the client"
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn bad_requests_get_a_code_and_a_detail() {
    let h = harness(Limits::default()).await;
    let unknown = h
        .http
        .post(format!("{}/v1/sessions", h.base))
        .json(&json!({ "flow": "bank" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let body: Value = unknown.json().await.expect("json");
    assert_eq!(body["code"], "flow_unknown");
    assert!(body["detail"].is_string());
    let garbage = h
        .http
        .post(format!("{}/v1/sessions", h.base))
        .header("content-type", "application/json")
        .body("{\"flow\": ")
        .send()
        .await
        .expect("sent");
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        garbage.json::<Value>().await.expect("json")["code"],
        "invalid_request"
    );
    let text = h
        .http
        .post(format!("{}/v1/sessions", h.base))
        .body("flow=sejam")
        .send()
        .await
        .expect("sent");
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        text.json::<Value>().await.expect("json")["code"],
        "invalid_request"
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_session_answers_only_to_its_own_token() {
    let h = harness(Limits::default()).await;
    let mine = h.start_session("sejam").await;
    let theirs = h.start_session("sejam").await;
    let stolen = Session {
        id: mine.id.clone(),
        token: theirs.token.clone(),
    };
    assert_eq!(
        h.answer(&stolen, json!({ "mobile": "09121234567" }))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let anonymous = h
        .http
        .get(format!("{}/v1/sessions/{}/status", h.base, mine.id))
        .send()
        .await
        .expect("sent");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let missing = Session {
        id: "no-such-session".into(),
        token: mine.token.clone(),
    };
    let (status, body) = h
        .call(&missing, reqwest::Method::GET, "/status", None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("session_not_found"))
    );
    let (status, body) = h.call(&mine, reqwest::Method::GET, "/status", None).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("open"))
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn answers_are_validated_again_and_stored_normalised() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("exchange").await;
    let (status, body) = h
        .answer(
            &s,
            json!({ "national-code": "۰۴۹۹۳۷۰۸۹۸", "mobile": "0912", "birth-date": "1370/01/15" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "invalid_answers");
    assert_eq!(
        body["fields"],
        json!([
            { "field": "mobile", "code": "mobile-format" },
            { "field": "national-code", "code": "national-code-checksum" },
        ])
    );
    let (status, body) = h
        .answer(
            &s,
            json!({ "national-code": "۰۴۹۹۳۷۰۸۹۹", "mobile": "+98 912 123 4567" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["answers"],
        json!({ "mobile": "09121234567", "national-code": "0499370899" })
    );
    let (status, body) = h.answer(&s, json!({ "passport": "X1" })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unknown_field"))
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_mobile_code_is_sent_and_verified_once() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let (status, body) = h.send_code(&s, "mobile-code").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("answers_missing"))
    );
    h.answer(&s, json!({ "mobile": "09121234567" })).await;
    let (status, body) = h.send_code(&s, "mobile-code").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["code_length"], 6);
    assert_eq!(body["sent_to"], "0912***4567");
    let code = h.code_sent_to("09121234567");
    assert_eq!(code.len(), 6);
    let sms = h.server.sms.last_to("09121234567").expect("sent");
    assert!(
        sms.starts_with(&format!("کد تأیید احراز هویت شما: {code}\n")),
        "{sms:?}"
    );
    let persian: String = code
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect();
    let (status, body) = h.verify(&s, "mobile-code", &persian).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["receipt"].as_str().is_some_and(|r| r.len() >= 43));
    let (status, body) = h.verify(&s, "mobile-code", &code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("code_not_sent")),
        "a code works once"
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn five_wrong_tries_spend_the_code() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    h.answer(&s, json!({ "mobile": "09121234567" })).await;
    h.send_code(&s, "mobile-code").await;
    let code = h.code_sent_to("09121234567");
    for left in (1..=4).rev() {
        let (status, body) = h.verify(&s, "mobile-code", &wrong(&code)).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("code_wrong"))
        );
        assert_eq!(body["attempts_left"], left);
    }
    let (status, body) = h.verify(&s, "mobile-code", &wrong(&code)).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (
            StatusCode::TOO_MANY_REQUESTS,
            Some("code_attempts_exhausted")
        )
    );
    let (status, body) = h.verify(&s, "mobile-code", &code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("code_not_sent")),
        "even the right code is refused now"
    );
    let (status, body) = h.verify(&s, "mobile-code", "12").await;
    assert_eq!(body["code"], "code_not_sent", "{status}");
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_code_expires_after_two_minutes() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    h.answer(&s, json!({ "mobile": "09121234567" })).await;
    let (_, body) = h.send_code(&s, "mobile-code").await;
    assert_eq!(body["expires_in_seconds"], 120);
    let code = h.code_sent_to("09121234567");
    h.clock.advance(120);
    let (status, body) = h.verify(&s, "mobile-code", &code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::GONE, Some("code_expired"))
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_code_for_a_number_that_changed_since_is_void() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    h.answer(&s, json!({ "mobile": "09121234567" })).await;
    h.send_code(&s, "mobile-code").await;
    let code = h.code_sent_to("09121234567");
    h.answer(&s, json!({ "mobile": "09351234567" })).await;
    let (status, body) = h.verify(&s, "mobile-code", &code).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("code_not_sent"))
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn sends_are_limited_per_number() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    h.answer(&s, json!({ "mobile": "09121234567" })).await;
    assert_eq!(h.send_code(&s, "mobile-code").await.0, StatusCode::OK);
    let response = h
        .http
        .post(format!("{}/v1/sessions/{}/codes", h.base, s.id))
        .bearer_auth(&s.token)
        .json(&json!({ "step": "mobile-code" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "60");
    assert_eq!(
        response.json::<Value>().await.expect("json")["retry_after_seconds"],
        60
    );
    for _ in 0..4 {
        h.clock.advance(60);
        assert_eq!(
            h.send_code(&s, "mobile-code").await.0,
            StatusCode::OK,
            "a resend after the countdown"
        );
    }
    h.clock.advance(60);
    let (status, body) = h.send_code(&s, "mobile-code").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")),
        "five per ten minutes"
    );
    assert_eq!(body["retry_after_seconds"], 600 - 300);
    h.clock.advance(600);
    assert_eq!(
        h.send_code(&s, "mobile-code").await.0,
        StatusCode::OK,
        "the window moved on"
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn one_phone_gets_the_sms_code_and_sejams_code_without_waiting() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    h.answer(&s, json!({ "mobile": "09121234567", "national-code": "0499370899", "sejam-tracking-code": "1234567890" })).await;
    assert_eq!(h.send_code(&s, "mobile-code").await.0, StatusCode::OK);
    assert_eq!(
        h.send_code(&s, "sejam-code").await.0,
        StatusCode::OK,
        "the same number, another step"
    );
    assert_eq!(
        h.send_code(&s, "sejam-code").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn sends_are_limited_per_client_address() {
    let h = harness(Limits {
        sends_per_address: 3,
        ..Limits::default()
    })
    .await;
    for n in 0..4 {
        let s = h.start_session("sejam").await;
        h.answer(&s, json!({ "mobile": format!("0912123450{n}") }))
            .await;
        let (status, body) = h.send_code(&s, "mobile-code").await;
        let expected = if n < 3 {
            StatusCode::OK
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, expected, "send {n}: {body}");
    }
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn the_sejam_code_goes_to_the_number_registered_at_sejam() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    h.answer(&s, json!({ "mobile": "09357654321", "national-code": "0790419904", "sejam-tracking-code": "5551234567" })).await;
    let (status, body) = h.send_code(&s, "sejam-code").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["code_length"], 5);
    assert_eq!(body["sent_to"], "0935***4567");
    let code = h.code_sent_to("09351234567");
    assert_eq!(code.len(), 5);
    assert!(
        h.server.sms.last_to("09357654321").is_none(),
        "not to the number typed"
    );
    assert_eq!(h.verify(&s, "sejam-code", &code).await.0, StatusCode::OK);
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn people_not_registered_at_sejam_are_told_so_and_never_approved() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    h.answer(
        &s,
        json!({ "national-code": "1234567891", "sejam-tracking-code": "1234567890" }),
    )
    .await;
    let (status, body) = h.send_code(&s, "sejam-code").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("sejam_not_registered")
        )
    );
    h.answer(
        &s,
        json!({ "national-code": "0499370899", "sejam-tracking-code": "1111111111" }),
    )
    .await;
    let (status, body) = h.send_code(&s, "sejam-code").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("sejam_tracking_code_mismatch")
        )
    );
    let (status, body) = h.send_code(&s, "review").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("not_a_code_step"))
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn the_checked_in_contract_is_the_one_the_code_serves() {
    let checked_in = include_str!("../openapi.json");
    assert!(
        checked_in == ehraz_server::openapi_json(),
        "openapi.json is stale: run `cargo run -p ehraz-server -- openapi > crates/ehraz-server/openapi.json`"
    );
    let h = harness(Limits::default()).await;
    let served: Value = h
        .http
        .get(format!("{}/openapi.json", h.base))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        served,
        serde_json::from_str::<Value>(checked_in).expect("json")
    );
    assert_eq!(served["openapi"], "3.1.0");
    h.server.stop().await.expect("stops");
}
