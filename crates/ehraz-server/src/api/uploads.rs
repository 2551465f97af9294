//! Resumable uploads speaking tus 1.0: core, creation, checksum (sha1, sha256),
//! termination and expiration. Each upload belongs to a session's capture step and a media
//! type named in its metadata; its size is limited per type and its first bytes must be
//! of that type. The offset is what the store holds and has settled (bytes of a PATCH
//! whose checksum is not yet verified do not count), so a crash between a write and
//! anything else never loses track of it. Bytes are made durable once, when the upload is
//! whole and before it is recorded as such: a machine that loses power mid-upload may
//! forget the last bytes it acknowledged, and the client, told a smaller offset on its
//! next request, sends them again (tus asks nothing more; the submission's SHA-256 check
//! stands behind it).

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ehraz_core::{MediaType, Step};
use futures_util::StreamExt;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, PoisonError};

use super::{AppState, flow_of};
use crate::error::{ApiError, ErrorBody};
use crate::media::{MediaStore, SNIFF_BYTES, content_matches, hex};
use crate::store::UploadRecord;

const TUS_RESUMABLE: HeaderName = HeaderName::from_static("tus-resumable");
const TUS_VERSION: HeaderName = HeaderName::from_static("tus-version");
const TUS_EXTENSION: HeaderName = HeaderName::from_static("tus-extension");
const TUS_MAX_SIZE: HeaderName = HeaderName::from_static("tus-max-size");
const TUS_CHECKSUM_ALGORITHM: HeaderName = HeaderName::from_static("tus-checksum-algorithm");
const UPLOAD_OFFSET: HeaderName = HeaderName::from_static("upload-offset");
const UPLOAD_LENGTH: HeaderName = HeaderName::from_static("upload-length");
const UPLOAD_METADATA: HeaderName = HeaderName::from_static("upload-metadata");
const UPLOAD_EXPIRES: HeaderName = HeaderName::from_static("upload-expires");
const UPLOAD_CHECKSUM: HeaderName = HeaderName::from_static("upload-checksum");
const UPLOAD_DEFER_LENGTH: HeaderName = HeaderName::from_static("upload-defer-length");

/// The only protocol version spoken.
pub const VERSION: &str = "1.0.0";
/// Bytes are written as they arrive, in pieces of about this size.
const WRITE_BATCH: usize = 1 << 20;

/// Adds `Tus-Resumable` to every response of the upload endpoints, errors included.
pub async fn tus_resumable(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(TUS_RESUMABLE, HeaderValue::from_static(VERSION));
    response
}

/// Announces what the server supports.
#[utoipa::path(
    options,
    path = "/v1/uploads",
    tag = "uploads",
    responses((status = 204, description = "`Tus-Version`, `Tus-Extension`, `Tus-Max-Size`, `Tus-Checksum-Algorithm`"))
)]
pub async fn options(State(state): State<AppState>) -> Response {
    let max = MediaType::ALL
        .map(|m| state.limits.max_bytes(m))
        .into_iter()
        .max()
        .unwrap_or(0);
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(TUS_VERSION, HeaderValue::from_static(VERSION));
    headers.insert(
        TUS_EXTENSION,
        HeaderValue::from_static("creation,checksum,termination,expiration"),
    );
    headers.insert(
        TUS_CHECKSUM_ALGORITHM,
        HeaderValue::from_static("sha1,sha256"),
    );
    headers.insert(TUS_MAX_SIZE, HeaderValue::from(max));
    response
}

/// Creates an upload for a capture step of a session.
#[utoipa::path(
    post,
    path = "/v1/uploads",
    tag = "uploads",
    params(
        ("Tus-Resumable" = String, Header, description = "`1.0.0`"),
        ("Upload-Length" = u64, Header, description = "Size in bytes"),
        ("Upload-Metadata" = String, Header, description = "tus metadata with `session`, `step` and `media_type` (`image/jpeg`, `video/mp4` or `audio/wav`)"),
    ),
    security(("session_token" = [])),
    responses(
        (status = 201, description = "Created; `Location` names the upload, `Upload-Expires` its expiry"),
        (status = 400, description = "`upload_length_required`, `upload_metadata` or `media_type_not_allowed`", body = ErrorBody),
        (status = 412, description = "`tus_version`: only 1.0.0 is spoken", body = ErrorBody),
        (status = 413, description = "`upload_too_large`", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 409, description = "`session_closed`", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require_version(&headers)?;
    if headers.contains_key(UPLOAD_DEFER_LENGTH) {
        return Err(ApiError::bad_request(
            "upload_length_required",
            "deferred lengths are not supported",
        ));
    }
    let length: u64 = header_number(&headers, &UPLOAD_LENGTH).ok_or_else(|| {
        ApiError::bad_request("upload_length_required", "Upload-Length is required")
    })?;
    let metadata = parse_metadata(headers.get(UPLOAD_METADATA))?;
    let field = |key: &str| {
        metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                ApiError::bad_request("upload_metadata", format!("metadata `{key}` is required"))
            })
    };
    let (session_id, step, media_type) = (field("session")?, field("step")?, field("media_type")?);
    let session = state.authorised(&session_id, &headers).await?;
    super::require_open(&session)?;
    let flow = flow_of(&session)?;
    let parsed = MediaType::parse(&media_type);
    let allowed = match (flow.step(&step), parsed) {
        (Some(Step::Capture { capture, .. }), Some(m)) => {
            capture.required_media().contains(&m).then_some(m)
        }
        _ => None,
    };
    let Some(media) = allowed else {
        return Err(ApiError::bad_request(
            "media_type_not_allowed",
            format!("step `{step}` takes no `{media_type}` upload"),
        ));
    };
    if length > state.limits.max_bytes(media) {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload_too_large",
            "larger than allowed for its type",
        ));
    }
    let now = state.clock.now();
    let upload = UploadRecord {
        id: uuid::Uuid::new_v4().to_string(),
        session_id: session.id.clone(),
        step,
        media_type,
        length: i64::try_from(length).map_err(|e| ApiError::internal(&e))?,
        expires_at: now + state.limits.upload_ttl_seconds,
        sha256: None,
    };
    state
        .media
        .create(&upload.id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    state.store.create_upload(&upload, now).await?;
    tracing::info!(session = %session.id, upload = %upload.id, step = %upload.step, length, "upload created");
    let mut response = StatusCode::CREATED.into_response();
    let location = HeaderValue::from_str(&format!("/v1/uploads/{}", upload.id))
        .map_err(|e| ApiError::internal(&e))?;
    response.headers_mut().insert(header::LOCATION, location);
    response
        .headers_mut()
        .insert(UPLOAD_EXPIRES, expires(upload.expires_at));
    Ok(response)
}

/// Reports how much of an upload the server holds.
#[utoipa::path(
    head,
    path = "/v1/uploads/{upload}",
    tag = "uploads",
    params(("upload" = String, Path, description = "Upload id"), ("Tus-Resumable" = String, Header, description = "`1.0.0`")),
    security(("session_token" = [])),
    responses(
        (status = 200, description = "`Upload-Offset`, `Upload-Length`, `Upload-Expires`"),
        (status = 404, description = "No such upload, or it expired"),
    )
)]
pub async fn head(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require_version(&headers)?;
    let upload = live_upload(&state, &id, &headers).await?;
    let offset = state
        .media
        .len(&upload.id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if upload.sha256.is_none() && i64::try_from(offset).ok() == Some(upload.length) {
        // Every byte is here but the server stopped before recording it (a crash, a
        // failed sync): record it now, or the client, told it is done, would submit an
        // upload the server does not count as whole.
        if let Some(_writing) = state.in_flight.try_lock(&upload.id) {
            complete(&state, &upload.id, None).await?;
        }
    }
    let mut response = StatusCode::OK.into_response();
    let h = response.headers_mut();
    h.insert(UPLOAD_OFFSET, HeaderValue::from(offset));
    h.insert(UPLOAD_LENGTH, HeaderValue::from(upload.length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if upload.sha256.is_none() {
        h.insert(UPLOAD_EXPIRES, expires(upload.expires_at));
    }
    Ok(response)
}

/// Appends bytes at the offset the server holds.
#[utoipa::path(
    patch,
    path = "/v1/uploads/{upload}",
    tag = "uploads",
    params(
        ("upload" = String, Path, description = "Upload id"),
        ("Tus-Resumable" = String, Header, description = "`1.0.0`"),
        ("Upload-Offset" = u64, Header, description = "Where these bytes start"),
        ("Upload-Checksum" = Option<String>, Header, description = "`sha256 <base64>` or `sha1 <base64>` of the body"),
    ),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    security(("session_token" = [])),
    responses(
        (status = 204, description = "Stored; `Upload-Offset` is the new offset"),
        (status = 409, description = "`offset_mismatch`: ask with HEAD where to resume", body = ErrorBody),
        (status = 423, description = "`upload_locked`: another request is still writing this upload; retry after `retry_after_seconds`", body = ErrorBody),
        (status = 415, description = "`content_type` or `media_content_mismatch`", body = ErrorBody),
        (status = 460, description = "`checksum_mismatch`: nothing of the body was kept", body = ErrorBody),
        (status = 413, description = "`upload_too_large`: past the declared length", body = ErrorBody),
        (status = 404, description = "No such upload, or it expired"),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // On a task of its own, so a dropped connection cannot stop it half-way: writes it
    // started finish before the upload's lock is let go.
    tokio::spawn(append_body(state, id, headers, body))
        .await
        .map_err(|e| ApiError::internal(&e))?
}

async fn append_body(
    state: AppState,
    id: String,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_version(&headers)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if content_type != Some("application/offset+octet-stream") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "PATCH bodies are application/offset+octet-stream",
        ));
    }
    let offset: u64 = header_number(&headers, &UPLOAD_OFFSET).ok_or_else(|| {
        ApiError::bad_request("upload_offset_required", "Upload-Offset is required")
    })?;
    let checksum = parse_checksum(headers.get(UPLOAD_CHECKSUM))?;
    let upload = live_upload(&state, &id, &headers).await?;
    let Some(mut running) = state.in_flight.try_lock(&upload.id) else {
        return Err(locked());
    };
    let held = state
        .media
        .len(&upload.id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if offset != held {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "offset_mismatch",
            format!("the server holds {held} bytes"),
        ));
    }
    // The SHA-256 of the whole upload so far, when this process saw all of it.
    let whole = match running.take() {
        Some(r) if r.offset == held => Some(r.sha256),
        _ if held == 0 => Some(Sha256::new()),
        _ => None,
    };
    let length = u64::try_from(upload.length).unwrap_or(0);
    let room = usize::try_from(length - held).unwrap_or(usize::MAX);
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload_too_large",
            "past the declared length",
        )
    };
    let declared = header_number(&headers, &header::CONTENT_LENGTH)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0);
    if declared > room {
        return Err(too_large());
    }

    // Bytes are written as they arrive; until the body is verified they are held apart
    // (a crash now leaves the upload at `held`), and a body that fails its checksum is
    // cut off again: nothing of it is appended, as the protocol asks.
    state
        .media
        .hold(&upload.id, held)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let before = whole.clone();
    let idle = std::time::Duration::from_secs(state.limits.body_idle_seconds);
    let mut stream = body.into_data_stream();
    let mut writer = BodyWriter {
        media: state.media.clone(),
        id: upload.id.clone(),
        digests: Digests {
            body: checksum.as_ref().map(|(a, _)| BodyHash::new(a)),
            whole,
        },
        writing: None,
    };
    let mut pending: Vec<u8> = Vec::with_capacity(declared.min(WRITE_BATCH));
    let mut received = 0usize;
    let mut cut = false;
    let mut refusal = None;
    loop {
        let chunk = match tokio::time::timeout(idle, stream.next()).await {
            Ok(None) => break,
            Ok(Some(Ok(chunk))) => chunk,
            // A broken connection, or one silent for too long.
            Ok(Some(Err(_))) | Err(_) => {
                cut = true;
                break;
            }
        };
        received += chunk.len();
        if received > room {
            refusal = Some(too_large());
            break;
        }
        pending.extend_from_slice(&chunk);
        if pending.len() >= WRITE_BATCH
            && let Err(e) = writer.push(std::mem::take(&mut pending)).await
        {
            refusal = Some(e);
            break;
        }
    }
    if refusal.is_none() && !pending.is_empty() {
        refusal = writer.push(pending).await.err();
    }
    let digests = writer.finish().await;
    let whole = match digests {
        Ok(digests) => {
            if refusal.is_none()
                && let Some((_, expected)) = &checksum
            {
                let verified = !cut && digests.body.is_some_and(|h| &h.finish() == expected);
                if !verified {
                    refusal = Some(if cut {
                        ApiError::bad_request("body_incomplete", "the body was cut short")
                    } else {
                        ApiError::new(
                            StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                            "checksum_mismatch",
                            "the body does not match Upload-Checksum",
                        )
                    });
                }
            }
            digests.whole
        }
        Err(e) => {
            refusal = refusal.or(Some(e));
            None
        }
    };
    // Without a checksum, whatever arrived is kept, as the protocol asks.
    let keep = refusal.is_none();
    let new_offset = state
        .media
        .settle(&upload.id, keep)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if let Some(refusal) = refusal {
        *running = before.map(|sha256| RunningDigest {
            offset: held,
            sha256,
        });
        return Err(refusal);
    }

    let sniff = usize::try_from(length)
        .unwrap_or(usize::MAX)
        .min(SNIFF_BYTES) as u64;
    if held < sniff && new_offset >= sniff {
        let head = state
            .media
            .head(&upload.id, SNIFF_BYTES)
            .await
            .map_err(|e| ApiError::internal(&e))?;
        let media = MediaType::parse(&upload.media_type);
        if !media.is_some_and(|m| content_matches(m, &head)) {
            drop(running);
            remove(&state, &upload.id).await?;
            tracing::info!(upload = %upload.id, "content is not its declared type");
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "media_content_mismatch",
                format!("the content is not {}", upload.media_type),
            ));
        }
    }
    if new_offset == length {
        complete(&state, &upload.id, whole).await?;
    } else {
        *running = whole.map(|sha256| RunningDigest {
            offset: new_offset,
            sha256,
        });
    }
    if cut {
        tracing::info!(upload = %upload.id, new_offset, "connection cut; bytes received are kept");
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(UPLOAD_OFFSET, HeaderValue::from(new_offset));
    if new_offset < length {
        response
            .headers_mut()
            .insert(UPLOAD_EXPIRES, expires(upload.expires_at));
    }
    Ok(response)
}

/// A PATCH body on its way to the store: each batch is hashed and written on a task of
/// its own while the next batch arrives, in order.
struct BodyWriter {
    media: Arc<dyn MediaStore>,
    id: String,
    /// The digests, when no batch is on its way.
    digests: Digests,
    writing: Option<tokio::task::JoinHandle<std::io::Result<Digests>>>,
}

/// The body's checksum and the whole upload's SHA-256, as far as written.
#[derive(Default)]
struct Digests {
    body: Option<BodyHash>,
    whole: Option<Sha256>,
}

impl BodyWriter {
    /// Waits for the batch before, then starts on this one.
    async fn push(&mut self, batch: Vec<u8>) -> Result<(), ApiError> {
        self.digests = self.wait().await?;
        let digests = std::mem::take(&mut self.digests);
        let (media, id) = (self.media.clone(), self.id.clone());
        let batch = Bytes::from(batch);
        self.writing = Some(tokio::spawn(async move {
            // The body's checksum, the upload's digest and the write, side by side.
            let Digests {
                mut body,
                mut whole,
            } = digests;
            let (for_body, for_whole) = (batch.clone(), batch.clone());
            let body_hash = tokio::task::spawn_blocking(move || {
                body.iter_mut().for_each(|h| h.update(&for_body));
                body
            });
            let whole_hash = tokio::task::spawn_blocking(move || {
                whole.iter_mut().for_each(|h| h.update(&for_whole));
                whole
            });
            let (body, whole, written) =
                tokio::join!(body_hash, whole_hash, media.append(&id, batch));
            written?;
            Ok(Digests {
                body: body.map_err(std::io::Error::other)?,
                whole: whole.map_err(std::io::Error::other)?,
            })
        }));
        Ok(())
    }

    /// Waits for the last batch; returns the digests.
    async fn finish(mut self) -> Result<Digests, ApiError> {
        self.wait().await
    }

    async fn wait(&mut self) -> Result<Digests, ApiError> {
        match self.writing.take() {
            None => Ok(std::mem::take(&mut self.digests)),
            Some(task) => match task.await {
                Ok(Ok(digests)) => Ok(digests),
                Ok(Err(e)) => Err(ApiError::internal(&e)),
                Err(e) => Err(ApiError::internal(&e)),
            },
        }
    }
}

/// What the server keeps in memory of the uploads being written: a lock each, so two
/// PATCHes never append to one upload at once (a client may retry while its first
/// request still trickles in), and the SHA-256 of the bytes held so far, so finishing an
/// upload needs no second read of it. After a restart the digest is read from the store.
#[derive(Default)]
pub struct InFlight {
    uploads: std::sync::Mutex<HashMap<String, Slot>>,
}

type Slot = Arc<tokio::sync::Mutex<Option<RunningDigest>>>;
type Guard = tokio::sync::OwnedMutexGuard<Option<RunningDigest>>;

/// The digest of an upload's first `offset` bytes.
struct RunningDigest {
    offset: u64,
    sha256: Sha256,
}

impl InFlight {
    /// The upload's lock and what is known of it, unless a request holds it.
    fn try_lock(&self, id: &str) -> Option<Guard> {
        let mut uploads = self.uploads.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = uploads.entry(id.to_owned()).or_default().clone();
        slot.try_lock_owned().ok()
    }

    fn forget(&self, id: &str) {
        let mut uploads = self.uploads.lock().unwrap_or_else(PoisonError::into_inner);
        uploads.remove(id);
    }
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let uploads = self.uploads.lock().map(|u| u.len()).unwrap_or(0);
        f.debug_struct("InFlight")
            .field("uploads", &uploads)
            .finish()
    }
}

/// The checksum of a PATCH body, taken as it arrives.
enum BodyHash {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl BodyHash {
    fn new(algorithm: &str) -> Self {
        if algorithm == "sha1" {
            Self::Sha1(Sha1::new())
        } else {
            Self::Sha256(Sha256::new())
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Sha1(h) => h.update(bytes),
            Self::Sha256(h) => h.update(bytes),
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha1(h) => h.finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

/// Abandons an upload.
#[utoipa::path(
    delete,
    path = "/v1/uploads/{upload}",
    tag = "uploads",
    params(("upload" = String, Path, description = "Upload id"), ("Tus-Resumable" = String, Header, description = "`1.0.0`")),
    security(("session_token" = [])),
    responses(
        (status = 204, description = "Gone"),
        (status = 404, description = "No such upload"),
        (status = 423, description = "`upload_locked`: a request is writing it", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require_version(&headers)?;
    let upload = live_upload(&state, &id, &headers).await?;
    remove(&state, &upload.id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Removes unfinished uploads past their expiry (but not one a request is writing);
/// returns how many.
pub async fn sweep_expired(state: &AppState) -> Result<usize, ApiError> {
    let expired = state.store.expired_uploads(state.clock.now()).await?;
    let mut removed = 0;
    for id in &expired {
        if try_remove(state, id).await? {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Removes an upload; `upload_locked` while a request is writing it.
async fn remove(state: &AppState, id: &str) -> Result<(), ApiError> {
    if try_remove(state, id).await? {
        Ok(())
    } else {
        Err(locked())
    }
}

/// Removes an upload unless a request is writing it; whether it did.
async fn try_remove(state: &AppState, id: &str) -> Result<bool, ApiError> {
    let Some(_writing) = state.in_flight.try_lock(id) else {
        return Ok(false);
    };
    state
        .media
        .delete(id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    state.store.delete_upload(id).await?;
    state.in_flight.forget(id);
    Ok(true)
}

/// Records an upload whose bytes are all stored as whole: durable first, then its
/// SHA-256 (carried along, or read back when this process did not see every byte).
/// The caller holds the upload's lock.
async fn complete(state: &AppState, id: &str, whole: Option<Sha256>) -> Result<(), ApiError> {
    state
        .media
        .sync(id)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let sha256 = match whole {
        Some(hash) => hex(&hash.finalize()),
        None => state
            .media
            .sha256(id)
            .await
            .map_err(|e| ApiError::internal(&e))?,
    };
    state.store.complete_upload(id, &sha256).await?;
    // Whole: nothing more is written to it, so nothing more to keep in memory.
    state.in_flight.forget(id);
    tracing::info!(upload = %id, "upload complete");
    Ok(())
}

fn locked() -> ApiError {
    ApiError::new(
        StatusCode::LOCKED,
        "upload_locked",
        "another request is writing this upload; ask with HEAD, then resume",
    )
    .with_retry_after(1)
}

/// The upload, if it exists, has not expired, and the caller holds its session's token.
async fn live_upload(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
) -> Result<UploadRecord, ApiError> {
    let gone = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "upload_not_found",
            "no such upload, or it expired",
        )
    };
    let upload = state.store.upload(id).await?.ok_or_else(gone)?;
    state.authorised(&upload.session_id, headers).await?;
    if upload.sha256.is_none() && state.clock.now() >= upload.expires_at {
        remove(state, &upload.id).await?;
        return Err(gone());
    }
    Ok(upload)
}

fn require_version(headers: &HeaderMap) -> Result<(), ApiError> {
    if headers.get(TUS_RESUMABLE).and_then(|v| v.to_str().ok()) == Some(VERSION) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "tus_version",
            "Tus-Resumable: 1.0.0 is required",
        )
        .with_header(TUS_VERSION, VERSION))
    }
}

fn header_number(headers: &HeaderMap, name: &HeaderName) -> Option<u64> {
    let text = headers.get(name)?.to_str().ok()?;
    // Digits only: no sign, no spaces, no hex.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `key base64,key2 base64,flag` → pairs (a key without value has an empty one).
fn parse_metadata(value: Option<&HeaderValue>) -> Result<Vec<(String, String)>, ApiError> {
    let bad = |detail: &str| ApiError::bad_request("upload_metadata", detail.to_owned());
    let Some(value) = value else {
        return Err(bad("Upload-Metadata is required"));
    };
    let text = value
        .to_str()
        .map_err(|_| bad("Upload-Metadata is not ASCII"))?;
    text.split(',')
        .map(str::trim)
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, encoded) = pair.split_once(' ').unwrap_or((pair, ""));
            let decoded = STANDARD
                .decode(encoded.trim())
                .map_err(|_| bad("a metadata value is not base64"))?;
            let decoded =
                String::from_utf8(decoded).map_err(|_| bad("a metadata value is not UTF-8"))?;
            Ok((key.to_owned(), decoded))
        })
        .collect()
}

/// `sha256 <base64>` → (algorithm, digest bytes).
fn parse_checksum(value: Option<&HeaderValue>) -> Result<Option<(String, Vec<u8>)>, ApiError> {
    let Some(value) = value else { return Ok(None) };
    let bad = || {
        ApiError::bad_request(
            "checksum_algorithm",
            "Upload-Checksum is `sha1 <base64>` or `sha256 <base64>`",
        )
    };
    let text = value.to_str().map_err(|_| bad())?;
    let (algorithm, encoded) = text.split_once(' ').ok_or_else(bad)?;
    if algorithm != "sha1" && algorithm != "sha256" {
        return Err(bad());
    }
    let expected = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    Ok(Some((algorithm.to_owned(), expected)))
}

fn expires(at: i64) -> HeaderValue {
    let when =
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(at).unwrap_or(0));
    HeaderValue::from_str(&httpdate::fmt_http_date(when)).unwrap_or(HeaderValue::from_static(""))
}
