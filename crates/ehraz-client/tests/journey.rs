//! A journey (the app's wizard kept in step with the backend and saved in the outbox)
//! against the reference server: refusals store nothing, codes come from the dev SMS
//! provider, a closed app resumes where it was, and "start over" leaves nothing behind.

mod common;

use common::{Server, media, values};
use ehraz_client::{Client, Journey, JourneyError, KeyStore, Outbox};
use ehraz_core::{Challenge, JalaliDate, MediaType};
use rand::Rng;

fn today() -> JalaliDate {
    JalaliDate::today_in_tehran(jiff::Timestamp::now())
}

fn outbox() -> (Outbox, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("ehraz-journey-{}", rand::rng().random::<u64>()));
    let outbox = Outbox::with_keys(&dir, KeyStore::File).expect("outbox");
    (outbox, dir)
}

/// Where submitted journeys are kept, beside an outbox folder.
fn receipts(outbox_dir: &std::path::Path) -> Outbox {
    Outbox::with_keys(outbox_dir.with_extension("submitted"), KeyStore::File).expect("receipts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sejam_up_to_the_first_capture_step_then_resume_and_start_over() {
    let server = Server::start().await;
    let client = Client::new(server.url()).expect("client");
    let (outbox, dir) = outbox();
    let mut journey = Journey::start(client.clone(), &outbox, "sejam")
        .await
        .expect("starts");
    let view = journey.view();
    assert_eq!(view.position.as_deref(), Some("mobile"));
    assert_eq!((view.progress.number, view.progress.total), (1, 10));
    assert!(!view.can_go_back);

    // A wrong mobile is refused on the device, with the field's message id.
    let refused = journey
        .submit_form(&values(&[("mobile", "۰۸۱۲۱۲۳۴۵۶۷")]), today())
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), "invalid_answers");
    assert_eq!(
        refused.fields(),
        [("mobile".to_owned(), "mobile-format".to_owned())]
    );
    assert!(journey.view().answers.is_empty());

    journey
        .submit_form(&values(&[("mobile", "۰۹۱۲۱۲۳۴۵۶۷")]), today())
        .await
        .expect("mobile");
    let view = journey.view();
    assert_eq!(view.position.as_deref(), Some("mobile-code"));
    assert_eq!(view.answers["mobile"], "09121234567");
    assert!(view.code.is_none());

    journey.send_code(1_000).await.expect("code sent");
    let code = journey.view().code.expect("code state");
    assert_eq!(code.step, "mobile-code");
    assert_eq!(code.code_length, 6);
    assert_eq!(code.sent_to, "0912***4567");
    assert!(code.expires_at_ms > 1_000 && code.resend_at_ms >= 1_000);

    let right = server.code_sent_to("09121234567");
    let wrong: String = right
        .chars()
        .map(|c| if c == '9' { '0' } else { '9' })
        .collect();
    let error = journey.verify_code(&wrong).await.expect_err("wrong code");
    assert_eq!(error.code(), "code_wrong");
    assert_eq!(error.attempts_left(), Some(4));
    let error = journey.verify_code("12").await.expect_err("too short");
    assert_eq!(
        error.fields(),
        [("code".to_owned(), "one-time-code-length".to_owned())]
    );
    let persian: String = right
        .chars()
        .map(|c| char::from_u32(0x06F0 + c.to_digit(10).expect("digit")).expect("char"))
        .collect();
    journey.verify_code(&persian).await.expect("right code");
    let view = journey.view();
    assert_eq!(view.position.as_deref(), Some("identity"));
    assert_eq!(view.verified, ["mobile-code"]);

    // Someone Sejam does not know gets the backend's reason when the code is asked for.
    journey
        .submit_form(
            &values(&[
                ("national-code", "0790419904"),
                ("sejam-tracking-code", "1234567890"),
            ]),
            today(),
        )
        .await
        .expect("identity");
    let error = journey.send_code(2_000).await.expect_err("mismatch");
    assert_eq!(error.code(), "sejam_tracking_code_mismatch");
    journey.back().expect("back");
    journey
        .submit_form(
            &values(&[
                ("national-code", "0499370899"),
                ("sejam-tracking-code", "1234567890"),
            ]),
            today(),
        )
        .await
        .expect("identity");
    journey.send_code(3_000).await.expect("sejam code");
    journey
        .verify_code(&server.code_sent_to("09121234567"))
        .await
        .expect("sejam code verified");
    journey
        .submit_form(
            &values(&[
                ("card-document", "smart-card"),
                ("card-serial", "1A23456789"),
            ]),
            today(),
        )
        .await
        .expect("card");
    let view = journey.view();
    assert_eq!(view.position.as_deref(), Some("selfie"));
    assert_eq!((view.progress.number, view.progress.total), (6, 10));
    assert_eq!(view.verified, ["mobile-code", "sejam-code"]);
    let error = journey.advance().expect_err("no photo yet");
    assert_eq!(error.code(), "wizard-missing-artifact");

    // Closed and opened again: the same place, the same answers.
    drop(journey);
    let outbox = Outbox::with_keys(&dir, KeyStore::File).expect("outbox");
    let journey = Journey::resume(&client, &outbox, &receipts(&dir))
        .expect("reads")
        .expect("a saved journey");
    assert_eq!(journey.view(), view);

    // The saved files are not readable without the key.
    let saved = std::fs::read_dir(&dir)
        .expect("outbox")
        .next()
        .expect("one session")
        .expect("entry")
        .path()
        .join("journey.enc");
    let bytes = std::fs::read(saved).expect("journey file");
    assert!(!bytes.windows(10).any(|w| w == b"0499370899"));

    journey.start_over().expect("start over");
    assert!(
        Journey::resume(&client, &outbox, &receipts(&dir))
            .expect("reads")
            .is_none()
    );
    assert_eq!(std::fs::read_dir(&dir).expect("outbox").count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_saved_journey_is_reported_and_can_be_discarded() {
    let server = Server::start().await;
    let client = Client::new(server.url()).expect("client");
    let (outbox, dir) = outbox();
    let journey = Journey::start(client.clone(), &outbox, "exchange")
        .await
        .expect("starts");
    drop(journey);
    let folder = std::fs::read_dir(&dir)
        .expect("outbox")
        .next()
        .expect("one session")
        .expect("entry")
        .path();
    let file = folder.join("journey.enc");
    let mut bytes = std::fs::read(&file).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, bytes).expect("write");
    let error = Journey::resume(&client, &outbox, &receipts(&dir)).expect_err("damaged");
    assert!(matches!(error, JourneyError::Outbox(_)), "{error:?}");
    assert_eq!(error.code(), "outbox_failed");
    assert_eq!(Journey::discard_saved(&outbox).expect("discards"), 1);
    assert!(
        Journey::resume(&client, &outbox, &receipts(&dir))
            .expect("reads")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_backend_loses_nothing() {
    let mut server = Server::start().await;
    let client = Client::new(server.url()).expect("client");
    let (outbox, _dir) = outbox();
    let mut journey = Journey::start(client.clone(), &outbox, "sejam")
        .await
        .expect("starts");
    let addr = server.stop().await;
    let error = journey
        .submit_form(&values(&[("mobile", "09121234567")]), today())
        .await
        .expect_err("no backend");
    assert_eq!(error.code(), "network");
    assert_eq!(journey.view().position.as_deref(), Some("mobile"));
    server.start_at(addr).await;
    journey
        .submit_form(&values(&[("mobile", "09121234567")]), today())
        .await
        .expect("the same answer once the backend is back");
    assert_eq!(journey.view().position.as_deref(), Some("mobile-code"));
}

#[tokio::test]
async fn an_unknown_flow_is_refused_before_the_backend_is_asked() {
    let client = Client::new("http://127.0.0.1:9".parse().expect("url")).expect("client");
    let (outbox, _dir) = outbox();
    let error = Journey::start(client, &outbox, "no-such-flow")
        .await
        .expect_err("unknown");
    assert_eq!(error.code(), "flow-unknown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submitted_journey_keeps_only_its_session_to_follow_the_status() {
    let server = Server::start().await;
    let client = Client::new(server.url()).expect("client");
    let (outbox, dir) = outbox();
    let receipts = receipts(&dir);
    let mut journey = Journey::start(client.clone(), &outbox, "exchange")
        .await
        .expect("starts");
    journey
        .submit_form(
            &values(&[
                ("national-code", "0499370899"),
                ("mobile", "09121234567"),
                ("birth-date", "1370/01/15"),
            ]),
            today(),
        )
        .await
        .expect("basic");
    journey.send_code(0).await.expect("code sent");
    journey
        .verify_code(&server.code_sent_to("09121234567"))
        .await
        .expect("code");
    journey
        .submit_form(&values(&[("method", "video")]), today())
        .await
        .expect("method");
    assert_eq!(journey.view().position.as_deref(), Some("video"));
    let error = journey
        .attach(
            MediaType::ImageJpeg,
            &media(&[0xFF, 0xD8, 0xFF, 0xE0], 1_000),
        )
        .expect_err("a photo on a video step");
    assert_eq!(error.code(), "wizard-media-type");
    let video = media(b"\0\0\0\x20ftypisom", 300_000);
    let sound = media(b"RIFF\x24\x08\0\0WAVEfmt ", 80_000);
    journey.attach(MediaType::VideoMp4, &video).expect("video");
    journey.attach(MediaType::AudioWav, &sound).expect("sound");
    journey
        .record_challenge(Challenge::Sentence {
            sentence_id: "fa-1".into(),
            text: "امروز هوا آفتابی است".into(),
            speech_ms: None,
        })
        .expect("challenge");
    journey.advance().expect("video done");
    journey
        .submit_form(
            &values(&[("contact-kind", "landline"), ("landline", "02188776655")]),
            today(),
        )
        .await
        .expect("contact");
    assert_eq!(journey.view().position.as_deref(), Some("review"));
    journey.advance().expect("reviewed");
    assert_eq!(journey.view().position, None);

    let mut heard = Vec::new();
    let status = journey
        .submit("test", &receipts, &mut |p| heard.push(p))
        .await
        .expect("submitted");
    assert_eq!(status.status, "pending");
    let last = heard.last().expect("progress");
    assert_eq!(last.all_sent, last.all_total);
    assert_eq!(last.all_total, (video.len() + sound.len()) as u64);
    let view = journey.view();
    assert!(view.submitted && !view.can_go_back);
    assert_eq!(
        journey.back().expect_err("sent").code(),
        "already_submitted"
    );
    // Nothing of the person is left but the session, and the status can still be read.
    assert_eq!(std::fs::read_dir(&dir).expect("outbox").count(), 0);
    drop(journey);
    let journey = Journey::resume(&client, &outbox, &receipts)
        .expect("reads")
        .expect("the submitted journey");
    assert!(journey.view().submitted);
    assert!(journey.view().answers.is_empty());
    assert_eq!(journey.status().await.expect("status").status, "pending");
    journey.start_over().expect("forget it");
    assert!(
        Journey::resume(&client, &outbox, &receipts)
            .expect("reads")
            .is_none()
    );
}
