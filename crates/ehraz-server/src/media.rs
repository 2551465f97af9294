//! Where uploaded media lives: behind [`MediaStore`], so a deployment can put it in
//! S3-compatible object storage; the default keeps it on the local disk.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Boxed future returned by stores.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = std::io::Result<T>> + Send + 'a>>;

/// Append-only storage of uploads, by upload id.
pub trait MediaStore: Send + Sync + std::fmt::Debug {
    /// Creates an empty object.
    fn create<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()>;
    /// Appends bytes at the end; returns the new length.
    fn append<'a>(&'a self, id: &'a str, bytes: &'a [u8]) -> StoreFuture<'a, u64>;
    /// The object's length: the upload offset.
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
        // Ids are server-made UUIDs; keep anything else out of the path all the same.
        let safe: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        self.dir.join(format!("{safe}.bin"))
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

    fn append<'a>(&'a self, id: &'a str, bytes: &'a [u8]) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let mut file = tokio::fs::OpenOptions::new()
                .append(true)
                .open(self.path(id))
                .await?;
            file.write_all(bytes).await?;
            file.sync_data().await?;
            Ok(file.metadata().await?.len())
        })
    }

    fn len<'a>(&'a self, id: &'a str) -> StoreFuture<'a, u64> {
        Box::pin(async move { Ok(tokio::fs::metadata(self.path(id)).await?.len()) })
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
        Box::pin(async move {
            let mut file = tokio::fs::File::open(self.path(id)).await?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = file.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            Ok(hasher
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect())
        })
    }

    fn read<'a>(&'a self, id: &'a str) -> StoreFuture<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(id)).await })
    }

    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(id)).await {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
    }
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
