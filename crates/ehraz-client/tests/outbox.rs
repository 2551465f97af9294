//! The encrypted outbox: nothing in clear on disk, damage detected, and a delivery that
//! survives `kill -9` and resumes on the next start without a duplicate submission.

mod common;

use std::sync::Arc;

use common::{Server, finished_session_in_outbox, run_deliver};
use ehraz_client::{Client, KeyStore, Outbox, OutboxError};
use ehraz_core::MediaType;
use keyring_core::CredentialStore;

fn temp_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("ehraz-outbox-{name}-{}", std::process::id()))
}

fn all_files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walk(dir) {
        files.push((entry.clone(), std::fs::read(&entry).expect("readable")));
    }
    files
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_holds_no_plaintext() {
    let server = Server::start().await;
    let dir = temp_dir("plain");
    let outbox = Outbox::with_keys(&dir, KeyStore::File).expect("outbox");
    let (_, boxed) = finished_session_in_outbox(&server, &outbox, 200_000).await;
    let files = all_files(&dir);
    assert!(
        files.len() >= 6,
        "key, state and four artifacts: {:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (path, bytes) in &files {
        // The JPEGs' own first four bytes: three bytes alone turn up in a few hundred
        // kilobytes of ciphertext now and then.
        for needle in [
            &[0xFF, 0xD8, 0xFF, 0xE0][..],
            &[0xFF, 0xD8, 0xFF, 0xE1][..],
            b"ftyp",
            b"RIFF",
            b"WAVE",
            b"0499370899",
            b"09121234567",
            b"1G23456789",
            b"1234567890",
        ] {
            assert!(
                !contains(bytes, needle),
                "{} holds {:?} in clear",
                path.display(),
                String::from_utf8_lossy(needle)
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .expect("metadata")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o600, "{} is readable by others", path.display());
        }
    }
    // It still reads back whole.
    let state = boxed.state().expect("state");
    assert_eq!(
        state
            .manifest
            .as_ref()
            .map(|m| m.answers["national-code"].as_str()),
        Some("0499370899")
    );
    assert_eq!(
        boxed
            .artifact_bytes("selfie", MediaType::ImageJpeg)
            .expect("bytes")[..3],
        [0xFF, 0xD8, 0xFF]
    );
    boxed.remove().expect("removed");
    assert!(walk(&dir).is_empty(), "nothing is left after removal");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_or_swapped_file_is_detected() {
    let server = Server::start().await;
    let dir = temp_dir("damage");
    let outbox = Outbox::with_keys(&dir, KeyStore::File).expect("outbox");
    let (_, boxed) = finished_session_in_outbox(&server, &outbox, 50_000).await;
    let selfie = boxed.dir().join("selfie.jpeg.enc");
    let signature = boxed.dir().join("signature.jpeg.enc");
    // One file in the place of another: the name is bound into the encryption.
    let original = std::fs::read(&selfie).expect("read");
    std::fs::copy(&signature, &selfie).expect("swap");
    assert!(matches!(
        boxed.artifact_bytes("selfie", MediaType::ImageJpeg),
        Err(OutboxError::Damaged(_))
    ));
    let mut flipped = original.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    std::fs::write(&selfie, &flipped).expect("write");
    assert!(matches!(
        boxed.artifact_bytes("selfie", MediaType::ImageJpeg),
        Err(OutboxError::Damaged(_))
    ));
    std::fs::write(&selfie, &original).expect("restore");
    assert!(boxed.artifact_bytes("selfie", MediaType::ImageJpeg).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_killed_mid_upload_resumes_and_submits_once() {
    let server = Server::start().await;
    // 107 chunks of 8 KiB in all: these kill inside the selfie, the signature, the video
    // and the sound recording.
    for (run, kill_after) in [10usize, 20, 60, 100].into_iter().enumerate() {
        let dir = temp_dir(&format!("kill-{run}"));
        let outbox = Outbox::open(&dir).expect("outbox");
        let (session, boxed) = finished_session_in_outbox(&server, &outbox, 600_000).await;
        let state = boxed.state().expect("state");
        let dir_for = dir.clone();
        let (finished, lines) =
            tokio::task::spawn_blocking(move || run_deliver(&dir_for, 8192, Some(kill_after)))
                .await
                .expect("joined");
        assert!(!finished, "run {run}: killed");
        assert!(
            lines.iter().all(|l| !l.starts_with("submitted")),
            "run {run}: killed before submitting"
        );
        assert_eq!(
            outbox.pending().expect("pending").len(),
            1,
            "run {run}: the session survived the kill"
        );

        let dir_for = dir.clone();
        let (finished, lines) =
            tokio::task::spawn_blocking(move || run_deliver(&dir_for, 8192, None))
                .await
                .expect("joined");
        assert!(finished, "run {run}: the restart delivers");
        assert_eq!(
            lines.last().map(String::as_str),
            Some(format!("submitted {} pending", session.id).as_str())
        );
        // The first line of the restart resumes where the killed run left off.
        let first: Vec<&str> = lines[0].split(' ').collect();
        assert!(
            first[2].parse::<u64>().expect("held") > 0 || first[1] != "selfie",
            "run {run}: resumed, not restarted: {}",
            lines[0]
        );
        assert!(
            outbox.pending().expect("pending").is_empty(),
            "run {run}: delivered sessions leave the disk"
        );

        let client = Client::new(server.url()).expect("client");
        let status = client.status(&session).await.expect("status");
        assert_eq!(status.status, "pending");
        // Submitting again changes nothing: no duplicate.
        let again = client
            .submit(&session, state.manifest.as_ref().expect("manifest"))
            .await
            .expect("idempotent");
        assert_eq!(again.status, "pending");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_live_in_the_os_store_when_it_takes_them_and_in_a_file_when_it_refuses() {
    let server = Server::start().await;
    let dir = temp_dir("keyring");
    let store: Arc<CredentialStore> = keyring_core::mock::Store::new().expect("store");
    let keys = KeyStore::Os(store.clone());
    let outbox = Outbox::with_keys(&dir, keys.clone()).expect("outbox");
    let (_, boxed) = finished_session_in_outbox(&server, &outbox, 50_000).await;
    let folder = boxed
        .dir()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_owned();
    assert!(!boxed.dir().join("key").exists(), "no key on disk");
    let entry = store
        .build(ehraz_client::KEY_SERVICE, &folder, None)
        .expect("entry");
    assert_eq!(
        entry.get_secret().expect("the key is in the store").len(),
        32
    );

    // After a restart the session is found, and opens, through the store.
    let again = Outbox::with_keys(&dir, keys.clone()).expect("outbox");
    let pending = again.pending().expect("pending");
    assert_eq!(pending.len(), 1);
    let state = pending[0].state().expect("state opens");
    assert_eq!(state.artifacts.len(), 4);
    // Without its key (a locked keyring) the session is left alone, not lost.
    let without = Outbox::with_keys(
        &dir,
        KeyStore::Os(keyring_core::mock::Store::new().expect("store")),
    )
    .expect("outbox");
    assert!(without.pending().expect("pending").is_empty());
    assert!(boxed.dir().join("state.enc").is_file());

    // Delivered and removed: the store forgets the key too.
    pending
        .into_iter()
        .next()
        .expect("one")
        .remove()
        .expect("removed");
    assert!(matches!(
        entry.get_secret(),
        Err(keyring_core::Error::NoEntry)
    ));

    // A store that refuses the key: the session keeps it in a file instead.
    let refusing: Arc<CredentialStore> = keyring_core::mock::Store::new().expect("store");
    let outbox = Outbox::with_keys(&dir, KeyStore::Os(refusing.clone())).expect("outbox");
    let session = Client::new(server.url())
        .expect("client")
        .start_session("sejam")
        .await
        .expect("session")
        .session;
    let entry = refusing
        .build(ehraz_client::KEY_SERVICE, &session.id, None)
        .expect("entry");
    let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().expect("mock");
    mock.set_error(keyring_core::Error::NoStorageAccess("locked".into()));
    let boxed = outbox.create(&server.url(), &session).expect("created");
    assert!(boxed.dir().join("key").is_file(), "the key went to a file");
    assert!(matches!(
        entry.get_secret(),
        Err(keyring_core::Error::NoEntry)
    ));
    let pending = outbox.pending().expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].state().expect("opens").session, session);
    let _ = std::fs::remove_dir_all(&dir);
}
