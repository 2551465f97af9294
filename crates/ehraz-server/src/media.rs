//! Where uploaded media lives: behind [`MediaStore`], so a deployment can put it in
//! S3-compatible object storage; the default keeps it on the local disk.

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::pin::Pin;

use axum::body::Bytes;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

/// Boxed future returned by stores.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = std::io::Result<T>> + Send + 'a>>;

/// Append-only storage of uploads, by upload id.
pub trait MediaStore: Send + Sync + std::fmt::Debug {
    /// Creates an empty object.
    fn create<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()>;
    /// Appends bytes at the end; returns the new length. The write may start before the
    /// future is awaited (so it can run while the next bytes arrive); callers await one
    /// append before starting the next. Bytes need not be durable until
    /// [`MediaStore::sync`]; the length must never count bytes that are not there.
    fn append<'a>(&'a self, id: &'a str, bytes: Bytes) -> StoreFuture<'a, u64>;
    /// Makes everything appended so far durable.
    fn sync<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()>;
    /// Marks what is appended from now on as unsettled: until [`MediaStore::settle`] the
    /// object counts only its first `at` bytes, also after a crash. Anything past `at`
    /// (left by a crash) is dropped first.
    fn hold<'a>(&'a self, id: &'a str, at: u64) -> StoreFuture<'a, ()>;
    /// Ends a [`MediaStore::hold`], keeping the bytes appended since or cutting them
    /// off; returns the length.
    fn settle<'a>(&'a self, id: &'a str, keep: bool) -> StoreFuture<'a, u64>;
    /// The object's length: the upload offset. Unsettled bytes do not count.
    fn len<'a>(&'a self, id: &'a str) -> StoreFuture<'a, u64>;
    /// Up to `n` bytes from the start.
    fn head<'a>(&'a self, id: &'a str, n: usize) -> StoreFuture<'a, Vec<u8>>;
    /// SHA-256 of the whole object, in hex.
    fn sha256<'a>(&'a self, id: &'a str) -> StoreFuture<'a, String>;
    /// The whole object.
    fn read<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Vec<u8>>;
    /// Removes the object; removing a missing one is not an error.
    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()>;
}

/// Media in a folder on the local disk, one file per upload.
#[derive(Debug, Clone)]
pub struct DiskStore {
    dir: PathBuf,
}

impl DiskStore {
    /// A store in `dir`, created if missing.
    pub async fn open(dir: PathBuf) -> std::io::Result<Self> {
        tokio::fs::create_dir_all(&dir).await?;
        Ok(Self { dir })
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{}.bin", safe_name(id)))
    }

    /// Where a hold keeps the settled length, while it lasts.
    fn hold_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{}.held", safe_name(id)))
    }
}

/// Ids are server-made UUIDs; keep anything else out of paths all the same.
fn safe_name(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// The settled length a hold recorded, if one is on.
fn held_length(hold: &std::path::Path) -> std::io::Result<Option<u64>> {
    match std::fs::read_to_string(hold) {
        // A marker that does not read (a machine that lost power just after writing it)
        // vouches for nothing of the file: the client sends it all again.
        Ok(text) => Ok(Some(text.trim().parse().unwrap_or(0))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl MediaStore for DiskStore {
    fn create<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.path(id))
                .await?;
            Ok(())
        })
    }

    fn append<'a>(&'a self, id: &'a str, bytes: Bytes) -> StoreFuture<'a, u64> {
        // One blocking call for the whole write: tokio's file hops to the blocking pool
        // once per couple of megabytes and copies every byte once more. On a journaling
        // file system in its default mode (ext4 `data=ordered`, XFS) a crash may lose
        // the end of the file but never lengthens it with bytes that were not written.
        let path = self.path(id);
        blocking(move || {
            let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
            file.write_all(&bytes)?;
            Ok(file.metadata()?.len())
        })
    }

    fn sync<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()> {
        let path = self.path(id);
        blocking(move || {
            std::fs::OpenOptions::new()
                .append(true)
                .open(path)?
                .sync_data()
        })
    }

    fn hold<'a>(&'a self, id: &'a str, at: u64) -> StoreFuture<'a, ()> {
        let (path, hold) = (self.path(id), self.hold_path(id));
        blocking(move || {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            if file.metadata()?.len() > at {
                file.set_len(at)?;
            }
            // Whole or absent: written aside, then renamed into place.
            let aside = hold.with_extension("held-new");
            std::fs::write(&aside, at.to_string())?;
            std::fs::rename(aside, hold)
        })
    }

    fn settle<'a>(&'a self, id: &'a str, keep: bool) -> StoreFuture<'a, u64> {
        let (path, hold) = (self.path(id), self.hold_path(id));
        blocking(move || {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            if !keep
                && let Some(at) = held_length(&hold)?
                && file.metadata()?.len() > at
            {
                file.set_len(at)?;
            }
            match std::fs::remove_file(hold) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            Ok(file.metadata()?.len())
        })
    }

    fn len<'a>(&'a self, id: &'a str) -> StoreFuture<'a, u64> {
        let (path, hold) = (self.path(id), self.hold_path(id));
        blocking(move || {
            let stored = std::fs::metadata(path)?.len();
            // Never more than is there, whatever a marker says after a power loss.
            Ok(held_length(&hold)?.map_or(stored, |at| at.min(stored)))
        })
    }

    fn head<'a>(&'a self, id: &'a str, n: usize) -> StoreFuture<'a, Vec<u8>> {
        Box::pin(async move {
            let file = tokio::fs::File::open(self.path(id)).await?;
            let mut buf = Vec::with_capacity(n);
            file.take(n as u64).read_to_end(&mut buf).await?;
            Ok(buf)
        })
    }

    fn sha256<'a>(&'a self, id: &'a str) -> StoreFuture<'a, String> {
        let path = self.path(id);
        blocking(move || {
            let mut file = std::fs::File::open(path)?;
            let mut hasher = Sha256::new();
            std::io::copy(&mut file, &mut hasher)?;
            Ok(hex(&hasher.finalize()))
        })
    }

    fn read<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(id)).await })
    }

    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()> {
        let (path, hold) = (self.path(id), self.hold_path(id));
        blocking(move || {
            for file in [hold, path] {
                match std::fs::remove_file(file) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
            Ok(())
        })
    }
}

/// Runs blocking file work off the async threads. It starts at once: the future only
/// waits for it.
fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> StoreFuture<'static, T> {
    let handle = tokio::task::spawn_blocking(work);
    Box::pin(async move { handle.await.map_err(std::io::Error::other)? })
}

/// Lower-case hex, as digests are kept.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the first bytes of a file are those of its declared media type.
pub fn content_matches(media_type: ehraz_core::MediaType, head: &[u8]) -> bool {
    use ehraz_core::MediaType;
    match media_type {
        MediaType::ImageJpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        MediaType::VideoMp4 => head.len() >= 8 && &head[4..8] == b"ftyp",
        MediaType::AudioWav => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WAVE",
    }
}

/// How many first bytes [`content_matches`] needs.
pub const SNIFF_BYTES: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    use ehraz_core::MediaType;

    #[tokio::test]
    async fn held_bytes_do_not_count_until_settled_even_across_a_restart() {
        let dir = std::env::temp_dir().join(format!("ehraz-media-{}", uuid::Uuid::new_v4()));
        let store = DiskStore::open(dir.clone()).await.expect("store");
        store.create("u").await.expect("created");
        store
            .append("u", Bytes::from_static(b"verified"))
            .await
            .expect("written");
        store.hold("u", 8).await.expect("held");
        store
            .append("u", Bytes::from_static(b"unchecked"))
            .await
            .expect("written");
        assert_eq!(store.len("u").await.expect("len"), 8);

        // The process dies here; a new one finds the upload at its settled length, and
        // the next hold drops what was left past it.
        let store = DiskStore::open(dir.clone()).await.expect("reopened");
        assert_eq!(store.len("u").await.expect("len"), 8);
        store.hold("u", 8).await.expect("held");
        assert_eq!(store.read("u").await.expect("read"), b"verified");
        store
            .append("u", Bytes::from_static(b" twice"))
            .await
            .expect("written");
        assert_eq!(store.settle("u", true).await.expect("kept"), 14);
        store.hold("u", 14).await.expect("held");
        store
            .append("u", Bytes::from_static(b"bad"))
            .await
            .expect("written");
        assert_eq!(store.settle("u", false).await.expect("cut"), 14);
        assert_eq!(store.read("u").await.expect("read"), b"verified twice");

        // A marker that does not read vouches for nothing; one past the end of the file
        // (a power loss) vouches only for what is there.
        std::fs::write(dir.join("u.held"), "").expect("marker");
        assert_eq!(store.len("u").await.expect("len"), 0);
        std::fs::write(dir.join("u.held"), "99").expect("marker");
        assert_eq!(store.len("u").await.expect("len"), 14);
        store.delete("u").await.expect("deleted");
        assert!(std::fs::read_dir(&dir).expect("dir").next().is_none());
        std::fs::remove_dir_all(dir).expect("cleaned");
    }

    #[test]
    fn content_is_recognised_by_its_first_bytes() {
        assert!(content_matches(
            MediaType::ImageJpeg,
            &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]
        ));
        assert!(!content_matches(MediaType::ImageJpeg, b"GIF89a"));
        assert!(content_matches(MediaType::VideoMp4, b"\0\0\0\x20ftypisom"));
        assert!(!content_matches(MediaType::VideoMp4, b"\0\0\0\x20moov"));
        assert!(content_matches(
            MediaType::AudioWav,
            b"RIFF\x24\x08\0\0WAVEfmt "
        ));
        assert!(!content_matches(
            MediaType::AudioWav,
            b"RIFF\x24\x08\0\0AVI "
        ));
    }
}
