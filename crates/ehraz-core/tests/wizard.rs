//! Walking a person through both flows: guards, branches, going back, resuming.

use std::collections::BTreeMap;

use ehraz_core::wizard::Position;
use ehraz_core::*;

fn today() -> JalaliDate {
    JalaliDate::new(1405, 9, 2).expect("a real day")
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn artifact(media_type: MediaType, fill: u8) -> Artifact {
    Artifact {
        media_type,
        sha256: Sha256Digest::from_bytes([fill; 32]),
        size: 1000 + u64::from(fill),
    }
}

fn current_id(w: &Wizard) -> &str {
    w.current().map_or("<finished>", Step::id)
}

fn sejam() -> Wizard {
    Wizard::new(Flow::bundled("sejam").expect("flow")).expect("wizard")
}

/// Takes the sejam wizard through its first five steps.
fn sejam_to_selfie() -> Wizard {
    let mut w = sejam();
    w.submit_form(&values(&[("mobile", "۰۹۱۲ ۱۲۳ ۴۵۶۷")]), today())
        .expect("mobile");
    w.complete_code("sms-receipt-1").expect("mobile code");
    w.submit_form(
        &values(&[
            ("national-code", "0499370899"),
            ("sejam-tracking-code", "1234567890"),
        ]),
        today(),
    )
    .expect("identity");
    w.complete_code("sejam-receipt-1").expect("sejam code");
    w.submit_form(
        &values(&[
            ("card-document", "smart-card"),
            ("card-serial", "1g23456789"),
        ]),
        today(),
    )
    .expect("card");
    w
}

/// Past sejam's review, then every commitment accepted.
fn review_and_commit(w: &mut Wizard) {
    w.advance().expect("reviewed");
    let consents = values(&[
        ("commit-truthful", "true"),
        ("commit-own-identity", "true"),
        ("commit-media-processing", "true"),
    ]);
    w.submit_form(&consents, today()).expect("commitments");
}

fn capture_photo(w: &mut Wizard, fill: u8) {
    w.attach(artifact(MediaType::ImageJpeg, fill))
        .expect("photo attaches");
    w.advance().expect("photo step done");
}

#[test]
fn a_person_completes_the_sejam_flow_and_gets_a_manifest() {
    let mut w = sejam_to_selfie();
    assert_eq!(current_id(&w), "selfie");
    capture_photo(&mut w, 1);
    capture_photo(&mut w, 2);
    assert_eq!(current_id(&w), "selfie-video");
    w.attach(artifact(MediaType::VideoMp4, 3)).expect("video");
    w.attach(artifact(MediaType::AudioWav, 4)).expect("sound");
    w.record_challenge(Challenge::Digits {
        digits: vec![7, 2, 9],
        shown_at_ms: Vec::new(),
    })
    .expect("challenge");
    w.advance().expect("video done");
    assert_eq!(current_id(&w), "review");
    review_and_commit(&mut w);
    assert!(w.is_finished());

    let manifest = w.manifest("0.1.0").expect("manifest");
    assert_eq!(
        (manifest.flow_id.as_str(), manifest.flow_version),
        ("sejam", 1)
    );
    assert_eq!(manifest.answers["mobile"], "09121234567");
    assert_eq!(manifest.answers["card-serial"], "1G23456789");
    assert!(!manifest.answers.contains_key("card-receipt-code"));
    assert_eq!(manifest.verifications["mobile-code"], "sms-receipt-1");
    assert_eq!(manifest.verifications["sejam-code"], "sejam-receipt-1");
    assert_eq!(manifest.artifacts.len(), 4);
    assert_eq!(
        manifest.challenges["selfie-video"],
        Challenge::Digits {
            digits: vec![7, 2, 9],
            shown_at_ms: Vec::new()
        }
    );
    let json = serde_json::to_value(&manifest).expect("json");
    assert_eq!(json["artifacts"][0]["media_type"], "image/jpeg");
    assert_eq!(json["artifacts"][0]["sha256"], "01".repeat(32));
}

#[test]
fn invalid_answers_are_all_reported_and_nothing_is_stored() {
    let mut w = sejam();
    w.submit_form(&values(&[("mobile", "09121234567")]), today())
        .expect("mobile");
    w.complete_code("r").expect("code");
    let err = w
        .submit_form(
            &values(&[
                ("national-code", "0499370898"),
                ("sejam-tracking-code", "12"),
            ]),
            today(),
        )
        .expect_err("both refused");
    let SubmitError::Fields(issues) = err else {
        panic!("field issues expected")
    };
    let ids: Vec<_> = issues
        .iter()
        .map(|i| (i.field.as_str(), i.error.message_id()))
        .collect();
    assert_eq!(
        ids,
        [
            ("national-code", "national-code-checksum"),
            ("sejam-tracking-code", "sejam-tracking-code-length")
        ]
    );
    assert_eq!(current_id(&w), "identity");
    assert_eq!(w.answer("national-code"), None);
}

#[test]
fn a_code_step_is_left_only_with_the_backends_receipt() {
    let mut w = sejam();
    w.submit_form(&values(&[("mobile", "09121234567")]), today())
        .expect("mobile");
    assert_eq!(w.advance(), Err(WizardError::NotVerified));
    assert_eq!(w.complete_code("  "), Err(WizardError::EmptyReceipt));
    let refused = w.check_code("12345").expect_err("six digits expected");
    assert!(
        matches!(refused, SubmitError::Fields(ref i) if i[0].error.message_id() == "one-time-code-length")
    );
    assert_eq!(
        w.check_code("۱۲۳۴۵۶").map(|c| c.as_str().to_owned()),
        Ok("123456".to_owned())
    );
    w.complete_code("receipt").expect("verified");
    assert_eq!(current_id(&w), "identity");
}

#[test]
fn changing_the_mobile_number_voids_its_code() {
    let mut w = sejam();
    w.submit_form(&values(&[("mobile", "09121234567")]), today())
        .expect("mobile");
    w.complete_code("receipt").expect("verified");
    w.back().expect("back to the code");
    w.back().expect("back to the mobile");
    w.submit_form(&values(&[("mobile", "09351234567")]), today())
        .expect("new mobile");
    assert_eq!(current_id(&w), "mobile-code");
    assert_eq!(w.advance(), Err(WizardError::NotVerified));
    // The same number again keeps the proof.
    let mut same = sejam();
    same.submit_form(&values(&[("mobile", "09121234567")]), today())
        .expect("mobile");
    same.complete_code("receipt").expect("verified");
    same.go_to("mobile").expect("back");
    same.submit_form(&values(&[("mobile", "+989121234567")]), today())
        .expect("same mobile");
    same.advance().expect("still verified");
}

#[test]
fn a_capture_step_is_done_only_when_its_files_and_challenge_exist() {
    let mut w = sejam_to_selfie();
    assert_eq!(w.advance(), Err(WizardError::MissingArtifact));
    assert_eq!(
        w.attach(artifact(MediaType::VideoMp4, 1)),
        Err(WizardError::MediaType)
    );
    assert_eq!(
        w.record_challenge(Challenge::Digits {
            digits: vec![1, 2, 3],
            shown_at_ms: Vec::new()
        }),
        Err(WizardError::ChallengeMismatch)
    );
    assert!(w.captured_steps().is_empty());
    capture_photo(&mut w, 1);
    assert_eq!(w.captured_steps(), ["selfie"]);
    capture_photo(&mut w, 2);
    w.attach(artifact(MediaType::VideoMp4, 3)).expect("video");
    assert_eq!(
        w.advance(),
        Err(WizardError::MissingArtifact),
        "the WAV is missing"
    );
    assert_eq!(w.captured_steps(), ["selfie", "signature"], "no sound yet");
    w.attach(artifact(MediaType::AudioWav, 4)).expect("sound");
    assert_eq!(w.captured_steps(), ["selfie", "signature", "selfie-video"]);
    assert_eq!(w.advance(), Err(WizardError::MissingChallenge));
    let sentence = Challenge::Sentence {
        sentence_id: "s1".into(),
        text: "...".into(),
        speech_ms: None,
    };
    assert_eq!(
        w.record_challenge(sentence),
        Err(WizardError::ChallengeMismatch)
    );
    assert_eq!(
        w.record_challenge(Challenge::Digits {
            digits: vec![1, 12, 3],
            shown_at_ms: Vec::new()
        }),
        Err(WizardError::ChallengeMismatch)
    );
    w.record_challenge(Challenge::Digits {
        digits: vec![1, 2, 3],
        shown_at_ms: Vec::new(),
    })
    .expect("digits");
    w.advance().expect("done");
}

#[test]
fn a_retake_replaces_the_earlier_photo() {
    let mut w = sejam_to_selfie();
    w.attach(artifact(MediaType::ImageJpeg, 1)).expect("first");
    w.attach(artifact(MediaType::ImageJpeg, 9)).expect("retake");
    w.advance().expect("done");
    let saved: serde_json::Value = serde_json::from_str(&w.to_json()).expect("json");
    let selfie = &saved["artifacts"]["selfie"];
    assert_eq!(selfie.as_object().map(|o| o.len()), Some(1));
    assert_eq!(selfie["image/jpeg"]["sha256"], "09".repeat(32));
}

#[test]
fn the_card_step_asks_the_serial_or_the_receipt_code_not_both() {
    let mut w = sejam_to_selfie();
    w.go_to("card").expect("back to card");
    let receipt = values(&[
        ("card-document", "receipt"),
        ("card-receipt-code", "123456789012"),
        ("card-serial", "junk"),
    ]);
    w.submit_form(&receipt, today())
        .expect("receipt accepted, serial not asked");
    assert_eq!(w.answer("card-serial"), None);
    assert_eq!(w.answer("card-receipt-code"), Some("123456789012"));
    w.go_to("card").expect("back again");
    let Err(SubmitError::Fields(issues)) =
        w.submit_form(&values(&[("card-document", "receipt")]), today())
    else {
        panic!("receipt code missing")
    };
    assert_eq!(issues[0].field, "card-receipt-code");
    assert_eq!(issues[0].error.message_id(), "card-receipt-code-empty");
    let Err(SubmitError::Fields(issues)) =
        w.submit_form(&values(&[("card-document", "passport")]), today())
    else {
        panic!("unknown option")
    };
    assert_eq!(issues[0].error.message_id(), "choice-unknown");
}

fn exchange_to_method() -> Wizard {
    let mut w = Wizard::new(Flow::bundled("exchange").expect("flow")).expect("wizard");
    let basic = values(&[
        ("national-code", "0790419904"),
        ("mobile", "9351234567"),
        ("birth-date", "۱۳۷۵/۰۶/۳۱"),
    ]);
    w.submit_form(&basic, today()).expect("basic");
    w.complete_code("receipt").expect("code");
    w
}

#[test]
fn the_exchange_video_branch_skips_every_document_step() {
    let mut w = exchange_to_method();
    assert_eq!(
        w.progress(),
        Progress {
            number: 3,
            total: 11
        }
    );
    w.submit_form(&values(&[("method", "video")]), today())
        .expect("method");
    assert_eq!(current_id(&w), "video");
    assert_eq!(
        w.progress(),
        Progress {
            number: 4,
            total: 6
        }
    );
    w.attach(artifact(MediaType::VideoMp4, 1)).expect("video");
    w.attach(artifact(MediaType::AudioWav, 2)).expect("sound");
    w.record_challenge(Challenge::Sentence {
        sentence_id: "fa-07".into(),
        text: "امروز هوا آفتابی است".into(),
        speech_ms: None,
    })
    .expect("sentence");
    w.advance().expect("video done");
    assert_eq!(current_id(&w), "contact");
    let address = values(&[
        ("contact-kind", "address"),
        ("address", "اصفهان، خیابان چهارباغ، کوچه ۵، پلاک ۲"),
        ("postal-code", "8173616951"),
    ]);
    w.submit_form(&address, today()).expect("contact");
    w.advance().expect("reviewed");
    let manifest = w.manifest("0.1.0").expect("manifest");
    assert_eq!(manifest.answers["birth-date"], "1375/06/31");
    assert_eq!(manifest.answers["postal-code"], "8173616951");
    assert!(!manifest.answers.contains_key("landline"));
    assert_eq!(manifest.artifacts.len(), 2);
}

#[test]
fn the_exchange_documents_branch_asks_for_every_document() {
    let mut w = exchange_to_method();
    w.submit_form(&values(&[("method", "documents")]), today())
        .expect("method");
    capture_photo(&mut w, 1);
    w.submit_form(
        &values(&[("identity-document", "birth-certificate")]),
        today(),
    )
    .expect("document kind");
    capture_photo(&mut w, 2);
    let Err(SubmitError::Fields(issues)) =
        w.submit_form(&values(&[("bank-card", "6037991234567894")]), today())
    else {
        panic!("bad card number")
    };
    assert_eq!(issues[0].error.message_id(), "bank-card-checksum");
    w.submit_form(&values(&[("bank-card", "6037-9912-3456-7893")]), today())
        .expect("bank card");
    capture_photo(&mut w, 3);
    capture_photo(&mut w, 4);
    w.submit_form(
        &values(&[("contact-kind", "landline"), ("landline", "021 8877 6655")]),
        today(),
    )
    .expect("contact");
    assert_eq!(current_id(&w), "review");
    w.advance().expect("reviewed");
    let manifest = w.manifest("0.1.0").expect("manifest");
    assert_eq!(manifest.answers["landline"], "02188776655");
    assert_eq!(manifest.answers["bank-card"], "6037991234567893");
    let steps: Vec<_> = manifest.artifacts.iter().map(|a| a.step.as_str()).collect();
    assert_eq!(
        steps,
        [
            "commitment-letter",
            "identity-document-photo",
            "bank-card-photo",
            "selfie-with-documents"
        ]
    );
}

#[test]
fn switching_branch_from_the_review_leaves_the_old_branch_out_of_the_manifest() {
    let mut w = exchange_to_method();
    w.submit_form(&values(&[("method", "documents")]), today())
        .expect("method");
    capture_photo(&mut w, 1);
    w.go_to("method").expect("back to method");
    w.submit_form(&values(&[("method", "video")]), today())
        .expect("switch");
    assert_eq!(current_id(&w), "video");
    assert_eq!(w.advance(), Err(WizardError::MissingArtifact));
    w.attach(artifact(MediaType::VideoMp4, 5)).expect("video");
    w.attach(artifact(MediaType::AudioWav, 6)).expect("sound");
    w.record_challenge(Challenge::Sentence {
        sentence_id: "fa-01".into(),
        text: "جمله".into(),
        speech_ms: None,
    })
    .expect("sentence");
    w.advance().expect("done");
    w.submit_form(
        &values(&[("contact-kind", "landline"), ("landline", "02188776655")]),
        today(),
    )
    .expect("contact");
    w.advance().expect("review");
    let manifest = w.manifest("0.1.0").expect("manifest");
    assert!(manifest.artifacts.iter().all(|a| a.step == "video"));
}

#[test]
fn moves_outside_the_flow_are_refused() {
    let mut w = sejam();
    assert_eq!(w.back(), Err(WizardError::AtFirstStep));
    assert_eq!(w.go_to("selfie"), Err(WizardError::NotReached));
    assert_eq!(w.go_to("passport"), Err(WizardError::UnknownStep));
    assert_eq!(w.complete_code("r"), Err(WizardError::WrongStep));
    assert_eq!(
        w.attach(artifact(MediaType::ImageJpeg, 1)),
        Err(WizardError::WrongStep)
    );
    assert_eq!(w.advance(), Err(WizardError::FieldsMissing));
    assert_eq!(w.manifest("0.1.0"), Err(WizardError::NotFinished));
}

#[test]
fn underage_people_cannot_pass_the_exchange_basic_step() {
    let mut w = Wizard::new(Flow::bundled("exchange").expect("flow")).expect("wizard");
    let basic = values(&[
        ("national-code", "0790419904"),
        ("mobile", "09351234567"),
        ("birth-date", "1390/01/01"),
    ]);
    let Err(SubmitError::Fields(issues)) = w.submit_form(&basic, today()) else {
        panic!("underage")
    };
    assert_eq!(issues[0].error.message_id(), "birth-date-underage");
}

#[test]
fn an_interrupted_session_resumes_exactly_where_it_was() {
    let mut w = sejam_to_selfie();
    w.attach(artifact(MediaType::ImageJpeg, 1)).expect("photo");
    let restored = Wizard::from_json(&w.to_json()).expect("restores");
    assert_eq!(restored, w);
    assert_eq!(restored.position(), Position::Step(5));
    assert_eq!(
        restored.progress(),
        Progress {
            number: 6,
            total: 10
        }
    );
}

#[test]
fn a_damaged_or_tampered_saved_state_is_refused() {
    let w = sejam_to_selfie();
    let json = w.to_json();
    assert!(matches!(
        Wizard::from_json(&json[..json.len() / 2]),
        Err(wizard::RestoreError::Malformed(_))
    ));
    let mut value: serde_json::Value = serde_json::from_str(&json).expect("json");
    value["position"] = serde_json::json!({ "step": 99 });
    let err = Wizard::from_json(&value.to_string()).expect_err("position out of range");
    assert!(matches!(err, wizard::RestoreError::Inconsistent(_)));
    assert_eq!(err.message_id(), "wizard-restore-failed");
    let mut value: serde_json::Value = serde_json::from_str(&json).expect("json");
    value["answers"]["passport"] = "X".into();
    assert!(Wizard::from_json(&value.to_string()).is_err());
}

#[test]
fn the_exchange_video_takes_its_alternative_challenge_but_no_other() {
    let mut w = exchange_to_method();
    w.submit_form(&values(&[("method", "video")]), today())
        .expect("method");
    assert!(
        w.current()
            .expect("video")
            .accepts_challenge(ChallengeKind::Digits)
    );
    w.attach(artifact(MediaType::VideoMp4, 1)).expect("video");
    w.attach(artifact(MediaType::AudioWav, 2)).expect("sound");
    let timed = |shown_at_ms: Vec<u32>| Challenge::Digits {
        digits: vec![2, 4, 1, 3],
        shown_at_ms,
    };
    assert_eq!(
        w.record_challenge(timed(vec![1000, 3500, 3500, 8500])),
        Err(WizardError::ChallengeMismatch),
        "times must rise"
    );
    assert_eq!(
        w.record_challenge(timed(vec![1000, 3500])),
        Err(WizardError::ChallengeMismatch),
        "one time per digit"
    );
    w.record_challenge(timed(vec![1000, 3500, 6000, 8500]))
        .expect("the alternative is taken");
    w.advance().expect("video done with digits");
    let mut photo = sejam_to_selfie();
    assert!(
        !photo
            .current()
            .expect("selfie")
            .accepts_challenge(ChallengeKind::Digits)
    );
    assert_eq!(
        photo.record_challenge(timed(Vec::new())),
        Err(WizardError::ChallengeMismatch)
    );
    let sentence = Challenge::Sentence {
        sentence_id: "challenge-sentence-1".into(),
        text: "جمله".into(),
        speech_ms: Some(1800),
    };
    photo
        .attach(artifact(MediaType::ImageJpeg, 1))
        .expect("selfie");
    photo.advance().expect("selfie");
    photo
        .attach(artifact(MediaType::ImageJpeg, 2))
        .expect("signature");
    photo.advance().expect("signature");
    assert_eq!(current_id(&photo), "selfie-video");
    assert_eq!(
        photo.record_challenge(sentence),
        Err(WizardError::ChallengeMismatch),
        "sejam's video has digits and no alternative"
    );
}

#[test]
fn the_guidance_checks_of_each_capture_go_into_the_manifest() {
    let checks = |trigger, face: &str| CaptureChecks {
        trigger,
        results: values(&[("exposure", "pass"), ("face", face)]),
        recording: None,
    };
    let mut w = sejam_to_selfie();
    assert_eq!(
        w.record_checks(CaptureChecks {
            results: values(&[("Face!", "pass")]),
            ..checks(CaptureTrigger::Auto, "pass")
        }),
        Err(WizardError::ChecksMalformed)
    );
    w.record_checks(checks(CaptureTrigger::Shutter, "face-too-small"))
        .expect("a first take");
    w.record_checks(checks(CaptureTrigger::Auto, "pass"))
        .expect("the retake replaces it");
    capture_photo(&mut w, 1);
    capture_photo(&mut w, 2);
    w.attach(artifact(MediaType::VideoMp4, 3)).expect("video");
    w.attach(artifact(MediaType::AudioWav, 4)).expect("sound");
    let recording = RecordingChecks {
        frames: 150,
        failures: [("moving".to_owned(), 12)].into(),
    };
    assert_eq!(
        w.record_checks(CaptureChecks {
            recording: Some(RecordingChecks {
                frames: 10,
                ..recording.clone()
            }),
            ..checks(CaptureTrigger::Shutter, "pass")
        }),
        Err(WizardError::ChecksMalformed),
        "more failures than frames"
    );
    w.record_checks(CaptureChecks {
        recording: Some(recording.clone()),
        ..checks(CaptureTrigger::Shutter, "pass")
    })
    .expect("video checks");
    w.record_challenge(Challenge::Digits {
        digits: vec![1, 2, 3, 4],
        shown_at_ms: vec![1000, 3500, 6000, 8500],
    })
    .expect("digits");
    w.advance().expect("video done");
    review_and_commit(&mut w);
    let restored = Wizard::from_json(&w.to_json()).expect("restores");
    let manifest = restored.manifest("test").expect("finished");
    assert_eq!(manifest.checks.len(), 2, "{:?}", manifest.checks);
    assert_eq!(
        manifest.checks["selfie"],
        checks(CaptureTrigger::Auto, "pass")
    );
    assert_eq!(
        manifest.checks["selfie-video"].recording.as_ref(),
        Some(&recording)
    );
    let json = serde_json::to_value(&manifest).expect("json");
    assert_eq!(json["checks"]["selfie"]["trigger"], "auto");
    assert_eq!(
        json["challenges"]["selfie-video"]["shown_at_ms"],
        serde_json::json!([1000, 3500, 6000, 8500])
    );
}
