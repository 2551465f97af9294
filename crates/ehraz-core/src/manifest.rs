//! The submission manifest: what was answered, what was captured and what was shown,
//! sent to the backend with the uploads so it can check every artifact arrived whole.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::flow::{CaptureKind, MediaType};

/// Version of the manifest format.
pub const MANIFEST_VERSION: u32 = 1;

/// Everything the backend needs to verify a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// See [`MANIFEST_VERSION`].
    pub manifest_version: u32,
    /// The flow that was followed.
    pub flow_id: String,
    /// Its version.
    pub flow_version: u32,
    /// The version of the client that captured it.
    pub client_version: String,
    /// Normalised answers of the fields that were asked, by field id.
    pub answers: BTreeMap<String, String>,
    /// The backend's receipt for each one-time code step, by step id.
    pub verifications: BTreeMap<String, String>,
    /// Every captured file.
    pub artifacts: Vec<ManifestArtifact>,
    /// The liveness challenge each video step showed, by step id.
    pub challenges: BTreeMap<String, Challenge>,
    /// What the on-device guidance found when each capture was taken, by step id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, CaptureChecks>,
}

/// What the on-device guidance found when a photo was taken or a video recorded. The
/// backend decides; this tells it (and whoever reviews) what the person was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaptureChecks {
    /// What took it.
    pub trigger: CaptureTrigger,
    /// Each check's result at that moment (for a video, when recording started), by
    /// check id (`exposure`, `face`, …): `pass`, or the guidance code it failed with.
    pub results: BTreeMap<String, String>,
    /// For a video: how the checks went over the whole recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<RecordingChecks>,
}

/// How a capture was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureTrigger {
    /// The guidance found everything right and took it after a countdown.
    Auto,
    /// The person pressed the shutter (or started the recording).
    Shutter,
}

/// The guidance over a whole recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordingChecks {
    /// Frames analysed while recording.
    pub frames: u32,
    /// Of those, how many failed, by the guidance code shown.
    pub failures: BTreeMap<String, u32>,
}

impl CaptureChecks {
    /// Whether it could have come from the guidance: check ids and codes are short
    /// kebab-case words, results name a check at least once, failures fit in the frames.
    pub fn is_well_formed(&self) -> bool {
        let word = |s: &str| {
            (1..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        };
        let recording_fits = self.recording.as_ref().is_none_or(|r| {
            r.failures.keys().all(|k| word(k))
                && r.failures.values().map(|&n| u64::from(n)).sum::<u64>() <= u64::from(r.frames)
        });
        !self.results.is_empty()
            && self.results.iter().all(|(k, v)| word(k) && word(v))
            && recording_fits
    }
}

/// One captured file, as listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestArtifact {
    /// The capture step it belongs to.
    pub step: String,
    /// What it shows.
    pub capture: CaptureKind,
    /// The file itself.
    #[serde(flatten)]
    pub artifact: Artifact,
}

/// A captured file, known by its digest: the bytes live in the encrypted outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// Its media type.
    pub media_type: MediaType,
    /// SHA-256 of its bytes.
    pub sha256: Sha256Digest,
    /// Its size in bytes.
    pub size: u64,
}

/// The liveness challenge shown while a video was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Challenge {
    /// Digits shown with the fingers, in this order, left to right.
    Digits {
        /// Each 0 to 9.
        digits: Vec<u8>,
        /// When each digit appeared on screen, in milliseconds from the start of the
        /// recording (one digit is shown at a time); empty until recorded.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        shown_at_ms: Vec<u32>,
    },
    /// A sentence read aloud.
    Sentence {
        /// Which of the backend's or the client's sentences.
        sentence_id: String,
        /// Its text, as shown.
        text: String,
        /// How long speech was heard while it was on screen (voice activity detection),
        /// in milliseconds; absent until recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        speech_ms: Option<u32>,
    },
}

/// Message ids of the sentences a person may be asked to read aloud; their texts are in
/// the Fluent catalogues, so the sentence is shown in the app's language.
pub const SENTENCE_IDS: [&str; 6] = [
    "challenge-sentence-1",
    "challenge-sentence-2",
    "challenge-sentence-3",
    "challenge-sentence-4",
    "challenge-sentence-5",
    "challenge-sentence-6",
];

/// How many digits a digits challenge has: few enough to hold up one after another
/// within the shortest recording.
pub const CHALLENGE_DIGITS: usize = 4;

/// When the first digit appears, from the start of the recording.
pub const DIGIT_FIRST: std::time::Duration = std::time::Duration::from_millis(1000);

/// How long each digit is shown before the next replaces it (the last stays up as long).
pub const DIGIT_EVERY: std::time::Duration = std::time::Duration::from_millis(2500);

/// How many digits are due `elapsed` into the recording: one digit at a time appears at
/// [`DIGIT_FIRST`], then every [`DIGIT_EVERY`]; never more than `count`.
pub fn digits_due(elapsed: std::time::Duration, count: usize) -> usize {
    match elapsed.checked_sub(DIGIT_FIRST) {
        None => 0,
        Some(after) => {
            let shown = after.as_millis() / DIGIT_EVERY.as_millis() + 1;
            usize::try_from(shown).unwrap_or(usize::MAX).min(count)
        }
    }
}

impl Challenge {
    /// Digits drawn from `random` (the caller's randomness, e.g. a `u64` from the OS):
    /// [`CHALLENGE_DIGITS`] of them, each 1 to 5 so one hand can show it, no digit the
    /// same as the one before so each change is visible.
    pub fn draw_digits(mut random: u64) -> Self {
        let mut digits: Vec<u8> = Vec::with_capacity(CHALLENGE_DIGITS);
        while digits.len() < CHALLENGE_DIGITS {
            let options: Vec<u8> = (1..=5).filter(|d| digits.last() != Some(d)).collect();
            let pick = options[(random % options.len() as u64) as usize];
            random /= options.len() as u64;
            digits.push(pick);
        }
        Self::Digits {
            digits,
            shown_at_ms: Vec::new(),
        }
    }

    /// A sentence drawn from `random`, its text from `text_of` (the id's message in the
    /// app's language).
    pub fn draw_sentence(random: u64, text_of: impl Fn(&str) -> String) -> Self {
        let id = SENTENCE_IDS[(random % SENTENCE_IDS.len() as u64) as usize];
        Self::Sentence {
            sentence_id: id.to_owned(),
            text: text_of(id),
            speech_ms: None,
        }
    }

    /// The kind of challenge this is.
    pub fn kind(&self) -> crate::flow::ChallengeKind {
        match self {
            Self::Digits { .. } => crate::flow::ChallengeKind::Digits,
            Self::Sentence { .. } => crate::flow::ChallengeKind::Sentence,
        }
    }

    /// Whether the challenge could have been shown: digits 0–9, three to eight of them,
    /// with no times or one rising time per digit; a sentence with an id and some text.
    pub fn is_well_formed(&self) -> bool {
        match self {
            Self::Digits {
                digits,
                shown_at_ms,
            } => {
                let timed = shown_at_ms.is_empty()
                    || (shown_at_ms.len() == digits.len()
                        && shown_at_ms.windows(2).all(|w| w[0] < w[1]));
                (3..=8).contains(&digits.len()) && digits.iter().all(|&d| d <= 9) && timed
            }
            Self::Sentence {
                sentence_id, text, ..
            } => !sentence_id.is_empty() && !text.trim().is_empty(),
        }
    }
}

/// A SHA-256 digest, written as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Digest([u8; 32]);

/// Text that is not 64 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a SHA-256 digest is 64 hex digits")]
pub struct Sha256DigestError;

impl Sha256Digest {
    /// The digest with these bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// Parses 64 hex digits (either case).
    pub fn from_hex(hex: &str) -> Result<Self, Sha256DigestError> {
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return Err(Sha256DigestError);
        }
        let nibble = |b: u8| {
            (b as char)
                .to_digit(16)
                .map(|d| d as u8)
                .ok_or(Sha256DigestError)
        };
        let mut out = [0u8; 32];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
        }
        Ok(Self(out))
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sha256Digest({self})")
    }
}

impl From<Sha256Digest> for String {
    fn from(d: Sha256Digest) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Sha256Digest {
    type Error = Sha256DigestError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::from_hex(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_round_trip_through_hex() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let digest = Sha256Digest::from_hex(hex).expect("valid hex");
        assert_eq!(digest.to_string(), hex);
        assert_eq!(Sha256Digest::from_hex(&hex.to_uppercase()), Ok(digest));
        assert_eq!(Sha256Digest::from_hex(&hex[1..]), Err(Sha256DigestError));
        assert_eq!(
            Sha256Digest::from_hex(&format!("{}g", &hex[1..])),
            Err(Sha256DigestError)
        );
    }

    #[test]
    fn drawn_digits_are_one_hands_worth_and_change_each_time() {
        let mut seen = std::collections::BTreeSet::new();
        for random in (0..2000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)) {
            let challenge = Challenge::draw_digits(random);
            assert!(challenge.is_well_formed());
            let Challenge::Digits { digits, .. } = &challenge else {
                panic!("digits expected");
            };
            assert_eq!(digits.len(), CHALLENGE_DIGITS);
            assert!(digits.iter().all(|d| (1..=5).contains(d)), "{digits:?}");
            assert!(digits.windows(2).all(|w| w[0] != w[1]), "{digits:?}");
            seen.insert(digits.clone());
        }
        // 5 * 4 * 4 * 4 sequences are possible; the draw reaches nearly all of them.
        assert!(seen.len() > 250, "{}", seen.len());
    }

    #[test]
    fn digits_come_one_at_a_time_on_the_schedule() {
        let at = |ms| digits_due(std::time::Duration::from_millis(ms), 4);
        assert_eq!(
            [at(0), at(999), at(1000), at(3499), at(3500)],
            [0, 0, 1, 1, 2]
        );
        assert_eq!([at(6000), at(8500), at(60_000)], [3, 4, 4]);
    }

    #[test]
    fn drawn_sentences_cover_every_sentence_with_its_text() {
        let drawn: std::collections::BTreeSet<String> = (0..SENTENCE_IDS.len() as u64)
            .map(
                |r| match Challenge::draw_sentence(r, |id| format!("text of {id}")) {
                    Challenge::Sentence {
                        sentence_id, text, ..
                    } => {
                        assert_eq!(text, format!("text of {sentence_id}"));
                        sentence_id
                    }
                    Challenge::Digits { .. } => panic!("a sentence expected"),
                },
            )
            .collect();
        assert_eq!(drawn.len(), SENTENCE_IDS.len());
    }

    #[test]
    fn challenges_are_checked_for_what_could_be_shown() {
        assert!(
            Challenge::Digits {
                digits: vec![3, 1, 4],
                shown_at_ms: Vec::new()
            }
            .is_well_formed()
        );
        assert!(
            !Challenge::Digits {
                digits: vec![3, 10, 4],
                shown_at_ms: Vec::new()
            }
            .is_well_formed()
        );
        assert!(
            !Challenge::Digits {
                digits: vec![3],
                shown_at_ms: Vec::new()
            }
            .is_well_formed()
        );
        let sentence = Challenge::Sentence {
            sentence_id: "s1".into(),
            text: " ".into(),
            speech_ms: None,
        };
        assert!(!sentence.is_well_formed());
    }
}
