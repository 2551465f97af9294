//! Contact fields: mobile number, landline, postal code and postal address.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use thiserror::Error;

use crate::identity::digits_of;
use crate::message::{message_ids_from_strum, string_newtype};
use crate::normalize;

/// An Iranian mobile number, stored as `09` followed by nine digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber(String);

/// Why a mobile number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum MobileNumberError {
    #[error("no mobile number was given")]
    #[strum(serialize = "mobile-empty")]
    Empty,
    #[error("a mobile number holds digits only, with an optional leading +")]
    #[strum(serialize = "mobile-not-digits")]
    NotDigits,
    #[error("this is not an Iranian mobile number (09 and nine more digits)")]
    #[strum(serialize = "mobile-format")]
    Format,
}

/// The network a mobile number was first issued on. Informative only: numbers move between
/// operators and new prefixes appear, so an unknown prefix is never a reason to refuse.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumIter,
)]
#[serde(rename_all = "kebab-case")]
pub enum Operator {
    #[strum(serialize = "operator-mci")]
    Mci,
    #[strum(serialize = "operator-irancell")]
    Irancell,
    #[strum(serialize = "operator-rightel")]
    Rightel,
    #[strum(serialize = "operator-taliya")]
    Taliya,
    #[strum(serialize = "operator-shatel-mobile")]
    ShatelMobile,
    #[strum(serialize = "operator-unknown")]
    Unknown,
}

impl MobileNumber {
    /// Parses `+98 912…`, `0098912…`, `98912…`, `0912…` or `912…`, in any digit script,
    /// with or without separators.
    pub fn parse(input: &str) -> Result<Self, MobileNumberError> {
        let typed = normalize::numeric(input);
        let (plus, digits) = match typed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, typed.as_str()),
        };
        if digits.is_empty() && !plus {
            return Err(MobileNumberError::Empty);
        }
        if digits_of(digits).is_none() {
            return Err(MobileNumberError::NotDigits);
        }
        let national = if plus {
            digits.strip_prefix("98")
        } else {
            match digits.len() {
                14 => digits.strip_prefix("0098"),
                12 => digits.strip_prefix("98"),
                11 => digits.strip_prefix('0'),
                10 => Some(digits),
                _ => None,
            }
        };
        match national {
            Some(n) if n.len() == 10 && n.starts_with('9') => Ok(Self(format!("0{n}"))),
            _ => Err(MobileNumberError::Format),
        }
    }

    /// The eleven ASCII digits, `09…`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The network the number's prefix was issued to, where known.
    pub fn operator(&self) -> Operator {
        let prefix: u16 = self.0[1..4].parse().unwrap_or(0);
        match prefix {
            910..=919 | 990..=996 => Operator::Mci,
            900..=905 | 930 | 933 | 935..=939 | 941 => Operator::Irancell,
            920..=923 => Operator::Rightel,
            932 => Operator::Taliya,
            998 => Operator::ShatelMobile,
            _ => Operator::Unknown,
        }
    }
}

/// A fixed-line number: `0`, a two-digit area code (e.g. `21` for Tehran) and eight digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Landline(String);

/// Why a landline number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum LandlineError {
    #[error("no landline number was given")]
    #[strum(serialize = "landline-empty")]
    Empty,
    #[error("a landline number holds digits only")]
    #[strum(serialize = "landline-not-digits")]
    NotDigits,
    #[error("the area code is missing")]
    #[strum(serialize = "landline-missing-area-code")]
    MissingAreaCode,
    #[error("this is a mobile number, not a landline")]
    #[strum(serialize = "landline-is-mobile")]
    IsMobile,
    #[error("a landline number is 0, a two-digit area code and eight digits")]
    #[strum(serialize = "landline-format")]
    Format,
}

impl Landline {
    /// Parses `021 1234 5678`, `+98 21 …` or `0098 21 …`, in any digit script.
    pub fn parse(input: &str) -> Result<Self, LandlineError> {
        let typed = normalize::numeric(input);
        if typed.is_empty() {
            return Err(LandlineError::Empty);
        }
        let digits = if let Some(rest) = typed.strip_prefix("+98") {
            format!("0{rest}")
        } else if let Some(rest) = typed.strip_prefix("0098") {
            format!("0{rest}")
        } else {
            typed
        };
        if digits_of(&digits).is_none() {
            return Err(LandlineError::NotDigits);
        }
        if digits.len() == 8 && !digits.starts_with('0') {
            return Err(LandlineError::MissingAreaCode);
        }
        if digits.starts_with("09") {
            return Err(LandlineError::IsMobile);
        }
        let area_ok = matches!(digits.as_bytes().get(1), Some(b'1'..=b'8'));
        if digits.len() != 11 || !digits.starts_with('0') || !area_ok {
            return Err(LandlineError::Format);
        }
        Ok(Self(digits))
    }

    /// The eleven ASCII digits, `0` first.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The area code with its leading zero, e.g. `021`.
    pub fn area_code(&self) -> &str {
        &self.0[..3]
    }
}

/// A ten-digit Iranian postal code. The digits 0 and 2 never occur in its first five.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

/// Why a postal code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum PostalCodeError {
    #[error("no postal code was given")]
    #[strum(serialize = "postal-code-empty")]
    Empty,
    #[error("a postal code holds digits only")]
    #[strum(serialize = "postal-code-not-digits")]
    NotDigits,
    #[error("a postal code has exactly ten digits")]
    #[strum(serialize = "postal-code-length")]
    Length,
    #[error("the first five digits of a postal code never include 0 or 2")]
    #[strum(serialize = "postal-code-pattern")]
    Pattern,
}

impl PostalCode {
    /// Parses what a person typed, in any digit script, with or without a dash.
    pub fn parse(input: &str) -> Result<Self, PostalCodeError> {
        let code = normalize::numeric(input);
        let digits = match digits_of(&code) {
            None if code.is_empty() => return Err(PostalCodeError::Empty),
            None => return Err(PostalCodeError::NotDigits),
            Some(d) => d,
        };
        if digits.len() != 10 {
            return Err(PostalCodeError::Length);
        }
        if digits[..5].iter().any(|&d| d == 0 || d == 2) {
            return Err(PostalCodeError::Pattern);
        }
        Ok(Self(code))
    }

    /// The ten ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A postal address in free text, normalised (Persian letters, folded white space).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Address(String);

/// Why an address was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum AddressError {
    #[error("no address was given")]
    #[strum(serialize = "address-empty")]
    Empty,
    #[error("the address is too short to find a building by")]
    #[strum(serialize = "address-too-short")]
    TooShort,
    #[error("the address is longer than 300 characters")]
    #[strum(serialize = "address-too-long")]
    TooLong,
}

impl Address {
    /// Fewest characters of an address that can name a city, a street and a number.
    pub const MIN_CHARS: usize = 10;
    /// Most characters accepted.
    pub const MAX_CHARS: usize = 300;

    /// Parses and normalises an address.
    pub fn parse(input: &str) -> Result<Self, AddressError> {
        let address = normalize::text(input);
        match address.chars().count() {
            0 => Err(AddressError::Empty),
            n if n < Self::MIN_CHARS => Err(AddressError::TooShort),
            n if n > Self::MAX_CHARS => Err(AddressError::TooLong),
            _ => Ok(Self(address)),
        }
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

message_ids_from_strum!(
    MobileNumberError,
    Operator,
    LandlineError,
    PostalCodeError,
    AddressError
);
string_newtype!(
    MobileNumber => MobileNumberError,
    Landline => LandlineError,
    PostalCode => PostalCodeError,
    Address => AddressError,
);
