//! The outbox: every artifact and the manifest of a session, kept on disk encrypted
//! before any upload starts, so a crash, a `kill -9` or a dead battery loses nothing. On
//! the next start the outbox lists what is still to deliver; once the server confirms the
//! submission, everything of the session is deleted.
//!
//! Each session has its own random 256-bit key. It is kept in the operating system's
//! credential store where one answers: the login keychain on macOS, the data-protection
//! keychain on iOS, Credential Manager on Windows, the Secret Service (GNOME Keyring,
//! KWallet) on Linux desktops. Otherwise it is a `key` file in the session's folder
//! readable by the user alone (0600 on Unix): on Android (whose app storage is private
//! to the app already), on kiosks and machines without a desktop session, and for a
//! session whose key the store refused to take. [`KeyStore::detect`] chooses;
//! [`KeyStore::describe`] says what was chosen.
//!
//! Files are XChaCha20-Poly1305 with a random nonce each and the file's name as
//! associated data, so a file cannot be swapped for another. Writes go to a temporary
//! file that is synced and renamed over the old one: a file is either the old or the new,
//! never half.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ehraz_core::{Artifact, Manifest, MediaType, Sha256Digest};
use keyring_core::{CredentialStore, Entry};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use url::Url;

use crate::api::Session;

const MAGIC: &[u8; 6] = b"EHRZ1\n";
const NONCE_LEN: usize = 24;
pub(crate) const JOURNEY_FILE: &str = "journey.enc";
/// The service name of session keys in the OS credential store; the user is the session.
pub const KEY_SERVICE: &str = "ehraz-outbox";

/// The outbox failed.
#[derive(Debug, Error)]
pub enum OutboxError {
    /// Reading or writing the disk.
    #[error("outbox disk: {0}")]
    Io(#[from] std::io::Error),
    /// A file does not decrypt: damaged, or not this session's.
    #[error("outbox file `{0}` is damaged or not this session's")]
    Damaged(String),
    /// The state does not parse.
    #[error("outbox state: {0}")]
    State(String),
    /// No artifact was put for that step and media type.
    #[error("no artifact for {0}")]
    NoArtifact(String),
}

/// Every session still to deliver, in a folder.
#[derive(Debug, Clone)]
pub struct Outbox {
    dir: PathBuf,
    keys: KeyStore,
}

/// Where the outbox keeps session keys.
#[derive(Debug, Clone)]
pub enum KeyStore {
    /// The operating system's credential store.
    Os(Arc<CredentialStore>),
    /// A `key` file (0600) in each session's folder.
    File,
}

impl KeyStore {
    /// The platform's credential store if it answers, key files otherwise.
    pub fn detect() -> Self {
        match platform_store() {
            Some(store) if answers(&store) => Self::Os(store),
            _ => Self::File,
        }
    }

    /// Which store holds the keys, for logs and diagnostics.
    pub fn describe(&self) -> String {
        match self {
            Self::Os(store) => store.vendor(),
            Self::File => "key files readable by the user alone".to_owned(),
        }
    }

    fn entry(&self, session_folder: &str) -> Option<Entry> {
        match self {
            Self::Os(store) => store.build(KEY_SERVICE, session_folder, None).ok(),
            Self::File => None,
        }
    }
}

/// Whether a store can be read (a missing entry is an answer; no D-Bus, a locked or
/// absent keyring are not).
fn answers(store: &Arc<CredentialStore>) -> bool {
    let probe = store
        .build(KEY_SERVICE, "probe", None)
        .and_then(|entry| entry.get_secret());
    matches!(probe, Ok(_) | Err(keyring_core::Error::NoEntry))
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_store() -> Option<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new().ok()?;
    Some(store)
}

#[cfg(target_os = "macos")]
fn platform_store() -> Option<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new().ok()?;
    Some(store)
}

#[cfg(target_os = "ios")]
fn platform_store() -> Option<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = apple_native_keyring_store::protected::Store::new().ok()?;
    Some(store)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Option<Arc<CredentialStore>> {
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new().ok()?;
    Some(store)
}

#[cfg(any(target_os = "android", not(any(unix, windows))))]
fn platform_store() -> Option<Arc<CredentialStore>> {
    None
}

/// What the outbox knows of one session.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SessionState {
    /// The backend.
    pub server: Url,
    /// The session.
    pub session: Session,
    /// The artifacts put, in order.
    pub artifacts: Vec<StoredArtifact>,
    /// The manifest, once the wizard is finished.
    pub manifest: Option<Manifest>,
}

/// An artifact in the outbox.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredArtifact {
    /// Its capture step.
    pub step: String,
    /// What it is, with its digest and size.
    pub artifact: Artifact,
    /// The upload, once created on the server.
    pub upload: Option<Url>,
    /// Whether the server holds all of it.
    pub uploaded: bool,
}

/// One session's folder.
#[derive(Debug, Clone)]
pub struct SessionBox {
    dir: PathBuf,
    key: [u8; 32],
    /// The key's entry in the OS credential store, when it is kept there.
    key_entry: Option<Arc<Entry>>,
}

impl Outbox {
    /// The outbox in `dir`, created if missing, with keys where [`KeyStore::detect`] puts
    /// them.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, OutboxError> {
        Self::with_keys(dir, KeyStore::detect())
    }

    /// The outbox in `dir`, created if missing, with keys in `keys`.
    pub fn with_keys(dir: impl Into<PathBuf>, keys: KeyStore) -> Result<Self, OutboxError> {
        let dir = dir.into();
        fs::create_dir_all(&dir)?;
        Ok(Self { dir, keys })
    }

    /// Where session keys go.
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// Starts keeping a session, with a new key.
    pub fn create(&self, server: &Url, session: &Session) -> Result<SessionBox, OutboxError> {
        let name = folder_name(&session.id);
        let dir = self.dir.join(&name);
        fs::create_dir_all(&dir)?;
        let key: [u8; 32] = rand::rng().random();
        let key_entry = self
            .keys
            .entry(&name)
            .filter(|entry| entry.set_secret(&key).is_ok());
        if key_entry.is_none() {
            write_atomic(&dir.join("key"), &key)?;
        }
        let boxed = SessionBox {
            dir,
            key,
            key_entry: key_entry.map(Arc::new),
        };
        let state = SessionState {
            server: server.clone(),
            session: session.clone(),
            artifacts: Vec::new(),
            manifest: None,
        };
        boxed.save(&state)?;
        Ok(boxed)
    }

    /// Every session still to deliver (for resuming after a restart). A session whose key
    /// the OS store does not give now (a locked keyring) is left as it is for a later
    /// start.
    pub fn pending(&self) -> Result<Vec<SessionBox>, OutboxError> {
        let mut boxes = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let dir = entry?.path();
            if !dir.join("state.enc").is_file() {
                continue;
            }
            let key_path = dir.join("key");
            let (key, key_entry) = if key_path.is_file() {
                (fs::read(&key_path)?, None)
            } else {
                let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let Some(entry) = self.keys.entry(name) else {
                    continue;
                };
                let Ok(key) = entry.get_secret() else {
                    continue;
                };
                (key, Some(Arc::new(entry)))
            };
            let key: [u8; 32] = key
                .try_into()
                .map_err(|_| OutboxError::Damaged(format!("{} (its key)", dir.display())))?;
            boxes.push(SessionBox {
                dir,
                key,
                key_entry,
            });
        }
        boxes.sort_by(|a, b| a.dir.cmp(&b.dir));
        Ok(boxes)
    }
}

impl SessionBox {
    /// The session's state.
    pub fn state(&self) -> Result<SessionState, OutboxError> {
        let plain = self.read("state.enc")?;
        serde_json::from_slice(&plain).map_err(|e| OutboxError::State(e.to_string()))
    }

    fn save(&self, state: &SessionState) -> Result<(), OutboxError> {
        let json = serde_json::to_vec(state).map_err(|e| OutboxError::State(e.to_string()))?;
        self.write("state.enc", &json)
    }

    /// Keeps a captured file (replacing a retake of the same step and type) and returns
    /// what the wizard records of it.
    pub fn put_artifact(
        &self,
        step: &str,
        media_type: MediaType,
        bytes: &[u8],
    ) -> Result<Artifact, OutboxError> {
        let artifact = Artifact {
            media_type,
            sha256: Sha256Digest::from_bytes(Sha256::digest(bytes).into()),
            size: bytes.len() as u64,
        };
        self.write(&artifact_file(step, media_type), bytes)?;
        let mut state = self.state()?;
        state
            .artifacts
            .retain(|a| !(a.step == step && a.artifact.media_type == media_type));
        state.artifacts.push(StoredArtifact {
            step: step.to_owned(),
            artifact: artifact.clone(),
            upload: None,
            uploaded: false,
        });
        self.save(&state)?;
        Ok(artifact)
    }

    /// The bytes of a kept artifact.
    pub fn artifact_bytes(
        &self,
        step: &str,
        media_type: MediaType,
    ) -> Result<Vec<u8>, OutboxError> {
        self.read(&artifact_file(step, media_type))
    }

    /// Records where an artifact's upload lives, or that it finished.
    pub fn record_upload(
        &self,
        step: &str,
        media_type: MediaType,
        upload: &Url,
        uploaded: bool,
    ) -> Result<(), OutboxError> {
        let mut state = self.state()?;
        let entry = state
            .artifacts
            .iter_mut()
            .find(|a| a.step == step && a.artifact.media_type == media_type)
            .ok_or_else(|| OutboxError::NoArtifact(format!("{step} {media_type:?}")))?;
        entry.upload = Some(upload.clone());
        entry.uploaded = uploaded;
        self.save(&state)
    }

    /// Keeps the manifest to submit.
    pub fn put_manifest(&self, manifest: &Manifest) -> Result<(), OutboxError> {
        let mut state = self.state()?;
        state.manifest = Some(manifest.clone());
        self.save(&state)
    }

    /// Keeps the app's record of where the person is in the session (the wizard), so
    /// a closed app resumes where it was.
    pub fn put_journey(&self, plain: &[u8]) -> Result<(), OutboxError> {
        self.write(JOURNEY_FILE, plain)
    }

    /// The app's record kept by [`SessionBox::put_journey`], if there is one.
    pub fn journey(&self) -> Result<Option<Vec<u8>>, OutboxError> {
        if !self.dir.join(JOURNEY_FILE).is_file() {
            return Ok(None);
        }
        self.read(JOURNEY_FILE).map(Some)
    }

    /// Deletes everything of the session (after the server confirmed, or on a kiosk
    /// reset): files are overwritten with zeros before they are removed.
    pub fn remove(self) -> Result<(), OutboxError> {
        for entry in fs::read_dir(&self.dir)? {
            let path = entry?.path();
            if let Ok(meta) = fs::metadata(&path)
                && meta.is_file()
            {
                let mut file = fs::OpenOptions::new().write(true).open(&path)?;
                file.write_all(&vec![0u8; usize::try_from(meta.len()).unwrap_or(0)])?;
                file.sync_all()?;
            }
        }
        fs::remove_dir_all(&self.dir)?;
        if let Some(entry) = &self.key_entry {
            // The files it opened are gone; a key the store fails to forget opens nothing.
            let _ = entry.delete_credential();
        }
        Ok(())
    }

    /// The session's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn write(&self, name: &str, plain: &[u8]) -> Result<(), OutboxError> {
        let cipher = XChaCha20Poly1305::new((&self.key).into());
        let nonce_bytes: [u8; NONCE_LEN] = rand::rng().random();
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce_bytes),
                Payload {
                    msg: plain,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| OutboxError::Damaged(name.to_owned()))?;
        let mut file = Vec::with_capacity(MAGIC.len() + NONCE_LEN + sealed.len());
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&nonce_bytes);
        file.extend_from_slice(&sealed);
        write_atomic(&self.dir.join(name), &file)?;
        Ok(())
    }

    fn read(&self, name: &str) -> Result<Vec<u8>, OutboxError> {
        let file = fs::read(self.dir.join(name))?;
        let damaged = || OutboxError::Damaged(name.to_owned());
        let rest = file.strip_prefix(MAGIC.as_slice()).ok_or_else(damaged)?;
        if rest.len() < NONCE_LEN {
            return Err(damaged());
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let cipher = XChaCha20Poly1305::new((&self.key).into());
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: name.as_bytes(),
                },
            )
            .map_err(|_| damaged())
    }
}

fn artifact_file(step: &str, media_type: MediaType) -> String {
    let kind = match media_type {
        MediaType::ImageJpeg => "jpeg",
        MediaType::VideoMp4 => "mp4",
        MediaType::AudioWav => "wav",
    };
    format!("{}.{kind}.enc", folder_name(step))
}

/// Ids are server-made; keep only characters safe in a file name all the same.
fn folder_name(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Writes a file whole or not at all, readable by the user alone: a synced temporary
/// file renamed over the target.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Some(parent) = path.parent()
        && let Ok(dir) = fs::File::open(parent)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}
