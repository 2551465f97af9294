//! Interoperability with a tus implementation nobody here wrote: ehraz-client's uploader
//! sends to the official `@tus/server` (npm, with `@tus/file-store`) in chunks, the file
//! it stores is byte-identical, resuming the finished upload sends nothing, and an upload
//! through a link that breaks resumes after every interruption. Needs
//! Node.js and `npm ci --prefix tests/interop`; `scripts/test` does both, so it is
//! ignored otherwise.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use ehraz_client::{Client, RetryPolicy, Session, Target, Uploader};
use ehraz_core::MediaType;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Node.js and `npm ci --prefix tests/interop`; run by scripts/test"]
async fn uploads_to_the_official_tus_node_server_arrive_byte_identical() {
    let interop = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop");
    assert!(
        interop.join("node_modules/@tus/server").is_dir(),
        "@tus/server is not installed: run `npm ci --prefix tests/interop` (scripts/test does)"
    );
    let store = std::env::temp_dir().join(format!("ehraz-tus-node-{}", std::process::id()));
    std::fs::create_dir_all(&store).expect("store folder");
    let mut node = KillOnDrop(
        Command::new("node")
            .arg(interop.join("tus-node-server.mjs"))
            .arg(&store)
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs"),
    );
    let mut first = String::new();
    BufReader::new(node.0.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("a line");
    let port: u16 = first
        .trim()
        .strip_prefix("listening ")
        .and_then(|p| p.parse().ok())
        .expect("a port");

    let client =
        Client::new(format!("http://127.0.0.1:{port}").parse().expect("url")).expect("client");
    let uploader = Uploader::new(client, 64 * 1024);
    // @tus/server knows no sessions; the metadata and token travel all the same.
    let session = Session {
        id: "interop".into(),
        token: "unused".into(),
    };
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..1_500_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let target = Target {
        session: &session,
        step: "selfie",
        media_type: MediaType::ImageJpeg,
    };

    let mut saved = None;
    let uploaded = uploader
        .upload(
            target,
            bytes.clone().into(),
            None,
            &mut |url| saved = Some(url.clone()),
            &mut |_, _| {},
        )
        .await
        .expect("uploaded");
    assert_eq!(uploaded.stats.patches, 23, "1.5 MB in chunks of 64 KiB");
    // Resuming a finished upload asks the offset and sends nothing.
    let saved = saved.expect("the upload was created");
    let resumed = uploader
        .upload(
            target,
            bytes.clone().into(),
            Some(saved.clone()),
            &mut |_| {},
            &mut |_, _| {},
        )
        .await
        .expect("resumed");
    assert_eq!(resumed.url, saved, "the same upload, not a new one");
    assert_eq!((resumed.stats.creations, resumed.stats.bytes_sent), (0, 0));

    // @tus/file-store keeps an upload in a file named after the last part of its URL.
    let stored_by_node = |url: &url::Url| {
        let id = url.path().rsplit('/').next().expect("id");
        std::fs::read(store.join(id)).expect("@tus/server stored the file")
    };
    let stored = stored_by_node(&resumed.url);
    assert!(
        stored == bytes,
        "the file @tus/server holds is byte-identical"
    );

    // Through a link that cuts requests and answers mid-way, answers 503 and stalls:
    // every interrupted PATCH is resumed from @tus/server's offset.
    let (proxy, faults) =
        common::faulty_proxy(format!("127.0.0.1:{port}").parse().expect("addr"), 9).await;
    let client = Client::with_timeout(
        format!("http://{proxy}").parse().expect("url"),
        std::time::Duration::from_secs(5),
    )
    .expect("client");
    let retry = RetryPolicy {
        max_failures: 40,
        base: std::time::Duration::from_millis(5),
        cap: std::time::Duration::from_millis(100),
    };
    let uploader = Uploader::new(client, 64 * 1024).with_retry(retry);
    let interrupted = uploader
        .upload(
            target,
            bytes.clone().into(),
            None,
            &mut |_| {},
            &mut |_, _| {},
        )
        .await
        .expect("uploaded through the broken link");
    assert!(interrupted.stats.retries > 0, "the link broke");
    let stored = stored_by_node(&interrupted.url);
    eprintln!(
        "through the broken link: {} retries, {} bytes sent for {}; {} requests cut",
        interrupted.stats.retries,
        interrupted.stats.bytes_sent,
        bytes.len(),
        faults
            .cut_requests
            .load(std::sync::atomic::Ordering::Relaxed)
    );
    drop(node);
    let _ = std::fs::remove_dir_all(&store);
    assert!(
        stored == bytes,
        "the file @tus/server holds after interruptions is byte-identical"
    );
}

/// Stops the Node.js server however the test ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
