//! Uploads through a link that breaks: connections cut at random offsets in either
//! direction, bare 503s from a proxy, stalls. Every run must end with the server holding
//! the artifact byte-identical, having re-sent no more than one chunk per failure.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{Server, faulty_proxy};
use ehraz_client::{Client, RetryPolicy, Target, Uploader};
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
