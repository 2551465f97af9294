//! The server in this process on a loopback port, with a clock the tests move and the
//! development SMS provider's outbox to read codes from.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use ehraz_server::{Config, Limits, ManualClock, RunningServer};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub struct Harness {
    pub server: RunningServer,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    pub base: String,
    /// The server's data folder (database and media).
    pub dir: TempDir,
}

/// A folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub async fn harness(limits: Limits) -> Harness {
    let dir = std::env::temp_dir().join(format!("ehraz-server-test-{}", uuid::Uuid::new_v4()));
    let mut config = Config::local(dir.clone());
    if let Ok(admin_url) = std::env::var("EHRAZ_TEST_POSTGRES_URL") {
        config.database_url = fresh_postgres_database(&admin_url).await;
    }
    config.listen = "127.0.0.1:0".parse().expect("address");
    config.print_sms = false;
    config.limits = limits;
    let clock = Arc::new(ManualClock::new());
    let server = ehraz_server::start(config, clock.clone())
        .await
        .expect("server starts");
    let base = format!("http://{}", server.addr);
    Harness {
        server,
        clock,
        http: reqwest::Client::new(),
        base,
        dir: TempDir(dir),
    }
}

pub struct Session {
    pub id: String,
    pub token: String,
}

impl Harness {
    pub async fn start_session(&self, flow: &str) -> Session {
        let response = self
            .http
            .post(format!("{}/v1/sessions", self.base))
            .json(&json!({ "flow": flow }))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("json");
        Session {
            id: body["session_id"].as_str().expect("id").to_owned(),
            token: body["token"].as_str().expect("token").to_owned(),
        }
    }

    pub async fn call(
        &self,
        session: &Session,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let url = format!("{}/v1/sessions/{}{path}", self.base, session.id);
        let mut request = self.http.request(method, url).bearer_auth(&session.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("sent");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn answer(&self, session: &Session, answers: Value) -> (StatusCode, Value) {
        self.call(
            session,
            reqwest::Method::PUT,
            "/answers",
            Some(json!({ "answers": answers })),
        )
        .await
    }

    pub async fn send_code(&self, session: &Session, step: &str) -> (StatusCode, Value) {
        self.call(
            session,
            reqwest::Method::POST,
            "/codes",
            Some(json!({ "step": step })),
        )
        .await
    }

    pub async fn verify(&self, session: &Session, step: &str, code: &str) -> (StatusCode, Value) {
        self.call(
            session,
            reqwest::Method::POST,
            "/codes/verify",
            Some(json!({ "step": step, "code": code })),
        )
        .await
    }

    /// The code in the last SMS to a number.
    pub fn code_sent_to(&self, mobile: &str) -> String {
        let text = self.server.sms.last_to(mobile).expect("an SMS was sent");
        text.chars().filter(char::is_ascii_digit).collect()
    }
}

impl Harness {
    /// Uploads bytes through tus in chunks with SHA-256 checksums; returns the upload URL.
    pub async fn upload(&self, s: &Session, step: &str, media_type: &str, bytes: &[u8]) -> String {
        use base64::Engine;
        use base64::engine::general_purpose::STANDARD;
        use sha2::Digest;
        let b64 = |v: &str| STANDARD.encode(v);
        let metadata = format!(
            "session {},step {},media_type {}",
            b64(&s.id),
            b64(step),
            b64(media_type)
        );
        let created = self
            .http
            .post(format!("{}/v1/uploads", self.base))
            .bearer_auth(&s.token)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", bytes.len().to_string())
            .header("Upload-Metadata", metadata)
            .send()
            .await
            .expect("sent");
        assert_eq!(created.status(), StatusCode::CREATED, "{step} {media_type}");
        let url = format!(
            "{}{}",
            self.base,
            created.headers()["location"].to_str().expect("ascii")
        );
        let mut offset = 0;
        for chunk in bytes.chunks(64 * 1024) {
            let checksum = format!("sha256 {}", STANDARD.encode(sha2::Sha256::digest(chunk)));
            let response = self
                .http
                .patch(&url)
                .bearer_auth(&s.token)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", offset.to_string())
                .header("Upload-Checksum", checksum)
                .header("Content-Type", "application/offset+octet-stream")
                .body(chunk.to_vec())
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status(), StatusCode::NO_CONTENT);
            offset += chunk.len();
        }
        url
    }
}

/// Bytes that begin as a file of the media type does, then vary with `seed`.
pub fn media(media_type: &str, size: usize, seed: u8) -> Vec<u8> {
    let mut bytes = match media_type {
        "image/jpeg" => vec![0xFF, 0xD8, 0xFF, 0xE0],
        "video/mp4" => b"\0\0\0\x20ftypisom".to_vec(),
        _ => b"RIFF\x24\x08\0\0WAVEfmt ".to_vec(),
    };
    bytes.extend((0..size).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes
}

/// A new, empty database on the PostgreSQL server of `admin_url`, for one test.
async fn fresh_postgres_database(admin_url: &str) -> String {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!("ehraz_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::AnyConnection::connect(admin_url)
        .await
        .expect("PostgreSQL answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("database created");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    format!("{base}/{name}")
}
