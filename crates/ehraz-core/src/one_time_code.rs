//! One-time codes sent by SMS, whose length the flow (or its backend) sets.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use thiserror::Error;

use crate::identity::digits_of;
use crate::message::message_ids_from_strum;
use crate::normalize;

/// How many digits a flow's one-time codes have: four to six.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct CodeLength(u8);

/// A code length outside four to six.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a one-time code has four to six digits, not {0}")]
pub struct CodeLengthError(pub u8);

impl CodeLength {
    /// The lengths a backend may choose.
    pub const RANGE: std::ops::RangeInclusive<u8> = 4..=6;

    /// A length, if it is one a backend may choose.
    pub fn new(length: u8) -> Result<Self, CodeLengthError> {
        if Self::RANGE.contains(&length) {
            Ok(Self(length))
        } else {
            Err(CodeLengthError(length))
        }
    }

    /// The number of digits.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for CodeLength {
    type Error = CodeLengthError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<CodeLength> for u8 {
    fn from(value: CodeLength) -> u8 {
        value.0
    }
}

/// A well-formed one-time code. Whether it is the right one only the backend knows.
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

/// Why a one-time code was refused before it was sent to the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum OneTimeCodeError {
    #[error("no code was given")]
    #[strum(serialize = "one-time-code-empty")]
    Empty,
    #[error("a one-time code holds digits only")]
    #[strum(serialize = "one-time-code-not-digits")]
    NotDigits,
    #[error("the code has the wrong number of digits")]
    #[strum(serialize = "one-time-code-length")]
    Length,
}

impl OneTimeCode {
    /// Parses a typed or pasted code, in any digit script.
    pub fn parse(input: &str, length: CodeLength) -> Result<Self, OneTimeCodeError> {
        let code = normalize::numeric(input);
        match digits_of(&code) {
            None if code.is_empty() => Err(OneTimeCodeError::Empty),
            None => Err(OneTimeCodeError::NotDigits),
            Some(d) if d.len() != usize::from(length.get()) => Err(OneTimeCodeError::Length),
            Some(_) => Ok(Self(code)),
        }
    }

    /// The ASCII digits, to send to the backend.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Codes are secrets: never print one by accident.
impl std::fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OneTimeCode(******)")
    }
}

message_ids_from_strum!(OneTimeCodeError);
