//! Ehraz's backend client, used by the app: typed calls for the API contract
//! (`crates/ehraz-server/openapi.json`) and resumable uploads speaking tus 1.0. Every
//! failure is a typed [`ClientError`] with a stable code; nothing a server sends panics it.

pub mod api;
mod error;
pub mod tus;

pub use api::{Client, Session, StartedSession, Status};
pub use error::ClientError;
pub use tus::{RetryPolicy, Target, UploadStats, Uploaded, Uploader};
