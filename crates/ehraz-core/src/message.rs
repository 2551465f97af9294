//! Every refusal the core can give has a stable message id: the key of a Fluent message
//! in `i18n/{fa,en}`. Interfaces look the id up; nothing ever matches on message text.

/// Something a person can be told, named by the id of its Fluent message.
pub trait Message {
    /// The Fluent message id, e.g. `national-code-checksum`.
    fn message_id(&self) -> &'static str;
}

/// Implements [`Message`] for enums that derive `strum::IntoStaticStr` with one
/// `#[strum(serialize = "message-id")]` per variant.
macro_rules! message_ids_from_strum {
    ($($ty:ty),+ $(,)?) => {$(
        impl $crate::message::Message for $ty {
            fn message_id(&self) -> &'static str {
                self.into()
            }
        }
    )+};
}
pub(crate) use message_ids_from_strum;

/// For a validated string newtype with a `parse` constructor: `Display`, `FromStr`, and
/// the `String` conversions serde uses, so a stored value is validated again on load.
macro_rules! string_newtype {
    ($($ty:ident => $err:ty),+ $(,)?) => {$(
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.0
            }
        }
        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }
        impl std::str::FromStr for $ty {
            type Err = $err;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    )+};
}
pub(crate) use string_newtype;

/// Every message id the core can produce, for checking the Fluent catalogues: validation
/// errors, wizard and flow refusals, operators, capture kinds and rules, and the titles,
/// labels and options of the bundled flows.
pub fn all_message_ids() -> Vec<String> {
    use strum::IntoEnumIterator;
    fn ids<T: IntoEnumIterator + Message>() -> impl Iterator<Item = String> {
        T::iter().map(|v| v.message_id().to_owned())
    }
    let mut all: Vec<String> = Vec::new();
    all.extend(ids::<crate::NationalCodeError>());
    all.extend(ids::<crate::MobileNumberError>());
    all.extend(ids::<crate::OneTimeCodeError>());
    all.extend(ids::<crate::SejamTrackingCodeError>());
    all.extend(ids::<crate::CardSerialError>());
    all.extend(ids::<crate::CardReceiptCodeError>());
    all.extend(ids::<crate::BirthDateError>());
    all.extend(ids::<crate::PostalCodeError>());
    all.extend(ids::<crate::LandlineError>());
    all.extend(ids::<crate::BankCardNumberError>());
    all.extend(ids::<crate::AddressError>());
    all.extend(ids::<crate::ChoiceError>());
    all.extend(ids::<crate::ConsentError>());
    all.extend(ids::<crate::Operator>());
    all.extend(ids::<crate::WizardError>());
    all.extend(ids::<crate::CaptureKind>());
    all.extend(ids::<crate::CaptureRule>());
    all.extend(["flow-unknown", "flow-invalid", "wizard-restore-failed"].map(String::from));
    all.extend(crate::SENTENCE_IDS.map(String::from));
    for id in crate::Flow::bundled_ids() {
        if let Ok(flow) = crate::Flow::bundled(id) {
            all.extend(flow.message_ids());
        }
    }
    all.sort_unstable();
    all.dedup();
    all
}
