//! Loading flows: the bundled ones, and ones a backend serves, good and bad.

use ehraz_core::flow::{FieldKind, SCHEMA};
use ehraz_core::{CaptureKind, ChallengeKind, Flow, FlowError, Message, Step};

#[test]
fn both_bundled_flows_load_and_pass_their_checks() {
    let ids: Vec<_> = Flow::bundled_ids().collect();
    assert_eq!(ids, ["sejam", "exchange"]);
    for id in ids {
        let flow = Flow::bundled(id).expect("bundled flow");
        assert_eq!(flow.id, id);
        assert_eq!(flow.schema, SCHEMA);
    }
}

#[test]
fn the_sejam_flow_has_the_ten_steps_of_the_design_in_order() {
    let flow = Flow::bundled("sejam").expect("bundled flow");
    let ids: Vec<_> = flow.steps.iter().map(Step::id).collect();
    assert_eq!(
        ids,
        [
            "mobile",
            "mobile-code",
            "identity",
            "sejam-code",
            "card",
            "selfie",
            "signature",
            "selfie-video",
            "review",
            "commitments"
        ]
    );
    let Some(Step::Capture {
        capture,
        challenge,
        duration_seconds,
        ..
    }) = flow.step("selfie-video")
    else {
        panic!("selfie-video is a capture step");
    };
    assert_eq!(*capture, CaptureKind::SelfieVideo);
    assert_eq!(*challenge, Some(ChallengeKind::Digits));
    assert!(duration_seconds.is_some_and(|d| d.min == 5 && d.max == 20));
}

#[test]
fn the_exchange_flow_branches_on_method_and_contact() {
    let flow = Flow::bundled("exchange").expect("bundled flow");
    let method = |id: &str| flow.step(id).and_then(Step::when).map(|c| c.equals.clone());
    assert_eq!(
        method("identity-document-photo").as_deref(),
        Some("documents")
    );
    assert_eq!(method("video").as_deref(), Some("video"));
    let contact = flow.step("contact").expect("contact step");
    let kinds: Vec<FieldKind> = contact.fields().iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FieldKind::Choice,
            FieldKind::Landline,
            FieldKind::Address,
            FieldKind::PostalCode
        ]
    );
}

#[test]
fn a_flow_served_as_json_round_trips() {
    let flow = Flow::bundled("exchange").expect("bundled flow");
    let json = serde_json::to_string(&flow).expect("serialises");
    assert_eq!(Flow::from_json(&json), Ok(flow));
}

#[test]
fn an_unknown_bundled_flow_is_refused_by_name() {
    let err = Flow::bundled("bank").expect_err("no such flow");
    assert_eq!(err, FlowError::Unknown("bank".into()));
    assert_eq!(err.message_id(), "flow-unknown");
}

/// A change made to a served flow document.
type Mutation = fn(&mut serde_json::Value);

fn served(mutate: impl FnOnce(&mut serde_json::Value)) -> Result<Flow, FlowError> {
    let flow = Flow::bundled("sejam").expect("bundled flow");
    let mut json = serde_json::to_value(&flow).expect("serialises");
    mutate(&mut json);
    Flow::from_json(&json.to_string())
}

fn malformed_at(result: Result<Flow, FlowError>) -> String {
    match result {
        Err(FlowError::Malformed { path, reason }) => format!("{path}: {reason}"),
        other => panic!("expected a malformed flow, got {other:?}"),
    }
}

#[test]
fn an_unknown_step_kind_is_refused_with_its_place_in_the_document() {
    let at = malformed_at(served(|j| j["steps"][3]["kind"] = "retina-scan".into()));
    assert!(
        at.starts_with("steps[3].kind: unknown variant `retina-scan`"),
        "{at}"
    );
}

#[test]
fn an_unknown_key_or_capture_or_rule_is_refused() {
    // Inside a step the parser knows the step, and the reason names the offending value.
    let cases: [(Mutation, &str); 4] = [
        (
            |j| j["colour"] = "red".into(),
            "colour: unknown field `colour`",
        ),
        (
            |j| j["steps"][5]["capture"] = "x-ray".into(),
            "steps[5]: unknown variant `x-ray`",
        ),
        (
            |j| j["steps"][6]["rules"][0] = "smile".into(),
            "steps[6]: unknown variant `smile`",
        ),
        (
            |j| j["steps"][1]["code_length"] = 9.into(),
            "steps[1]: a one-time code has four to six digits, not 9",
        ),
    ];
    for (mutate, expected) in cases {
        let at = malformed_at(served(mutate));
        assert!(at.starts_with(expected), "{at}");
    }
}

#[test]
fn garbage_and_trailing_data_are_refused() {
    assert!(matches!(
        Flow::from_json("<html>502 Bad Gateway</html>"),
        Err(FlowError::Malformed { .. })
    ));
    assert!(matches!(
        Flow::from_json(""),
        Err(FlowError::Malformed { .. })
    ));
    let json = serde_json::to_string(&Flow::bundled("sejam").expect("flow")).expect("json");
    assert!(matches!(
        Flow::from_json(&format!("{json} {{}}")),
        Err(FlowError::Malformed { .. })
    ));
    assert!(matches!(
        Flow::from_toml("schema = ["),
        Err(FlowError::Malformed { .. })
    ));
}

#[test]
fn a_newer_schema_is_refused() {
    assert_eq!(
        served(|j| j["schema"] = 2.into()),
        Err(FlowError::UnsupportedSchema(2))
    );
}

fn inconsistent(result: Result<Flow, FlowError>) -> String {
    match result {
        Err(e @ FlowError::Inconsistent(_)) => {
            assert_eq!(e.message_id(), "flow-invalid");
            e.to_string()
        }
        other => panic!("expected an inconsistent flow, got {other:?}"),
    }
}

#[test]
fn inconsistent_flows_are_refused_with_the_reason() {
    let twice = inconsistent(served(|j| j["steps"][2]["id"] = "mobile".into()));
    assert!(twice.contains("used twice"), "{twice}");
    let proves = inconsistent(served(|j| j["steps"][1]["verifies"][0] = "passport".into()));
    assert!(proves.contains("passport"), "{proves}");
    let condition = inconsistent(served(|j| {
        j["steps"][4]["fields"][1]["when"]["equals"] = "passport".into();
    }));
    assert!(
        condition.contains("card-document = passport"),
        "{condition}"
    );
    let later = inconsistent(served(|j| {
        j["steps"][0]["when"] = serde_json::json!({"field": "card-document", "equals": "receipt"});
    }));
    assert!(later.contains("no earlier choice"), "{later}");
    let duration = inconsistent(served(|j| {
        j["steps"][7]["duration_seconds"]["min"] = 30.into();
    }));
    assert!(duration.contains("video step"), "{duration}");
    let no_rules = inconsistent(served(|j| j["steps"][5]["rules"] = serde_json::json!([])));
    assert!(no_rules.contains("no rules"), "{no_rules}");
    let consent = inconsistent(served(|j| {
        j["steps"][0]["fields"][0]["kind"] = "consent".into();
    }));
    assert!(consent.contains("consent"), "{consent}");
    let same = inconsistent(served(|j| {
        j["steps"][7]["alternative_challenge"] = "digits".into();
    }));
    assert!(same.contains("alternative challenge"), "{same}");
    let photo = inconsistent(served(|j| {
        j["steps"][5]["alternative_challenge"] = "digits".into();
    }));
    assert!(photo.contains("alternative challenge"), "{photo}");
    served(|j| j["steps"][7]["alternative_challenge"] = "sentence".into())
        .expect("another kind is a fine alternative");
    let empty = inconsistent(served(|j| j["steps"] = serde_json::json!([])));
    assert!(empty.contains("at least one step"), "{empty}");
}

#[test]
fn every_bundled_flow_names_its_messages() {
    let flow = Flow::bundled("exchange").expect("flow");
    let ids = flow.message_ids();
    for expected in [
        "step-contact",
        "field-postal-code",
        "option-method-video",
        "option-contact-kind-address",
    ] {
        assert!(ids.iter().any(|i| i == expected), "{expected}");
    }
}
