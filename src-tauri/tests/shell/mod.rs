//! The app on Tauri's mock runtime, with its real context (the embedded UI, the CSP, the
//! capabilities), called through IPC as the page calls it; and a reference server on
//! loopback for it to talk to.

#![allow(dead_code)] // Each test binary uses part of it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ehraz_app::config::{Config, Kiosk};
use ehraz_server::{RunningServer, SystemClock};
use serde_json::Value;
use tauri::http::HeaderMap;
use tauri::ipc::InvokeBody;
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// Where the page is served from on Linux and macOS (`http://tauri.localhost` on Windows).
pub const OWN_ORIGIN: &str = "tauri://localhost";

/// A reference server on its own runtime, as the app would find it on loopback.
pub struct Backend {
    runtime: tokio::runtime::Runtime,
    running: Option<RunningServer>,
}

impl Backend {
    /// Starts one on a free port, its data in a new temporary folder.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let mut config = ehraz_server::Config::local(temp_dir("server"));
        config.listen = "127.0.0.1:0".parse().expect("address");
        config.print_sms = false;
        let running = runtime
            .block_on(ehraz_server::start(config, Arc::new(SystemClock)))
            .expect("server starts");
        Self {
            runtime,
            running: Some(running),
        }
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.running().addr)
    }

    fn running(&self) -> &RunningServer {
        self.running.as_ref().expect("running")
    }

    /// The digits of the last text sent to `mobile`.
    pub fn code_sent_to(&self, mobile: &str) -> String {
        let text = self.running().sms.last_to(mobile).expect("an SMS");
        text.chars().filter(char::is_ascii_digit).collect()
    }

    /// Stops it; the app then finds nobody there.
    pub fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            self.runtime.block_on(running.stop()).expect("stops");
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A new, unused path in the temporary folder.
pub fn temp_dir(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "ehraz-app-{what}-{}-{}",
        std::process::id(),
        rand::random::<u64>()
    ))
}

/// The app with its main window.
pub struct Shell {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
}

impl Shell {
    /// The app against `backend_url`, its outbox under `data_dir` (key files, not the
    /// OS store).
    pub fn open(backend_url: &str, data_dir: &Path) -> Self {
        Self::open_with(backend_url, data_dir, None)
    }

    /// The same, in kiosk mode with `kiosk`'s settings when given.
    pub fn open_with(backend_url: &str, data_dir: &Path, kiosk: Option<Kiosk>) -> Self {
        let config = Config {
            backend_url: backend_url.parse().expect("url"),
            data_dir: Some(data_dir.to_path_buf()),
            os_key_store: false,
            kiosk,
            ..Config::default()
        };
        let app = ehraz_app::run_app(mock_builder(), tauri::generate_context!(), config)
            .expect("app builds");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("window");
        Self { app, window }
    }

    /// Calls `command` as a page at `origin` would.
    pub fn call_from(&self, origin: &str, command: &str, args: Value) -> Result<Value, Value> {
        self.invoke(origin, command, InvokeBody::Json(args), HeaderMap::new())
    }

    /// Calls `command` with `body` as it is (raw bytes or JSON) and `headers`, as
    /// `invoke(command, bytes, { headers })` does.
    pub fn call_with(
        &self,
        command: &str,
        body: InvokeBody,
        headers: &[(&'static str, &str)],
    ) -> Result<Value, Value> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().expect("header value"));
        }
        self.invoke(OWN_ORIGIN, command, body, map)
    }

    fn invoke(
        &self,
        origin: &str,
        command: &str,
        body: InvokeBody,
        headers: HeaderMap,
    ) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: origin.parse().expect("url"),
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().expect("JSON"))
    }

    /// Calls `command` as the app's own page does.
    pub fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        self.call_from(OWN_ORIGIN, command, args)
    }

    /// Calls `command`, which must succeed.
    pub fn ok(&self, command: &str, args: Value) -> Value {
        self.call(command, args)
            .unwrap_or_else(|e| panic!("{command} failed: {e}"))
    }

    /// Calls `command`, which must fail.
    pub fn err(&self, command: &str, args: Value) -> Value {
        match self.call(command, args) {
            Ok(v) => panic!("{command} succeeded: {v}"),
            Err(e) => e,
        }
    }
}
