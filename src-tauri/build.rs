//! Generates the permissions of the app's own commands; the capabilities in
//! `capabilities/` grant exactly these. On an Android build, also writes the camera and
//! microphone permissions into the generated project's manifest.

/// What the webview's camera needs of Android: `CAMERA`, `RECORD_AUDIO` and
/// `MODIFY_AUDIO_SETTINGS` (`mobile/android-permissions.xml`).
const ANDROID_PERMISSIONS: &str = include_str!("mobile/android-permissions.xml");

fn main() {
    // `tauri android build` and `dev` name the generated project
    // (`TAURI_ANDROID_PROJECT_PATH`); the block is rewritten in place on every build, so
    // the generated project never needs editing by hand.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("android")
        && let Err(error) = tauri_utils::build::update_android_manifest(
            "EHRAZ CAMERA AND MICROPHONE",
            "manifest",
            ANDROID_PERMISSIONS.trim_end().to_owned(),
        )
    {
        panic!("the Android manifest could not be updated: {error:#}");
    }
    let commands = &[
        "app_info",
        "app_ready",
        "wizard_resume",
        "wizard_start",
        "wizard_submit_form",
        "wizard_advance",
        "wizard_back",
        "wizard_go_to",
        "wizard_start_over",
        "code_send",
        "code_verify",
        "submission_send",
        "submission_status",
        "capture_devices",
        "camera_open",
        "camera_feed",
        "camera_preview_ack",
        "camera_close",
        "photo_take",
        "capture_review_image",
        "capture_discard",
        "challenge_draw",
        "capture_accept",
        "microphone_open",
        "recording_start",
        "recording_stop",
        "kiosk_reset",
        "kiosk_leave",
    ];
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
