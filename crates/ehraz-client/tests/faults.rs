//! Uploads through a link that breaks: connections cut at random offsets in either
//! direction, bare 503s from a proxy, stalls. Every run must end with the server holding
//! the artifact byte-identical, having re-sent no more than one chunk per failure. Then
//! whole deliveries from the outbox, where the link breaks as well and, at random, the
//! server restarts or the delivering process is killed with SIGKILL mid-upload: every
//! one ends with all artifacts on the server byte-identical and one submission.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{Server, faulty_proxy, finished_session_in_outbox, run_deliver};
use ehraz_client::{Client, KeyStore, Outbox, RetryPolicy, Target, Uploader, deliver};
use ehraz_core::MediaType;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const RUNS: u64 = 200;
const CHUNK: usize = 32 * 1024;

fn jpeg(rng: &mut StdRng, size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((4..size).map(|_| rng.random::<u8>()));
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_survive_a_link_that_cuts_stalls_and_fails() {
    let server = Server::start().await;
    let (proxy, faults) = faulty_proxy(server.addr(), 1405).await;
    let direct = Client::new(server.url()).expect("client");
    let through_proxy =
        Client::new(format!("http://{proxy}").parse().expect("url")).expect("client");
    let retry = RetryPolicy {
        max_failures: 40,
        base: Duration::from_millis(2),
        cap: Duration::from_millis(40),
    };
    let uploader = Uploader::new(through_proxy, CHUNK).with_retry(retry);
    let mut rng = StdRng::seed_from_u64(1405);
    let (mut sent, mut artifact_bytes, mut retries) = (0u64, 0u64, 0u32);
    for run in 0..RUNS {
        // Sessions start on the direct line; the artifact goes through the broken one.
        let session = direct
            .start_session("sejam")
            .await
            .expect("session")
            .session;
        let size = rng.random_range(1..160_000);
        let bytes = jpeg(&mut rng, size.max(12));
        let target = Target {
            session: &session,
            step: "selfie",
            media_type: MediaType::ImageJpeg,
        };
        let mut last_progress = 0;
        let uploaded = uploader
            .upload(
                target,
                bytes.clone().into(),
                None,
                &mut |_| {},
                &mut |held, total| {
                    assert!(held <= total);
                    last_progress = held;
                },
            )
            .await
            .unwrap_or_else(|e| panic!("run {run}: {e}"));
        assert_eq!(last_progress, bytes.len() as u64);
        assert!(
            server.stored(&uploaded.url) == bytes,
            "run {run}: the server holds other bytes"
        );
        let stats = &uploaded.stats;
        let resent = stats.bytes_sent - bytes.len() as u64;
        assert!(
            resent <= u64::from(stats.retries) * CHUNK as u64,
            "run {run}: re-sent {resent} bytes over {} failures",
            stats.retries
        );
        sent += stats.bytes_sent;
        artifact_bytes += bytes.len() as u64;
        retries += stats.retries;
    }
    let f = &faults;
    eprintln!(
        "{RUNS} runs, {artifact_bytes} artifact bytes, {sent} sent, {retries} retries; proxy: {} connections, {} requests cut, {} responses cut, {} refused, {} stalled",
        f.connections.load(Ordering::Relaxed),
        f.cut_requests.load(Ordering::Relaxed),
        f.cut_responses.load(Ordering::Relaxed),
        f.refused.load(Ordering::Relaxed),
        f.stalled.load(Ordering::Relaxed),
    );
    assert!(
        retries > RUNS as u32 / 2,
        "the link broke often enough to mean something"
    );
    assert!(f.cut_requests.load(Ordering::Relaxed) > 50 && f.refused.load(Ordering::Relaxed) > 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_survives_the_server_restarting_mid_way() {
    let mut server = Server::start().await;
    let client = Client::new(server.url()).expect("client");
    let session = client
        .start_session("sejam")
        .await
        .expect("session")
        .session;
    let mut rng = StdRng::seed_from_u64(7);
    let bytes = jpeg(&mut rng, 2_000_000);
    let retry = RetryPolicy {
        max_failures: 60,
        base: Duration::from_millis(20),
        cap: Duration::from_millis(200),
    };
    let uploader = Uploader::new(client, 16 * 1024).with_retry(retry);
    let (half, reached) = tokio::sync::oneshot::channel::<()>();
    let upload = {
        let (bytes, session) = (bytes.clone(), session.clone());
        tokio::spawn(async move {
            let mut half = Some(half);
            let target = Target {
                session: &session,
                step: "selfie",
                media_type: MediaType::ImageJpeg,
            };
            uploader
                .upload(
                    target,
                    bytes.clone().into(),
                    None,
                    &mut |_| {},
                    &mut |held, total| {
                        if held * 2 >= total
                            && let Some(half) = half.take()
                        {
                            let _ = half.send(());
                        }
                    },
                )
                .await
        })
    };
    reached.await.expect("half way");
    server.restart().await;
    let uploaded = upload
        .await
        .expect("joined")
        .expect("the upload finished after the restart");
    assert!(
        server.stored(&uploaded.url) == bytes,
        "byte-identical after the restart"
    );
    assert_eq!(uploaded.stats.creations, 1, "resumed, not started over");
    eprintln!(
        "restart: {} retries, {} bytes sent for {}",
        uploaded.stats.retries,
        uploaded.stats.bytes_sent,
        bytes.len()
    );
}

/// Every `.bin` file of the server's media folder not seen before, by SHA-256.
fn new_media(
    server: &Server,
    seen: &mut std::collections::HashSet<std::path::PathBuf>,
) -> Vec<String> {
    use sha2::{Digest, Sha256};
    let mut digests = Vec::new();
    for entry in std::fs::read_dir(server.dir.join("media"))
        .expect("media")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "bin") && seen.insert(path.clone()) {
            let bytes = std::fs::read(&path).expect("read");
            digests.push(
                ehraz_core::Sha256Digest::from_bytes(Sha256::digest(&bytes).into()).to_string(),
            );
        }
    }
    digests
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_survive_a_broken_link_server_restarts_and_kill_9() {
    let mut server = Server::start().await;
    let (proxy, faults) = faulty_proxy(server.addr(), 2024).await;
    let direct = Client::new(server.url()).expect("client");
    let through_proxy =
        Client::new(format!("http://{proxy}").parse().expect("url")).expect("client");
    let retry = RetryPolicy {
        max_failures: 80,
        base: Duration::from_millis(2),
        cap: Duration::from_millis(60),
    };
    let uploader = Uploader::new(through_proxy.clone(), CHUNK).with_retry(retry);
    let dir = std::env::temp_dir().join(format!("ehraz-faults-{}", std::process::id()));
    let outbox = Outbox::with_keys(&dir, KeyStore::File).expect("outbox");
    let mut rng = StdRng::seed_from_u64(2024);
    let mut seen = std::collections::HashSet::new();
    let (mut restarts, mut kills) = (0, 0);
    for run in 0..RUNS {
        let video = rng.random_range(1_000..120_000);
        let (session, boxed) = finished_session_in_outbox(&server, &outbox, video).await;
        let state = boxed.state().expect("state");
        let manifest = state.manifest.clone().expect("manifest");
        let scenario = rng.random_range(0..10);
        if scenario == 0 {
            // The delivering process dies mid-upload; the next start finishes the job.
            kills += 1;
            let total: u64 = state.artifacts.iter().map(|a| a.artifact.size).sum();
            let chunks = usize::try_from(total / CHUNK as u64).expect("small") + 4;
            let kill_after = rng.random_range(1..chunks);
            let dir_for = dir.clone();
            let (finished, lines) =
                tokio::task::spawn_blocking(move || run_deliver(&dir_for, CHUNK, Some(kill_after)))
                    .await
                    .expect("joined");
            assert!(
                lines.iter().all(|l| !l.starts_with("submitted")) || finished,
                "run {run}: a killed delivery submitted nothing"
            );
        }
        let pending = outbox.pending().expect("pending");
        if let Some(boxed) = pending.into_iter().next() {
            let restart_at = (scenario == 1).then(|| rng.random_range(0..video as u64));
            let (reached, restart) = tokio::sync::oneshot::channel::<()>();
            let mut reached = Some(reached);
            let delivery = {
                let (client, uploader) = (through_proxy.clone(), uploader.clone());
                tokio::spawn(async move {
                    let mut progress = |step: &str, _, held: u64, _| {
                        if step == "selfie-video"
                            && restart_at.is_some_and(|at| held >= at)
                            && let Some(reached) = reached.take()
                        {
                            let _ = reached.send(());
                        }
                    };
                    deliver(boxed, &client, &uploader, &mut progress).await
                })
            };
            if restart_at.is_some() && restart.await.is_ok() {
                restarts += 1;
                server.restart().await;
            }
            let status = delivery
                .await
                .expect("joined")
                .unwrap_or_else(|e| panic!("run {run}: {e}"));
            assert_eq!(status.status, "pending", "run {run}");
        }
        assert!(
            outbox.pending().expect("pending").is_empty(),
            "run {run}: delivered"
        );

        // The server holds every artifact byte for byte (by SHA-256) ...
        let held = new_media(&server, &mut seen);
        for artifact in &manifest.artifacts {
            assert!(
                held.contains(&artifact.artifact.sha256.to_string()),
                "run {run}: {:?} is not on the server whole",
                artifact.artifact.media_type
            );
        }
        // ... and one submission: the session is pending, and submitting again is the
        // same submission, not a second one.
        let again = direct
            .submit(&session, &manifest)
            .await
            .expect("idempotent");
        assert_eq!(again.status, "pending", "run {run}");
    }
    eprintln!(
        "{RUNS} deliveries: {restarts} server restarts, {kills} kills; proxy: {} requests cut, {} responses cut, {} refused, {} stalled",
        faults.cut_requests.load(Ordering::Relaxed),
        faults.cut_responses.load(Ordering::Relaxed),
        faults.refused.load(Ordering::Relaxed),
        faults.stalled.load(Ordering::Relaxed),
    );
    assert!(
        restarts >= 10 && kills >= 10,
        "each kind of crash happened often enough"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
