//! Bank card numbers (شماره کارت), asked for in the exchange flow's documents step.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use thiserror::Error;

use crate::identity::digits_of;
use crate::message::{message_ids_from_strum, string_newtype};
use crate::normalize;

/// A sixteen-digit bank card number that passes the Luhn check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BankCardNumber(String);

/// Why a bank card number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum BankCardNumberError {
    #[error("no card number was given")]
    #[strum(serialize = "bank-card-empty")]
    Empty,
    #[error("a card number holds digits only")]
    #[strum(serialize = "bank-card-not-digits")]
    NotDigits,
    #[error("a card number has sixteen digits")]
    #[strum(serialize = "bank-card-length")]
    Length,
    #[error("the card number does not pass its check (Luhn)")]
    #[strum(serialize = "bank-card-checksum")]
    Checksum,
}

impl BankCardNumber {
    /// Parses `6037-9911-…` or `۶۰۳۷ ۹۹۱۱ …` and the like.
    pub fn parse(input: &str) -> Result<Self, BankCardNumberError> {
        let number = normalize::numeric(input);
        let digits = match digits_of(&number) {
            None if number.is_empty() => return Err(BankCardNumberError::Empty),
            None => return Err(BankCardNumberError::NotDigits),
            Some(d) => d,
        };
        if digits.len() != 16 {
            return Err(BankCardNumberError::Length);
        }
        if !luhn(&digits) {
            return Err(BankCardNumberError::Checksum);
        }
        Ok(Self(number))
    }

    /// The sixteen ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first six digits, which name the issuing bank.
    pub fn issuer_prefix(&self) -> &str {
        &self.0[..6]
    }
}

/// The Luhn check: from the right, every second digit doubled (less 9 when over 9), and the
/// sum a multiple of ten.
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            match (i % 2, d * 2) {
                (1, doubled) if doubled > 9 => doubled - 9,
                (1, doubled) => doubled,
                _ => d,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

message_ids_from_strum!(BankCardNumberError);
string_newtype!(BankCardNumber => BankCardNumberError);
