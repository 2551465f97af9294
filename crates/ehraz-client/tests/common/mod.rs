//! A reference server in this process, and a loopback proxy that breaks connections.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use ehraz_server::{Config, RunningServer, SystemClock};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The reference server on a loopback port, in a folder removed on drop.
pub struct Server {
    pub running: Option<RunningServer>,
    pub dir: PathBuf,
}

impl Server {
    pub async fn start() -> Self {
        let dir =
            std::env::temp_dir().join(format!("ehraz-client-test-{}", rand::rng().random::<u64>()));
        let running = Self::run(&dir, "127.0.0.1:0".parse().expect("address")).await;
        Self {
            running: Some(running),
            dir,
        }
    }

    /// Stops the server and starts it again on the same address and data.
    pub async fn restart(&mut self) {
        let addr = self.addr();
        if let Some(running) = self.running.take() {
            running.stop().await.expect("stops");
        }
        self.running = Some(Self::run(&self.dir, addr).await);
    }

    /// Stops the server, keeping its data; [`Server::start_at`] starts it again.
    #[allow(dead_code)]
    pub async fn stop(&mut self) -> SocketAddr {
        let addr = self.addr();
        if let Some(running) = self.running.take() {
            running.stop().await.expect("stops");
        }
        addr
    }

    /// Starts a stopped server again on `addr`.
    #[allow(dead_code)]
    pub async fn start_at(&mut self, addr: SocketAddr) {
        self.running = Some(Self::run(&self.dir, addr).await);
    }

    async fn run(dir: &std::path::Path, listen: SocketAddr) -> RunningServer {
        let mut config = Config::local(dir.to_path_buf());
        config.listen = listen;
        config.print_sms = false;
        // Rate limits are the server's tests' concern; here many sessions share a phone.
        config.limits.resend_after_seconds = 0;
        config.limits.sends_per_number = usize::MAX;
        config.limits.sends_per_address = usize::MAX;
        ehraz_server::start(config, Arc::new(SystemClock))
            .await
            .expect("server starts")
    }

    pub fn addr(&self) -> SocketAddr {
        self.running.as_ref().expect("running").addr
    }

    pub fn url(&self) -> url::Url {
        format!("http://{}", self.addr()).parse().expect("url")
    }

    /// The last code texted to a number.
    pub fn code_sent_to(&self, mobile: &str) -> String {
        let text = self
            .running
            .as_ref()
            .expect("running")
            .sms
            .last_to(mobile)
            .expect("an SMS");
        text.chars().filter(char::is_ascii_digit).collect()
    }

    /// The bytes the server holds for an upload URL.
    pub fn stored(&self, upload: &url::Url) -> Vec<u8> {
        let id = upload.path().rsplit('/').next().expect("id");
        std::fs::read(self.dir.join("media").join(format!("{id}.bin"))).expect("held")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What the proxy did, counted.
#[derive(Debug, Default)]
pub struct Faults {
    pub connections: AtomicU64,
    pub cut_requests: AtomicU64,
    pub cut_responses: AtomicU64,
    pub refused: AtomicU64,
    pub stalled: AtomicU64,
}

/// A TCP proxy on loopback in front of `upstream` that, per connection and at random
/// (seeded), passes it through, cuts the request or the response after a random number
/// of bytes, answers 503 itself, or stalls before passing.
pub async fn faulty_proxy(upstream: SocketAddr, seed: u64) -> (SocketAddr, Arc<Faults>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let faults = Arc::new(Faults::default());
    let counted = faults.clone();
    tokio::spawn(async move {
        let mut rng = StdRng::seed_from_u64(seed);
        while let Ok((client, _)) = listener.accept().await {
            counted.connections.fetch_add(1, Ordering::Relaxed);
            let plan = rng.random_range(0..100);
            let cut_at = rng.random_range(0..120_000usize);
            // Even a good connection drops after a while, so keep-alive cannot dodge faults.
            let lifetime = rng.random_range(16_000..160_000usize);
            let faults = counted.clone();
            tokio::spawn(async move {
                let _ = relay(client, upstream, plan, cut_at, lifetime, &faults).await;
            });
        }
    });
    (addr, faults)
}

async fn relay(
    mut client: TcpStream,
    upstream: SocketAddr,
    plan: u32,
    cut_at: usize,
    lifetime: usize,
    faults: &Faults,
) -> std::io::Result<()> {
    match plan {
        0..=11 => {
            faults.refused.fetch_add(1, Ordering::Relaxed);
            let mut buf = [0u8; 1024];
            let _ = client.read(&mut buf).await?;
            client.write_all(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await?;
            return Ok(());
        }
        12..=19 => {
            faults.stalled.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        _ => {}
    }
    let server = TcpStream::connect(upstream).await?;
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let cut_request = (20..=39).contains(&plan);
    let cut_response = (40..=47).contains(&plan);
    let up = async {
        let limit = Some(if cut_request { cut_at } else { lifetime });
        let cut = pipe(&mut client_read, &mut server_write, limit).await;
        if cut {
            faults.cut_requests.fetch_add(1, Ordering::Relaxed);
        }
        cut
    };
    let down = async {
        let limit = if cut_response {
            Some(cut_at % 400)
        } else {
            None
        };
        let cut = pipe(&mut server_read, &mut client_write, limit).await;
        if cut {
            faults.cut_responses.fetch_add(1, Ordering::Relaxed);
        }
        cut
    };
    // A cut in either direction ends the whole connection, as a dropped link does; a
    // client that finished sending still gets its answer.
    tokio::pin!(up);
    tokio::pin!(down);
    tokio::select! {
        cut = &mut up => {
            if !cut {
                (&mut down).await;
            }
        }
        _ = &mut down => {}
    }
    Ok(())
}

/// Copies until end of stream or until `limit` bytes have passed; true if it cut.
async fn pipe(
    from: &mut (impl AsyncReadExt + Unpin),
    to: &mut (impl AsyncWriteExt + Unpin),
    limit: Option<usize>,
) -> bool {
    let mut passed = 0usize;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        if let Some(limit) = limit
            && passed + n > limit
        {
            let _ = to.write_all(&buf[..limit - passed]).await;
            return true;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return false;
        }
        passed += n;
    }
}

/// A sejam session taken through every step, with its artifacts and manifest put into an
/// outbox instead of uploaded: what the app holds when it is killed before delivering.
pub async fn finished_session_in_outbox(
    server: &Server,
    outbox: &ehraz_client::Outbox,
    video_size: usize,
) -> (ehraz_client::Session, ehraz_client::SessionBox) {
    finished_session_in_outbox_via(server, outbox, video_size, &server.url()).await
}

/// The same, with the outbox delivering to `deliver_to` (e.g. a shaped link to `server`).
pub async fn finished_session_in_outbox_via(
    server: &Server,
    outbox: &ehraz_client::Outbox,
    video_size: usize,
    deliver_to: &url::Url,
) -> (ehraz_client::Session, ehraz_client::SessionBox) {
    use std::collections::BTreeMap;

    use ehraz_client::Client;
    use ehraz_core::{Challenge, JalaliDate, MediaType, Wizard};

    let values = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let client = Client::new(server.url()).expect("client");
    let started = client.start_session("sejam").await.expect("session");
    let session = started.session;
    let boxed = outbox.create(deliver_to, &session).expect("outbox");
    let mut wizard = Wizard::new(started.flow.expect("flow")).expect("wizard");
    let today = JalaliDate::today_in_tehran(jiff::Timestamp::now());
    for form in [
        values(&[("mobile", "09121234567")]),
        values(&[
            ("national-code", "0499370899"),
            ("sejam-tracking-code", "1234567890"),
        ]),
    ] {
        client.put_answers(&session, &form).await.expect("answers");
        wizard.submit_form(&form, today).expect("wizard");
        let step = wizard.current().expect("code step").id().to_owned();
        client.send_code(&session, &step).await.expect("sent");
        let receipt = client
            .verify_code(&session, &step, &server.code_sent_to("09121234567"))
            .await
            .expect("verified");
        wizard.complete_code(&receipt).expect("wizard");
    }
    let card = values(&[
        ("card-document", "smart-card"),
        ("card-serial", "1G23456789"),
    ]);
    client.put_answers(&session, &card).await.expect("answers");
    wizard.submit_form(&card, today).expect("wizard");
    let file = |head: &[u8], size: usize, seed: u8| -> Vec<u8> {
        let mut bytes = head.to_vec();
        bytes.extend((0..size).map(|i| (i as u8).wrapping_mul(7).wrapping_add(seed)));
        bytes
    };
    let captures: [(Vec<u8>, MediaType); 4] = [
        (
            file(&[0xFF, 0xD8, 0xFF, 0xE0], 120_000, 1),
            MediaType::ImageJpeg,
        ),
        (
            file(&[0xFF, 0xD8, 0xFF, 0xE1], 60_000, 2),
            MediaType::ImageJpeg,
        ),
        (
            file(b"\0\0\0\x20ftypisom", video_size, 3),
            MediaType::VideoMp4,
        ),
        (
            file(b"RIFF\x24\x08\0\0WAVEfmt ", 80_000, 4),
            MediaType::AudioWav,
        ),
    ];
    for (bytes, media_type) in captures {
        let step = wizard.current().expect("capture step").id().to_owned();
        let artifact = boxed.put_artifact(&step, media_type, &bytes).expect("kept");
        wizard.attach(artifact).expect("attached");
        if media_type == MediaType::AudioWav {
            wizard
                .record_challenge(Challenge::Digits {
                    digits: vec![5, 1, 9],
                    shown_at_ms: Vec::new(),
                })
                .expect("challenge");
        }
        if media_type != MediaType::VideoMp4 {
            wizard.advance().expect("capture done");
        }
    }
    wizard.advance().expect("reviewed");
    let consents = values(&[
        ("commit-truthful", "true"),
        ("commit-own-identity", "true"),
        ("commit-media-processing", "true"),
    ]);
    client
        .put_answers(&session, &consents)
        .await
        .expect("answers");
    wizard.submit_form(&consents, today).expect("wizard");
    boxed
        .put_manifest(&wizard.manifest("test").expect("manifest"))
        .expect("kept");
    (session, boxed)
}

/// Runs `ehraz-deliver` on an outbox with chunks of `chunk` bytes; kills it with SIGKILL
/// once `kill_after` progress lines came. Returns whether it succeeded, and its lines.
pub fn run_deliver(
    dir: &std::path::Path,
    chunk: usize,
    kill_after: Option<usize>,
) -> (bool, Vec<String>) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_ehraz-deliver"))
        .arg(dir)
        .args(["--chunk-size", &chunk.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("ehraz-deliver starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        let progress = line.starts_with("progress");
        lines.push(line);
        if progress && kill_after.is_some_and(|n| lines.len() >= n) {
            child.kill().expect("SIGKILL");
            break;
        }
    }
    let status = child.wait().expect("ends");
    (status.success(), lines)
}

/// A map of answers from pairs.
pub fn values(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Media bytes: a real file's first bytes (for the server's content sniff), then filler.
pub fn media(head: &[u8], size: usize) -> Vec<u8> {
    let mut bytes = head.to_vec();
    bytes.extend((0..size).map(|i| (i % 251) as u8));
    bytes
}
