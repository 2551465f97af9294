//! Settings, with embedded defaults that start a working server on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How long codes live and how often they may be sent.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Seconds a one-time code stays valid.
    pub code_ttl_seconds: i64,
    /// Wrong tries allowed per code.
    pub max_attempts: i64,
    /// Seconds before the same number may be sent another code.
    pub resend_after_seconds: i64,
    /// Codes one number may receive in a window.
    pub sends_per_number: usize,
    /// Codes one client address may ask for in a window.
    pub sends_per_address: usize,
    /// The window, in seconds.
    pub window_seconds: i64,
    /// Seconds an unfinished upload is kept.
    pub upload_ttl_seconds: i64,
    /// Seconds a PATCH body may go without a byte before it counts as cut (its upload
    /// is locked while it lasts).
    pub body_idle_seconds: u64,
    /// Largest photo (JPEG), in bytes.
    pub max_jpeg_bytes: u64,
    /// Largest video (MP4), in bytes.
    pub max_mp4_bytes: u64,
    /// Largest sound recording (WAV), in bytes.
    pub max_wav_bytes: u64,
}

impl Limits {
    /// The size limit of a media type.
    pub fn max_bytes(&self, media_type: ehraz_core::MediaType) -> u64 {
        match media_type {
            ehraz_core::MediaType::ImageJpeg => self.max_jpeg_bytes,
            ehraz_core::MediaType::VideoMp4 => self.max_mp4_bytes,
            ehraz_core::MediaType::AudioWav => self.max_wav_bytes,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            code_ttl_seconds: 120,
            max_attempts: 5,
            resend_after_seconds: 60,
            sends_per_number: 5,
            sends_per_address: 20,
            window_seconds: 600,
            upload_ttl_seconds: 24 * 3600,
            body_idle_seconds: 30,
            max_jpeg_bytes: 8 << 20,
            max_mp4_bytes: 128 << 20,
            max_wav_bytes: 32 << 20,
        }
    }
}

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; loopback by default.
    pub listen: SocketAddr,
    /// `sqlite:` (default, a file in the data folder) or `postgres://` URL.
    pub database_url: String,
    /// Folder for the database file and media.
    pub data_dir: PathBuf,
    /// Sejam seed file for the development registry; the bundled one if unset.
    pub sejam_seed: Option<PathBuf>,
    /// Bearer token of the operator's endpoints; a random one is made and printed if unset.
    pub admin_token: Option<String>,
    /// Print development SMS messages (one-time codes) to the console.
    pub print_sms: bool,
    /// Code lifetimes and rate limits.
    pub limits: Limits,
    /// The language of the messages sent to people (SMS).
    pub locale: ehraz_i18n::Locale,
}

impl Config {
    /// The defaults: 127.0.0.1:8787, data in `./ehraz-data`, SQLite.
    pub fn local(data_dir: PathBuf) -> Self {
        let database_url = format!("sqlite:{}", data_dir.join("ehraz.db").display());
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8787)),
            database_url,
            data_dir,
            sejam_seed: None,
            admin_token: None,
            print_sms: true,
            limits: Limits::default(),
            locale: ehraz_i18n::Locale::Fa,
        }
    }
}
