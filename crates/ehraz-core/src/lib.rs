//! Ehraz's domain, with no I/O: what a person types and how it is checked, the flows as
//! data, the wizard that walks a person through one, and the manifest submitted at the
//! end. Every refusal carries a Fluent message id ([`Message`]); interfaces translate.

mod bank_card;
mod contact;
pub mod flow;
mod identity;
mod jalali;
pub mod manifest;
pub mod message;
pub mod normalize;
mod one_time_code;
pub mod wizard;

pub use bank_card::{BankCardNumber, BankCardNumberError, luhn};
pub use contact::{
    Address, AddressError, Landline, LandlineError, MobileNumber, MobileNumberError, Operator,
    PostalCode, PostalCodeError,
};
pub use flow::{
    CaptureKind, CaptureRule, ChallengeKind, ChoiceError, ConsentError, FieldError, FieldKind,
    Flow, FlowError, MediaType, Step,
};
pub use identity::{
    CardReceiptCode, CardReceiptCodeError, CardSerial, CardSerialError, NationalCode,
    NationalCodeError, SejamTrackingCode, SejamTrackingCodeError,
};
pub use jalali::{BirthDate, BirthDateError, JalaliDate, NoSuchJalaliDay};
pub use manifest::{
    Artifact, CHALLENGE_DIGITS, CaptureChecks, CaptureTrigger, Challenge, DIGIT_EVERY, DIGIT_FIRST,
    Manifest, RecordingChecks, SENTENCE_IDS, Sha256Digest, digits_due,
};
pub use message::{Message, all_message_ids};
pub use one_time_code::{CodeLength, OneTimeCode, OneTimeCodeError};
pub use wizard::{FieldIssue, Progress, SubmitError, Wizard, WizardError};
