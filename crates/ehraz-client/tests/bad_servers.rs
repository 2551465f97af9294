//! A server that answers garbage, fails, stalls, floods or is not there: every case is a
//! typed error with a stable code, never a panic or a hang.

use std::time::Duration;

use ehraz_client::{Client, ClientError};
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
    use ehraz_client::{RetryPolicy, Session, Target, Uploader};

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
    let retry = RetryPolicy {
        max_failures: 5,
        base: Duration::from_millis(1),
        cap: Duration::from_millis(5),
    };
    let uploader = Uploader::new(Client::new(base.clone()).expect("client"), 64).with_retry(retry);
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
