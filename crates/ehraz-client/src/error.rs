//! What can go wrong talking to a backend, typed, each with a stable code the app maps to
//! a Fluent message. Nothing a server sends makes the client panic.

use thiserror::Error;

/// A refusal or failure of a call.
#[derive(Debug, Error)]
pub enum ClientError {
    /// The server refused with a `{ code, detail }` body.
    #[error("{status}: {code}: {detail}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The server's stable code, e.g. `code_wrong`.
        code: String,
        /// Its explanation.
        detail: String,
        /// Per-field refusals (field id, message id), for `invalid_answers`.
        fields: Vec<(String, String)>,
        /// Seconds to wait, for `rate_limited`.
        retry_after_seconds: Option<u64>,
        /// Tries left, for `code_wrong`.
        attempts_left: Option<u32>,
    },
    /// The server failed (5xx) without a usable body.
    #[error("the server failed with status {0}")]
    Server(u16),
    /// The server answered something that is not the contract: wrong content type,
    /// malformed JSON, a missing header.
    #[error("the server's answer is not understood: {0}")]
    Garbage(String),
    /// The answer was larger than any the contract allows.
    #[error("the server's answer is larger than {0} bytes")]
    TooLarge(usize),
    /// No answer in time.
    #[error("the server did not answer in time")]
    Timeout,
    /// The connection failed or was cut (DNS, refused, reset, TLS).
    #[error("the connection failed: {0}")]
    Network(String),
    /// An upload gave up after retrying.
    #[error("the upload gave up after {attempts} tries: {last}")]
    GaveUp {
        /// Tries made.
        attempts: u32,
        /// The last failure.
        last: Box<ClientError>,
    },
}

impl ClientError {
    /// The stable code for the interface: the server's own code for refusals, or one of
    /// `server_failed`, `server_garbage`, `server_too_large`, `timeout`, `network`,
    /// `upload_gave_up`.
    pub fn code(&self) -> &str {
        match self {
            Self::Api { code, .. } => code,
            Self::Server(_) => "server_failed",
            Self::Garbage(_) => "server_garbage",
            Self::TooLarge(_) => "server_too_large",
            Self::Timeout => "timeout",
            Self::Network(_) => "network",
            Self::GaveUp { .. } => "upload_gave_up",
        }
    }

    /// Whether trying the same request again later may succeed: a cut connection, a
    /// timeout, a server failure, a rate limit.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) | Self::Timeout | Self::Server(_) | Self::Garbage(_) => true,
            Self::Api { status, .. } => *status >= 500 || *status == 429,
            Self::TooLarge(_) | Self::GaveUp { .. } => false,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Self::Timeout
        } else if e.is_decode() {
            Self::Garbage(e.to_string())
        } else {
            Self::Network(e.to_string())
        }
    }
}
