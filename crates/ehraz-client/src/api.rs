//! Typed calls for the backend contract (see `crates/ehraz-server/openapi.json`).

use std::collections::BTreeMap;
use std::time::Duration;

use ehraz_core::{Flow, Manifest};
use futures_util::StreamExt;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::ClientError;

/// Largest JSON answer read: the contract's answers are a few kilobytes.
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// A backend, reached over HTTP.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
}

/// A started session: its id and bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Session id.
    pub id: String,
    /// Bearer token.
    pub token: String,
}

/// A new session, with the flow the server wants followed.
#[derive(Debug, Clone)]
pub struct StartedSession {
    /// The session.
    pub session: Session,
    /// The server's flow, or `None` if what it served does not load (the client then
    /// falls back to its bundled flow).
    pub flow: Option<Flow>,
}

/// A code on its way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    /// Digits in it.
    pub code_length: u8,
    /// Seconds it stays valid.
    pub expires_in_seconds: i64,
    /// Seconds before another may be asked for.
    pub resend_after_seconds: i64,
    /// The number it went to, masked.
    pub sent_to: String,
}

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// `open`, `pending`, `needs-resubmission`, `approved` or `rejected`.
    pub status: String,
    /// The operator's reasons, per item.
    pub reasons: Vec<Reason>,
    /// When it last changed (Unix seconds).
    pub updated_at: i64,
}

/// Why an item was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The step or field.
    pub item: String,
    /// A stable reason code.
    pub reason: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    code: String,
    detail: String,
    #[serde(default)]
    fields: Vec<FieldProblem>,
    retry_after_seconds: Option<u64>,
    attempts_left: Option<u32>,
}

#[derive(Deserialize)]
struct FieldProblem {
    field: String,
    code: String,
}

impl Client {
    /// A client for the backend at `base` (e.g. `http://127.0.0.1:8787`). TLS is
    /// rustls; plain HTTP is for loopback.
    pub fn new(base: Url) -> Result<Self, ClientError> {
        Self::with_timeout(base, Duration::from_secs(60))
    }

    /// A client whose requests give up after `timeout` (a server that stalls mid-answer
    /// is a [`ClientError::Timeout`], not a hang).
    pub fn with_timeout(base: Url, timeout: Duration) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .read_timeout(timeout.min(Duration::from_secs(20)))
            // The contract has no redirects: one would carry a person's answers or files
            // (and the session's token) wherever the answer points, plain http included.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ClientError::Network(e.to_string()))?;
        Ok(Self { http, base })
    }

    /// The base URL.
    pub fn base(&self) -> &Url {
        &self.base
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub(crate) fn url(&self, path: &str) -> Result<Url, ClientError> {
        self.base
            .join(path)
            .map_err(|e| ClientError::Garbage(e.to_string()))
    }

    /// Starts a session for a flow.
    pub async fn start_session(&self, flow: &str) -> Result<StartedSession, ClientError> {
        #[derive(Deserialize)]
        struct Created {
            session_id: String,
            token: String,
            flow: serde_json::Value,
        }
        let request = self
            .http
            .post(self.url("/v1/sessions")?)
            .json(&serde_json::json!({ "flow": flow }));
        let created: Created = json(request.send().await?).await?;
        if !plain_token(&created.session_id) {
            return Err(ClientError::Garbage(
                "a session id that is not 1–128 letters, digits, `-` or `_`".into(),
            ));
        }
        Ok(StartedSession {
            session: Session {
                id: created.session_id,
                token: created.token,
            },
            flow: Flow::from_json(&created.flow.to_string()).ok(),
        })
    }

    /// Stores answers; returns every stored answer, normalised by the server.
    pub async fn put_answers(
        &self,
        session: &Session,
        answers: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, ClientError> {
        #[derive(Deserialize)]
        struct Stored {
            answers: BTreeMap<String, String>,
        }
        let body = serde_json::json!({ "answers": answers });
        let stored: Stored = self
            .call(session, Method::PUT, "answers", Some(body))
            .await?;
        Ok(stored.answers)
    }

    /// Asks for the one-time code of a step.
    pub async fn send_code(&self, session: &Session, step: &str) -> Result<CodeSent, ClientError> {
        self.call(
            session,
            Method::POST,
            "codes",
            Some(serde_json::json!({ "step": step })),
        )
        .await
    }

    /// Checks a code; returns the receipt for the manifest.
    pub async fn verify_code(
        &self,
        session: &Session,
        step: &str,
        code: &str,
    ) -> Result<String, ClientError> {
        #[derive(Deserialize)]
        struct Verified {
            receipt: String,
        }
        let body = serde_json::json!({ "step": step, "code": code });
        let verified: Verified = self
            .call(session, Method::POST, "codes/verify", Some(body))
            .await?;
        Ok(verified.receipt)
    }

    /// Submits the session's manifest.
    pub async fn submit(
        &self,
        session: &Session,
        manifest: &Manifest,
    ) -> Result<Status, ClientError> {
        let body =
            serde_json::to_value(manifest).map_err(|e| ClientError::Garbage(e.to_string()))?;
        self.call(session, Method::POST, "submission", Some(body))
            .await
    }

    /// Reads the session's status.
    pub async fn status(&self, session: &Session) -> Result<Status, ClientError> {
        self.call(session, Method::GET, "status", None).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        session: &Session,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T, ClientError> {
        let url = self.url(&format!("/v1/sessions/{}/{path}", session.id))?;
        let mut request: RequestBuilder =
            self.http.request(method, url).bearer_auth(&session.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        json(request.send().await?).await
    }
}

/// Whether a session id the backend gave can name a folder and a path segment as it is:
/// 1–128 ASCII letters, digits, `-` and `_` (`..`, `/` or an empty id from a hostile
/// backend would point the outbox or later calls elsewhere).
fn plain_token(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Reads a JSON answer: refusals become [`ClientError::Api`], anything not JSON or too
/// large becomes a typed error.
pub(crate) async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
    let status = response.status();
    if status.is_success() {
        let bytes = json_body(response).await?;
        return serde_json::from_slice(&bytes).map_err(|e| ClientError::Garbage(e.to_string()));
    }
    Err(refusal(response).await)
}

/// Turns a non-success answer into an error, reading its `{ code, detail }` if it has one.
pub(crate) async fn refusal(response: Response) -> ClientError {
    let status = response.status();
    let parsed = match json_body(response).await {
        Ok(bytes) => serde_json::from_slice::<ErrorBody>(&bytes).ok(),
        Err(_) => None,
    };
    match parsed {
        Some(body) => ClientError::Api {
            status: status.as_u16(),
            code: body.code,
            detail: body.detail,
            fields: body.fields.into_iter().map(|f| (f.field, f.code)).collect(),
            retry_after_seconds: body.retry_after_seconds,
            attempts_left: body.attempts_left,
        },
        None if status.is_server_error() => ClientError::Server(status.as_u16()),
        None if status == StatusCode::NOT_FOUND => ClientError::Api {
            status: 404,
            code: "not_found".into(),
            detail: "no such resource".into(),
            fields: Vec::new(),
            retry_after_seconds: None,
            attempts_left: None,
        },
        None => ClientError::Garbage(format!("status {status} without a {{code, detail}} body")),
    }
}

async fn json_body(response: Response) -> Result<Vec<u8>, ClientError> {
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return Err(ClientError::Garbage(format!(
            "content type `{content_type}`, not JSON"
        )));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
    {
        return Err(ClientError::TooLarge(MAX_ANSWER_BYTES));
    }
    let mut stream = response.bytes_stream();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(ClientError::TooLarge(MAX_ANSWER_BYTES));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
