//! Kiosk mode's own rules, apart from any window: the operator's PIN (set at install
//! time, kept only as an Argon2id hash), the lockout after wrong PINs, and the lock that
//! keeps a second kiosk from running on the same data.
//!
//! What a kiosk does with its window (fullscreen, undecorated, on top, content-protected,
//! close refused) is in `lib.rs`; the reset that wipes a person's traces is
//! `commands::kiosk`.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use thiserror::Error;

/// Shortest and longest PIN an operator may set.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 6..=12;
/// Wrong PINs allowed before the first lockout.
pub const FREE_TRIES: u32 = 5;
/// The first lockout; each wrong PIN after it doubles the wait, up to [`LONGEST_LOCKOUT`].
pub const FIRST_LOCKOUT: Duration = Duration::from_secs(60);
/// The longest lockout.
pub const LONGEST_LOCKOUT: Duration = Duration::from_secs(3600);

/// Why a PIN was not taken.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum KioskError {
    /// A PIN to set is not 6–12 digits.
    #[error("a kiosk PIN is 6 to 12 digits")]
    PinMalformed,
    /// The configured hash is not an Argon2 PHC string.
    #[error("the kiosk PIN hash is not an Argon2 hash: {0}")]
    HashMalformed(String),
    /// The PIN is wrong.
    #[error("wrong PIN")]
    PinWrong {
        /// Tries left before a lockout.
        tries_left: u32,
    },
    /// Too many wrong PINs: wait.
    #[error("too many wrong PINs; wait {seconds} s")]
    LockedOut {
        /// Seconds to wait.
        seconds: u64,
    },
    /// Another kiosk holds this data folder.
    #[error("another Ehraz kiosk is running on {0}")]
    AlreadyRunning(String),
    /// The lock file could not be made.
    #[error("kiosk lock {path}: {message}")]
    Lock {
        /// The file.
        path: String,
        /// What failed.
        message: String,
    },
}

impl KioskError {
    /// The code the UI has a message for.
    pub fn code(&self) -> &'static str {
        match self {
            Self::PinMalformed | Self::PinWrong { .. } => "kiosk_pin_wrong",
            Self::LockedOut { .. } => "kiosk_locked_out",
            Self::HashMalformed(_) | Self::AlreadyRunning(_) | Self::Lock { .. } => {
                "kiosk_unavailable"
            }
        }
    }
}

/// `pin` with any digit script made ASCII, if it is a PIN at all.
fn pin_digits(pin: &str) -> Result<String, KioskError> {
    let digits = ehraz_core::normalize::digits_to_ascii(pin.trim());
    if PIN_DIGITS.contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(KioskError::PinMalformed)
    }
}

/// The Argon2id hash (PHC string) to put in the settings as `kiosk_pin_hash`.
pub fn hash_pin(pin: &str) -> Result<String, KioskError> {
    let digits = pin_digits(pin)?;
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| KioskError::HashMalformed(e.to_string()))?;
    Argon2::default()
        .hash_password(digits.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| KioskError::HashMalformed(e.to_string()))
}

/// Checks that `hash` is a PHC string Argon2 can verify against (read at start, so a
/// kiosk with a broken PIN never starts).
pub fn check_hash(hash: &str) -> Result<(), KioskError> {
    let parsed = PasswordHash::new(hash).map_err(|e| KioskError::HashMalformed(e.to_string()))?;
    if parsed.algorithm.as_str().starts_with("argon2") {
        Ok(())
    } else {
        Err(KioskError::HashMalformed(format!(
            "algorithm {} is not Argon2",
            parsed.algorithm
        )))
    }
}

/// The operator's PIN, checked with a lockout that grows with each wrong try.
#[derive(Debug)]
pub struct OperatorPin {
    hash: String,
    failures: u32,
    locked_until: Option<Instant>,
}

impl OperatorPin {
    /// The PIN whose Argon2 hash is `hash`.
    pub fn new(hash: String) -> Result<Self, KioskError> {
        check_hash(&hash)?;
        Ok(Self {
            hash,
            failures: 0,
            locked_until: None,
        })
    }

    /// Whether `pin` is the operator's, at `now`. A try during a lockout is refused
    /// without being checked.
    pub fn check(&mut self, pin: &str, now: Instant) -> Result<(), KioskError> {
        if let Some(until) = self.locked_until
            && now < until
        {
            return Err(KioskError::LockedOut {
                seconds: (until - now).as_secs().max(1),
            });
        }
        let parsed =
            PasswordHash::new(&self.hash).map_err(|e| KioskError::HashMalformed(e.to_string()))?;
        let right = pin_digits(pin).is_ok_and(|digits| {
            Argon2::default()
                .verify_password(digits.as_bytes(), &parsed)
                .is_ok()
        });
        if right {
            self.failures = 0;
            self.locked_until = None;
            return Ok(());
        }
        self.failures += 1;
        if self.failures < FREE_TRIES {
            return Err(KioskError::PinWrong {
                tries_left: FREE_TRIES - self.failures,
            });
        }
        let doublings = (self.failures - FREE_TRIES).min(6);
        let wait = (FIRST_LOCKOUT * 2u32.pow(doublings)).min(LONGEST_LOCKOUT);
        self.locked_until = Some(now + wait);
        Err(KioskError::LockedOut {
            seconds: wait.as_secs(),
        })
    }
}

/// The lock a running kiosk holds on its data folder: a second instance finds it taken
/// and stops. Released when dropped (or when the process dies, by the OS).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

impl InstanceLock {
    /// Takes `dir/kiosk.lock`, or says another kiosk has it.
    pub fn take(dir: &Path) -> Result<Self, KioskError> {
        let path = dir.join("kiosk.lock");
        let failed = |message: String| KioskError::Lock {
            path: path.display().to_string(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| failed(e.to_string()))?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| failed(e.to_string()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => {
                Err(KioskError::AlreadyRunning(dir.display().to_string()))
            }
            Err(TryLockError::Error(e)) => Err(failed(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_six_to_twelve_digits_in_any_script() {
        for bad in ["", "12345", "1234567890123", "12a456", "۱۲۳ ۴۵۶"] {
            assert_eq!(hash_pin(bad), Err(KioskError::PinMalformed), "{bad:?}");
        }
        let hash = hash_pin("۲۴۶۸۱۳").expect("a Persian-digit PIN");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        let mut pin = OperatorPin::new(hash).expect("hash");
        let now = Instant::now();
        assert_eq!(pin.check("246813", now), Ok(()));
        assert_eq!(pin.check("٢٤٦٨١٣", now), Ok(()));
    }

    #[test]
    fn the_same_pin_hashes_differently_each_time() {
        let a = hash_pin("123456").expect("hash");
        let b = hash_pin("123456").expect("hash");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(!a.contains("123456"));
    }

    #[test]
    fn wrong_pins_count_down_then_lock_out_longer_each_time() {
        let mut pin = OperatorPin::new(hash_pin("135790").expect("hash")).expect("pin");
        let start = Instant::now();
        for left in (1..FREE_TRIES).rev() {
            assert_eq!(
                pin.check("000000", start),
                Err(KioskError::PinWrong { tries_left: left })
            );
        }
        assert_eq!(
            pin.check("000000", start),
            Err(KioskError::LockedOut { seconds: 60 })
        );
        // During the lockout even the right PIN is not looked at.
        assert_eq!(
            pin.check("135790", start + Duration::from_secs(30)),
            Err(KioskError::LockedOut { seconds: 30 })
        );
        let later = start + Duration::from_secs(61);
        assert_eq!(
            pin.check("999999", later),
            Err(KioskError::LockedOut { seconds: 120 })
        );
        let much_later = later + Duration::from_secs(121);
        assert_eq!(pin.check("135790", much_later), Ok(()));
        assert_eq!(
            pin.check("000000", much_later),
            Err(KioskError::PinWrong {
                tries_left: FREE_TRIES - 1
            }),
            "the right PIN clears the count"
        );
    }

    #[test]
    fn only_argon2_hashes_are_taken() {
        assert!(check_hash("123456").is_err());
        assert!(check_hash("$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaGhhc2g").is_err());
        assert!(check_hash(&hash_pin("123456").expect("hash")).is_ok());
    }

    #[test]
    fn a_second_kiosk_on_the_same_data_is_refused() {
        let dir = std::env::temp_dir().join(format!("ehraz-kiosk-lock-{}", std::process::id()));
        let first = InstanceLock::take(&dir).expect("the first kiosk");
        assert!(matches!(
            InstanceLock::take(&dir),
            Err(KioskError::AlreadyRunning(_))
        ));
        drop(first);
        let again = InstanceLock::take(&dir).expect("free once the first is gone");
        drop(again);
        let _ = std::fs::remove_dir_all(dir);
    }
}
