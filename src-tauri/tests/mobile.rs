//! What the phone builds take from this tree, checked here where no Android SDK or Xcode
//! runs: the Android permissions `build.rs` writes into the generated manifest, the iOS
//! usage texts the Tauri CLI merges into the generated Info.plist (in both languages, as
//! the catalogues say them), and the capabilities split between desktops and phones.

use std::path::{Path, PathBuf};

use ehraz_i18n::{Catalog, Locale};
use serde_json::Value;

fn here(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(here(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `android:name`s of the `<uses-permission>` elements of an XML fragment, in order;
/// anything else in it fails.
fn android_permissions(xml: &str) -> Vec<String> {
    xml.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            line.strip_prefix("<uses-permission android:name=\"")
                .and_then(|rest| rest.strip_suffix("\" />"))
                .unwrap_or_else(|| panic!("not a uses-permission element: {line}"))
                .to_owned()
        })
        .collect()
}

#[test]
fn android_asks_for_the_camera_and_the_microphone_and_nothing_more() {
    assert_eq!(
        android_permissions(&read("mobile/android-permissions.xml")),
        [
            "android.permission.CAMERA",
            "android.permission.RECORD_AUDIO",
            "android.permission.MODIFY_AUDIO_SETTINGS",
        ]
    );
    // The build script is what puts them into the generated project.
    let build = read("build.rs");
    assert!(build.contains("include_str!(\"mobile/android-permissions.xml\")"));
    assert!(build.contains("update_android_manifest("));
}

/// The `<key>`/`<string>` pairs of a property list's top dictionary (strings only).
fn plist_strings(xml: &str) -> Vec<(String, String)> {
    let body = xml
        .split_once("<dict>")
        .and_then(|(_, rest)| rest.split_once("</dict>"))
        .map(|(dict, _)| dict)
        .expect("a <dict>");
    let mut pairs = Vec::new();
    let mut rest = body;
    while let Some((_, after)) = rest.split_once("<key>") {
        let (key, after) = after.split_once("</key>").expect("</key>");
        let after = after.trim_start();
        let after = after.strip_prefix("<string>").expect("a <string> value");
        let (value, after) = after.split_once("</string>").expect("</string>");
        pairs.push((key.to_owned(), value.to_owned()));
        rest = after;
    }
    pairs
}

#[test]
fn ios_says_why_it_wants_the_camera_and_the_microphone_in_persian_then_english() {
    let fa = Catalog::new(Locale::Fa).expect("fa");
    let en = Catalog::new(Locale::En).expect("en");
    let both = |id: &str| {
        let (fa, en) = (fa.message(id, &[]), en.message(id, &[]));
        assert_ne!(fa, en, "{id} is translated");
        assert_ne!(fa, id, "{id} is in the catalogue");
        format!("{fa}\n\n{en}")
    };
    let plist = read("Info.ios.plist");
    assert!(!plist.contains('&'), "no escapes to read around");
    assert_eq!(
        plist_strings(&plist),
        [
            (
                "NSCameraUsageDescription".to_owned(),
                both("os-camera-usage")
            ),
            (
                "NSMicrophoneUsageDescription".to_owned(),
                both("os-microphone-usage")
            ),
        ]
    );
}

fn json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn desktops_and_phones_each_have_a_capability_of_our_commands_only() {
    let desktop = json("capabilities/main.json");
    let mobile = json("capabilities/mobile.json");
    assert_eq!(
        desktop["platforms"],
        serde_json::json!(["linux", "macOS", "windows"])
    );
    assert_eq!(mobile["platforms"], serde_json::json!(["android", "iOS"]));
    for capability in [&desktop, &mobile] {
        assert_eq!(capability["permissions"], serde_json::json!(["ehraz"]));
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        assert_eq!(capability["local"], true);
        assert!(capability.get("remote").is_none());
    }
    let config = json("tauri.conf.json");
    assert_eq!(
        config["app"]["security"]["capabilities"],
        serde_json::json!(["main", "mobile"])
    );
}
