//! The app's settings: the backend, the interface language and kiosk mode. Embedded
//! defaults (the reference backend on loopback, Persian, no kiosk), then a `config.toml`
//! in the app's configuration folder, then `EHRAZ_*` environment variables.

use std::path::{Path, PathBuf};

use ehraz_i18n::Locale;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use url::Url;

/// The reference backend as `ehraz-server` starts it.
pub const DEFAULT_BACKEND: &str = "http://127.0.0.1:8787/";

/// What the app runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The verification backend: `https://`, or `http://` on loopback only.
    pub backend_url: Url,
    /// The interface language.
    pub locale: Locale,
    /// Kiosk mode: for walk-up use in a branch (see [`Kiosk`]); `None` on a person's own
    /// device.
    pub kiosk: Option<Kiosk>,
    /// Where the outbox lives; the platform's app data folder when unset.
    pub data_dir: Option<PathBuf>,
    /// Keep outbox keys in the OS credential store when one answers (key files otherwise).
    pub os_key_store: bool,
    /// A file-backed camera (a YUV4MPEG2 file, or a folder of images) offered beside the
    /// device cameras, and used when there is none: for demos, tests and machines without
    /// a camera. `EHRAZ_CAMERA_FILE`.
    pub camera_file: Option<PathBuf>,
    /// A file-backed microphone (a WAV file), likewise. `EHRAZ_MICROPHONE_FILE`.
    pub microphone_file: Option<PathBuf>,
}

/// A kiosk's settings. Serialised for the page (`app_info`) as its timings alone: the
/// PIN's hash never leaves the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kiosk {
    /// Seconds without a touch, click or key before "are you still there?" is asked.
    pub idle_seconds: u32,
    /// Seconds that question counts down before everything of the person is wiped.
    pub warning_seconds: u32,
    /// Seconds the status screen stays after a submission before the kiosk resets.
    pub done_seconds: u32,
    /// The operator's PIN, as an Argon2 hash set at install time (`ehraz kiosk-pin`).
    #[serde(skip)]
    pub pin_hash: String,
}

/// The range of `kiosk_idle_seconds`.
pub const IDLE_SECONDS: std::ops::RangeInclusive<u32> = 15..=3600;
/// The default idle time.
pub const DEFAULT_IDLE_SECONDS: u32 = 120;

/// A setting that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    /// The configuration file does not parse.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The backend URL is malformed or not safe to use.
    #[error("backend URL `{0}`: {1}")]
    BackendUrl(String, &'static str),
    /// An unknown language.
    #[error("locale `{0}`: use fa or en")]
    Locale(String),
    /// A yes/no setting that is neither.
    #[error("{0} `{1}`: use true or false")]
    Flag(&'static str, String),
    /// Kiosk mode without the operator's PIN, or with one that is not an Argon2 hash.
    #[error("kiosk mode needs kiosk_pin_hash, an Argon2 hash made by `ehraz kiosk-pin` ({0})")]
    KioskPin(String),
    /// An idle time out of range.
    #[error("kiosk_idle_seconds `{0}`: use 15 to 3600")]
    IdleSeconds(String),
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    backend_url: Option<String>,
    locale: Option<String>,
    kiosk: Option<bool>,
    kiosk_idle_seconds: Option<u32>,
    kiosk_pin_hash: Option<String>,
    data_dir: Option<PathBuf>,
    os_key_store: Option<bool>,
    camera_file: Option<PathBuf>,
    microphone_file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            backend_url: Url::parse(DEFAULT_BACKEND).unwrap_or_else(|_| unreachable!()),
            locale: Locale::Fa,
            kiosk: None,
            data_dir: None,
            os_key_store: true,
            camera_file: None,
            microphone_file: None,
        }
    }
}

impl Config {
    /// The defaults, then `file` if it exists, then the environment (`EHRAZ_BACKEND_URL`,
    /// `EHRAZ_LOCALE`, `EHRAZ_KIOSK`, `EHRAZ_KIOSK_IDLE_SECONDS`, `EHRAZ_KIOSK_PIN_HASH`,
    /// `EHRAZ_DATA_DIR`, `EHRAZ_OS_KEY_STORE`, `EHRAZ_CAMERA_FILE`,
    /// `EHRAZ_MICROPHONE_FILE`).
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let settings = match file {
            Some(path) if path.is_file() => read_file(path)?,
            _ => FileSettings::default(),
        };
        Self::from_parts(settings, |name| std::env::var(name).ok())
    }

    fn from_parts(
        file: FileSettings,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        let env = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        if let Some(url) = env("EHRAZ_BACKEND_URL").or(file.backend_url) {
            config.backend_url = backend_url(&url)?;
        }
        if let Some(tag) = env("EHRAZ_LOCALE").or(file.locale) {
            config.locale = Locale::from_tag(&tag).ok_or(ConfigError::Locale(tag))?;
        }
        let kiosk = match env("EHRAZ_KIOSK") {
            Some(v) => flag("EHRAZ_KIOSK", &v)?,
            None => file.kiosk.unwrap_or(false),
        };
        if kiosk {
            let idle_seconds = match env("EHRAZ_KIOSK_IDLE_SECONDS") {
                Some(v) => v.trim().parse().map_err(|_| ConfigError::IdleSeconds(v))?,
                None => file.kiosk_idle_seconds.unwrap_or(DEFAULT_IDLE_SECONDS),
            };
            if !IDLE_SECONDS.contains(&idle_seconds) {
                return Err(ConfigError::IdleSeconds(idle_seconds.to_string()));
            }
            let pin_hash = env("EHRAZ_KIOSK_PIN_HASH")
                .or(file.kiosk_pin_hash)
                .ok_or_else(|| ConfigError::KioskPin("none is set".into()))?;
            crate::kiosk::check_hash(&pin_hash)
                .map_err(|e| ConfigError::KioskPin(e.to_string()))?;
            config.kiosk = Some(Kiosk {
                idle_seconds,
                // Long enough to read the question and reach the button: at least the
                // 20 s WCAG 2.2.1 asks of a warning before time runs out.
                warning_seconds: (idle_seconds / 4).clamp(20, 30),
                done_seconds: 30,
                pin_hash,
            });
        }
        config.os_key_store = match env("EHRAZ_OS_KEY_STORE") {
            Some(v) => flag("EHRAZ_OS_KEY_STORE", &v)?,
            None => file.os_key_store.unwrap_or(true),
        };
        config.data_dir = env("EHRAZ_DATA_DIR").map(PathBuf::from).or(file.data_dir);
        config.camera_file = env("EHRAZ_CAMERA_FILE")
            .map(PathBuf::from)
            .or(file.camera_file);
        config.microphone_file = env("EHRAZ_MICROPHONE_FILE")
            .map(PathBuf::from)
            .or(file.microphone_file);
        Ok(config)
    }
}

fn read_file(path: &Path) -> Result<FileSettings, ConfigError> {
    let error = |message: String| ConfigError::File {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
    toml::from_str(&text).map_err(|e| error(e.to_string()))
}

/// A backend URL the app may talk to: TLS, except on loopback.
fn backend_url(raw: &str) -> Result<Url, ConfigError> {
    let bad = |why| ConfigError::BackendUrl(raw.to_owned(), why);
    let url = Url::parse(raw.trim()).map_err(|_| bad("not a URL"))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    // The URL reaches the page (`app_info`) and the logs: no secret belongs in it.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("no user name or password in the URL"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(bad("plain http is allowed on loopback only; use https")),
        _ => Err(bad("use https")),
    }
}

fn flag(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(ConfigError::Flag(name, value.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn defaults_are_the_loopback_reference_backend_in_persian() {
        let config = Config::from_parts(FileSettings::default(), env(&[])).expect("defaults");
        assert_eq!(config, Config::default());
        assert_eq!(config.backend_url.as_str(), DEFAULT_BACKEND);
        assert_eq!(config.locale, Locale::Fa);
        assert!(config.kiosk.is_none());
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let file: FileSettings = toml::from_str(
            "backend_url = \"https://kyc.example.ir\"\nlocale = \"en\"\nkiosk = true\n",
        )
        .expect("toml");
        let config = Config::from_parts(
            file,
            env(&[("EHRAZ_LOCALE", "fa-IR"), ("EHRAZ_KIOSK", "no")]),
        )
        .expect("config");
        assert_eq!(config.backend_url.as_str(), "https://kyc.example.ir/");
        assert_eq!(config.locale, Locale::Fa);
        assert!(config.kiosk.is_none());
        assert_eq!(config.camera_file, None);

        let file: FileSettings =
            toml::from_str("camera_file = \"/demo/a.y4m\"\nmicrophone_file = \"/demo/a.wav\"\n")
                .expect("toml");
        let config =
            Config::from_parts(file, env(&[("EHRAZ_CAMERA_FILE", "/other/b.y4m")])).expect("ok");
        assert_eq!(config.camera_file, Some(PathBuf::from("/other/b.y4m")));
        assert_eq!(config.microphone_file, Some(PathBuf::from("/demo/a.wav")));
    }

    #[test]
    fn plain_http_is_refused_off_loopback_and_bad_values_are_named() {
        for (url, ok) in [
            ("http://127.0.0.1:8787", true),
            ("http://[::1]:8787", true),
            ("http://localhost:8787", true),
            ("https://kyc.example.ir", true),
            ("http://kyc.example.ir", false),
            ("http://10.0.0.2:8787", false),
            ("ftp://127.0.0.1", false),
            ("not a url", false),
            ("HTTPS://KYC.EXAMPLE.IR", true),
            ("http://127.0.0.2:8787", true),
            ("http://LOCALHOST:8787", true),
            ("http://localhost.evil.example", false),
            ("http://127.0.0.1.evil.example", false),
            ("http://localhost.:8787", false),
            ("http://0.0.0.0:8787", false),
            ("http://[::ffff:127.0.0.1]:8787", false),
            ("http://192.168.1.10", false),
            ("ws://127.0.0.1:8787", false),
            ("file:///etc/passwd", false),
            ("javascript:alert(1)", false),
            ("data:text/plain,x", false),
            ("https://user:secret@kyc.example.ir", false),
            ("https://user@kyc.example.ir", false),
            ("http://user:secret@127.0.0.1:8787", false),
        ] {
            assert_eq!(backend_url(url).is_ok(), ok, "{url}");
        }
        let error = Config::from_parts(FileSettings::default(), env(&[("EHRAZ_LOCALE", "de")]));
        assert_eq!(error, Err(ConfigError::Locale("de".into())));
        let error = Config::from_parts(FileSettings::default(), env(&[("EHRAZ_KIOSK", "maybe")]));
        assert_eq!(error, Err(ConfigError::Flag("EHRAZ_KIOSK", "maybe".into())));
        let unknown = toml::from_str::<FileSettings>("colour = \"blue\"");
        assert!(unknown.is_err());
    }

    #[test]
    fn a_kiosk_needs_its_operator_pin_and_a_sane_idle_time() {
        let error = Config::from_parts(FileSettings::default(), env(&[("EHRAZ_KIOSK", "true")]));
        assert!(matches!(error, Err(ConfigError::KioskPin(_))), "{error:?}");
        let error = Config::from_parts(
            FileSettings::default(),
            env(&[("EHRAZ_KIOSK", "true"), ("EHRAZ_KIOSK_PIN_HASH", "123456")]),
        );
        assert!(
            matches!(error, Err(ConfigError::KioskPin(_))),
            "a PIN in clear: {error:?}"
        );

        let hash = crate::kiosk::hash_pin("246813").expect("hash");
        let text = format!("kiosk = true\nkiosk_pin_hash = \"{hash}\"\nkiosk_idle_seconds = 90\n");
        let file: FileSettings = toml::from_str(&text).expect("toml");
        let config = Config::from_parts(file, env(&[])).expect("kiosk");
        let kiosk = config.kiosk.expect("kiosk on");
        assert_eq!(kiosk.idle_seconds, 90);
        assert_eq!(kiosk.warning_seconds, 22);
        let quick = Config::from_parts(FileSettings::default(), |name| match name {
            "EHRAZ_KIOSK" => Some("true".into()),
            "EHRAZ_KIOSK_PIN_HASH" => Some(hash.clone()),
            "EHRAZ_KIOSK_IDLE_SECONDS" => Some("15".into()),
            _ => None,
        })
        .expect("a quick kiosk");
        assert_eq!(
            quick.kiosk.expect("kiosk").warning_seconds,
            20,
            "never under 20 s"
        );
        assert_eq!(kiosk.pin_hash, hash);

        for idle in ["5", "7200", "soon"] {
            let file: FileSettings = toml::from_str(&text).expect("toml");
            let error = Config::from_parts(file, |name| match name {
                "EHRAZ_KIOSK_IDLE_SECONDS" => Some(idle.to_owned()),
                _ => None,
            });
            assert!(
                matches!(error, Err(ConfigError::IdleSeconds(_))),
                "{idle}: {error:?}"
            );
        }
        // Off, the kiosk's settings are not looked at.
        let config = Config::from_parts(
            FileSettings::default(),
            env(&[("EHRAZ_KIOSK_PIN_HASH", "not a hash")]),
        )
        .expect("no kiosk");
        assert!(config.kiosk.is_none());
    }
}
