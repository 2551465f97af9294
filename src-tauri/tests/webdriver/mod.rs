//! The few W3C WebDriver calls the end-to-end test makes, over the HTTP client the
//! workspace already builds. A WebDriver crate would bring a second HTTP and TLS stack
//! for a driver that only ever listens on loopback.
#![allow(dead_code)]

use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

/// The key of an element reference in WebDriver answers.
pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const PATIENCE: Duration = Duration::from_secs(30);

/// A WebDriver session: one run of the app.
pub struct Session {
    http: reqwest::Client,
    base: String,
}

/// An element of the page.
pub struct Element(pub String);

impl Session {
    /// Starts the app through tauri-driver on `port`.
    pub async fn start(port: u16, application: &Path) -> Self {
        // Starting the app can take a while on a loaded machine; nothing else should.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        let driver = format!("http://127.0.0.1:{port}");
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": { "application": application },
                }
            }
        });
        let started = Instant::now();
        let answer = loop {
            match http
                .post(format!("{driver}/session"))
                .json(&capabilities)
                .send()
                .await
            {
                Ok(response) => break response.json::<Value>().await.expect("JSON"),
                Err(_) if started.elapsed() < PATIENCE => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("tauri-driver does not answer: {e}"),
            }
        };
        let id = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_owned();
        Self {
            http,
            base: format!("{driver}/session/{id}"),
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer: Value = request
            .send()
            .await
            .expect("the driver answers")
            .json()
            .await
            .expect("JSON");
        answer["value"].clone()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// The first element matching `css`, if any.
    pub async fn find(&self, css: &str) -> Option<Element> {
        let found = self
            .post("/element", json!({ "using": "css selector", "value": css }))
            .await;
        found[ELEMENT].as_str().map(|id| Element(id.to_owned()))
    }

    /// Waits for an element matching `css` that is displayed and enabled.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_for_within(css, PATIENCE).await
    }

    /// Waits up to `patience` for an element matching `css` that is displayed and
    /// enabled (for what takes longer by design, like a recording running to its limit).
    pub async fn wait_for_within(&self, css: &str, patience: Duration) -> Element {
        let started = Instant::now();
        let mut last = String::new();
        loop {
            if let Some(element) = self.find(css).await {
                let usable = self
                    .execute(
                        "const e = arguments[0]; \
                         return !!e && !e.disabled && e.getClientRects().length > 0",
                        &[json!({ ELEMENT: element.0 })],
                    )
                    .await;
                if usable == "true" {
                    return element;
                }
                last = usable;
            }
            assert!(
                started.elapsed() < patience,
                "no usable `{css}` after {patience:?} ({last}); the page says: {}",
                self.page_text().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `check` holds.
    pub async fn wait_until<F, Fut>(&self, what: &str, check: F)
    where
        F: Fn() -> Fut,
        Fut: Future<Output = bool>,
    {
        let started = Instant::now();
        while !check().await {
            assert!(
                started.elapsed() < PATIENCE,
                "waited {PATIENCE:?} for {what}; the page says: {}",
                self.page_text().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks an element.
    pub async fn click(&self, element: &Element) {
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .await;
    }

    /// Empties an input.
    pub async fn clear(&self, element: &Element) {
        self.post(&format!("/element/{}/clear", element.0), json!({}))
            .await;
    }

    /// Types into an input as a keyboard would.
    pub async fn type_text(&self, element: &Element, text: &str) {
        self.post(
            &format!("/element/{}/value", element.0),
            json!({ "text": text }),
        )
        .await;
    }

    /// A DOM property of an element, as text.
    pub async fn property(&self, element: &Element, name: &str) -> String {
        let value = self
            .get(&format!("/element/{}/property/{name}", element.0))
            .await;
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned)
    }

    /// Runs a script in the page and returns its result as text.
    pub async fn execute(&self, script: &str, args: &[Value]) -> String {
        let value = self
            .post("/execute/sync", json!({ "script": script, "args": args }))
            .await;
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned)
    }

    /// The visible text of the page, without the bidi isolation marks Fluent puts
    /// around arguments.
    pub async fn page_text(&self) -> String {
        self.execute("return document.body ? document.body.innerText : ''", &[])
            .await
            .replace(['\u{2068}', '\u{2069}'], "")
    }

    /// Resizes the window.
    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.post("/window/rect", json!({ "width": width, "height": height }))
            .await;
    }

    /// Saves a PNG of the window.
    pub async fn screenshot(&self, path: &Path) {
        let encoded = self.get("/screenshot").await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("base64"))
            .expect("base64");
        std::fs::write(path, png).expect("screenshot written");
    }

    /// Ends the session, closing the app.
    pub async fn quit(self) {
        let _ = self.http.delete(&self.base).send().await;
    }
}
