//! Flows as data: the steps a person goes through, their fields, rules and captures.
//!
//! The bundled flows live in `flows/*.toml`; a backend may serve its own as JSON. Either
//! way a flow is checked whole before use ([`Flow::check`]), so the wizard never meets a
//! step it cannot guard.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use thiserror::Error;

use crate::message::{Message, message_ids_from_strum};
use crate::one_time_code::CodeLength;
use crate::{
    Address, AddressError, BankCardNumber, BankCardNumberError, BirthDate, BirthDateError,
    CardReceiptCode, CardReceiptCodeError, CardSerial, CardSerialError, JalaliDate, Landline,
    LandlineError, MobileNumber, MobileNumberError, NationalCode, NationalCodeError, PostalCode,
    PostalCodeError, SejamTrackingCode, SejamTrackingCodeError,
};

/// The only flow schema this client understands.
pub const SCHEMA: u32 = 1;

/// A verification flow: an ordered list of steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Schema of the flow document; see [`SCHEMA`].
    pub schema: u32,
    /// `sejam`, `exchange`, or a backend's own id.
    pub id: String,
    /// Raised by whoever edits the flow; recorded in the manifest.
    pub version: u32,
    /// The steps, in order. A step whose condition fails is skipped.
    pub steps: Vec<Step>,
}

/// One screen of the wizard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Step {
    /// Fields the person fills in.
    Form {
        /// Unique within the flow.
        id: String,
        /// Shown only when this holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
        /// The fields, in order.
        fields: Vec<Field>,
    },
    /// A code sent by SMS, checked by the backend.
    OneTimeCode {
        /// Unique within the flow.
        id: String,
        /// Shown only when this holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
        /// Digits in the code.
        code_length: CodeLength,
        /// The fields (of earlier steps) the code proves: the mobile number, or the
        /// national and Sejam tracking codes for Sejam's own code. Changing one of them
        /// later voids the proof.
        verifies: Vec<String>,
    },
    /// A photo or video taken with the camera.
    Capture {
        /// Unique within the flow.
        id: String,
        /// Shown only when this holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
        /// What is captured.
        capture: CaptureKind,
        /// What the person is told before the camera opens.
        rules: Vec<CaptureRule>,
        /// The liveness challenge shown while recording, for videos.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        challenge: Option<ChallengeKind>,
        /// A challenge offered instead, to people who cannot do `challenge` (a sentence
        /// read aloud is no use to someone who cannot read or speak).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        alternative_challenge: Option<ChallengeKind>,
        /// Shortest and longest recording, for videos.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_seconds: Option<DurationRange>,
    },
    /// Everything answered so far, to check before going on.
    Review {
        /// Unique within the flow.
        id: String,
        /// Shown only when this holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// Commitments the person must accept, one consent field each.
    Commitments {
        /// Unique within the flow.
        id: String,
        /// Shown only when this holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
        /// Consent fields.
        fields: Vec<Field>,
    },
}

/// A question on a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Unique within the flow; the key of the answer.
    pub id: String,
    /// What is asked, and so how it is validated.
    pub kind: FieldKind,
    /// Asked only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// The choices, for a `choice` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// What a field asks for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum FieldKind {
    /// [`MobileNumber`].
    Mobile,
    /// [`NationalCode`].
    NationalCode,
    /// [`SejamTrackingCode`].
    SejamTrackingCode,
    /// [`CardSerial`].
    CardSerial,
    /// [`CardReceiptCode`].
    CardReceiptCode,
    /// [`BirthDate`].
    BirthDate,
    /// [`PostalCode`].
    PostalCode,
    /// [`Landline`].
    Landline,
    /// [`BankCardNumber`].
    BankCard,
    /// [`Address`].
    Address,
    /// One of the field's `options`.
    Choice,
    /// A box that must be ticked (`true`).
    Consent,
}

/// A condition on an earlier choice: `field` must have been answered `equals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The id of a `choice` field.
    pub field: String,
    /// One of its options.
    pub equals: String,
}

/// Shortest and longest length of a recording, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationRange {
    /// Shortest.
    pub min: u16,
    /// Longest.
    pub max: u16,
}

/// What a capture step records.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    IntoStaticStr,
    EnumIter,
)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureKind {
    #[strum(serialize = "capture-selfie-photo")]
    SelfiePhoto,
    #[strum(serialize = "capture-signature-photo")]
    SignaturePhoto,
    #[strum(serialize = "capture-selfie-video")]
    SelfieVideo,
    #[strum(serialize = "capture-commitment-letter-photo")]
    CommitmentLetterPhoto,
    #[strum(serialize = "capture-identity-document-photo")]
    IdentityDocumentPhoto,
    #[strum(serialize = "capture-bank-card-photo")]
    BankCardPhoto,
    #[strum(serialize = "capture-selfie-with-documents-photo")]
    SelfieWithDocumentsPhoto,
}

impl CaptureKind {
    /// Whether this is a recording rather than a still.
    pub fn is_video(self) -> bool {
        matches!(self, Self::SelfieVideo)
    }

    /// The media a finished capture of this kind must include.
    pub fn required_media(self) -> &'static [MediaType] {
        if self.is_video() {
            &[MediaType::VideoMp4, MediaType::AudioWav]
        } else {
            &[MediaType::ImageJpeg]
        }
    }
}

/// A rule a person is told before a capture; each is checked live where the device can.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumIter,
)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureRule {
    #[strum(serialize = "rule-hold-still")]
    HoldStill,
    #[strum(serialize = "rule-good-light")]
    GoodLight,
    #[strum(serialize = "rule-face-in-frame")]
    FaceInFrame,
    #[strum(serialize = "rule-only-one-person")]
    OnlyOnePerson,
    #[strum(serialize = "rule-no-photo-frame")]
    NoPhotoFrame,
    #[strum(serialize = "rule-no-mask")]
    NoMask,
    #[strum(serialize = "rule-dress-code")]
    DressCode,
    #[strum(serialize = "rule-white-paper")]
    WhitePaper,
    #[strum(serialize = "rule-phone-close")]
    PhoneClose,
    #[strum(serialize = "rule-sharp-and-lit")]
    SharpAndLit,
    #[strum(serialize = "rule-white-background")]
    WhiteBackground,
    #[strum(serialize = "rule-show-digits-with-fingers")]
    ShowDigitsWithFingers,
    #[strum(serialize = "rule-read-sentence-aloud")]
    ReadSentenceAloud,
    #[strum(serialize = "rule-handwritten-commitment")]
    HandwrittenCommitment,
    #[strum(serialize = "rule-whole-document")]
    WholeDocument,
    #[strum(serialize = "rule-no-glare")]
    NoGlare,
    #[strum(serialize = "rule-documents-beside-face")]
    DocumentsBesideFace,
}

/// The kind of liveness challenge a video step shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChallengeKind {
    /// Digits to show with the fingers, left to right.
    Digits,
    /// A sentence to read aloud.
    Sentence,
}

/// The media types an artifact may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MediaType {
    /// A JPEG photo.
    #[serde(rename = "image/jpeg")]
    ImageJpeg,
    /// An MP4 video with its sound.
    #[serde(rename = "video/mp4")]
    VideoMp4,
    /// The recording's sound alone, for the backend's speech check.
    #[serde(rename = "audio/wav")]
    AudioWav,
}

impl MediaType {
    /// Every media type.
    pub const ALL: [MediaType; 3] = [
        MediaType::ImageJpeg,
        MediaType::VideoMp4,
        MediaType::AudioWav,
    ];

    /// The IANA name, e.g. `image/jpeg`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ImageJpeg => "image/jpeg",
            Self::VideoMp4 => "video/mp4",
            Self::AudioWav => "audio/wav",
        }
    }

    /// The media type with this IANA name, if it is one of ours.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// Why a person's answer to a field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[allow(missing_docs)]
pub enum FieldError {
    #[error(transparent)]
    Mobile(#[from] MobileNumberError),
    #[error(transparent)]
    NationalCode(#[from] NationalCodeError),
    #[error(transparent)]
    SejamTrackingCode(#[from] SejamTrackingCodeError),
    #[error(transparent)]
    CardSerial(#[from] CardSerialError),
    #[error(transparent)]
    CardReceiptCode(#[from] CardReceiptCodeError),
    #[error(transparent)]
    BirthDate(#[from] BirthDateError),
    #[error(transparent)]
    PostalCode(#[from] PostalCodeError),
    #[error(transparent)]
    Landline(#[from] LandlineError),
    #[error(transparent)]
    BankCard(#[from] BankCardNumberError),
    #[error(transparent)]
    Address(#[from] AddressError),
    #[error(transparent)]
    OneTimeCode(#[from] crate::OneTimeCodeError),
    #[error(transparent)]
    Choice(#[from] ChoiceError),
    #[error(transparent)]
    Consent(#[from] ConsentError),
}

impl Message for FieldError {
    fn message_id(&self) -> &'static str {
        match self {
            Self::Mobile(e) => e.message_id(),
            Self::NationalCode(e) => e.message_id(),
            Self::SejamTrackingCode(e) => e.message_id(),
            Self::CardSerial(e) => e.message_id(),
            Self::CardReceiptCode(e) => e.message_id(),
            Self::BirthDate(e) => e.message_id(),
            Self::PostalCode(e) => e.message_id(),
            Self::Landline(e) => e.message_id(),
            Self::BankCard(e) => e.message_id(),
            Self::Address(e) => e.message_id(),
            Self::OneTimeCode(e) => e.message_id(),
            Self::Choice(e) => e.message_id(),
            Self::Consent(e) => e.message_id(),
        }
    }
}

/// Why a choice was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum ChoiceError {
    #[error("nothing was chosen")]
    #[strum(serialize = "choice-empty")]
    Empty,
    #[error("that is not one of the choices")]
    #[strum(serialize = "choice-unknown")]
    Unknown,
}

/// Why a consent was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum ConsentError {
    #[error("this commitment must be accepted to go on")]
    #[strum(serialize = "consent-required")]
    NotGiven,
}

message_ids_from_strum!(CaptureKind, CaptureRule, ChoiceError, ConsentError);

impl Field {
    /// Validates and normalises an answer; the result is what the wizard stores.
    pub fn parse(&self, raw: &str, today: JalaliDate) -> Result<String, FieldError> {
        Ok(match self.kind {
            FieldKind::Mobile => MobileNumber::parse(raw)?.into(),
            FieldKind::NationalCode => NationalCode::parse(raw)?.into(),
            FieldKind::SejamTrackingCode => SejamTrackingCode::parse(raw)?.into(),
            FieldKind::CardSerial => CardSerial::parse(raw)?.into(),
            FieldKind::CardReceiptCode => CardReceiptCode::parse(raw)?.into(),
            FieldKind::BirthDate => BirthDate::parse(raw, today)?.to_string(),
            FieldKind::PostalCode => PostalCode::parse(raw)?.into(),
            FieldKind::Landline => Landline::parse(raw)?.into(),
            FieldKind::BankCard => BankCardNumber::parse(raw)?.into(),
            FieldKind::Address => Address::parse(raw)?.into(),
            FieldKind::Choice => {
                let choice = raw.trim();
                if choice.is_empty() {
                    return Err(ChoiceError::Empty.into());
                }
                self.options
                    .iter()
                    .find(|o| *o == choice)
                    .cloned()
                    .ok_or(ChoiceError::Unknown)?
            }
            FieldKind::Consent => match raw.trim() {
                "true" => "true".to_owned(),
                _ => return Err(ConsentError::NotGiven.into()),
            },
        })
    }

    /// The Fluent id of the field's label.
    pub fn label_id(&self) -> String {
        format!("field-{}", self.id)
    }

    /// The Fluent id of one of a choice field's options.
    pub fn option_id(&self, option: &str) -> String {
        format!("option-{}-{option}", self.id)
    }
}

impl Condition {
    /// Whether the answers satisfy the condition.
    pub fn holds(&self, answers: &BTreeMap<String, String>) -> bool {
        answers.get(&self.field) == Some(&self.equals)
    }
}

impl Step {
    /// The step's id.
    pub fn id(&self) -> &str {
        match self {
            Self::Form { id, .. }
            | Self::OneTimeCode { id, .. }
            | Self::Capture { id, .. }
            | Self::Review { id, .. }
            | Self::Commitments { id, .. } => id,
        }
    }

    /// The condition for showing the step, if any.
    pub fn when(&self) -> Option<&Condition> {
        match self {
            Self::Form { when, .. }
            | Self::OneTimeCode { when, .. }
            | Self::Capture { when, .. }
            | Self::Review { when, .. }
            | Self::Commitments { when, .. } => when.as_ref(),
        }
    }

    /// Whether a challenge of `kind` may be shown on this step: its own kind or its
    /// alternative (never on a step without a challenge).
    pub fn accepts_challenge(&self, kind: ChallengeKind) -> bool {
        match self {
            Self::Capture {
                challenge,
                alternative_challenge,
                ..
            } => *challenge == Some(kind) || *alternative_challenge == Some(kind),
            _ => false,
        }
    }

    /// The fields of a form or commitments step; none for other steps.
    pub fn fields(&self) -> &[Field] {
        match self {
            Self::Form { fields, .. } | Self::Commitments { fields, .. } => fields,
            _ => &[],
        }
    }

    /// The Fluent id of the step's title.
    pub fn title_id(&self) -> String {
        format!("step-{}", self.id())
    }
}

/// Why a flow was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FlowError {
    /// No bundled flow has that id.
    #[error("no flow is named `{0}`")]
    Unknown(String),
    /// The document is not a flow: bad syntax, a missing or unknown key, a wrong type.
    #[error("the flow document is malformed at `{path}`: {reason}")]
    Malformed {
        /// Where in the document, e.g. `steps[3].kind`.
        path: String,
        /// What the parser said.
        reason: String,
    },
    /// Written for a schema this client does not know.
    #[error("flow schema {0} is not supported (this client reads schema {SCHEMA})")]
    UnsupportedSchema(u32),
    /// Well-formed, but inconsistent.
    #[error("the flow is inconsistent: {0}")]
    Inconsistent(String),
}

impl Message for FlowError {
    fn message_id(&self) -> &'static str {
        match self {
            Self::Unknown(_) => "flow-unknown",
            Self::Malformed { .. } | Self::UnsupportedSchema(_) | Self::Inconsistent(_) => {
                "flow-invalid"
            }
        }
    }
}

const BUNDLED: &[(&str, &str)] = &[
    ("sejam", include_str!("../flows/sejam.toml")),
    ("exchange", include_str!("../flows/exchange.toml")),
];

impl Flow {
    /// The ids of the flows that ship with the client.
    pub fn bundled_ids() -> impl Iterator<Item = &'static str> {
        BUNDLED.iter().map(|(id, _)| *id)
    }

    /// A flow that ships with the client. Each is parsed and checked once per process;
    /// servers ask for a session's flow on every request.
    pub fn bundled(id: &str) -> Result<Self, FlowError> {
        static PARSED: LazyLock<Vec<(&str, Result<Flow, FlowError>)>> = LazyLock::new(|| {
            BUNDLED
                .iter()
                .map(|(id, text)| (*id, Flow::from_toml(text)))
                .collect()
        });
        PARSED.iter().find(|(name, _)| *name == id).map_or_else(
            || Err(FlowError::Unknown(id.to_owned())),
            |(_, flow)| flow.clone(),
        )
    }

    /// A flow written in TOML, checked.
    pub fn from_toml(text: &str) -> Result<Self, FlowError> {
        let de = toml::Deserializer::parse(text).map_err(|e| FlowError::Malformed {
            path: String::new(),
            reason: e.message().to_owned(),
        })?;
        Self::checked(serde_path_to_error::deserialize(de))
    }

    /// A flow served by a backend as JSON, checked.
    pub fn from_json(text: &str) -> Result<Self, FlowError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let flow = Self::checked(serde_path_to_error::deserialize(&mut de))?;
        de.end().map_err(|e| FlowError::Malformed {
            path: String::new(),
            reason: e.to_string(),
        })?;
        Ok(flow)
    }

    fn checked<E: std::fmt::Display>(
        parsed: Result<Self, serde_path_to_error::Error<E>>,
    ) -> Result<Self, FlowError> {
        let flow = parsed.map_err(|e| FlowError::Malformed {
            path: e.path().to_string(),
            reason: e.inner().to_string(),
        })?;
        flow.check()?;
        Ok(flow)
    }

    /// Checks the flow is one the wizard can run: known schema, unique ids, conditions on
    /// earlier choices, codes that prove earlier fields, sensible captures.
    pub fn check(&self) -> Result<(), FlowError> {
        if self.schema != SCHEMA {
            return Err(FlowError::UnsupportedSchema(self.schema));
        }
        let bad = |msg: String| Err(FlowError::Inconsistent(msg));
        if !is_slug(&self.id) {
            return bad(format!(
                "flow id `{}` is not lower-case letters, digits and dashes",
                self.id
            ));
        }
        if self.version == 0 {
            return bad("flow version starts at 1".to_owned());
        }
        if self.steps.is_empty() {
            return bad("a flow needs at least one step".to_owned());
        }
        let mut step_ids = BTreeSet::new();
        // Fields seen so far, with their options when they are choices.
        let mut seen: BTreeMap<&str, &Field> = BTreeMap::new();
        for step in &self.steps {
            let id = step.id();
            if !is_slug(id) || !step_ids.insert(id) {
                return bad(format!("step id `{id}` is malformed or used twice"));
            }
            if let Some(when) = step.when() {
                check_condition(when, &seen).map_err(FlowError::Inconsistent)?;
            }
            match step {
                Step::Form { fields, .. } | Step::Commitments { fields, .. } => {
                    if fields.is_empty() {
                        return bad(format!("step `{id}` has no fields"));
                    }
                    let commitments = matches!(step, Step::Commitments { .. });
                    for field in fields {
                        check_field(field, commitments, &seen).map_err(FlowError::Inconsistent)?;
                        seen.insert(&field.id, field);
                    }
                }
                Step::OneTimeCode { verifies, .. } => {
                    if verifies.is_empty() {
                        return bad(format!("one-time code step `{id}` proves no field"));
                    }
                    if let Some(f) = verifies.iter().find(|f| !seen.contains_key(f.as_str())) {
                        return bad(format!(
                            "step `{id}` proves `{f}`, which no earlier step asks"
                        ));
                    }
                }
                Step::Capture {
                    capture,
                    rules,
                    challenge,
                    alternative_challenge,
                    duration_seconds,
                    ..
                } => {
                    if rules.is_empty() {
                        return bad(format!("capture step `{id}` tells the person no rules"));
                    }
                    match (capture.is_video(), duration_seconds) {
                        (true, Some(d)) if d.min >= 1 && d.min <= d.max && d.max <= 120 => {}
                        (true, _) => {
                            return bad(format!(
                                "video step `{id}` needs 1 ≤ min ≤ max ≤ 120 seconds"
                            ));
                        }
                        (false, Some(_)) => {
                            return bad(format!("photo step `{id}` has a duration"));
                        }
                        (false, None) => {}
                    }
                    if challenge.is_some() && !capture.is_video() {
                        return bad(format!("photo step `{id}` has a liveness challenge"));
                    }
                    if alternative_challenge.is_some()
                        && (challenge.is_none() || alternative_challenge == challenge)
                    {
                        return bad(format!(
                            "step `{id}` offers an alternative challenge to none, or to itself"
                        ));
                    }
                }
                Step::Review { .. } => {}
            }
        }
        Ok(())
    }

    /// Every Fluent id the flow's steps, fields and options need.
    pub fn message_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for step in &self.steps {
            ids.push(step.title_id());
            for field in step.fields() {
                ids.push(field.label_id());
                ids.extend(field.options.iter().map(|o| field.option_id(o)));
            }
        }
        ids
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id() == id)
    }
}

fn check_field(
    field: &Field,
    commitment: bool,
    seen: &BTreeMap<&str, &Field>,
) -> Result<(), String> {
    let id = &field.id;
    if !is_slug(id) || seen.contains_key(id.as_str()) {
        return Err(format!("field id `{id}` is malformed or used twice"));
    }
    if commitment != (field.kind == FieldKind::Consent) {
        return Err(format!(
            "field `{id}`: consent fields belong to commitments steps, and only they"
        ));
    }
    let is_choice = field.kind == FieldKind::Choice;
    let unique: BTreeSet<&String> = field.options.iter().collect();
    if is_choice && (field.options.len() < 2 || unique.len() != field.options.len()) {
        return Err(format!("choice `{id}` needs two or more distinct options"));
    }
    if is_choice && !field.options.iter().all(|o| is_slug(o)) {
        return Err(format!("choice `{id}` has an option that is not a slug"));
    }
    if !is_choice && !field.options.is_empty() {
        return Err(format!("field `{id}` is not a choice but has options"));
    }
    if let Some(when) = &field.when {
        check_condition(when, seen)?;
    }
    Ok(())
}

fn check_condition(when: &Condition, seen: &BTreeMap<&str, &Field>) -> Result<(), String> {
    match seen.get(when.field.as_str()) {
        Some(f) if f.kind == FieldKind::Choice && f.options.contains(&when.equals) => Ok(()),
        _ => Err(format!(
            "condition `{} = {}` names no earlier choice with that option",
            when.field, when.equals
        )),
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
