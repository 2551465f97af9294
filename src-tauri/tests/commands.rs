//! The app's commands through Tauri's IPC on the mock runtime, with the real
//! capabilities and a real `ehraz-server` on loopback: what the UI sends, what it gets
//! back, and what it is refused.

mod files;
mod shell;

use ehraz_app::config::{Config, Kiosk};
use files::files_under;
use serde_json::{Value, json};
use shell::{Backend, Shell, temp_dir};
use tauri::test::mock_builder;

#[test]
fn the_sejam_flow_up_to_the_first_capture_step_and_back_after_a_restart() {
    let backend = Backend::start();
    let data = temp_dir("data");
    let shell = Shell::open(&backend.url(), &data);

    let info = shell.ok("app_info", json!({}));
    assert_eq!(info["locale"], "fa");
    assert_eq!(info["kiosk"], false);
    assert_eq!(info["flows"], json!(["sejam", "exchange"]));
    assert_eq!(shell.ok("wizard_resume", json!({})), Value::Null);
    assert_eq!(shell.err("wizard_advance", json!({}))["code"], "no_session");

    let view = shell.ok("wizard_start", json!({ "flow": "sejam" }));
    assert_eq!(view["position"], "mobile");
    assert_eq!(view["progress"], json!({ "number": 1, "total": 10 }));
    assert_eq!(view["flow"]["id"], "sejam");
    assert_eq!(view["can_go_back"], false);

    let refused = shell.err(
        "wizard_submit_form",
        json!({ "values": { "mobile": "۰۹۱۲۱۲۳" } }),
    );
    assert_eq!(
        refused,
        json!({
            "code": "invalid_answers",
            "detail": "1 answer(s) refused",
            "fields": [{ "field": "mobile", "code": "mobile-format" }],
        })
    );
    let view = shell.ok(
        "wizard_submit_form",
        json!({ "values": { "mobile": "٠٩١٢١٢٣٤٥٦٧" } }),
    );
    assert_eq!(view["position"], "mobile-code");
    assert_eq!(view["answers"]["mobile"], "09121234567");
    assert_eq!(view["code"], Value::Null);

    let view = shell.ok("code_send", json!({}));
    assert_eq!(view["code"]["sent_to"], "0912***4567");
    assert_eq!(view["code"]["code_length"], 6);
    let wrong = shell.err("code_verify", json!({ "code": "000000" }));
    if wrong["code"] == "code_wrong" {
        assert_eq!(wrong["attempts_left"], 4);
    } else {
        // The one code in a million that is 000000.
        assert_eq!(backend.code_sent_to("09121234567"), "000000");
    }
    let view = shell.ok(
        "code_verify",
        json!({ "code": backend.code_sent_to("09121234567") }),
    );
    assert_eq!(view["position"], "identity");
    assert_eq!(view["verified"], json!(["mobile-code"]));

    let view = shell.ok(
        "wizard_submit_form",
        json!({ "values": { "national-code": "۰۴۹۹۳۷۰۸۹۹", "sejam-tracking-code": "1234567890" } }),
    );
    assert_eq!(view["position"], "sejam-code");
    shell.ok("code_send", json!({}));
    shell.ok(
        "code_verify",
        json!({ "code": backend.code_sent_to("09121234567") }),
    );
    let view = shell.ok(
        "wizard_submit_form",
        json!({ "values": { "card-document": "receipt", "card-receipt-code": "123456789012" } }),
    );
    assert_eq!(view["position"], "selfie");
    assert_eq!(view["progress"], json!({ "number": 6, "total": 10 }));
    assert_eq!(
        shell.err("wizard_advance", json!({}))["code"],
        "wizard-missing-artifact"
    );
    assert_eq!(
        shell.err("wizard_go_to", json!({ "step": "review" }))["code"],
        "wizard-not-reached"
    );
    drop(shell);

    // The app is closed and opened again: the journey is where it was.
    let shell = Shell::open(&backend.url(), &data);
    let resumed = shell.ok("wizard_resume", json!({}));
    assert_eq!(resumed, view);
    let back = shell.ok("wizard_back", json!({}));
    assert_eq!(back["position"], "card");
    assert_eq!(back["answers"]["card-receipt-code"], "123456789012");

    // Start over leaves nothing on the device.
    assert_eq!(shell.ok("wizard_start_over", json!({})), Value::Null);
    assert_eq!(shell.ok("wizard_resume", json!({})), Value::Null);
    let outbox = data.join("outbox");
    assert_eq!(std::fs::read_dir(outbox).expect("outbox").count(), 0);
}

#[test]
fn a_dead_backend_is_an_error_with_a_code_and_nothing_is_lost() {
    let mut backend = Backend::start();
    let data = temp_dir("data");
    let shell = Shell::open(&backend.url(), &data);
    shell.ok("wizard_start", json!({ "flow": "exchange" }));
    backend.stop();
    let error = shell.err(
        "wizard_submit_form",
        json!({ "values": { "national-code": "0499370899", "mobile": "09121234567", "birth-date": "1370/01/15" } }),
    );
    assert_eq!(error["code"], "network");
    let view = shell.ok("wizard_resume", json!({}));
    assert_eq!(view["position"], "basic");
    assert_eq!(
        shell.err("wizard_start", json!({ "flow": "nope" }))["code"],
        "flow-unknown"
    );
}

#[test]
fn only_our_commands_from_our_own_pages_are_allowed() {
    let data = temp_dir("data");
    let shell = Shell::open("http://127.0.0.1:9/", &data);
    // Tauri's own plugins are not granted to the UI.
    for command in [
        "plugin:app|version",
        "plugin:window|close",
        "plugin:event|emit",
        "plugin:webview|create_webview_window",
        "no_such_command",
    ] {
        let refused = shell.call(command, json!({}));
        assert!(refused.is_err(), "{command} was allowed: {refused:?}");
    }
    // A remote page (should one ever load) may not call even our commands.
    let remote = shell.call_from("https://evil.example", "app_info", json!({}));
    assert!(remote.is_err(), "a remote origin was allowed: {remote:?}");
    assert!(shell.call("app_info", json!({})).is_ok());
}

/// A kiosk's settings with the operator PIN `pin`.
fn kiosk(pin: &str) -> Kiosk {
    Kiosk {
        idle_seconds: 60,
        warning_seconds: 15,
        done_seconds: 30,
        pin_hash: ehraz_app::kiosk::hash_pin(pin).expect("a PIN hash"),
    }
}

#[test]
fn kiosk_commands_are_refused_off_kiosk_mode() {
    let shell = Shell::open("http://127.0.0.1:9/", &temp_dir("data"));
    assert_eq!(shell.ok("app_info", json!({}))["kiosk_timing"], Value::Null);
    assert_eq!(shell.err("kiosk_reset", json!({}))["code"], "kiosk_off");
    assert_eq!(
        shell.err("kiosk_leave", json!({ "pin": "123456" }))["code"],
        "kiosk_off"
    );
}

#[test]
fn a_kiosk_reset_wipes_the_journey_and_everything_saved() {
    let backend = Backend::start();
    let data = temp_dir("data");
    let shell = Shell::open_with(&backend.url(), &data, Some(kiosk("246813")));
    let info = shell.ok("app_info", json!({}));
    assert_eq!(info["kiosk"], true);
    assert_eq!(
        info["kiosk_timing"],
        json!({ "idle_seconds": 60, "warning_seconds": 15, "done_seconds": 30 })
    );
    shell.ok("wizard_start", json!({ "flow": "sejam" }));
    shell.ok(
        "wizard_submit_form",
        json!({ "values": { "mobile": "09121234567" } }),
    );
    let saved = files_under(&data.join("outbox"));
    assert!(
        !saved.is_empty(),
        "the journey is saved (encrypted) as it goes"
    );

    assert_eq!(shell.ok("kiosk_reset", json!({})), Value::Null);
    assert_eq!(shell.ok("wizard_resume", json!({})), Value::Null);
    for folder in ["outbox", "submitted"] {
        let left = files_under(&data.join(folder));
        assert!(left.is_empty(), "{folder} after the reset: {left:?}");
    }
    assert_eq!(shell.err("wizard_advance", json!({}))["code"], "no_session");
}

#[test]
fn a_kiosk_opened_on_a_journey_left_behind_wipes_it() {
    let backend = Backend::start();
    let data = temp_dir("data");
    {
        let shell = Shell::open(&backend.url(), &data);
        shell.ok("wizard_start", json!({ "flow": "exchange" }));
    }
    let shell = Shell::open_with(&backend.url(), &data, Some(kiosk("246813")));
    assert_eq!(shell.ok("wizard_resume", json!({})), Value::Null);
    assert!(files_under(&data.join("outbox")).is_empty());
}

#[test]
fn one_kiosk_per_data_folder() {
    let data = temp_dir("data");
    let _first = Shell::open_with("http://127.0.0.1:9/", &data, Some(kiosk("246813")));
    let config = Config {
        data_dir: Some(data),
        os_key_store: false,
        kiosk: Some(kiosk("246813")),
        ..Config::default()
    };
    let second = ehraz_app::run_app(mock_builder(), tauri::generate_context!(), config);
    match second {
        Err(ehraz_app::StartError::State(error)) => {
            assert_eq!(error.code, "kiosk_unavailable", "{error:?}");
        }
        Err(other) => panic!("refused for another reason: {other}"),
        Ok(_) => panic!("a second kiosk started on the same data"),
    }
}

#[test]
fn the_operator_pin_counts_tries_then_locks_out() {
    let shell = Shell::open_with(
        "http://127.0.0.1:9/",
        &temp_dir("data"),
        Some(kiosk("246813")),
    );
    for left in (1..=4).rev() {
        let refused = shell.err("kiosk_leave", json!({ "pin": "111111" }));
        assert_eq!(refused["code"], "kiosk_pin_wrong");
        assert_eq!(refused["attempts_left"], left);
    }
    let locked = shell.err("kiosk_leave", json!({ "pin": "111111" }));
    assert_eq!(locked["code"], "kiosk_locked_out");
    assert_eq!(locked["retry_after_seconds"], 60);
    // Locked out, the right PIN waits too; so does anything that is not a PIN.
    let locked = shell.err("kiosk_leave", json!({ "pin": "246813" }));
    assert_eq!(locked["code"], "kiosk_locked_out");
    let shell = Shell::open_with(
        "http://127.0.0.1:9/",
        &temp_dir("data"),
        Some(kiosk("246813")),
    );
    let huge = "9".repeat(100_000);
    assert_eq!(
        shell.err("kiosk_leave", json!({ "pin": huge }))["code"],
        "kiosk_pin_wrong"
    );
    assert!(shell.call("kiosk_leave", json!({ "pin": 246813 })).is_err());
}

#[test]
fn the_webview_camera_takes_frames_as_a_raw_body_and_refuses_malformed_ones() {
    use tauri::ipc::InvokeBody;
    let data = temp_dir("data");
    let shell = Shell::open("http://127.0.0.1:9/", &data);
    let rgba = |width: usize, height: usize| vec![200u8; width * height * 4];
    let feed = |body: InvokeBody, headers: &[(&'static str, &str)]| {
        shell
            .call_with("camera_feed", body, headers)
            .map_err(|e| e["code"].as_str().expect("a code").to_owned())
    };
    let frame_headers = [
        ("ehraz-width", "8"),
        ("ehraz-height", "4"),
        ("ehraz-format", "rgba"),
    ];
    assert_eq!(
        feed(InvokeBody::Raw(rgba(8, 4)), &frame_headers),
        Err("camera_not_open".to_owned())
    );

    // The page says it has a camera: with no device here, the webview's is listed.
    let devices = shell.ok("capture_devices", json!({ "webviewCamera": true }));
    assert_eq!(devices["cameras"][0]["id"], "webview");
    let devices = shell.ok("capture_devices", json!({}));
    assert!(
        devices["cameras"]
            .as_array()
            .expect("cameras")
            .iter()
            .all(|c| c["id"] != "webview"),
        "{devices}"
    );

    let open = |feed: Value| {
        shell.call(
            "camera_open",
            json!({
                "device": "webview",
                "facing": "front",
                "previewWidth": 320,
                "feed": feed,
                "preview": "__CHANNEL__:7",
                "events": "__CHANNEL__:8",
            }),
        )
    };
    assert_eq!(
        open(Value::Null).expect_err("no size")["code"],
        "camera_feed_invalid"
    );
    let opened = open(json!({ "width": 8, "height": 4 })).expect("opens");
    assert_eq!(opened["device"]["id"], "webview");
    assert_eq!(
        (opened["width"].clone(), opened["height"].clone()),
        (json!(8), json!(4))
    );

    assert_eq!(
        feed(InvokeBody::Raw(rgba(8, 4)), &frame_headers),
        Ok(Value::Null)
    );
    // Tauri's postMessage path (Android) carries the bytes as a JSON array.
    let as_json = json!(rgba(8, 4));
    assert_eq!(
        feed(InvokeBody::Json(as_json), &frame_headers),
        Ok(Value::Null)
    );
    let taken = shell.ok("photo_take", json!({ "auto": false }));
    assert_eq!(
        (taken["width"].clone(), taken["height"].clone()),
        (json!(8), json!(4))
    );

    let refused: [(InvokeBody, &[(&'static str, &str)]); 11] = [
        // A byte short, a byte over.
        (InvokeBody::Raw(vec![0; 127]), &frame_headers),
        (InvokeBody::Raw(vec![0; 129]), &frame_headers),
        // Headers missing, out of range, not numbers, or an unknown layout.
        (InvokeBody::Raw(rgba(8, 4)), &frame_headers[..2]),
        (
            InvokeBody::Raw(rgba(8, 4)),
            &[("ehraz-width", "8"), ("ehraz-format", "rgba")],
        ),
        (
            InvokeBody::Raw(vec![0; 1921 * 4 * 4]),
            &[
                ("ehraz-width", "1921"),
                ("ehraz-height", "4"),
                ("ehraz-format", "rgba"),
            ],
        ),
        (
            InvokeBody::Raw(Vec::new()),
            &[
                ("ehraz-width", "0"),
                ("ehraz-height", "4"),
                ("ehraz-format", "rgba"),
            ],
        ),
        (
            InvokeBody::Raw(rgba(8, 4)),
            &[
                ("ehraz-width", "8.0"),
                ("ehraz-height", "4"),
                ("ehraz-format", "rgba"),
            ],
        ),
        (
            InvokeBody::Raw(rgba(8, 4)),
            &[
                ("ehraz-width", "8"),
                ("ehraz-height", "4"),
                ("ehraz-format", "i420"),
            ],
        ),
        // JSON that is not the frame's bytes.
        (
            InvokeBody::Json(json!({ "pixels": rgba(8, 4) })),
            &frame_headers,
        ),
        (InvokeBody::Json(json!(vec![256; 128])), &frame_headers),
        (InvokeBody::Json(json!(vec![1; 64])), &frame_headers),
    ];
    for (body, headers) in refused {
        assert_eq!(
            feed(body, headers),
            Err("camera_feed_invalid".to_owned()),
            "{headers:?}"
        );
    }
    // Another size than the camera was opened at: the page must open it again.
    assert_eq!(
        feed(
            InvokeBody::Raw(rgba(4, 8)),
            &[
                ("ehraz-width", "4"),
                ("ehraz-height", "8"),
                ("ehraz-format", "rgba")
            ],
        ),
        Err("camera_feed_resized".to_owned())
    );
    shell.ok("camera_close", json!({}));
    assert_eq!(
        feed(InvokeBody::Raw(rgba(8, 4)), &frame_headers),
        Err("camera_not_open".to_owned())
    );
}
