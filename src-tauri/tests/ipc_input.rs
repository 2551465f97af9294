//! Hostile input through IPC, as a compromised page could send it: every command that
//! takes something from the page is sent huge strings, unknown ids, path-like values,
//! numbers out of range, values of the wrong kind and what JavaScript's `NaN` and
//! `Infinity` become on the wire (`null`). Each call must be refused — by the command, as
//! a `{code, detail}` with a bounded detail, or before the command runs, by Tauri's own
//! argument check, as a message naming the argument — and nothing must change: the
//! journey under way, its files, and the backend's count of wrong codes.

mod files;
mod shell;

use std::collections::BTreeMap;
use std::path::Path;

use ehraz_app::error::MAX_DETAIL_CHARS;
use files::files_under;
use serde_json::{Value, json};
use shell::{Backend, Shell, temp_dir};

/// What a refusal was.
#[derive(Debug)]
enum Refusal {
    /// Our `{code, detail}`.
    Typed { code: String },
    /// Tauri refused the arguments before the command ran.
    Arguments,
}

/// Sends `args` to `command`, which must refuse them; panics (failing the test) on
/// success, on an untyped refusal from the command itself, or on an unbounded detail.
fn refuse(shell: &Shell, command: &str, args: &Value) -> Refusal {
    let answer = shell.call(command, args.clone());
    let shown = |v: &Value| {
        let text = v.to_string();
        text.chars().take(200).collect::<String>()
    };
    match answer {
        Ok(v) => panic!("{command} accepted {}: {}", shown(args), shown(&v)),
        Err(Value::Object(error)) => {
            let code = error
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{command}: an error without a code: {error:?}"));
            let detail = error
                .get("detail")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{command}: an error without a detail: {error:?}"));
            assert!(!code.is_empty(), "{command}: an empty code");
            assert!(
                detail.chars().count() <= MAX_DETAIL_CHARS + 1,
                "{command}: a detail of {} characters",
                detail.chars().count()
            );
            Refusal::Typed {
                code: code.to_owned(),
            }
        }
        Err(Value::String(message)) => {
            assert!(
                message.starts_with("invalid args `")
                    && message.contains(&format!("for command `{command}`"))
                    || message.contains("missing required key")
                    || message.starts_with("invalid channel value"),
                "{command}: {} refused with an untyped message: {}",
                shown(args),
                shown(&Value::String(message))
            );
            Refusal::Arguments
        }
        Err(other) => panic!("{command}: refused with {}", shown(&other)),
    }
}

/// `refuse`, with a typed refusal whose code is one of `codes`.
fn refuse_with(shell: &Shell, command: &str, args: &Value, codes: &[&str]) {
    match refuse(shell, command, args) {
        Refusal::Typed { code } => assert!(
            codes.contains(&code.as_str()),
            "{command}: code {code}, not one of {codes:?}, for {}",
            args.to_string().chars().take(200).collect::<String>()
        ),
        Refusal::Arguments => panic!("{command}: {args} refused by Tauri, not by the command"),
    }
}

/// `refuse`, before the command ran.
fn refuse_arguments(shell: &Shell, command: &str, args: &Value) {
    match refuse(shell, command, args) {
        Refusal::Arguments => {}
        Refusal::Typed { code } => panic!("{command}: {args} reached the command ({code})"),
    }
}

/// Strings no field, id or code of ours should accept.
fn hostile_strings() -> Vec<String> {
    vec![
        String::new(),
        " ".into(),
        "\0".into(),
        "\u{202e}7654321219".into(),
        "\u{feff}".into(),
        "../../../../etc/passwd".into(),
        "..\\..\\Windows\\System32\\config\\SAM".into(),
        "/dev/video0".into(),
        "file:///etc/passwd".into(),
        "https://evil.example/".into(),
        "NaN".into(),
        "Infinity".into(),
        "-1".into(),
        "1e309".into(),
        "0x1F".into(),
        "<script>alert(1)</script>".into(),
        "' OR 1=1 --".into(),
        "%00%2e%2e%2f".into(),
        "__proto__".into(),
        "👍".repeat(1000),
        "9".repeat(1 << 20),
        "۹".repeat(1 << 18),
        "a".repeat(4 << 20),
    ]
}

/// Values of every JSON kind but a string.
fn not_strings() -> Vec<Value> {
    vec![
        json!(null),
        json!(5),
        json!(-1),
        json!(1.5),
        json!(true),
        json!([]),
        json!(["sejam"]),
        json!({}),
        json!({ "a": 1 }),
    ]
}

/// Values no `u32` argument takes: negative, past `u32::MAX`, fractional, of another
/// kind, and `null` (what `NaN` and `Infinity` become in JSON).
fn not_u32() -> Vec<Value> {
    vec![
        json!(null),
        json!(-1),
        json!(-2_147_483_648_i64),
        json!(4_294_967_296_u64),
        json!(u64::MAX),
        json!(1.5),
        json!(1e300),
        json!("10"),
        json!(true),
        json!([1]),
        json!({}),
    ]
}

/// The files under `dir`, with their sizes (contents change on every save: fresh nonces).
fn files(dir: &Path) -> BTreeMap<String, u64> {
    files_under(dir)
        .into_iter()
        .map(|path| {
            let size = std::fs::metadata(&path).map_or(0, |m| m.len());
            (path.display().to_string(), size)
        })
        .collect()
}

/// What must not change: the journey as the page sees it, and the files it keeps.
fn snapshot(shell: &Shell, data: &Path) -> (Value, BTreeMap<String, u64>) {
    (shell.ok("wizard_resume", json!({})), files(data))
}

#[test]
fn with_no_journey_under_way_hostile_input_is_refused() {
    let data = temp_dir("no-journey");
    let shell = Shell::open("http://127.0.0.1:9/", &data);
    let before = snapshot(&shell, &data);
    assert_eq!(before.0, Value::Null);

    for flow in hostile_strings()
        .into_iter()
        .chain(["SEJAM", "sejam ", "sejam\0", "exchange/../sejam"].map(String::from))
    {
        refuse_with(
            &shell,
            "wizard_start",
            &json!({ "flow": flow }),
            &["flow-unknown"],
        );
    }
    for flow in not_strings() {
        refuse_arguments(&shell, "wizard_start", &json!({ "flow": flow }));
    }
    refuse_arguments(&shell, "wizard_start", &json!({}));

    for text in hostile_strings() {
        refuse_with(
            &shell,
            "wizard_go_to",
            &json!({ "step": text }),
            &["no_session"],
        );
        refuse_with(
            &shell,
            "code_verify",
            &json!({ "code": text }),
            &["no_session"],
        );
        refuse_with(
            &shell,
            "wizard_submit_form",
            &json!({ "values": { "mobile": text } }),
            &["no_session"],
        );
    }
    for command in [
        "wizard_advance",
        "wizard_back",
        "code_send",
        "capture_accept",
    ] {
        refuse_with(
            &shell,
            command,
            &json!({}),
            &["no_session", "nothing_to_review"],
        );
    }
    refuse_with(&shell, "submission_status", &json!({}), &["no_session"]);
    refuse_with(
        &shell,
        "submission_send",
        &json!({ "onProgress": "__CHANNEL__:7" }),
        &["no_session"],
    );
    for channel in [
        json!("not a channel"),
        json!("__CHANNEL__:-1"),
        json!(7),
        json!(null),
    ] {
        refuse_arguments(&shell, "submission_send", &json!({ "onProgress": channel }));
    }
    for kind in [json!("digits"), json!("sentence"), json!(null)] {
        refuse_with(
            &shell,
            "challenge_draw",
            &json!({ "kind": kind }),
            &["no_session"],
        );
    }
    assert_eq!(snapshot(&shell, &data), before);
}

#[test]
fn at_a_form_step_hostile_answers_ids_and_flows_are_refused_and_change_nothing() {
    let backend = Backend::start();
    let data = temp_dir("form");
    let shell = Shell::open(&backend.url(), &data);
    shell.ok("wizard_start", json!({ "flow": "exchange" }));
    let valid = json!({ "national-code": "0499370899", "mobile": "09121234567", "birth-date": "1370/01/15" });
    let before = snapshot(&shell, &data);
    assert_eq!(before.0["position"], "basic");

    let mut sent = 0;
    for text in hostile_strings() {
        for field in ["national-code", "mobile", "birth-date"] {
            let mut values = valid.clone();
            values[field] = json!(text);
            refuse_with(
                &shell,
                "wizard_submit_form",
                &json!({ "values": values }),
                &["invalid_answers"],
            );
            sent += 1;
        }
        refuse_with(
            &shell,
            "wizard_go_to",
            &json!({ "step": text }),
            &["wizard-unknown-step"],
        );
        // A flow that does not exist is refused before the journey under way is wiped.
        refuse_with(
            &shell,
            "wizard_start",
            &json!({ "flow": text }),
            &["flow-unknown"],
        );
    }
    assert!(sent > 60);
    for date in [
        "99999999999/01/01",
        "1370/13/40",
        "1370/01/15/01",
        "1370/00/00",
        "2024/01/15",
    ] {
        let mut values = valid.clone();
        values["birth-date"] = json!(date);
        refuse_with(
            &shell,
            "wizard_submit_form",
            &json!({ "values": values }),
            &["invalid_answers"],
        );
    }
    // Only the fields of the step count: others, however many and whatever they hold,
    // are not stored.
    let mut crowded = serde_json::Map::new();
    for i in 0..10_000 {
        crowded.insert(format!("extra-{i}"), json!("x".repeat(100)));
    }
    crowded.insert("__proto__".into(), json!("polluted"));
    refuse_with(
        &shell,
        "wizard_submit_form",
        &json!({ "values": crowded }),
        &["invalid_answers"],
    );
    for values in [
        json!("national-code=0499370899"),
        json!([["mobile", "09121234567"]]),
        json!({ "mobile": 9_121_234_567_u64 }),
        json!({ "mobile": null }),
        json!({ "mobile": ["09121234567"] }),
        json!(null),
    ] {
        refuse_arguments(&shell, "wizard_submit_form", &json!({ "values": values }));
    }
    for step in not_strings() {
        refuse_arguments(&shell, "wizard_go_to", &json!({ "step": step }));
    }
    // Steps that exist but were not reached, and commands for other kinds of step.
    for step in ["mobile-code", "method", "contact", "review"] {
        refuse_with(
            &shell,
            "wizard_go_to",
            &json!({ "step": step }),
            &["wizard-not-reached"],
        );
    }
    for command in [
        "code_send",
        "wizard_advance",
        "wizard_back",
        "capture_accept",
    ] {
        refuse_with(
            &shell,
            command,
            &json!({}),
            &[
                "wizard-wrong-step",
                "wizard-fields-missing",
                "wizard-at-first-step",
                "nothing_to_review",
            ],
        );
    }
    refuse_with(
        &shell,
        "code_verify",
        &json!({ "code": "123456" }),
        &["wizard-wrong-step"],
    );
    for kind in [json!("digits"), json!("sentence"), json!(null)] {
        refuse_with(
            &shell,
            "challenge_draw",
            &json!({ "kind": kind }),
            &["wizard-wrong-step"],
        );
    }
    for kind in [json!("voice"), json!(""), json!(0), json!(["digits"])] {
        refuse_arguments(&shell, "challenge_draw", &json!({ "kind": kind }));
    }
    for limit in [json!(0), json!(1), json!(u32::MAX)] {
        refuse_with(
            &shell,
            "recording_start",
            &json!({ "limitSeconds": limit }),
            &["wizard-wrong-step"],
        );
    }
    for limit in not_u32() {
        refuse_arguments(&shell, "recording_start", &json!({ "limitSeconds": limit }));
    }
    refuse_with(
        &shell,
        "submission_send",
        &json!({ "onProgress": "__CHANNEL__:7" }),
        &[
            "wizard-incomplete",
            "wizard-not-finished",
            "wizard-fields-missing",
            "wizard-wrong-step",
        ],
    );
    assert_eq!(snapshot(&shell, &data), before, "nothing changed");

    // The journey still goes on from where it was.
    let view = shell.ok("wizard_submit_form", json!({ "values": valid }));
    assert_eq!(view["position"], "mobile-code");
}

#[test]
fn at_a_code_step_hostile_codes_never_reach_the_backend() {
    let backend = Backend::start();
    let data = temp_dir("code");
    let shell = Shell::open(&backend.url(), &data);
    shell.ok("wizard_start", json!({ "flow": "sejam" }));
    shell.ok(
        "wizard_submit_form",
        json!({ "values": { "mobile": "09121234567" } }),
    );
    shell.ok("code_send", json!({}));
    let before = snapshot(&shell, &data);
    assert_eq!(before.0["position"], "mobile-code");

    let mut hostile = hostile_strings();
    hostile.extend(
        [
            "12345",
            "1234567",
            "12345a",
            "١٢٣٤٥",
            "12 34 5",
            "-12345",
            "+12345",
        ]
        .map(String::from),
    );
    for code in hostile {
        refuse_with(
            &shell,
            "code_verify",
            &json!({ "code": code }),
            &["invalid_answers"],
        );
    }
    for code in not_strings() {
        refuse_arguments(&shell, "code_verify", &json!({ "code": code }));
    }
    assert_eq!(snapshot(&shell, &data), before, "nothing changed");

    // None of them reached the backend: the first wrong code it sees leaves four tries.
    let right = backend.code_sent_to("09121234567");
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let answer = shell.err("code_verify", json!({ "code": wrong }));
    assert_eq!(answer["code"], "code_wrong");
    assert_eq!(answer["attempts_left"], 4);
    let view = shell.ok("code_verify", json!({ "code": right }));
    assert_eq!(view["position"], "identity");
}

#[test]
fn the_capture_commands_refuse_hostile_devices_sizes_and_kinds() {
    let data = temp_dir("capture");
    let shell = Shell::open("http://127.0.0.1:9/", &data);
    let open = |device: Value, facing: Value, width: Value| {
        json!({
            "device": device,
            "facing": facing,
            "previewWidth": width,
            "preview": "__CHANNEL__:1",
            "events": "__CHANNEL__:2",
        })
    };
    // No camera or microphone here and no file-backed one configured: a device id,
    // however it is spelt, names nothing (ids are matched against the devices listed,
    // never opened as paths).
    for device in hostile_strings()
        .into_iter()
        .take(12)
        .chain(["file".to_owned(), "0".to_owned()])
    {
        refuse_with(
            &shell,
            "camera_open",
            &open(json!(device), json!("front"), json!(640)),
            &[
                "camera_missing",
                "camera_failed",
                "camera_busy",
                "camera_denied",
            ],
        );
        match refuse(&shell, "microphone_open", &json!({ "device": device })) {
            Refusal::Typed { code } => assert!(code.starts_with("microphone_"), "{code}"),
            Refusal::Arguments => panic!("microphone_open: {device:?} refused by Tauri"),
        }
    }
    for width in [json!(0), json!(1), json!(u32::MAX)] {
        refuse_with(
            &shell,
            "camera_open",
            &open(json!(null), json!("back"), width),
            &[
                "camera_missing",
                "camera_failed",
                "camera_busy",
                "camera_denied",
            ],
        );
    }
    for width in not_u32() {
        refuse_arguments(
            &shell,
            "camera_open",
            &open(json!(null), json!("front"), width),
        );
    }
    for facing in [
        json!("sideways"),
        json!(""),
        json!(null),
        json!(0),
        json!("FRONT"),
    ] {
        refuse_arguments(
            &shell,
            "camera_open",
            &open(json!(null), facing, json!(640)),
        );
    }
    for device in [json!(5), json!(["file"]), json!({ "path": "/dev/video0" })] {
        refuse_arguments(
            &shell,
            "camera_open",
            &open(device.clone(), json!("front"), json!(640)),
        );
        refuse_arguments(&shell, "microphone_open", &json!({ "device": device }));
    }
    refuse_arguments(
        &shell,
        "camera_open",
        &json!({ "facing": "front", "previewWidth": 640, "preview": "nope", "events": "__CHANNEL__:2" }),
    );

    // Nothing open, nothing taken: the commands that act on them say so.
    for auto in [json!(true), json!(false)] {
        refuse_with(
            &shell,
            "photo_take",
            &json!({ "auto": auto }),
            &["camera_not_open"],
        );
    }
    for auto in [json!("true"), json!(1), json!(null)] {
        refuse_arguments(&shell, "photo_take", &json!({ "auto": auto }));
    }
    for width in [json!(0), json!(u32::MAX)] {
        refuse_with(
            &shell,
            "capture_review_image",
            &json!({ "maxWidth": width }),
            &["nothing_to_review"],
        );
    }
    for width in not_u32() {
        refuse_arguments(
            &shell,
            "capture_review_image",
            &json!({ "maxWidth": width }),
        );
        refuse_arguments(&shell, "camera_preview_ack", &json!({ "sequence": width }));
    }
    refuse_with(
        &shell,
        "recording_stop",
        &json!({}),
        &["recording_not_started"],
    );
    // Harmless with nothing open: acknowledged or closed, and nothing else.
    shell.ok("camera_preview_ack", json!({ "sequence": u32::MAX }));
    shell.ok("camera_close", json!({}));
    shell.ok("capture_discard", json!({}));
    assert_eq!(shell.ok("wizard_resume", json!({})), Value::Null);
}
