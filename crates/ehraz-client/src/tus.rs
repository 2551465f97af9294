//! A tus 1.0 uploader written against the protocol (core, creation, checksum): it sends
//! an artifact in chunks with SHA-256 checksums (the next chunk's is computed while this
//! one is on the wire), asks the server's offset after any failure and resumes from
//! there, retries with exponential backoff and full jitter, and reports progress. No
//! maintained Rust tus client exists; this one stays small.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use ehraz_core::MediaType;
use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};
use sha2::{Digest, Sha256};
use url::Url;

use crate::ClientError;
use crate::api::{Client, Session, refusal};

const VERSION: &str = "1.0.0";

/// How failures are retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Failures in a row before giving up.
    pub max_failures: u32,
    /// The first wait.
    pub base: Duration,
    /// The longest wait.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_failures: 12,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(15),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `failures` (1-based): uniform in
    /// [0, min(cap, base·2^(failures−1))], so many clients do not retry in step.
    pub fn delay(&self, failures: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16));
        let ceiling = exp.min(self.cap);
        ceiling.mul_f64(rand::rng().random::<f64>())
    }
}

/// Where an artifact goes.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The session.
    pub session: &'a Session,
    /// The capture step.
    pub step: &'a str,
    /// The media type.
    pub media_type: MediaType,
}

/// How an upload went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadStats {
    /// Body bytes sent in PATCH requests, re-sent ones included.
    pub bytes_sent: u64,
    /// PATCH requests that succeeded.
    pub patches: u32,
    /// Failures retried.
    pub retries: u32,
    /// Uploads created (more than one when an unfinished upload expired).
    pub creations: u32,
}

/// A finished upload.
#[derive(Debug, Clone)]
pub struct Uploaded {
    /// Its URL on the server.
    pub url: Url,
    /// How it went.
    pub stats: UploadStats,
}

/// Sends artifacts with tus.
#[derive(Debug, Clone)]
pub struct Uploader {
    client: Client,
    chunk_size: usize,
    retry: RetryPolicy,
}

impl Uploader {
    /// An uploader sending chunks of `chunk_size` bytes (at least 1).
    pub fn new(client: Client, chunk_size: usize) -> Self {
        Self {
            client,
            chunk_size: chunk_size.max(1),
            retry: RetryPolicy::default(),
        }
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Uploads `bytes` (shared, not copied), resuming the upload at `resume` if given
    /// (e.g. saved before the app was killed). `created` is told the upload's URL as soon
    /// as it exists, so it can be saved; `progress` is told (bytes the server holds,
    /// total) after each chunk.
    pub async fn upload(
        &self,
        target: Target<'_>,
        bytes: Bytes,
        resume: Option<Url>,
        created: &mut (dyn FnMut(&Url) + Send),
        progress: &mut (dyn FnMut(u64, u64) + Send),
    ) -> Result<Uploaded, ClientError> {
        let total = bytes.len() as u64;
        let mut stats = UploadStats::default();
        let mut url = resume;
        // The offset the server confirmed last; unknown after any failure.
        let mut known: Option<u64> = None;
        let mut failures = 0;
        // The furthest offset this upload reached: failures count until it moves on (a
        // HEAD that answers does not reset them, or a PATCH failing for good would be
        // retried forever).
        let mut furthest: Option<u64> = None;
        let mut checksums = Checksums::new(bytes);
        if url.is_none() {
            // A new upload starts at 0: hash the first chunk while it is being created.
            checksums.prepare(0, self.chunk_size.min(checksums.bytes.len()));
        }
        loop {
            let attempt = self
                .step(
                    target,
                    &mut checksums,
                    &mut url,
                    &mut known,
                    &mut stats,
                    created,
                )
                .await;
            match attempt {
                Ok(Some(offset)) => {
                    if furthest.is_none_or(|f| offset > f) {
                        failures = 0;
                        furthest = Some(offset);
                    }
                    progress(offset, total);
                    if offset == total
                        && let Some(url) = url
                    {
                        return Ok(Uploaded { url, stats });
                    }
                }
                Ok(None) => {}
                Err(error) if retriable(&error) => {
                    known = None;
                    if matches!(&error, ClientError::Api { status: 404, .. }) {
                        url = None;
                        furthest = None;
                    }
                    failures += 1;
                    if failures >= self.retry.max_failures {
                        return Err(ClientError::GaveUp {
                            attempts: failures,
                            last: Box::new(error),
                        });
                    }
                    stats.retries += 1;
                    let wait = match &error {
                        ClientError::Api {
                            retry_after_seconds: Some(s),
                            ..
                        } => Duration::from_secs(*s),
                        _ => self.retry.delay(failures),
                    };
                    tokio::time::sleep(wait).await;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// One move: create, learn the offset, or send a chunk. Returns the offset the
    /// server holds when it learned one.
    async fn step(
        &self,
        target: Target<'_>,
        checksums: &mut Checksums,
        url: &mut Option<Url>,
        known: &mut Option<u64>,
        stats: &mut UploadStats,
        created: &mut (dyn FnMut(&Url) + Send),
    ) -> Result<Option<u64>, ClientError> {
        let bytes = checksums.bytes.clone();
        let Some(upload) = url.clone() else {
            let new = self.create(target, bytes.len() as u64).await?;
            stats.creations += 1;
            created(&new);
            *url = Some(new);
            *known = Some(0);
            return Ok(None);
        };
        let offset = match *known {
            Some(offset) => offset,
            None => {
                let offset = self.offset(&upload, target.session).await?;
                *known = Some(offset);
                return Ok(Some(offset));
            }
        };
        let total = bytes.len() as u64;
        if offset >= total {
            return Ok(Some(total));
        }
        let start = usize::try_from(offset).map_err(|e| ClientError::Garbage(e.to_string()))?;
        let end = (start + self.chunk_size).min(bytes.len());
        let chunk = bytes.slice(start..end);
        let checksum = checksums.of(start, end).await;
        checksums.prepare(end, (end + self.chunk_size).min(bytes.len()));
        stats.bytes_sent += chunk.len() as u64;
        let new_offset = self
            .patch(&upload, target.session, offset, chunk.clone(), checksum)
            .await?;
        if new_offset != offset + chunk.len() as u64 {
            return Err(ClientError::Garbage(format!(
                "Upload-Offset {new_offset} after sending {}",
                chunk.len()
            )));
        }
        stats.patches += 1;
        *known = Some(new_offset);
        Ok(Some(new_offset))
    }

    async fn create(&self, target: Target<'_>, length: u64) -> Result<Url, ClientError> {
        let metadata = [
            ("session", target.session.id.as_str()),
            ("step", target.step),
            ("media_type", target.media_type.as_str()),
        ]
        .iter()
        .map(|(k, v)| format!("{k} {}", STANDARD.encode(v)))
        .collect::<Vec<_>>()
        .join(",");
        let response = self
            .client
            .http()
            .post(self.client.url("/v1/uploads")?)
            .bearer_auth(&target.session.token)
            .header("Tus-Resumable", VERSION)
            .header("Upload-Length", length.to_string())
            .header("Upload-Metadata", metadata)
            .send()
            .await?;
        if response.status() != StatusCode::CREATED {
            return Err(refusal(response).await);
        }
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| ClientError::Garbage("201 without Location".into()))?;
        let base = self.client.base();
        let url = base
            .join(location)
            .map_err(|e| ClientError::Garbage(e.to_string()))?;
        // The file goes to the backend the person chose and nowhere else: an upload URL
        // on another origin (another host, or plain http) is refused unused.
        if url.origin() != base.origin() {
            return Err(ClientError::Garbage(format!(
                "upload location on another origin: {}",
                url.origin().ascii_serialization()
            )));
        }
        Ok(url)
    }

    async fn offset(&self, url: &Url, session: &Session) -> Result<u64, ClientError> {
        let response = self
            .client
            .http()
            .head(url.clone())
            .bearer_auth(&session.token)
            .header("Tus-Resumable", VERSION)
            .send()
            .await?;
        match response.status() {
            StatusCode::OK => upload_offset(response.headers()),
            StatusCode::NOT_FOUND | StatusCode::GONE => Err(not_found()),
            status if status.is_server_error() => Err(ClientError::Server(status.as_u16())),
            status => Err(ClientError::Garbage(format!("HEAD answered {status}"))),
        }
    }

    async fn patch(
        &self,
        url: &Url,
        session: &Session,
        offset: u64,
        chunk: Bytes,
        checksum: String,
    ) -> Result<u64, ClientError> {
        let response = self
            .client
            .http()
            .patch(url.clone())
            .bearer_auth(&session.token)
            .header("Tus-Resumable", VERSION)
            .header("Upload-Offset", offset.to_string())
            .header("Upload-Checksum", checksum)
            .header("Content-Type", "application/offset+octet-stream")
            .body(chunk)
            .send()
            .await?;
        match response.status() {
            StatusCode::NO_CONTENT => upload_offset(response.headers()),
            StatusCode::NOT_FOUND | StatusCode::GONE => Err(not_found()),
            _ => Err(refusal(response).await),
        }
    }
}

/// The `Upload-Checksum` values of an artifact's chunks; the next one is hashed on the
/// blocking pool while the current chunk is sent.
struct Checksums {
    bytes: Bytes,
    ahead: Option<(usize, usize, tokio::task::JoinHandle<String>)>,
}

impl Checksums {
    fn new(bytes: Bytes) -> Self {
        Self { bytes, ahead: None }
    }

    /// The checksum of `bytes[start..end]`, computed ahead if it was prepared.
    async fn of(&mut self, start: usize, end: usize) -> String {
        let hashing = match self.ahead.take() {
            Some((s, e, handle)) if (s, e) == (start, end) => handle,
            _ => self.hash(start, end),
        };
        match hashing.await {
            Ok(value) => value,
            Err(_) => upload_checksum(&self.bytes[start..end]),
        }
    }

    /// Starts hashing `bytes[start..end]`, for the request after this one.
    fn prepare(&mut self, start: usize, end: usize) {
        if start < end {
            self.ahead = Some((start, end, self.hash(start, end)));
        }
    }

    /// Hashes `bytes[start..end]` off the async threads.
    fn hash(&self, start: usize, end: usize) -> tokio::task::JoinHandle<String> {
        let chunk = self.bytes.slice(start..end);
        tokio::task::spawn_blocking(move || upload_checksum(&chunk))
    }
}

fn upload_checksum(chunk: &[u8]) -> String {
    format!("sha256 {}", STANDARD.encode(Sha256::digest(chunk)))
}

fn not_found() -> ClientError {
    ClientError::Api {
        status: 404,
        code: "upload_not_found".into(),
        detail: "the upload is gone; it will be made again".into(),
        fields: Vec::new(),
        retry_after_seconds: None,
        attempts_left: None,
    }
}

/// Worth another try after re-reading the offset: a transient failure, an offset the
/// server disagrees with, a checksum the body failed on the way, an upload another
/// request (an earlier try of ours) is still writing, an expired upload.
fn retriable(error: &ClientError) -> bool {
    match error {
        ClientError::Api { status, code, .. } => {
            *status >= 500
                || *status == 429
                || *status == 423
                || *status == 404
                || *status == 460
                || code == "offset_mismatch"
                || code == "body_incomplete"
        }
        other => other.is_transient(),
    }
}

fn upload_offset(headers: &HeaderMap) -> Result<u64, ClientError> {
    headers
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| ClientError::Garbage("no Upload-Offset".into()))
}
