//! Interoperability with a tus implementation nobody here wrote: the official
//! `tus-js-client` (npm) uploads to ehraz-server, in small chunks and in one piece, and the
//! server holds exactly the bytes sent. Needs Node.js and `npm ci --prefix tests/interop`;
//! `scripts/test` does both, so the test is ignored by a bare `cargo test`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Harness, Session, harness, media};
use ehraz_server::Limits;

fn tus_js_upload(
    h: &Harness,
    s: &Session,
    step: &str,
    media_type: &str,
    bytes: &[u8],
    chunk: usize,
) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop");
    assert!(
        dir.join("node_modules/tus-js-client").is_dir(),
        "tus-js-client is not installed: run `npm ci --prefix tests/interop` (scripts/test does)"
    );
    let file = h.dir.0.join(format!("source-{step}-{chunk}"));
    std::fs::write(&file, bytes).expect("source written");
    let output = Command::new("node")
        .arg(dir.join("tus-js-upload.mjs"))
        .args([
            &format!("{}/v1/uploads", h.base),
            &s.token,
            &s.id,
            step,
            media_type,
        ])
        .arg(&file)
        .arg(chunk.to_string())
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "tus-js-client: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

fn stored(h: &Harness, url: &str) -> Vec<u8> {
    let id = url.rsplit('/').next().expect("an id");
    std::fs::read(h.dir.0.join("media").join(format!("{id}.bin")))
        .expect("the server holds the upload")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Node.js and `npm ci --prefix tests/interop`; run by scripts/test"]
async fn tus_js_client_uploads_arrive_byte_identical() {
    let h = harness(Limits::default()).await;
    let s = h.start_session("sejam").await;
    let photo = media("image/jpeg", 700_000, 11);
    let video = media("video/mp4", 3_000_000, 12);
    let (h_ref, s_ref) = (&h, &s);
    let (photo_url, video_url) = tokio::task::block_in_place(|| {
        (
            tus_js_upload(h_ref, s_ref, "selfie", "image/jpeg", &photo, 64 * 1024),
            tus_js_upload(
                h_ref,
                s_ref,
                "selfie-video",
                "video/mp4",
                &video,
                100 * 1024 * 1024,
            ),
        )
    });
    assert!(photo_url.starts_with(&h.base), "{photo_url}");
    assert!(
        stored(&h, &photo_url) == photo,
        "the photo arrived byte-identical"
    );
    assert!(
        stored(&h, &video_url) == video,
        "the video arrived byte-identical"
    );
    h.server.stop().await.expect("stops");
}
