//! Each validator, with real examples and input typed the ways people type it.

use ehraz_core::*;

#[test]
fn real_national_codes_are_accepted() {
    for code in ["0499370899", "0790419904", "0084575948", "1234567891"] {
        assert_eq!(
            NationalCode::parse(code).map(|c| c.to_string()),
            Ok(code.to_owned())
        );
    }
}

#[test]
fn national_codes_with_a_wrong_check_digit_are_refused() {
    assert_eq!(
        NationalCode::parse("0499370898"),
        Err(NationalCodeError::Checksum)
    );
    assert_eq!(
        NationalCode::parse("0790419905"),
        Err(NationalCodeError::Checksum)
    );
}

#[test]
fn national_codes_of_one_repeated_digit_are_refused_even_when_the_check_digit_fits() {
    assert_eq!(
        NationalCode::parse("1111111111"),
        Err(NationalCodeError::Repeated)
    );
    assert_eq!(
        NationalCode::parse("0000000000"),
        Err(NationalCodeError::Repeated)
    );
    // 000000000 → check digit 0: the sum fits, the code does not.
    assert_eq!(NationalCode::check_digit(&[0; 9]), 0);
}

#[test]
fn national_codes_of_the_wrong_length_or_with_letters_are_refused() {
    assert_eq!(NationalCode::parse("123"), Err(NationalCodeError::Length));
    assert_eq!(
        NationalCode::parse("04993708990"),
        Err(NationalCodeError::Length)
    );
    assert_eq!(
        NationalCode::parse("049937089"),
        Err(NationalCodeError::Length)
    );
    assert_eq!(
        NationalCode::parse("04993708a9"),
        Err(NationalCodeError::NotDigits)
    );
    assert_eq!(NationalCode::parse("   "), Err(NationalCodeError::Empty));
    assert_eq!(NationalCode::parse(""), Err(NationalCodeError::Empty));
}

#[test]
fn national_codes_typed_in_persian_or_arabic_digits_or_with_separators_are_accepted() {
    for typed in [
        "۰۴۹۹۳۷۰۸۹۹",
        "٠٤٩٩٣٧٠٨٩٩",
        "۰۴۹-۹۳۷۰۸-۹۹",
        " 049 937 0899 ",
        "\u{200F}۰۴۹۹۳۷۰۸۹۹\u{200E}",
        "۰4٩9۳7٠8۹9",
    ] {
        assert_eq!(
            NationalCode::parse(typed).map(String::from),
            Ok("0499370899".to_owned()),
            "{typed:?}"
        );
    }
}

#[test]
fn mobile_numbers_in_every_usual_form_are_stored_as_09() {
    for typed in [
        "09121234567",
        "9121234567",
        "+989121234567",
        "00989121234567",
        "989121234567",
        "+98 912 123 4567",
        "۰۹۱۲۱۲۳۴۵۶۷",
        "٠٩١٢-١٢٣-٤٥٦٧",
    ] {
        assert_eq!(
            MobileNumber::parse(typed).map(String::from),
            Ok("09121234567".to_owned()),
            "{typed:?}"
        );
    }
}

#[test]
fn a_bare_ten_digit_number_starting_98_is_a_mobile_not_a_country_code() {
    assert_eq!(
        MobileNumber::parse("9812345678").map(String::from),
        Ok("09812345678".to_owned())
    );
}

#[test]
fn mobile_operators_are_named_and_unknown_prefixes_still_pass() {
    let operator = |n: &str| MobileNumber::parse(n).map(|m| m.operator());
    assert_eq!(operator("09121234567"), Ok(Operator::Mci));
    assert_eq!(operator("09351234567"), Ok(Operator::Irancell));
    assert_eq!(operator("09201234567"), Ok(Operator::Rightel));
    assert_eq!(operator("09321234567"), Ok(Operator::Taliya));
    assert_eq!(operator("09981234567"), Ok(Operator::ShatelMobile));
    assert_eq!(operator("09701234567"), Ok(Operator::Unknown));
    assert_eq!(operator("09991234567"), Ok(Operator::Unknown));
}

#[test]
fn numbers_that_are_not_iranian_mobiles_are_refused() {
    assert_eq!(
        MobileNumber::parse("02112345678"),
        Err(MobileNumberError::Format)
    );
    assert_eq!(
        MobileNumber::parse("0912123456"),
        Err(MobileNumberError::Format)
    );
    assert_eq!(
        MobileNumber::parse("091212345678"),
        Err(MobileNumberError::Format)
    );
    assert_eq!(
        MobileNumber::parse("+19121234567"),
        Err(MobileNumberError::Format)
    );
    assert_eq!(
        MobileNumber::parse("0912abc4567"),
        Err(MobileNumberError::NotDigits)
    );
    assert_eq!(
        MobileNumber::parse("0912+1234567"),
        Err(MobileNumberError::NotDigits)
    );
    assert_eq!(MobileNumber::parse("+"), Err(MobileNumberError::NotDigits));
    assert_eq!(MobileNumber::parse(""), Err(MobileNumberError::Empty));
}

#[test]
fn one_time_codes_have_the_length_the_flow_sets() {
    let five = CodeLength::new(5).expect("valid length");
    let six = CodeLength::new(6).expect("valid length");
    assert_eq!(
        OneTimeCode::parse("۱۲۳۴۵", five).map(|c| c.as_str().to_owned()),
        Ok("12345".into())
    );
    assert_eq!(
        OneTimeCode::parse("12345", six).err(),
        Some(OneTimeCodeError::Length)
    );
    assert_eq!(
        OneTimeCode::parse("12a456", six).err(),
        Some(OneTimeCodeError::NotDigits)
    );
    assert_eq!(
        OneTimeCode::parse(" ", six).err(),
        Some(OneTimeCodeError::Empty)
    );
    assert!(
        CodeLength::new(3).is_err() && CodeLength::new(7).is_err() && CodeLength::new(4).is_ok()
    );
}

#[test]
fn one_time_codes_never_show_in_debug_output() {
    let code = OneTimeCode::parse("482913", CodeLength::new(6).expect("valid")).expect("valid");
    assert!(!format!("{code:?}").contains("482913"));
}

#[test]
fn sejam_tracking_codes_have_ten_digits() {
    assert_eq!(
        SejamTrackingCode::parse("۱۲۳۴۵۶۷۸۹۰").map(String::from),
        Ok("1234567890".into())
    );
    assert_eq!(
        SejamTrackingCode::parse("123456789"),
        Err(SejamTrackingCodeError::Length)
    );
    assert_eq!(
        SejamTrackingCode::parse("12345x7890"),
        Err(SejamTrackingCodeError::NotDigits)
    );
    assert_eq!(
        SejamTrackingCode::parse(""),
        Err(SejamTrackingCodeError::Empty)
    );
}

#[test]
fn card_serials_are_latin_alphanumeric_nine_or_ten_long_and_upper_cased() {
    assert_eq!(
        CardSerial::parse("1g23456789").map(String::from),
        Ok("1G23456789".into())
    );
    assert_eq!(
        CardSerial::parse("۱G۲۳۴۵۶۷۸").map(String::from),
        Ok("1G2345678".into())
    );
    assert_eq!(CardSerial::parse("1G234567"), Err(CardSerialError::Length));
    assert_eq!(
        CardSerial::parse("1G2345678901"),
        Err(CardSerialError::Length)
    );
    assert_eq!(
        CardSerial::parse("1G2345_789"),
        Err(CardSerialError::Characters)
    );
    assert_eq!(
        CardSerial::parse("۱گ۲۳۴۵۶۷۸۹"),
        Err(CardSerialError::PersianLetters)
    );
    assert_eq!(CardSerial::parse(""), Err(CardSerialError::Empty));
}

#[test]
fn card_receipt_codes_are_digits_of_a_plausible_length() {
    assert!(CardReceiptCode::parse("۱۲۳۴۵۶۷۸۹۰۱۲").is_ok());
    assert_eq!(
        CardReceiptCode::parse("1234567"),
        Err(CardReceiptCodeError::Length)
    );
    assert_eq!(
        CardReceiptCode::parse("123456789012345678901"),
        Err(CardReceiptCodeError::Length)
    );
    assert_eq!(
        CardReceiptCode::parse("1234-5678-AB"),
        Err(CardReceiptCodeError::NotDigits)
    );
}

fn day(y: i32, m: u8, d: u8) -> JalaliDate {
    JalaliDate::new(y, m, d).expect("a real day")
}

#[test]
fn birth_dates_are_jalali_and_eighteen_is_the_youngest_age() {
    let today = day(1405, 9, 2);
    let parse = |s: &str| BirthDate::parse(s, today).map(|b| b.to_string());
    assert_eq!(parse("۱۳۷۰/۰۱/۱۵"), Ok("1370/01/15".into()));
    assert_eq!(parse("1370-1-15"), Ok("1370/01/15".into()));
    assert_eq!(parse("15/1/1370"), Ok("1370/01/15".into()));
    assert_eq!(parse("13700115"), Ok("1370/01/15".into()));
    // Eighteen today, and one day short of it.
    assert_eq!(parse("1387/09/02"), Ok("1387/09/02".into()));
    assert_eq!(parse("1387/09/03"), Err(BirthDateError::Underage));
    assert_eq!(parse("1405/09/03"), Err(BirthDateError::InFuture));
    assert_eq!(parse("1990/05/01"), Err(BirthDateError::Gregorian));
    assert_eq!(parse("1370/13/01"), Err(BirthDateError::NoSuchDay));
    assert_eq!(parse("1370/07/31"), Err(BirthDateError::NoSuchDay));
    assert_eq!(parse("1250/01/01"), Err(BirthDateError::Implausible));
    assert_eq!(parse("70/1/15"), Err(BirthDateError::Format));
    assert_eq!(parse("1370/01/15 ب.ظ"), Err(BirthDateError::Format));
    assert_eq!(parse(" / "), Err(BirthDateError::Empty));
}

#[test]
fn the_thirtieth_of_esfand_is_a_birth_date_only_in_leap_years() {
    let today = day(1405, 9, 2);
    assert!(BirthDate::parse("1370/12/30", today).is_ok());
    assert!(BirthDate::parse("1375/12/30", today).is_ok());
    assert_eq!(
        BirthDate::parse("1371/12/30", today),
        Err(BirthDateError::NoSuchDay)
    );
}

#[test]
fn someone_born_on_a_leap_day_comes_of_age_on_the_first_of_farvardin_in_common_years() {
    // 30 Esfand 1386 does not exist; 1387 is a leap year. Born 30 Esfand 1387 (leap):
    // 18 in 1405, a common year, once 29 Esfand has passed.
    let born = "1387/12/30";
    assert_eq!(
        BirthDate::parse(born, day(1405, 12, 29)),
        Err(BirthDateError::Underage)
    );
    assert!(BirthDate::parse(born, day(1406, 1, 1)).is_ok());
}

#[test]
fn postal_codes_have_ten_digits_without_0_or_2_in_the_first_five() {
    assert_eq!(
        PostalCode::parse("۱۳۱۸۵-۱۶۹۵۱").map(String::from),
        Ok("1318516951".into())
    );
    assert_eq!(
        PostalCode::parse("1318516951").map(String::from),
        Ok("1318516951".into())
    );
    assert_eq!(
        PostalCode::parse("1208516951"),
        Err(PostalCodeError::Pattern)
    );
    assert_eq!(
        PostalCode::parse("1318016951"),
        Err(PostalCodeError::Pattern)
    );
    assert_eq!(PostalCode::parse("131851695"), Err(PostalCodeError::Length));
    assert_eq!(
        PostalCode::parse("13185x6951"),
        Err(PostalCodeError::NotDigits)
    );
}

#[test]
fn landlines_need_their_area_code_and_are_not_mobiles() {
    assert_eq!(
        Landline::parse("۰۲۱-۸۸۷۷۶۶۵۵").map(String::from),
        Ok("02188776655".into())
    );
    assert_eq!(
        Landline::parse("+98 21 8877 6655").map(String::from),
        Ok("02188776655".into())
    );
    assert_eq!(
        Landline::parse("0098 31 3333 4444").map(|l| l.area_code().to_owned()),
        Ok("031".into())
    );
    assert_eq!(
        Landline::parse("88776655"),
        Err(LandlineError::MissingAreaCode)
    );
    assert_eq!(Landline::parse("09121234567"), Err(LandlineError::IsMobile));
    assert_eq!(Landline::parse("0218877665"), Err(LandlineError::Format));
    assert_eq!(Landline::parse("00188776655"), Err(LandlineError::Format));
    assert_eq!(
        Landline::parse("021 8877 66x5"),
        Err(LandlineError::NotDigits)
    );
}

#[test]
fn bank_card_numbers_have_sixteen_digits_and_pass_luhn() {
    for valid in [
        "6037991234567893",
        "6219861034529007",
        "6104331234567890",
        "۶۰۳۷-۹۹۱۲-۳۴۵۶-۷۸۹۳",
    ] {
        assert!(BankCardNumber::parse(valid).is_ok(), "{valid}");
    }
    assert_eq!(
        BankCardNumber::parse("6037991234567894"),
        Err(BankCardNumberError::Checksum)
    );
    assert_eq!(
        BankCardNumber::parse("603799123456789"),
        Err(BankCardNumberError::Length)
    );
    assert_eq!(
        BankCardNumber::parse("6037 9912 3456 789X"),
        Err(BankCardNumberError::NotDigits)
    );
    assert_eq!(
        BankCardNumber::parse("6037991234567893").map(|c| c.issuer_prefix().to_owned()),
        Ok("603799".into())
    );
}

#[test]
fn addresses_are_normalised_and_must_say_enough() {
    let address = Address::parse("  تهران،  خيابان آزادي، كوچه ۱۲، پلاك ۳ ").map(String::from);
    assert_eq!(address, Ok("تهران، خیابان آزادی، کوچه 12، پلاک 3".into()));
    assert_eq!(Address::parse("تهران"), Err(AddressError::TooShort));
    assert_eq!(Address::parse(&"ا".repeat(301)), Err(AddressError::TooLong));
}

#[test]
fn every_refusal_names_a_distinct_message_id() {
    let ids = all_message_ids();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len());
    assert!(ids.contains(&"national-code-checksum".to_owned()));
    assert_eq!(
        NationalCodeError::Checksum.message_id(),
        "national-code-checksum"
    );
    assert_eq!(
        FieldError::from(LandlineError::IsMobile).message_id(),
        "landline-is-mobile"
    );
}

#[test]
fn stored_values_are_validated_again_when_loaded() {
    let ok: Result<NationalCode, _> = serde_json::from_str("\"0499370899\"");
    assert!(ok.is_ok());
    let tampered: Result<NationalCode, _> = serde_json::from_str("\"0499370898\"");
    assert!(tampered.is_err());
}
