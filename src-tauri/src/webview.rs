//! What the webview may use of the device beyond drawing the UI: the camera and the
//! microphone, for the webview's own camera (`getUserMedia`: the only camera on phones,
//! a fallback on desktops where nokhwa finds none), and nothing else.

use tauri::webview::{PermissionKind, PermissionResponse};

/// The answer to the webview asking for `kind`: the camera and the microphone are
/// granted, everything else (location, notifications, the screen, the clipboard …) is
/// refused without asking the person. The system may still ask them itself (Android's
/// and iOS's own prompts, from the manifest's and Info.plist's entries).
pub fn permission(kind: PermissionKind) -> PermissionResponse {
    match kind {
        PermissionKind::Camera | PermissionKind::Microphone => PermissionResponse::Allow,
        _ => PermissionResponse::Deny,
    }
}

/// Switches WebKitGTK's media streams on for `window`: without it the page has no
/// `navigator.mediaDevices` at all (the setting is off by default). Nothing else is
/// needed for `getUserMedia`; playing a stream in a `<video>` works as it is.
#[cfg(target_os = "linux")]
pub fn enable_media_stream<R: tauri::Runtime>(
    window: &tauri::WebviewWindow<R>,
) -> tauri::Result<()> {
    use webkit2gtk::{SettingsExt, WebViewExt};
    window.with_webview(|webview| {
        if let Some(settings) = webview.inner().settings() {
            settings.set_enable_media_stream(true);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_camera_and_the_microphone_are_granted() {
        let every = [
            PermissionKind::Microphone,
            PermissionKind::Camera,
            PermissionKind::Geolocation,
            PermissionKind::Notifications,
            PermissionKind::ClipboardRead,
            PermissionKind::DisplayCapture,
            PermissionKind::Midi,
            PermissionKind::Sensors,
            PermissionKind::MediaKeySystemAccess,
            PermissionKind::LocalFonts,
            PermissionKind::WindowManagement,
            PermissionKind::PointerLock,
            PermissionKind::AutomaticDownloads,
            PermissionKind::FileSystemAccess,
            PermissionKind::Autoplay,
            PermissionKind::Other,
        ];
        let granted: Vec<PermissionKind> = every
            .into_iter()
            .filter(|&kind| permission(kind) == PermissionResponse::Allow)
            .collect();
        assert_eq!(
            granted,
            [PermissionKind::Microphone, PermissionKind::Camera]
        );
        // Refused outright, never left to a default that might ask or allow.
        for kind in every {
            assert_ne!(permission(kind), PermissionResponse::Default, "{kind}");
        }
    }
}
