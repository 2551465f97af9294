//! Ehraz's backend client, used by the app: typed calls for the API contract
//! (`crates/ehraz-server/openapi.json`), resumable uploads speaking tus 1.0, and the
//! encrypted outbox that keeps a session's files until the server confirms them. Every
//! failure is a typed [`ClientError`] with a stable code; nothing a server sends panics it.

pub mod api;
pub mod deliver;
mod error;
pub mod journey;
pub mod outbox;
pub mod tus;

pub use api::{Client, Session, StartedSession, Status};
pub use deliver::{DeliverError, deliver};
pub use error::ClientError;
pub use journey::{CodeState, Journey, JourneyError, JourneyView, SendProgress};
pub use outbox::{KEY_SERVICE, KeyStore, Outbox, OutboxError, SessionBox};
pub use tus::{RetryPolicy, Target, UploadStats, Uploaded, Uploader};
