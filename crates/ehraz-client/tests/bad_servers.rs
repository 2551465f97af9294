//! A server that answers garbage, fails, stalls, floods or is not there: every case is a
//! typed error with a stable code, never a panic or a hang.

use std::time::Duration;

use ehraz_client::{Client, ClientError, RetryPolicy, Uploader};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A server that answers every request with `response`, then (if `stall`) keeps the
/// connection open without finishing.
async fn fake(response: Vec<u8>, stall: bool) -> url::Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(&response).await;
                if stall {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
            });
        }
    });
    format!("http://{addr}").parse().expect("url")
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}

/// An uploader of 64-byte chunks to `base` that gives up after `max_failures` failures in
/// a row, retrying within milliseconds.
fn quick_uploader(base: url::Url, max_failures: u32) -> Uploader {
    let retry = RetryPolicy {
        max_failures,
        base: Duration::from_millis(1),
        cap: Duration::from_millis(5),
    };
    Uploader::new(Client::new(base).expect("client"), 64).with_retry(retry)
}

async fn start(base: url::Url) -> ClientError {
    let client = Client::with_timeout(base, Duration::from_millis(800)).expect("client");
    client
        .start_session("sejam")
        .await
        .expect_err("the server is broken")
}

#[tokio::test]
async fn an_html_page_instead_of_json_is_garbage() {
    let err = start(
        fake(
            http("200 OK", "text/html", b"<html>captive portal</html>"),
            false,
        )
        .await,
    )
    .await;
    assert!(matches!(err, ClientError::Garbage(_)), "{err:?}");
    assert_eq!(err.code(), "server_garbage");
}

#[tokio::test]
async fn malformed_json_is_garbage() {
    let err = start(
        fake(
            http("201 Created", "application/json", b"{\"session_id\": "),
            false,
        )
        .await,
    )
    .await;
    assert_eq!(err.code(), "server_garbage", "{err:?}");
    let err = start(
        fake(
            http("201 Created", "application/json", b"{\"unexpected\": true}"),
            false,
        )
        .await,
    )
    .await;
    assert_eq!(err.code(), "server_garbage", "{err:?}");
}

#[tokio::test]
async fn a_bare_server_error_is_a_transient_failure() {
    let err = start(fake(http("502 Bad Gateway", "text/plain", b"bad gateway"), false).await).await;
    assert!(matches!(err, ClientError::Server(502)), "{err:?}");
    assert!(err.is_transient());
}

#[tokio::test]
async fn a_server_refusal_keeps_its_code_and_detail() {
    let body = br#"{"code":"rate_limited","detail":"wait","retry_after_seconds":42}"#;
    let err = start(
        fake(
            http("429 Too Many Requests", "application/json", body),
            false,
        )
        .await,
    )
    .await;
    match &err {
        ClientError::Api {
            status: 429,
            code,
            retry_after_seconds: Some(42),
            ..
        } => assert_eq!(code, "rate_limited"),
        other => panic!("{other:?}"),
    }
    assert!(err.is_transient());
}

#[tokio::test]
async fn an_oversized_answer_is_refused_unread() {
    let huge = vec![b' '; 3 << 20];
    let err = start(fake(http("201 Created", "application/json", &huge), false).await).await;
    assert!(matches!(err, ClientError::TooLarge(_)), "{err:?}");
    // The same without a Content-Length: counted while reading.
    let mut chunked =
        b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
            .to_vec();
    chunked.extend(vec![b' '; 3 << 20]);
    let err = start(fake(chunked, false).await).await;
    assert!(matches!(err, ClientError::TooLarge(_)), "{err:?}");
}

#[tokio::test]
async fn a_server_that_stalls_mid_answer_times_out() {
    let slow_loris = b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"session".to_vec();
    let err = start(fake(slow_loris, true).await).await;
    assert_eq!(err.code(), "timeout", "{err:?}");
    assert!(err.is_transient());
}

#[tokio::test]
async fn no_server_at_all_is_a_network_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let err = start(format!("http://{addr}").parse().expect("url")).await;
    assert_eq!(err.code(), "network", "{err:?}");
}

#[tokio::test]
async fn a_tls_failure_is_a_network_error() {
    // A plain-HTTP server spoken to over TLS: the handshake fails.
    let base = fake(http("200 OK", "text/plain", b"not tls"), false).await;
    let tls = format!(
        "https://{}:{}",
        base.host_str().unwrap_or("127.0.0.1"),
        base.port().unwrap_or(0)
    );
    let err = start(tls.parse().expect("url")).await;
    assert_eq!(err.code(), "network", "{err:?}");
}

#[tokio::test]
async fn an_upload_that_answers_its_offset_but_never_takes_a_byte_is_given_up() {
    use axum::http::StatusCode;
    use axum::routing::head;
    use ehraz_client::{Session, Target};

    // HEAD always answers; every PATCH fails with 500, as a server with a full disk.
    let app = axum::Router::new().route(
        "/v1/uploads/stuck",
        head(|| async {
            (
                StatusCode::OK,
                [("upload-offset", "0"), ("upload-length", "100")],
            )
        })
        .patch(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base: url::Url = format!("http://{addr}").parse().expect("url");
    let uploader = quick_uploader(base.clone(), 5);
    let session = Session {
        id: "s".into(),
        token: "t".into(),
    };
    let target = Target {
        session: &session,
        step: "selfie",
        media_type: ehraz_core::MediaType::ImageJpeg,
    };
    let (mut created, mut progress) = (|_: &url::Url| {}, |_: u64, _: u64| {});
    let upload = uploader.upload(
        target,
        vec![0xFF; 100].into(),
        Some(base.join("/v1/uploads/stuck").expect("url")),
        &mut created,
        &mut progress,
    );
    let outcome = tokio::time::timeout(Duration::from_secs(20), upload)
        .await
        .expect("gives up instead of retrying forever");
    assert!(
        matches!(outcome, Err(ClientError::GaveUp { attempts: 5, .. })),
        "{outcome:?}"
    );
}

/// A server on loopback with `app`'s routes.
async fn serve(app: axum::Router) -> url::Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}").parse().expect("url")
}

/// A server that answers every request with a new session, counting them.
async fn counting_server() -> (url::Url, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    let app = axum::Router::new().fallback(move || {
        let counted = Arc::clone(&counted);
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            (
                axum::http::StatusCode::CREATED,
                axum::Json(serde_json::json!({ "session_id": "s1", "token": "t", "flow": {} })),
            )
        }
    });
    (serve(app).await, hits)
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    use std::sync::atomic::Ordering;
    // Where the redirect points: a server that would start the session.
    let (elsewhere, hits) = counting_server().await;
    for status in [301_u16, 302, 307, 308] {
        let target = elsewhere.join("/v1/sessions").expect("url").to_string();
        let app = axum::Router::new().fallback(move || {
            let target = target.clone();
            async move {
                (
                    axum::http::StatusCode::from_u16(status).expect("status"),
                    [("location", target)],
                )
            }
        });
        let err = start(serve(app).await).await;
        assert_eq!(err.code(), "server_garbage", "{status}: {err:?}");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the redirect was followed");
    // The server itself answers when asked directly (the test would pass for nothing
    // otherwise).
    let client = Client::new(elsewhere).expect("client");
    client.start_session("sejam").await.expect("a session");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_session_id_that_could_name_another_folder_or_path_is_garbage() {
    for id in [
        "",
        "..",
        "../../home",
        "a/b",
        "a\\b",
        "s1?x=1",
        "s1#x",
        "ک",
        &"a".repeat(129),
    ] {
        let body = serde_json::json!({ "session_id": id, "token": "t", "flow": {} }).to_string();
        let err = start(
            fake(
                http("201 Created", "application/json", body.as_bytes()),
                false,
            )
            .await,
        )
        .await;
        assert_eq!(err.code(), "server_garbage", "{id:?}: {err:?}");
    }
    let uuid = "0b9f2c4e-8a71-4f0e-9d3b-2f7c1e5a6b80";
    let body = serde_json::json!({ "session_id": uuid, "token": "t", "flow": {} }).to_string();
    let client = Client::with_timeout(
        fake(
            http("201 Created", "application/json", body.as_bytes()),
            false,
        )
        .await,
        Duration::from_millis(800),
    )
    .expect("client");
    let started = client.start_session("sejam").await.expect("a plain id");
    assert_eq!(started.session.id, uuid);
}

#[tokio::test]
async fn an_upload_location_on_another_origin_is_refused_unused() {
    use ehraz_client::{Session, Target};
    use std::sync::atomic::Ordering;

    let (elsewhere, hits) = counting_server().await;
    for location in [
        elsewhere.join("/v1/uploads/u1").expect("url").to_string(),
        "https://evil.example/v1/uploads/u1".to_owned(),
        "//evil.example/v1/uploads/u1".to_owned(),
    ] {
        let app = axum::Router::new().route(
            "/v1/uploads",
            axum::routing::post(move || {
                let location = location.clone();
                async move { (axum::http::StatusCode::CREATED, [("location", location)]) }
            }),
        );
        let base = serve(app).await;
        let uploader = quick_uploader(base, 3);
        let session = Session {
            id: "s".into(),
            token: "t".into(),
        };
        let target = Target {
            session: &session,
            step: "selfie",
            media_type: ehraz_core::MediaType::ImageJpeg,
        };
        let (mut created, mut progress) = (|_: &url::Url| {}, |_: u64, _: u64| {});
        let outcome = uploader
            .upload(
                target,
                vec![0xFF; 100].into(),
                None,
                &mut created,
                &mut progress,
            )
            .await;
        // Refused each time it is offered (a garbage answer is retried), then given up.
        match outcome {
            Err(ClientError::GaveUp { last, .. }) => assert!(
                matches!(&*last, ClientError::Garbage(m) if m.contains("another origin")),
                "{last:?}"
            ),
            other => panic!("not refused: {other:?}"),
        }
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a byte went elsewhere");
}

#[tokio::test]
async fn absurd_code_timings_saturate_instead_of_overflowing() {
    use ehraz_client::{Journey, KeyStore, Outbox};

    // One answer that every call of the journey reads as what it wants: the session,
    // the stored answers, and a code "valid" for i64::MAX seconds, resendable -5 s ago.
    let body = serde_json::json!({
        "session_id": "s1", "token": "t", "flow": {},
        "answers": { "mobile": "09121234567" },
        "code_length": 6, "expires_in_seconds": i64::MAX, "resend_after_seconds": -5,
        "sent_to": "0912***4567",
    })
    .to_string();
    let base = fake(http("200 OK", "application/json", body.as_bytes()), false).await;
    let dir = std::env::temp_dir().join(format!("ehraz-bad-code-{}", rand::random::<u64>()));
    let outbox = Outbox::with_keys(&dir, KeyStore::File).expect("outbox");
    let client = Client::with_timeout(base, Duration::from_secs(5)).expect("client");
    let mut journey = Journey::start(client, &outbox, "sejam")
        .await
        .expect("starts");
    let today = ehraz_core::JalaliDate::today_in_tehran(jiff::Timestamp::now());
    let values = [("mobile".to_owned(), "09121234567".to_owned())].into();
    journey.submit_form(&values, today).await.expect("mobile");
    let now_ms = 1_800_000_000_000;
    journey.send_code(now_ms).await.expect("sent");
    let code = journey.view().code.expect("a code");
    assert_eq!(code.expires_at_ms, i64::MAX);
    assert_eq!(code.resend_at_ms, now_ms);
    let _ = std::fs::remove_dir_all(dir);
}
