//! Both flows through the API, from the first answer to the operator's decision, with the
//! client side played by ehraz-core's wizard so the manifest is the one the app sends.

mod common;

use std::collections::BTreeMap;

use common::{Harness, Session, harness, media};
use ehraz_core::{Artifact, Challenge, Flow, JalaliDate, MediaType, Sha256Digest, Wizard};
use ehraz_server::Limits;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;

struct Walk<'a> {
    h: &'a Harness,
    s: Session,
    wizard: Wizard,
}

fn today() -> JalaliDate {
    JalaliDate::today_in_tehran(jiff::Timestamp::now())
}

impl<'a> Walk<'a> {
    async fn start(h: &'a Harness, flow: &str) -> Walk<'a> {
        let response = h
            .http
            .post(format!("{}/v1/sessions", h.base))
            .json(&json!({ "flow": flow }))
            .send()
            .await
            .expect("sent");
        let body: Value = response.json().await.expect("json");
        let flow = Flow::from_json(&body["flow"].to_string()).expect("the served flow loads");
        let s = Session {
            id: body["session_id"].as_str().expect("id").into(),
            token: body["token"].as_str().expect("token").into(),
        };
        Walk {
            h,
            s,
            wizard: Wizard::new(flow).expect("wizard"),
        }
    }

    /// Answers the current form on the server and in the wizard.
    async fn answer(&mut self, pairs: &[(&str, &str)]) {
        let values: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        let (status, body) = self.h.answer(&self.s, json!(values)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        self.wizard
            .submit_form(&values, today())
            .expect("the wizard accepts");
    }

    /// Asks for the current step's code, reads it from the SMS, and has it verified.
    async fn code(&mut self, phone: &str) {
        let step = self.wizard.current().expect("a step").id().to_owned();
        let (status, body) = self.h.send_code(&self.s, &step).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let code = self.h.code_sent_to(phone);
        let checked = self.wizard.check_code(&code).expect("well-formed");
        let (status, body) = self.h.verify(&self.s, &step, checked.as_str()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        self.wizard
            .complete_code(body["receipt"].as_str().expect("receipt"))
            .expect("completes");
    }

    /// Uploads a file for the current capture step and attaches it in the wizard.
    async fn capture(&mut self, media_type: MediaType, bytes: &[u8]) {
        let step = self.wizard.current().expect("a step").id().to_owned();
        self.h
            .upload(&self.s, &step, media_type.as_str(), bytes)
            .await;
        self.attach(media_type, bytes);
    }

    fn attach(&mut self, media_type: MediaType, bytes: &[u8]) {
        let sha256 = Sha256Digest::from_bytes(sha2::Sha256::digest(bytes).into());
        let artifact = Artifact {
            media_type,
            sha256,
            size: bytes.len() as u64,
        };
        self.wizard.attach(artifact).expect("attaches");
    }

    async fn submit(&self) -> (StatusCode, Value) {
        let manifest = self.wizard.manifest("test").expect("manifest");
        self.h
            .call(
                &self.s,
                reqwest::Method::POST,
                "/submission",
                Some(serde_json::to_value(&manifest).expect("json")),
            )
            .await
    }

    async fn decide(&self, token: &str, decision: Value) -> (StatusCode, Value) {
        let url = format!("{}/v1/admin/sessions/{}/status", self.h.base, self.s.id);
        let response = self
            .h
            .http
            .post(url)
            .bearer_auth(token)
            .json(&decision)
            .send()
            .await
            .expect("sent");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// The sejam flow up to the review, with the signature upload left to `signature`.
async fn sejam_until_signature(h: &Harness) -> Walk<'_> {
    let mut w = Walk::start(h, "sejam").await;
    w.answer(&[("mobile", "۰۹۱۲۱۲۳۴۵۶۷")]).await;
    w.code("09121234567").await;
    w.answer(&[
        ("national-code", "0499370899"),
        ("sejam-tracking-code", "1234567890"),
    ])
    .await;
    w.code("09121234567").await;
    w.answer(&[
        ("card-document", "smart-card"),
        ("card-serial", "1g23456789"),
    ])
    .await;
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 200_000, 1))
        .await;
    w.wizard.advance().expect("selfie done");
    w
}

async fn finish_sejam(w: &mut Walk<'_>) {
    w.capture(MediaType::VideoMp4, &media("video/mp4", 300_000, 3))
        .await;
    w.capture(MediaType::AudioWav, &media("audio/wav", 100_000, 4))
        .await;
    w.wizard
        .record_challenge(Challenge::Digits {
            digits: vec![4, 0, 7, 2],
            shown_at_ms: Vec::new(),
        })
        .expect("challenge");
    w.wizard.advance().expect("video done");
    w.wizard.advance().expect("reviewed");
    w.answer(&[
        ("commit-truthful", "true"),
        ("commit-own-identity", "true"),
        ("commit-media-processing", "true"),
    ])
    .await;
    assert!(w.wizard.is_finished());
}

#[tokio::test]
async fn the_sejam_flow_goes_through_to_the_operators_decision() {
    let h = harness(Limits::default()).await;
    let mut w = sejam_until_signature(&h).await;
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 50_000, 2))
        .await;
    w.wizard.advance().expect("signature done");
    finish_sejam(&mut w).await;

    let (status, body) = w.submit().await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::ACCEPTED, Some("pending")),
        "{body}"
    );
    let (status, body) = w.submit().await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("pending")),
        "the same submission again is no duplicate"
    );
    let (status, body) = w.h.answer(&w.s, json!({ "mobile": "09351234567" })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("session_closed"))
    );

    let (status, body) = w
        .decide("not-the-token", json!({ "status": "approved" }))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let token = h.server.admin_token.clone();
    let (status, body) = w.decide(&token, json!({ "status": "rejected" })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reasons_required"))
    );
    let reasons = json!([{ "item": "signature", "reason": "signature-unreadable" }]);
    let (status, body) = w
        .decide(
            &token,
            json!({ "status": "needs-resubmission", "reasons": reasons }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = w.h.call(&w.s, reqwest::Method::GET, "/status", None).await;
    assert_eq!(body["status"], "needs-resubmission");
    assert_eq!(body["reasons"], reasons);
    let (status, body) = w.decide(&token, json!({ "status": "approved" })).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("status_transition")),
        "only a pending session is decided"
    );

    // The person retakes the signature and submits again; the operator approves.
    w.wizard.go_to("signature").expect("back to the signature");
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 60_000, 9))
        .await;
    for _ in 0..3 {
        w.wizard.advance().expect("forward");
    }
    w.wizard
        .submit_form(
            &[
                ("commit-truthful", "true"),
                ("commit-own-identity", "true"),
                ("commit-media-processing", "true"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
            today(),
        )
        .expect("commitments");
    let (status, body) = w.submit().await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let (status, body) = w.decide(&token, json!({ "status": "approved" })).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("approved"))
    );
    let (status, body) = w.submit().await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_decided"))
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_submission_with_a_missing_or_corrupted_artifact_is_refused() {
    let h = harness(Limits::default()).await;
    let mut w = sejam_until_signature(&h).await;
    // The wizard holds a signature that never reached the server.
    w.attach(MediaType::ImageJpeg, &media("image/jpeg", 50_000, 2));
    w.wizard.advance().expect("signature done in the wizard");
    finish_sejam(&mut w).await;
    let (status, body) = w.submit().await;
    assert_eq!(
        (status, body["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("submission_incomplete")
        )
    );
    assert_eq!(
        body["fields"],
        json!([{ "field": "signature/image/jpeg", "code": "artifact_not_received" }])
    );

    // Now bytes arrive, but not the bytes the manifest names.
    let sent = media("image/jpeg", 50_000, 2);
    let mut corrupted = sent.clone();
    corrupted[40_000] ^= 0xFF;
    w.h.upload(&w.s, "signature", "image/jpeg", &corrupted)
        .await;
    let (status, body) = w.submit().await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["code"], "artifact_not_received");

    w.h.upload(&w.s, "signature", "image/jpeg", &sent).await;
    let (status, body) = w.submit().await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_manifest_that_claims_more_than_the_server_holds_is_refused() {
    let h = harness(Limits::default()).await;
    let mut w = sejam_until_signature(&h).await;
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 50_000, 2))
        .await;
    w.wizard.advance().expect("signature done");
    finish_sejam(&mut w).await;
    let mut manifest =
        serde_json::to_value(w.wizard.manifest("test").expect("manifest")).expect("json");
    manifest["answers"]["card-serial"] = json!("9Z99999999");
    manifest["verifications"]["sejam-code"] = json!("forged-receipt");
    manifest["challenges"] = json!({});
    let (status, body) =
        w.h.call(&w.s, reqwest::Method::POST, "/submission", Some(manifest))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let items: Vec<(String, String)> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_owned(),
                f["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("card-serial", "answer_mismatch"),
        ("sejam-code", "verification_missing"),
        ("selfie-video", "challenge_missing"),
    ] {
        assert!(
            items.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {items:?}"
        );
    }
    let mut other_flow =
        serde_json::to_value(w.wizard.manifest("test").expect("manifest")).expect("json");
    other_flow["flow_id"] = json!("exchange");
    let (status, body) =
        w.h.call(&w.s, reqwest::Method::POST, "/submission", Some(other_flow))
            .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("manifest_flow"))
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn the_exchange_flow_goes_through_by_video_and_by_documents() {
    let h = harness(Limits::default()).await;
    let mut w = Walk::start(&h, "exchange").await;
    w.answer(&[
        ("national-code", "0790419904"),
        ("mobile", "09351234567"),
        ("birth-date", "۱۳۷۵/۰۶/۳۱"),
    ])
    .await;
    w.code("09351234567").await;
    w.answer(&[("method", "video")]).await;
    w.capture(MediaType::VideoMp4, &media("video/mp4", 200_000, 5))
        .await;
    w.capture(MediaType::AudioWav, &media("audio/wav", 80_000, 6))
        .await;
    w.wizard
        .record_challenge(Challenge::Sentence {
            sentence_id: "fa-03".into(),
            text: "امروز هوا آفتابی است".into(),
            speech_ms: None,
        })
        .expect("sentence");
    w.wizard.advance().expect("video done");
    w.answer(&[
        ("contact-kind", "address"),
        ("address", "شیراز، خیابان زند، کوچه ۷، پلاک ۱۲"),
        ("postal-code", "7134816951"),
    ])
    .await;
    w.wizard.advance().expect("reviewed");
    let (status, body) = w.submit().await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");

    let mut w = Walk::start(&h, "exchange").await;
    w.answer(&[
        ("national-code", "0084575948"),
        ("mobile", "09201234567"),
        ("birth-date", "1360/11/22"),
    ])
    .await;
    w.code("09201234567").await;
    w.answer(&[("method", "documents")]).await;
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 40_000, 7))
        .await;
    w.wizard.advance().expect("commitment letter");
    w.answer(&[("identity-document", "national-card")]).await;
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 40_000, 8))
        .await;
    w.wizard.advance().expect("identity document");
    w.answer(&[("bank-card", "6037-9912-3456-7893")]).await;
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 40_000, 9))
        .await;
    w.wizard.advance().expect("bank card photo");
    w.capture(MediaType::ImageJpeg, &media("image/jpeg", 40_000, 10))
        .await;
    w.wizard.advance().expect("selfie with documents");
    w.answer(&[("contact-kind", "landline"), ("landline", "071-3233-4455")])
        .await;
    w.wizard.advance().expect("reviewed");
    let (status, body) = w.submit().await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    h.server.stop().await.expect("stops");
}
