//! Properties over generated input: check digits, idempotent normalisation, digit scripts
//! that do not change a verdict, and a saved wizard that behaves as the original.

use std::collections::BTreeMap;

use ehraz_core::normalize;
use ehraz_core::*;
use proptest::prelude::*;

fn today() -> JalaliDate {
    JalaliDate::new(1405, 9, 2).expect("a real day")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_nine_digit_prefix_has_exactly_one_check_digit(prefix in proptest::array::uniform9(0u8..10)) {
        let accepted: Vec<u8> = (0..10)
            .filter(|&d| {
                let code: String = prefix.iter().chain([d].iter()).map(|d| char::from(b'0' + d)).collect();
                NationalCode::parse(&code).is_ok()
            })
            .collect();
        let check = NationalCode::check_digit(&prefix);
        let repeated = prefix.iter().all(|&d| d == check);
        if repeated {
            prop_assert!(accepted.is_empty());
        } else {
            prop_assert_eq!(accepted, vec![check]);
        }
    }

    #[test]
    fn normalisation_is_idempotent(input in any_script_text()) {
        for f in [normalize::numeric, normalize::text, normalize::digits_to_ascii] {
            let once = f(&input);
            prop_assert_eq!(f(&once), once);
        }
    }

    #[test]
    fn a_value_in_persian_or_arabic_digits_validates_as_its_ascii_twin(
        (ascii, twin) in ascii_and_twin("[0-9+ /a-zA-Z-]{0,18}"),
    ) {
        prop_assert_eq!(verdicts(&ascii), verdicts(&twin));
    }

    #[test]
    fn likely_values_in_other_scripts_validate_as_their_ascii_twins(
        (ascii, twin) in ascii_and_twin("(\\+98|0098|98|0)?9[0-9]{9}|[0-9]{10}|[0-9]{16}|1[34][0-9]{2}/[01]?[0-9]/[0-3]?[0-9]"),
    ) {
        prop_assert_eq!(verdicts(&ascii), verdicts(&twin));
    }

    #[test]
    fn a_restored_wizard_behaves_exactly_as_the_original(
        flow in prop_oneof![Just("sejam"), Just("exchange")],
        ops in proptest::collection::vec(op(), 10..100),
        save_at in 0usize..100,
    ) {
        let mut original = Wizard::new(Flow::bundled(flow).expect("flow")).expect("wizard");
        let mut restored: Option<Wizard> = None;
        let mut furthest = 0;
        for (i, op) in ops.iter().enumerate() {
            if i == save_at {
                restored = Some(Wizard::from_json(&original.to_json()).expect("restores"));
            }
            let expected = apply(&mut original, op);
            furthest = furthest.max(original.progress().number);
            if let Some(copy) = restored.as_mut() {
                prop_assert_eq!(apply(copy, op), expected);
                prop_assert_eq!(&*copy, &original);
                prop_assert_eq!(copy.progress(), original.progress());
            }
        }
        REACHED.lock().map(|mut r| *r.entry(furthest).or_insert(0) += 1).ok();
    }
}

static REACHED: std::sync::Mutex<BTreeMap<usize, u32>> = std::sync::Mutex::new(BTreeMap::new());

/// Guards the property above against walks that never leave the first steps: it would
/// then say little about captures, branches and manifests.
#[test]
fn the_wizard_property_walks_deep_into_the_flows() {
    a_restored_wizard_behaves_exactly_as_the_original();
    let reached = REACHED.lock().map(|r| r.clone()).unwrap_or_default();
    let deep: u32 = reached
        .iter()
        .filter(|(step, _)| **step >= 6)
        .map(|(_, n)| n)
        .sum();
    let total: u32 = reached.values().sum();
    assert!(
        deep * 4 >= total,
        "only {deep} of {total} walks reached step 6: {reached:?}"
    );
}

/// Strings mixing ASCII, Persian and Arabic-Indic digits, letters of both alphabets,
/// separators and invisible marks.
fn any_script_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('0', '9'),
            proptest::char::range('\u{06F0}', '\u{06F9}'),
            proptest::char::range('\u{0660}', '\u{0669}'),
            proptest::char::range('a', 'z'),
            proptest::sample::select(vec![
                ' ', '\t', '-', '\u{2013}', 'ـ', '\u{200C}', '\u{200E}', '\u{200F}', '\u{202B}',
                '\u{FEFF}', 'ي', 'ى', 'ك', 'ی', 'ک', '+', '/', 'ب',
            ]),
            any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// An ASCII string from `pattern` and the same string with each digit written in a
/// randomly chosen script.
fn ascii_and_twin(pattern: &'static str) -> impl Strategy<Value = (String, String)> {
    pattern.prop_flat_map(|ascii: String| {
        let n = ascii.len();
        (Just(ascii), proptest::collection::vec(0u8..3, n)).prop_map(|(ascii, scripts)| {
            let twin = ascii
                .chars()
                .zip(scripts)
                .map(|(c, script)| match (c.to_digit(10), script) {
                    (Some(d), 1) => char::from_u32(0x06F0 + d).unwrap_or(c),
                    (Some(d), 2) => char::from_u32(0x0660 + d).unwrap_or(c),
                    _ => c,
                })
                .collect();
            (ascii, twin)
        })
    })
}

/// Every validator's verdict on one input: the stored form, or the message id.
fn verdicts(input: &str) -> Vec<Result<String, &'static str>> {
    fn show<T: ToString, E: Message>(r: Result<T, E>) -> Result<String, &'static str> {
        r.map(|v| v.to_string()).map_err(|e| e.message_id())
    }
    let length = CodeLength::new(6).expect("valid length");
    vec![
        show(NationalCode::parse(input)),
        show(MobileNumber::parse(input)),
        show(SejamTrackingCode::parse(input)),
        show(CardSerial::parse(input)),
        show(CardReceiptCode::parse(input)),
        show(BirthDate::parse(input, today())),
        show(PostalCode::parse(input)),
        show(Landline::parse(input)),
        show(BankCardNumber::parse(input)),
        show(Address::parse(input)),
        OneTimeCode::parse(input, length)
            .map(|c| c.as_str().to_owned())
            .map_err(|e| e.message_id()),
    ]
}

#[derive(Debug, Clone)]
enum Op {
    Submit(BTreeMap<String, String>),
    Code(String),
    Attach(MediaType, u8),
    Challenge(Challenge),
    Advance,
    Back,
    GoTo(&'static str),
}

/// Answers drawn from valid and invalid values for every field of both flows.
fn op() -> impl Strategy<Value = Op> {
    let field_values: Vec<(&'static str, Vec<&'static str>)> = vec![
        ("mobile", vec!["09121234567", "۰۹۳۵۱۲۳۴۵۶۷", "0212", ""]),
        (
            "national-code",
            vec!["0499370899", "0790419904", "0499370898"],
        ),
        ("sejam-tracking-code", vec!["1234567890", "12"]),
        ("card-document", vec!["smart-card", "receipt", "passport"]),
        ("card-serial", vec!["1G23456789", "x"]),
        ("card-receipt-code", vec!["123456789012", "1"]),
        ("birth-date", vec!["1370/01/15", "1390/01/01", "1990/1/1"]),
        ("method", vec!["documents", "video"]),
        ("identity-document", vec!["national-card", "old-documents"]),
        ("bank-card", vec!["6037991234567893", "6037991234567894"]),
        ("contact-kind", vec!["landline", "address"]),
        ("landline", vec!["02188776655", "88776655"]),
        ("address", vec!["تهران، خیابان آزادی، پلاک ۱۰", "کوتاه"]),
        ("postal-code", vec!["1318516951", "1208516951"]),
        ("commit-truthful", vec!["true", "false"]),
        ("commit-own-identity", vec!["true"]),
        ("commit-media-processing", vec!["true", ""]),
    ];
    let answers = proptest::collection::vec(
        proptest::sample::select(field_values)
            .prop_flat_map(|(field, choices)| (Just(field), proptest::sample::select(choices))),
        0..8,
    )
    .prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    });
    let media = proptest::sample::select(vec![
        MediaType::ImageJpeg,
        MediaType::VideoMp4,
        MediaType::AudioWav,
    ]);
    let steps = proptest::sample::select(vec![
        "mobile", "card", "selfie", "method", "contact", "review", "nowhere",
    ]);
    // A whole valid form, with random branch choices, so that walks reach the captures,
    // the branches and the manifest.
    let valid_form = (
        proptest::sample::select(vec!["smart-card", "receipt"]),
        proptest::sample::select(vec!["documents", "video"]),
        proptest::sample::select(vec!["landline", "address"]),
    )
        .prop_map(|(card, method, contact)| {
            let pairs = [
                ("mobile", "09121234567"),
                ("national-code", "0499370899"),
                ("sejam-tracking-code", "1234567890"),
                ("card-document", card),
                ("card-serial", "1G23456789"),
                ("card-receipt-code", "123456789012"),
                ("birth-date", "1370/01/15"),
                ("method", method),
                ("identity-document", "national-card"),
                ("bank-card", "6037991234567893"),
                ("contact-kind", contact),
                ("landline", "02188776655"),
                ("address", "تهران، خیابان آزادی، پلاک ۱۰"),
                ("postal-code", "1318516951"),
                ("commit-truthful", "true"),
                ("commit-own-identity", "true"),
                ("commit-media-processing", "true"),
            ];
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        });
    prop_oneof![
        1 => answers.prop_map(Op::Submit),
        3 => valid_form.prop_map(Op::Submit),
        3 => prop_oneof![1 => Just(String::new()), 4 => Just("receipt".to_owned())].prop_map(Op::Code),
        4 => (media, any::<u8>()).prop_map(|(m, f)| Op::Attach(m, f)),
        2 => prop_oneof![
            Just(Challenge::Digits { digits: vec![4, 0, 7], shown_at_ms: Vec::new() }),
            Just(Challenge::Sentence { sentence_id: "fa-01".into(), text: "جمله".into(), speech_ms: None }),
        ].prop_map(Op::Challenge),
        4 => Just(Op::Advance),
        1 => Just(Op::Back),
        1 => steps.prop_map(Op::GoTo),
    ]
}

fn apply(w: &mut Wizard, op: &Op) -> Result<(), String> {
    let r = match op {
        Op::Submit(values) => w.submit_form(values, today()).map_err(|e| e.to_string()),
        Op::Code(receipt) => w.complete_code(receipt).map_err(|e| e.to_string()),
        Op::Attach(media_type, fill) => w
            .attach(Artifact {
                media_type: *media_type,
                sha256: Sha256Digest::from_bytes([*fill; 32]),
                size: 1,
            })
            .map_err(|e| e.to_string()),
        Op::Challenge(c) => w.record_challenge(c.clone()).map_err(|e| e.to_string()),
        Op::Advance => w.advance().map_err(|e| e.to_string()),
        Op::Back => w.back().map_err(|e| e.to_string()),
        Op::GoTo(step) => w.go_to(step).map_err(|e| e.to_string()),
    };
    let _ = w.manifest("test");
    r
}
