//! Delivering a session from the outbox: every artifact not yet held by the server is
//! uploaded (resuming where a killed run stopped), the manifest is submitted (retried
//! like uploads on transient failures), and once the server confirms, the session is
//! deleted from the disk. Running it twice is harmless: the server takes the same
//! submission once.

use ehraz_core::{Manifest, MediaType};
use thiserror::Error;

use crate::ClientError;
use crate::api::{Client, Session, Status};
use crate::outbox::{OutboxError, SessionBox};
use crate::tus::{RetryPolicy, Target, Uploader};

/// Delivery failed; what was done so far is kept.
#[derive(Debug, Error)]
pub enum DeliverError {
    /// The outbox on disk.
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// The backend.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The wizard is not finished: there is no manifest to submit yet.
    #[error("the session has no manifest yet")]
    NotFinished,
}

impl DeliverError {
    /// A stable code for the interface.
    pub fn code(&self) -> &str {
        match self {
            Self::Outbox(_) => "outbox_failed",
            Self::Client(e) => e.code(),
            Self::NotFinished => "not_finished",
        }
    }
}

/// Delivers one session; `progress` hears (step, media type, bytes held, total).
pub async fn deliver(
    boxed: SessionBox,
    client: &Client,
    uploader: &Uploader,
    progress: &mut (dyn FnMut(&str, MediaType, u64, u64) + Send),
) -> Result<Status, DeliverError> {
    let state = boxed.state()?;
    let manifest = state.manifest.clone().ok_or(DeliverError::NotFinished)?;
    for stored in state.artifacts.iter().filter(|a| !a.uploaded) {
        let media_type = stored.artifact.media_type;
        let bytes = boxed.artifact_bytes(&stored.step, media_type)?;
        let target = Target {
            session: &state.session,
            step: &stored.step,
            media_type,
        };
        let step = stored.step.as_str();
        let mut saved = Ok(());
        let uploaded = uploader
            .upload(
                target,
                bytes.into(),
                stored.upload.clone(),
                &mut |url| saved = boxed.record_upload(step, media_type, url, false),
                &mut |held, total| progress(step, media_type, held, total),
            )
            .await?;
        saved?;
        boxed.record_upload(step, media_type, &uploaded.url, true)?;
    }
    let status = submit(client, &state.session, &manifest, uploader.retry_policy()).await?;
    boxed.remove()?;
    Ok(status)
}

/// Submits, retrying transient failures as uploads are retried: the server takes the
/// same manifest again as the same submission, so a retry after a lost answer is safe.
async fn submit(
    client: &Client,
    session: &Session,
    manifest: &Manifest,
    retry: RetryPolicy,
) -> Result<Status, ClientError> {
    let mut failures = 0;
    loop {
        match client.submit(session, manifest).await {
            Err(error) if error.is_transient() && failures + 1 < retry.max_failures => {
                failures += 1;
                let wait = match &error {
                    ClientError::Api {
                        retry_after_seconds: Some(seconds),
                        ..
                    } => std::time::Duration::from_secs(*seconds),
                    _ => retry.delay(failures),
                };
                tokio::time::sleep(wait).await;
            }
            done => return done,
        }
    }
}
