//! Identity fields: national code, Sejam tracking code, smart-card serial and the card
//! receipt's tracking code.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use thiserror::Error;

use crate::message::{message_ids_from_strum, string_newtype};
use crate::normalize;

/// A valid Iranian national code (کد ملی): ten ASCII digits whose last is the check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NationalCode(String);

/// Why a national code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum NationalCodeError {
    #[error("no national code was given")]
    #[strum(serialize = "national-code-empty")]
    Empty,
    #[error("a national code holds digits only")]
    #[strum(serialize = "national-code-not-digits")]
    NotDigits,
    #[error("a national code has exactly ten digits")]
    #[strum(serialize = "national-code-length")]
    Length,
    #[error("a national code cannot repeat one digit ten times")]
    #[strum(serialize = "national-code-repeated")]
    Repeated,
    #[error("the check digit of the national code does not match")]
    #[strum(serialize = "national-code-checksum")]
    Checksum,
}

impl NationalCode {
    /// Parses what a person typed, in any digit script, with or without separators.
    pub fn parse(input: &str) -> Result<Self, NationalCodeError> {
        let code = normalize::numeric(input);
        let digits = digits_of(&code).ok_or(if code.is_empty() {
            NationalCodeError::Empty
        } else {
            NationalCodeError::NotDigits
        })?;
        let Ok(digits) = <[u8; 10]>::try_from(digits) else {
            return Err(NationalCodeError::Length);
        };
        if digits.iter().all(|&d| d == digits[0]) {
            return Err(NationalCodeError::Repeated);
        }
        let prefix: [u8; 9] = std::array::from_fn(|i| digits[i]);
        if Self::check_digit(&prefix) != digits[9] {
            return Err(NationalCodeError::Checksum);
        }
        Ok(Self(code))
    }

    /// The check digit for the first nine digits: with r = Σ dᵢ·(10−i) mod 11, it is r when
    /// r < 2 and 11 − r otherwise.
    pub fn check_digit(prefix: &[u8; 9]) -> u8 {
        let sum: u32 = prefix
            .iter()
            .enumerate()
            .map(|(i, &d)| u32::from(d) * (10 - i as u32))
            .sum();
        let r = (sum % 11) as u8;
        if r < 2 { r } else { 11 - r }
    }

    /// The ten ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Sejam tracking code (کد پیگیری سجام) given at Sejam registration: ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SejamTrackingCode(String);

/// Why a Sejam tracking code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum SejamTrackingCodeError {
    #[error("no Sejam tracking code was given")]
    #[strum(serialize = "sejam-tracking-code-empty")]
    Empty,
    #[error("a Sejam tracking code holds digits only")]
    #[strum(serialize = "sejam-tracking-code-not-digits")]
    NotDigits,
    #[error("a Sejam tracking code has exactly ten digits")]
    #[strum(serialize = "sejam-tracking-code-length")]
    Length,
}

impl SejamTrackingCode {
    /// Parses what a person typed, in any digit script, with or without separators.
    pub fn parse(input: &str) -> Result<Self, SejamTrackingCodeError> {
        let code = normalize::numeric(input);
        match digits_of(&code) {
            None if code.is_empty() => Err(SejamTrackingCodeError::Empty),
            None => Err(SejamTrackingCodeError::NotDigits),
            Some(d) if d.len() != 10 => Err(SejamTrackingCodeError::Length),
            Some(_) => Ok(Self(code)),
        }
    }

    /// The ten ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The serial printed on the back of a smart national card: nine or ten Latin letters and
/// digits, kept upper-case (e.g. `1G23456789`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardSerial(String);

/// Why a card serial was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum CardSerialError {
    #[error("no card serial was given")]
    #[strum(serialize = "card-serial-empty")]
    Empty,
    #[error("the card serial was typed with Persian letters; it uses Latin letters")]
    #[strum(serialize = "card-serial-persian-letters")]
    PersianLetters,
    #[error("a card serial holds Latin letters and digits only")]
    #[strum(serialize = "card-serial-characters")]
    Characters,
    #[error("a card serial has nine or ten characters")]
    #[strum(serialize = "card-serial-length")]
    Length,
}

impl CardSerial {
    /// Parses what a person typed; letters are upper-cased.
    pub fn parse(input: &str) -> Result<Self, CardSerialError> {
        let serial = normalize::numeric(input).to_ascii_uppercase();
        if serial.is_empty() {
            return Err(CardSerialError::Empty);
        }
        if serial.chars().any(is_persian_or_arabic_letter) {
            return Err(CardSerialError::PersianLetters);
        }
        if !serial.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(CardSerialError::Characters);
        }
        if !(9..=10).contains(&serial.len()) {
            return Err(CardSerialError::Length);
        }
        Ok(Self(serial))
    }

    /// The serial, upper-case ASCII.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The tracking code on the receipt given when a smart card was applied for, accepted in
/// place of the card's serial. No public specification of its format exists, so this
/// checks only what is certain (digits, a plausible length) and leaves the rest to the
/// backend's inquiry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardReceiptCode(String);

/// Why a card receipt tracking code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum CardReceiptCodeError {
    #[error("no receipt tracking code was given")]
    #[strum(serialize = "card-receipt-code-empty")]
    Empty,
    #[error("a receipt tracking code holds digits only")]
    #[strum(serialize = "card-receipt-code-not-digits")]
    NotDigits,
    #[error("a receipt tracking code has between 8 and 20 digits")]
    #[strum(serialize = "card-receipt-code-length")]
    Length,
}

impl CardReceiptCode {
    /// Shortest and longest lengths accepted.
    pub const LENGTH: std::ops::RangeInclusive<usize> = 8..=20;

    /// Parses what a person typed, in any digit script, with or without separators.
    pub fn parse(input: &str) -> Result<Self, CardReceiptCodeError> {
        let code = normalize::numeric(input);
        match digits_of(&code) {
            None if code.is_empty() => Err(CardReceiptCodeError::Empty),
            None => Err(CardReceiptCodeError::NotDigits),
            Some(d) if !Self::LENGTH.contains(&d.len()) => Err(CardReceiptCodeError::Length),
            Some(_) => Ok(Self(code)),
        }
    }

    /// The ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

message_ids_from_strum!(
    NationalCodeError,
    SejamTrackingCodeError,
    CardSerialError,
    CardReceiptCodeError
);

/// The values of the ASCII digits of a non-empty all-digit string, or `None`.
pub(crate) fn digits_of(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() {
        return None;
    }
    s.bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

fn is_persian_or_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

string_newtype!(
    NationalCode => NationalCodeError,
    SejamTrackingCode => SejamTrackingCodeError,
    CardSerial => CardSerialError,
    CardReceiptCode => CardReceiptCodeError
);
