//! Generates the permissions of the app's own commands; the capability in
//! `capabilities/main.json` grants exactly these.

fn main() {
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
    ];
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
