//! Uploading a 20 MB artifact to the reference server on loopback: tus (the uploader,
//! creation plus PATCHes of 4 MiB, or one PATCH, with SHA-256 checksums) against a plain
//! HTTP PUT of the same bytes to a minimal axum handler that writes each body to a new
//! file and syncs it, all measured in the same run.
//!
//! `cargo bench -p ehraz-client --bench upload`

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::routing::put;
use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ehraz_client::{Client, Target, Uploader};
use ehraz_core::MediaType;
use ehraz_server::{Config, SystemClock};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

const SIZE: usize = 20 * 1000 * 1000;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = std::env::temp_dir().join(format!("ehraz-bench-{}", std::process::id()));
    let (server, put_url) = rt.block_on(async {
        let mut config = Config::local(dir.join("server"));
        config.listen = "127.0.0.1:0".parse().expect("address");
        config.print_sms = false;
        let server = ehraz_server::start(config, Arc::new(SystemClock))
            .await
            .expect("server");
        (server, plain_put_server(dir.join("put")).await)
    });
    let client =
        Client::new(format!("http://{}", server.addr).parse().expect("url")).expect("client");
    let mut video = b"\0\0\0\x20ftypisom".to_vec();
    video.extend(
        (0..SIZE - video.len()).map(|i| (i as u32).wrapping_mul(2_654_435_761).to_be_bytes()[0]),
    );
    // Shared, so neither side copies the 20 MB per iteration.
    let video = Bytes::from(video);
    // One session for every upload: starting one is not part of uploading.
    let session = rt
        .block_on(client.start_session("sejam"))
        .expect("session")
        .session;
    let http = reqwest::Client::new();

    let mut group = c.benchmark_group("upload 20 MB on loopback");
    group.throughput(Throughput::Bytes(SIZE as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("plain HTTP PUT", |b| {
        b.iter(|| {
            rt.block_on(async {
                let response = http
                    .put(&put_url)
                    .body(video.clone())
                    .send()
                    .await
                    .expect("sent");
                assert!(response.status().is_success());
            });
        });
    });
    // 4 MiB chunks (five PATCHes), and the whole file in one PATCH as tus-js-client
    // sends by default.
    for (name, chunk) in [
        ("tus, 4 MiB chunks with SHA-256", 4 << 20),
        ("tus, one PATCH with SHA-256", SIZE),
    ] {
        let uploader = Uploader::new(client.clone(), chunk);
        group.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(async {
                    let target = Target {
                        session: &session,
                        step: "selfie-video",
                        media_type: MediaType::VideoMp4,
                    };
                    uploader
                        .upload(target, video.clone(), None, &mut |_| {}, &mut |_, _| {})
                        .await
                        .expect("uploaded");
                });
            });
        });
    }
    group.finish();
    rt.block_on(async { server.stop().await.expect("stops") });
    let _ = std::fs::remove_dir_all(&dir);
}

/// A server taking each `PUT /put` body into a new file, synced, as the tus server's
/// store does with each upload. (A new file matters: rewriting one file over and over
/// reuses its disk blocks, which a real server never gets to do.)
async fn plain_put_server(dir: std::path::PathBuf) -> String {
    tokio::fs::create_dir_all(&dir).await.expect("dir");
    let count = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let app = axum::Router::new().route(
        "/put",
        put(move |body: Body| {
            let n = count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = dir.join(format!("upload-{n}.bin"));
            async move {
                let mut file = tokio::fs::File::create_new(&path).await.expect("file");
                let mut stream = body.into_data_stream();
                while let Some(chunk) = stream.next().await {
                    file.write_all(&chunk.expect("body")).await.expect("write");
                }
                file.sync_data().await.expect("sync");
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/put")
}

criterion_group!(benches, bench);
criterion_main!(benches);
