//! The outside services the backend asks: an SMS gateway and the Sejam inquiry. Each is a
//! trait so a deployment plugs in the real one; the defaults are honest local stand-ins.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use ehraz_core::{MobileNumber, NationalCode, SejamTrackingCode};
use serde::Deserialize;
use thiserror::Error;

/// A provider did not answer as it should.
#[derive(Debug, Error)]
#[error("provider failed: {0}")]
pub struct ProviderError(pub String);

/// Boxed future returned by providers.
pub type ProviderFuture<'a, T> =
    Pin<Box<dyn Future<Output = Result<T, ProviderError>> + Send + 'a>>;

/// Sends text messages.
pub trait SmsSender: Send + Sync {
    /// Sends `text` to `to`.
    fn send<'a>(&'a self, to: &'a MobileNumber, text: &'a str) -> ProviderFuture<'a, ()>;
}

/// The development SMS provider: prints each message to the console, so a person can run
/// the app locally, and keeps the latest ones in memory for tests. Never use in production.
#[derive(Debug, Default)]
pub struct DevSms {
    print: bool,
    sent: Mutex<Vec<(String, String)>>,
}

impl DevSms {
    /// A provider that prints to standard error when `print` is set.
    pub fn new(print: bool) -> Self {
        Self {
            print,
            sent: Mutex::new(Vec::new()),
        }
    }

    /// The last text sent to a number, if any.
    pub fn last_to(&self, mobile: &str) -> Option<String> {
        let sent = self.sent.lock().ok()?;
        sent.iter()
            .rev()
            .find(|(to, _)| to == mobile)
            .map(|(_, text)| text.clone())
    }

    /// Every text kept (the latest thousand), oldest first.
    pub fn texts(&self) -> Vec<String> {
        self.sent
            .lock()
            .map(|sent| sent.iter().map(|(_, text)| text.clone()).collect())
            .unwrap_or_default()
    }
}

impl SmsSender for DevSms {
    fn send<'a>(&'a self, to: &'a MobileNumber, text: &'a str) -> ProviderFuture<'a, ()> {
        Box::pin(async move {
            if self.print {
                // The one place a code appears in clear: the developer's console.
                eprintln!("[dev SMS to {to}] {text}");
            }
            let mut sent = self
                .sent
                .lock()
                .map_err(|_| ProviderError("poisoned".into()))?;
            sent.push((to.to_string(), text.to_owned()));
            let excess = sent.len().saturating_sub(1000);
            sent.drain(..excess);
            Ok(())
        })
    }
}

/// What the Sejam registry says of a national code and tracking code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SejamAnswer {
    /// Registered; Sejam's code goes to this mobile.
    Registered {
        /// The mobile number registered at Sejam.
        mobile: MobileNumber,
    },
    /// The national code is registered, but with another tracking code.
    TrackingCodeMismatch,
    /// No Sejam registration for this national code.
    NotRegistered,
}

/// Asks Sejam about a person.
pub trait SejamRegistry: Send + Sync {
    /// Looks up a national code and tracking code.
    fn inquire<'a>(
        &'a self,
        national_code: &'a NationalCode,
        tracking_code: &'a SejamTrackingCode,
    ) -> ProviderFuture<'a, SejamAnswer>;
}

/// The development Sejam registry: deterministic answers from a seed file. It answers
/// `NotRegistered` for everyone not in the file; it never approves by default.
#[derive(Debug, Clone, Default)]
pub struct DevSejam {
    people: BTreeMap<String, (String, MobileNumber)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    person: Vec<SeedPerson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedPerson {
    national_code: NationalCode,
    tracking_code: SejamTrackingCode,
    mobile: MobileNumber,
}

/// The seed file that ships with the server.
pub const BUNDLED_SEJAM_SEED: &str = include_str!("../seeds/sejam.toml");

impl DevSejam {
    /// Reads a seed file (TOML, `[[person]]` tables).
    pub fn from_seed(text: &str) -> Result<Self, ProviderError> {
        let seed: SeedFile = toml::from_str(text).map_err(|e| ProviderError(e.to_string()))?;
        let people = seed
            .person
            .into_iter()
            .map(|p| {
                (
                    p.national_code.to_string(),
                    (p.tracking_code.to_string(), p.mobile),
                )
            })
            .collect();
        Ok(Self { people })
    }
}

impl SejamRegistry for DevSejam {
    fn inquire<'a>(
        &'a self,
        national_code: &'a NationalCode,
        tracking_code: &'a SejamTrackingCode,
    ) -> ProviderFuture<'a, SejamAnswer> {
        Box::pin(async move {
            Ok(match self.people.get(national_code.as_str()) {
                None => SejamAnswer::NotRegistered,
                Some((code, _)) if code != tracking_code.as_str() => {
                    SejamAnswer::TrackingCodeMismatch
                }
                Some((_, mobile)) => SejamAnswer::Registered {
                    mobile: mobile.clone(),
                },
            })
        })
    }
}
