//! Any text through normalisation and every validator: no panic, normalisation idempotent,
//! and whatever a validator accepts it accepts again in its normalised form.
#![no_main]

use ehraz_core::normalize;
use ehraz_core::{
    Address, BankCardNumber, BirthDate, CardReceiptCode, CardSerial, CodeLength, JalaliDate,
    Landline, MobileNumber, NationalCode, OneTimeCode, PostalCode, SejamTrackingCode,
};
use libfuzzer_sys::fuzz_target;

fn stable<T, E: PartialEq + std::fmt::Debug>(
    parse: impl Fn(&str) -> Result<T, E>,
    shown: impl Fn(&T) -> String,
    input: &str,
) {
    if let Ok(value) = parse(input) {
        let again = shown(&value);
        assert!(parse(&again).is_ok(), "accepted {input:?} but not its normal form {again:?}");
        assert_eq!(shown(&parse(&again).ok().unwrap()), again);
    }
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let input = input.as_ref();
    for f in [normalize::numeric, normalize::text, normalize::digits_to_ascii] {
        let once = f(input);
        assert_eq!(f(&once), once, "not idempotent on {input:?}");
    }
    stable(NationalCode::parse, |v| v.to_string(), input);
    stable(MobileNumber::parse, |v| v.to_string(), input);
    stable(SejamTrackingCode::parse, |v| v.to_string(), input);
    stable(CardSerial::parse, |v| v.to_string(), input);
    stable(CardReceiptCode::parse, |v| v.to_string(), input);
    stable(PostalCode::parse, |v| v.to_string(), input);
    stable(Landline::parse, |v| v.to_string(), input);
    stable(BankCardNumber::parse, |v| v.to_string(), input);
    stable(Address::parse, |v| v.to_string(), input);
    let today = JalaliDate::new(1405, 9, 2).expect("a real day");
    stable(|s| BirthDate::parse(s, today), |v| v.to_string(), input);
    for length in 4..=6 {
        let length = CodeLength::new(length).expect("in range");
        stable(|s| OneTimeCode::parse(s, length), |v| v.as_str().to_owned(), input);
    }
    if let Some(mobile) = MobileNumber::parse(input).ok() {
        let _ = mobile.operator();
    }
});
