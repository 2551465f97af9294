//! The one error every command returns: a stable `code` the UI maps to a Fluent message,
//! a `detail` for developers (never shown as the message), and what a screen needs to
//! point at the problem: refused fields, a wait, tries left.

use ehraz_client::JourneyError;
use serde::Serialize;

/// A refused field: its id and the Fluent id of the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field (`code` for a one-time code).
    pub field: String,
    /// The reason's message id, e.g. `national-code-checksum`.
    pub code: String,
}

/// A failed command, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    /// Stable code: the backend's (`code_wrong`), the client's (`network`), a wizard
    /// message id (`wizard-not-reached`), or the app's own (`no_session`).
    pub code: String,
    /// For developers and logs.
    pub detail: String,
    /// For `invalid_answers`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
    /// For `rate_limited`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// For `code_wrong`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
}

/// The longest `detail` sent to the page, in characters. A detail may quote what the page
/// sent (an unknown flow's id): a megabyte sent is not a megabyte answered, nor logged.
pub const MAX_DETAIL_CHARS: usize = 1000;

/// `detail` cut to [`MAX_DETAIL_CHARS`], marked with an ellipsis where it was cut.
fn bounded(mut detail: String) -> String {
    if let Some((cut, _)) = detail.char_indices().nth(MAX_DETAIL_CHARS) {
        detail.truncate(cut);
        detail.push('…');
    }
    detail
}

impl CommandError {
    /// An error with a code and a detail only.
    pub fn new(code: &str, detail: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            detail: bounded(detail.into()),
            fields: Vec::new(),
            retry_after_seconds: None,
            attempts_left: None,
        }
    }

    /// No journey is under way (start one first).
    pub fn no_session() -> Self {
        Self::new(
            "no_session",
            "no verification is under way; start one first",
        )
    }
}

impl From<JourneyError> for CommandError {
    fn from(error: JourneyError) -> Self {
        Self {
            code: error.code().to_owned(),
            detail: bounded(error.to_string()),
            fields: error
                .fields()
                .into_iter()
                .map(|(field, code)| FieldProblem { field, code })
                .collect(),
            retry_after_seconds: error.retry_after_seconds(),
            attempts_left: error.attempts_left(),
        }
    }
}

impl From<crate::kiosk::KioskError> for CommandError {
    fn from(error: crate::kiosk::KioskError) -> Self {
        use crate::kiosk::KioskError;
        let mut refused = Self::new(error.code(), error.to_string());
        match error {
            KioskError::PinWrong { tries_left } => refused.attempts_left = Some(tries_left),
            KioskError::LockedOut { seconds } => refused.retry_after_seconds = Some(seconds),
            _ => {}
        }
        refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_detail_is_cut_on_a_character_boundary() {
        assert_eq!(CommandError::new("x", "short").detail, "short");
        let exact = "ک".repeat(MAX_DETAIL_CHARS);
        assert_eq!(CommandError::new("x", exact.clone()).detail, exact);
        let long = CommandError::new("x", "ک".repeat(1 << 20)).detail;
        assert_eq!(long.chars().count(), MAX_DETAIL_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
