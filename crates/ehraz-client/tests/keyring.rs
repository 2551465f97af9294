//! Session keys in a real OS credential store: on Linux, the Secret Service of a GNOME
//! Keyring daemon. `scripts/test` starts one in a private D-Bus session (Debian packages
//! `gnome-keyring`, `dbus-daemon`) and runs this there; without it, ignored.

use ehraz_client::{KEY_SERVICE, KeyStore, Outbox, Session};
use ehraz_core::MediaType;

#[test]
#[ignore = "needs a Secret Service (D-Bus session with a keyring daemon); run by scripts/test"]
fn session_keys_round_trip_through_the_secret_service() {
    let keys = KeyStore::detect();
    let KeyStore::Os(store) = &keys else {
        panic!("no credential store answered: is a keyring daemon on the session bus?");
    };
    eprintln!("keys in: {}", keys.describe());
    let dir = std::env::temp_dir().join(format!("ehraz-keyring-{}", std::process::id()));
    let outbox = Outbox::with_keys(&dir, keys.clone()).expect("outbox");
    let session = Session {
        id: format!("keyring-test-{}", std::process::id()),
        token: "token".into(),
    };
    let server = "http://127.0.0.1:1".parse().expect("url");
    let boxed = outbox.create(&server, &session).expect("created");
    let photo = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    boxed
        .put_artifact("selfie", MediaType::ImageJpeg, &photo)
        .expect("kept");
    assert!(!boxed.dir().join("key").exists(), "the key is not on disk");

    // Another process start: the key comes back from the store.
    let again = Outbox::with_keys(&dir, KeyStore::detect()).expect("outbox");
    let pending = again.pending().expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(
        pending[0]
            .artifact_bytes("selfie", MediaType::ImageJpeg)
            .expect("opens"),
        photo
    );
    let entry = store.build(KEY_SERVICE, &session.id, None).expect("entry");
    assert_eq!(entry.get_secret().expect("in the store").len(), 32);

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
    let _ = std::fs::remove_dir_all(&dir);
}
