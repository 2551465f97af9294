//! No page but the app's own is ever loaded: every navigation of every webview (a link, a
//! script setting `location`, a form, a redirect, Rust's own `navigate`) is checked here
//! and anything off the app's origin is cancelled. New windows are not offered by the app;
//! with no handler set, WebKitGTK, WebView2 and WKWebView all refuse `window.open`.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

/// Whether `url` is a page of the app itself: the UI embedded in the binary, served under
/// Tauri's own origin (`tauri://localhost` on Linux and macOS, `http://tauri.localhost`
/// on Windows and Android, where the webview can only intercept http), with no port or
/// user. Everything else — the backend, `https://` anywhere, `file:`, `data:`, `blob:`,
/// `about:`, `javascript:` — is refused.
pub fn own_page(url: &Url) -> bool {
    let (scheme, host) = if cfg!(any(windows, target_os = "android")) {
        ("http", "tauri.localhost")
    } else {
        ("tauri", "localhost")
    };
    url.scheme() == scheme
        && url.host_str() == Some(host)
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none()
}

/// The plugin that cancels every navigation [`own_page`] refuses, in every webview the
/// app opens (plugins see the navigations of windows made from the configuration too).
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation")
        .on_navigation(|_webview, url| own_page(url))
        .build()
}
