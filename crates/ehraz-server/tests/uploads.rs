//! Resumable uploads (tus 1.0) over real HTTP: creation, resuming, checksums, limits,
//! content checks, termination and expiry.

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::{Harness, Session, harness};
use ehraz_server::Limits;
use reqwest::{Method, Response, StatusCode};
use sha2::{Digest, Sha256};

fn jpeg(size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..size.saturating_sub(4)).map(|i| (i * 31 % 251) as u8));
    bytes
}

fn metadata(session: &Session, step: &str, media_type: &str) -> String {
    let b64 = |s: &str| STANDARD.encode(s);
    format!(
        "session {},step {},media_type {},filename {}",
        b64(&session.id),
        b64(step),
        b64(media_type),
        b64("x.jpg")
    )
}

async fn tus(h: &Harness, s: &Session, method: Method, url: &str) -> reqwest::RequestBuilder {
    h.http
        .request(method, url)
        .bearer_auth(&s.token)
        .header("Tus-Resumable", "1.0.0")
}

async fn create(h: &Harness, s: &Session, step: &str, media_type: &str, length: usize) -> Response {
    tus(h, s, Method::POST, &format!("{}/v1/uploads", h.base))
        .await
        .header("Upload-Length", length.to_string())
        .header("Upload-Metadata", metadata(s, step, media_type))
        .send()
        .await
        .expect("sent")
}

async fn created(h: &Harness, s: &Session, step: &str, length: usize) -> String {
    let response = create(h, s, step, "image/jpeg", length).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["tus-resumable"], "1.0.0");
    assert!(response.headers().contains_key("upload-expires"));
    format!(
        "{}{}",
        h.base,
        response.headers()["location"].to_str().expect("ascii")
    )
}

async fn patch(
    h: &Harness,
    s: &Session,
    url: &str,
    offset: usize,
    bytes: &[u8],
    checksum: Option<String>,
) -> Response {
    let mut request = tus(h, s, Method::PATCH, url)
        .await
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream");
    if let Some(checksum) = checksum {
        request = request.header("Upload-Checksum", checksum);
    }
    request.body(bytes.to_vec()).send().await.expect("sent")
}

async fn offset(h: &Harness, s: &Session, url: &str) -> Option<u64> {
    let response = tus(h, s, Method::HEAD, url)
        .await
        .send()
        .await
        .expect("sent");
    if response.status() != StatusCode::OK {
        return None;
    }
    assert_eq!(response.headers()["cache-control"], "no-store");
    response.headers()["upload-offset"]
        .to_str()
        .ok()?
        .parse()
        .ok()
}

fn sha256_header(bytes: &[u8]) -> String {
    format!("sha256 {}", STANDARD.encode(Sha256::digest(bytes)))
}

async fn code(response: Response) -> String {
    response.json::<serde_json::Value>().await.expect("json")["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn the_server_announces_tus_1_0_and_its_extensions() {
    let h = harness(Limits::default()).await;
    let response = h
        .http
        .request(Method::OPTIONS, format!("{}/v1/uploads", h.base))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let headers = response.headers();
    assert_eq!(headers["tus-version"], "1.0.0");
    assert_eq!(
        headers["tus-extension"],
        "creation,checksum,termination,expiration"
    );
    assert_eq!(headers["tus-checksum-algorithm"], "sha1,sha256");
    assert_eq!(headers["tus-max-size"], (128u64 << 20).to_string().as_str());
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn an_upload_arrives_in_chunks_with_checksums_and_resumes_from_the_servers_offset() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let photo = jpeg(300_000);
    let url = created(&h, &s, "selfie", photo.len()).await;
    assert_eq!(offset(&h, &s, &url).await, Some(0));
    let first = &photo[..100_000];
    let response = patch(&h, &s, &url, 0, first, Some(sha256_header(first))).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.headers()["upload-offset"], "100000");
    // A client that lost track sends from the wrong place and is told so.
    let response = patch(&h, &s, &url, 0, first, None).await;
    assert_eq!(
        (response.status(), code(response).await.as_str()),
        (StatusCode::CONFLICT, "offset_mismatch")
    );
    let resume_at = offset(&h, &s, &url).await.expect("offset") as usize;
    let rest = &photo[resume_at..];
    let sha1 = format!("sha1 {}", STANDARD.encode(sha1::Sha1::digest(rest)));
    let response = patch(&h, &s, &url, resume_at, rest, Some(sha1)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers()["upload-offset"],
        photo.len().to_string().as_str()
    );
    assert!(
        !response.headers().contains_key("upload-expires"),
        "a complete upload does not expire"
    );
    assert_eq!(offset(&h, &s, &url).await, Some(photo.len() as u64));
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn a_chunk_that_fails_its_checksum_is_not_kept() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let photo = jpeg(5_000);
    let url = created(&h, &s, "selfie", photo.len()).await;
    let response = patch(
        &h,
        &s,
        &url,
        0,
        &photo,
        Some(sha256_header(b"something else")),
    )
    .await;
    assert_eq!(response.status().as_u16(), 460);
    assert_eq!(code(response).await, "checksum_mismatch");
    assert_eq!(offset(&h, &s, &url).await, Some(0));
    let response = patch(&h, &s, &url, 0, &photo, Some("md5 AAAA".into())).await;
    assert_eq!(
        (response.status(), code(response).await.as_str()),
        (StatusCode::BAD_REQUEST, "checksum_algorithm")
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn content_that_is_not_its_declared_type_is_refused_and_dropped() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let url = created(&h, &s, "selfie", 1000).await;
    let response = patch(&h, &s, &url, 0, &[b'G'; 1000], None).await;
    assert_eq!(
        (response.status(), code(response).await.as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "media_content_mismatch")
    );
    assert_eq!(offset(&h, &s, &url).await, None, "the upload is gone");
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn uploads_are_tied_to_a_capture_step_its_media_and_a_size_limit() {
    let h = harness(Limits {
        max_jpeg_bytes: 10_000,
        ..Limits::default()
    })
    .await;
    let s = h.start_session("sejam").await;
    let cases = [
        (
            "selfie",
            "video/mp4",
            100,
            StatusCode::BAD_REQUEST,
            "media_type_not_allowed",
        ),
        (
            "mobile",
            "image/jpeg",
            100,
            StatusCode::BAD_REQUEST,
            "media_type_not_allowed",
        ),
        (
            "selfie",
            "image/gif",
            100,
            StatusCode::BAD_REQUEST,
            "media_type_not_allowed",
        ),
        (
            "selfie",
            "image/jpeg",
            10_001,
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload_too_large",
        ),
    ];
    for (step, media, length, status, expected) in cases {
        let response = create(&h, &s, step, media, length).await;
        assert_eq!(
            (response.status(), code(response).await.as_str()),
            (status, expected),
            "{step} {media}"
        );
    }
    assert_eq!(
        create(&h, &s, "selfie-video", "video/mp4", 100)
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        create(&h, &s, "selfie-video", "audio/wav", 100)
            .await
            .status(),
        StatusCode::CREATED
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn bytes_past_the_declared_length_are_refused() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let url = created(&h, &s, "selfie", 100).await;
    let response = patch(&h, &s, &url, 0, &jpeg(101), None).await;
    assert_eq!(
        (response.status(), code(response).await.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "upload_too_large")
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn protocol_mistakes_are_named() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let no_version = h
        .http
        .post(format!("{}/v1/uploads", h.base))
        .bearer_auth(&s.token)
        .header("Upload-Length", "10")
        .header("Upload-Metadata", metadata(&s, "selfie", "image/jpeg"))
        .send()
        .await
        .expect("sent");
    assert_eq!(no_version.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(no_version.headers()["tus-version"], "1.0.0");
    let no_length = tus(&h, &s, Method::POST, &format!("{}/v1/uploads", h.base))
        .await
        .header("Upload-Metadata", metadata(&s, "selfie", "image/jpeg"))
        .send()
        .await
        .expect("sent");
    assert_eq!(code(no_length).await, "upload_length_required");
    let bad_metadata = tus(&h, &s, Method::POST, &format!("{}/v1/uploads", h.base))
        .await
        .header("Upload-Length", "10")
        .header("Upload-Metadata", "session !!!")
        .send()
        .await
        .expect("sent");
    assert_eq!(code(bad_metadata).await, "upload_metadata");
    let url = created(&h, &s, "selfie", 100).await;
    let wrong_type = tus(&h, &s, Method::PATCH, &url)
        .await
        .header("Upload-Offset", "0")
        .header("Content-Type", "image/jpeg")
        .body(jpeg(100))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        (wrong_type.status(), code(wrong_type).await.as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "content_type")
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn only_the_sessions_token_reaches_its_uploads() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let other = h.start_session("sejam").await;
    let url = created(&h, &s, "selfie", 100).await;
    let intruder = Session {
        id: s.id.clone(),
        token: other.token.clone(),
    };
    assert_eq!(offset(&h, &intruder, &url).await, None);
    let response = patch(&h, &intruder, &url, 0, &jpeg(100), None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = create(&h, &intruder, "selfie", "image/jpeg", 100).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn terminated_and_expired_uploads_are_gone() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let url = created(&h, &s, "selfie", 100).await;
    let response = tus(&h, &s, Method::DELETE, &url)
        .await
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset(&h, &s, &url).await, None);

    let url = created(&h, &s, "selfie", 100).await;
    patch(&h, &s, &url, 0, &jpeg(50), None).await;
    h.clock.advance(24 * 3600);
    assert_eq!(
        offset(&h, &s, &url).await,
        None,
        "an unfinished upload expires after a day"
    );
    let response = patch(&h, &s, &url, 50, &jpeg(50), None).await;
    assert_eq!(
        (response.status(), code(response).await.as_str()),
        (StatusCode::NOT_FOUND, "upload_not_found")
    );

    let done = created(&h, &s, "selfie", 100).await;
    patch(&h, &s, &done, 0, &jpeg(100), None).await;
    h.clock.advance(2 * 24 * 3600);
    assert_eq!(
        offset(&h, &s, &done).await,
        Some(100),
        "a complete upload stays until submission"
    );
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn one_request_writes_an_upload_at_a_time_and_a_silent_body_counts_as_cut() {
    let h = harness(Limits {
        body_idle_seconds: 1,
        ..Limits::default()
    })
    .await;
    let s = h.start_session("sejam").await;
    let bytes = jpeg(1_000);
    let url = created(&h, &s, "selfie", bytes.len()).await;

    // A first request sends 100 bytes, then falls silent without closing.
    let (feed, fed) = tokio::sync::mpsc::channel::<bytes::Bytes>(4);
    let body = futures_util::stream::unfold(fed, |mut fed| async move {
        fed.recv()
            .await
            .map(|piece| (Ok::<_, std::io::Error>(piece), fed))
    });
    let silent = tus(&h, &s, Method::PATCH, &url)
        .await
        .header("Upload-Offset", "0")
        .header("Content-Type", "application/offset+octet-stream")
        .body(reqwest::Body::wrap_stream(body))
        .send();
    let silent = tokio::spawn(silent);
    feed.send(bytes::Bytes::copy_from_slice(&bytes[..100]))
        .await
        .expect("fed");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // While it lasts, nobody else writes or removes it, and unsettled bytes are not
    // reported.
    let second = patch(&h, &s, &url, 0, &bytes, None).await;
    assert_eq!(second.status(), StatusCode::LOCKED);
    assert_eq!(code(second).await, "upload_locked");
    let removal = tus(&h, &s, Method::DELETE, &url)
        .await
        .send()
        .await
        .expect("sent");
    assert_eq!(removal.status(), StatusCode::LOCKED);
    assert_eq!(offset(&h, &s, &url).await, Some(0));

    // After a second of silence the server stops waiting and keeps what arrived (no
    // checksum was asked), and lets the next request in.
    let first = silent.await.expect("joined").expect("answered");
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_eq!(first.headers()["upload-offset"], "100");
    drop(feed);
    let rest = patch(
        &h,
        &s,
        &url,
        100,
        &bytes[100..],
        Some(sha256_header(&bytes[100..])),
    )
    .await;
    assert_eq!(rest.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset(&h, &s, &url).await, Some(1_000));
    h.server.stop().await.expect("stops");
}

#[tokio::test]
async fn an_upload_whose_bytes_all_arrived_but_went_unrecorded_is_recorded_on_head() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let bytes = jpeg(2_000);
    let url = created(&h, &s, "selfie", bytes.len()).await;
    // The server stored every byte, then died before it recorded the upload as whole.
    let id = url.rsplit('/').next().expect("id");
    std::fs::write(h.dir.0.join("media").join(format!("{id}.bin")), &bytes).expect("written");

    let head = tus(&h, &s, Method::HEAD, &url)
        .await
        .send()
        .await
        .expect("sent");
    assert_eq!(head.headers()["upload-offset"], "2000");
    // Recorded: a whole upload has no expiry any more, and the submission counts it.
    let again = tus(&h, &s, Method::HEAD, &url)
        .await
        .send()
        .await
        .expect("sent");
    assert_eq!(again.headers()["upload-offset"], "2000");
    assert!(!again.headers().contains_key("upload-expires"));
    h.server.stop().await.expect("stops");
}
