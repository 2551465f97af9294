//! Differential test against an independent implementation: the npm package
//! `@persian-tools/persian-tools` (run by `tests/differential/oracle.mjs`).
//!
//! Over 120,000 generated inputs (valid values, one digit off, wrong lengths, every digit
//! script, separators, junk) our verdicts are compared with the library's for national
//! codes, mobile numbers (validity and the stored form), digit conversion and bank card
//! numbers. Each difference must match one of the intended differences listed in
//! [`Difference`], checked precisely; any other difference fails the test.
//!
//! Needs Node.js and `npm ci --prefix tests/differential`; the project's test command does
//! both, so the test is marked ignored for a bare `cargo test`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use ehraz_core::normalize;
use ehraz_core::{BankCardNumber, MobileNumber, NationalCode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

const INPUTS: usize = 120_000;

/// A difference between the two implementations that we intend, with the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Difference {
    /// We strip white space, dashes, tatweel and bidi or zero-width marks that people type
    /// or paste into a number; the library trims only the ends of a national code and
    /// nothing of a mobile or card number, so it refuses what we accept.
    Separators,
    /// The library left-pads an 8- or 9-digit national code with zeros and accepts it;
    /// a national code has ten digits, and a person who drops the leading zeros should be
    /// told, not silently corrected into someone else's code.
    ShortNationalCodePadded,
    /// The library keeps only the last ten characters of a longer national code (so a
    /// 14-digit string, or junk followed by a valid code, passes); we refuse the length.
    LongNationalCodeTruncated,
    /// The library refuses national codes whose fourth to ninth digits are all zero; the
    /// rule we follow is the check digit plus no all-same-digit codes, and the registry,
    /// not the client, decides whether a code was issued.
    NationalCodeMiddleZeros,
    /// The library refuses mobile numbers whose operator prefix is not in its list; new
    /// prefixes appear and numbers move between operators, so we never refuse on that.
    UnknownMobileOperator,
    /// The library refuses card numbers whose digits 2–11 or 11–16 are all zero; Luhn is
    /// the check the card system defines, and the bank decides the rest.
    CardNumberZeroBlocks,
    /// The library checks only the first sixteen characters of a longer card number; we
    /// refuse the length.
    LongCardNumberTruncated,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Oracle {
    ascii: String,
    national_code: serde_json::Value,
    mobile_valid: bool,
    mobile_shape: bool,
    mobile: Option<serde_json::Value>,
    card: serde_json::Value,
}

#[test]
#[ignore = "needs Node.js and `npm ci --prefix tests/differential`; run by scripts/test"]
fn our_validators_agree_with_persian_tools_except_where_intended() {
    let seed = std::env::var("EHRAZ_DIFFERENTIAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1405);
    let inputs = generate(&mut StdRng::seed_from_u64(seed), INPUTS);
    let answers = ask_oracle(&inputs);
    assert_eq!(
        answers.len(),
        inputs.len(),
        "the oracle answered every input"
    );

    let mut intended: BTreeMap<(&str, Difference), usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    let mut agreed: BTreeMap<&str, usize> = BTreeMap::new();
    for (input, oracle) in inputs.iter().zip(&answers) {
        for (check, verdict) in compare(input, oracle) {
            match verdict {
                Ok(None) => *agreed.entry(check).or_default() += 1,
                Ok(Some(difference)) => *intended.entry((check, difference)).or_default() += 1,
                Err(detail) => unexplained.push(format!("{check}: {input:?} → {detail}")),
            }
        }
    }

    eprintln!("differential test, seed {seed}: {} inputs", inputs.len());
    for (check, n) in &agreed {
        eprintln!("  {check:<14} agreed on {n}");
    }
    for ((check, difference), n) in &intended {
        eprintln!("  {check:<14} intended difference {difference:?}: {n}");
    }
    assert!(inputs.len() >= 100_000);
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences, first ones:\n{}",
        unexplained.len(),
        unexplained
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The generator must reach both verdicts of every check, or the comparison says little.
    for check in ["national-code", "mobile", "card"] {
        let valid = inputs
            .iter()
            .zip(&answers)
            .filter(|(i, o)| ours_accepts(check, i) && theirs_accepts(check, o))
            .count();
        assert!(valid > 5_000, "{check}: only {valid} inputs both accept");
    }
}

type Verdict = Result<Option<Difference>, String>;

fn compare(input: &str, oracle: &Oracle) -> Vec<(&'static str, Verdict)> {
    let numeric = normalize::numeric(input);
    let ascii = oracle.ascii.as_str();
    // What the library sees once it has trimmed (national code) or not (the others).
    let separated_after_trim = numeric != js_trim(ascii);
    let separated = numeric != ascii;
    vec![
        ("digits", {
            let ours = normalize::digits_to_ascii(input);
            if ours == oracle.ascii {
                Ok(None)
            } else {
                Err(format!("ours {ours:?}, theirs {:?}", oracle.ascii))
            }
        }),
        (
            "national-code",
            national_code(
                input,
                ascii,
                separated_after_trim,
                theirs_accepts("national-code", oracle),
            ),
        ),
        ("mobile", mobile(input, oracle, separated)),
        (
            "card",
            card(input, ascii, separated, theirs_accepts("card", oracle)),
        ),
    ]
}

fn national_code(input: &str, ascii: &str, had_separators: bool, theirs: bool) -> Verdict {
    let ours = NationalCode::parse(input).is_ok();
    let trimmed = js_trim(ascii);
    let all_digits = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
    match (ours, theirs) {
        (true, true) | (false, false) => Ok(None),
        (true, false) if had_separators => Ok(Some(Difference::Separators)),
        (true, false) if &trimmed[3..9] == "000000" => {
            Ok(Some(Difference::NationalCodeMiddleZeros))
        }
        (false, true) if all_digits && (8..=9).contains(&trimmed.len()) => {
            let padded = format!("{trimmed:0>10}");
            if NationalCode::parse(&padded).is_ok() {
                Ok(Some(Difference::ShortNationalCodePadded))
            } else {
                Err(format!(
                    "theirs accepts {trimmed:?}, but its padded form {padded:?} is not valid"
                ))
            }
        }
        (false, true) if trimmed.chars().count() > 10 => {
            let last_ten: String = trimmed.chars().skip(trimmed.chars().count() - 10).collect();
            if NationalCode::parse(&last_ten).is_ok() {
                Ok(Some(Difference::LongNationalCodeTruncated))
            } else {
                Err(format!(
                    "theirs accepts {trimmed:?} though its last ten are not valid"
                ))
            }
        }
        _ => Err(format!("ours {ours}, theirs {theirs}")),
    }
}

fn mobile(input: &str, oracle: &Oracle, had_separators: bool) -> Verdict {
    let ours = MobileNumber::parse(input).ok().map(String::from);
    let theirs = oracle
        .mobile
        .as_ref()
        .and_then(|m| m.as_str())
        .map(str::to_owned);
    match (&ours, oracle.mobile_valid) {
        (Some(o), true) if theirs.as_deref() == Some(o) => Ok(None),
        (Some(o), true) => Err(format!(
            "stored as {o:?} by us, {:?} by them",
            oracle.mobile
        )),
        (None, false) => Ok(None),
        (Some(_), false) if had_separators => Ok(Some(Difference::Separators)),
        (Some(_), false) if oracle.mobile_shape => Ok(Some(Difference::UnknownMobileOperator)),
        _ => Err(format!(
            "ours {ours:?}, theirs valid={}",
            oracle.mobile_valid
        )),
    }
}

fn card(input: &str, ascii: &str, had_separators: bool, theirs: bool) -> Verdict {
    let ours = BankCardNumber::parse(input).is_ok();
    match (ours, theirs) {
        (true, true) | (false, false) => Ok(None),
        (true, false) if had_separators => Ok(Some(Difference::Separators)),
        (true, false)
            if ascii[1..11].bytes().all(|b| b == b'0')
                || ascii[10..16].bytes().all(|b| b == b'0') =>
        {
            Ok(Some(Difference::CardNumberZeroBlocks))
        }
        (false, true) if ascii.chars().count() > 16 => {
            let first: String = ascii.chars().take(16).collect();
            if BankCardNumber::parse(&first).is_ok() {
                Ok(Some(Difference::LongCardNumberTruncated))
            } else {
                Err(format!(
                    "theirs accepts {ascii:?} though its first sixteen are not valid"
                ))
            }
        }
        _ => Err(format!("ours {ours}, theirs {theirs}")),
    }
}

fn ours_accepts(check: &str, input: &str) -> bool {
    match check {
        "national-code" => NationalCode::parse(input).is_ok(),
        "mobile" => MobileNumber::parse(input).is_ok(),
        _ => BankCardNumber::parse(input).is_ok(),
    }
}

fn theirs_accepts(check: &str, oracle: &Oracle) -> bool {
    match check {
        "national-code" => oracle.national_code == serde_json::Value::Bool(true),
        "mobile" => oracle.mobile_valid,
        _ => oracle.card == serde_json::Value::Bool(true),
    }
}

/// JavaScript's `String.prototype.trim`: white space and line terminators, and U+FEFF.
fn js_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
}

fn ask_oracle(inputs: &[String]) -> Vec<Oracle> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/differential");
    assert!(
        dir.join("node_modules/@persian-tools/persian-tools")
            .is_dir(),
        "the oracle is not installed: run `npm ci --prefix tests/differential` (scripts/test does)"
    );
    let mut child = Command::new("node")
        .arg(dir.join("oracle.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs (install Node.js; scripts/test does)");
    let mut stdin = child.stdin.take().expect("stdin");
    let lines: Vec<String> = inputs
        .iter()
        .map(|i| serde_json::to_string(i).expect("a string serialises"))
        .collect();
    let writer = std::thread::spawn(move || {
        for line in lines {
            writeln!(stdin, "{line}").expect("the oracle reads its input");
        }
    });
    let answers = BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map(|line| {
            serde_json::from_str(&line.expect("the oracle writes"))
                .expect("the oracle answers JSON")
        })
        .collect();
    writer.join().expect("all input written");
    assert!(
        child.wait().expect("the oracle ends").success(),
        "the oracle failed"
    );
    answers
}

// ---- input generation ----

fn generate(rng: &mut StdRng, n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let value = match rng.random_range(0..100) {
                0..=14 => valid_national_code(rng),
                15..=24 => {
                    let code = valid_national_code(rng);
                    off_by_one(rng, &code)
                }
                25..=32 => wrong_length_national_code(rng),
                33..=47 => mobile_in_some_form(rng),
                48..=52 => {
                    let mobile = mobile_in_some_form(rng);
                    off_by_one(rng, &mobile)
                }
                53..=62 => valid_card(rng),
                63..=68 => {
                    let card = valid_card(rng);
                    off_by_one(rng, &card)
                }
                69..=72 => wrong_length_digits(rng, &[15, 17, 18, 19, 20]),
                73..=77 => zero_heavy(rng),
                _ => junk(rng),
            };
            let value = if rng.random_bool(0.3) {
                mixed_scripts(rng, &value)
            } else {
                value
            };
            if rng.random_bool(0.15) {
                with_separators(rng, &value)
            } else {
                value
            }
        })
        .collect()
}

fn digits(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

fn valid_national_code(rng: &mut StdRng) -> String {
    let prefix: [u8; 9] = std::array::from_fn(|_| rng.random_range(0..10));
    let check = NationalCode::check_digit(&prefix);
    prefix
        .iter()
        .chain([check].iter())
        .map(|d| char::from(b'0' + d))
        .collect()
}

fn wrong_length_national_code(rng: &mut StdRng) -> String {
    let valid = valid_national_code(rng);
    match rng.random_range(0..5) {
        // Leading zeros dropped, as spreadsheets do.
        0 => valid.trim_start_matches('0').to_owned(),
        1 => valid[1..].to_owned(),
        2 => format!("{}{valid}", digits(rng, 4)),
        3 => format!("{valid}{}", digits(rng, 1)),
        _ => {
            let n = rng.random_range(1..16);
            digits(rng, n)
        }
    }
}

fn mobile_in_some_form(rng: &mut StdRng) -> String {
    let prefixes = [
        "910", "912", "919", "990", "996", "901", "935", "939", "941", "920", "932", "998", "999",
        "970", "981", "900",
    ];
    let body = format!(
        "{}{}",
        prefixes[rng.random_range(0..prefixes.len())],
        digits(rng, 7)
    );
    let forms = ["", "0", "98", "+98", "0098", "+", "00", "1"];
    format!("{}{body}", forms[rng.random_range(0..forms.len())])
}

fn valid_card(rng: &mut StdRng) -> String {
    complete_card(&digits(rng, 15))
}

/// The fifteen (or so) digits given, with the last digit that makes them pass Luhn.
fn complete_card(body: &str) -> String {
    (0..10u8)
        .map(|d| format!("{body}{d}"))
        .find(|c| ehraz_core::luhn(&c.bytes().map(|b| b - b'0').collect::<Vec<_>>()))
        .unwrap_or_else(|| body.to_owned())
}

fn wrong_length_digits(rng: &mut StdRng, lengths: &[usize]) -> String {
    let valid = valid_card(rng);
    let length = lengths[rng.random_range(0..lengths.len())];
    if length > 16 {
        format!("{valid}{}", digits(rng, length - 16))
    } else {
        valid[..length].to_owned()
    }
}

/// Values whose digit blocks are zero, where the two implementations' extra rules bite.
fn zero_heavy(rng: &mut StdRng) -> String {
    match rng.random_range(0..3) {
        0 => {
            let prefix: [u8; 9] = std::array::from_fn(|i| {
                if (3..9).contains(&i) {
                    0
                } else {
                    rng.random_range(0..10)
                }
            });
            let check = NationalCode::check_digit(&prefix);
            prefix
                .iter()
                .chain([check].iter())
                .map(|d| char::from(b'0' + d))
                .collect()
        }
        1 => complete_card(&format!("6{}{}", "0".repeat(10), digits(rng, 4))),
        _ => complete_card(&format!("{}{}", digits(rng, 10), "0".repeat(5))),
    }
}

fn off_by_one(rng: &mut StdRng, value: &str) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    let positions: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_ascii_digit())
        .collect();
    if let Some(&i) = positions.get(rng.random_range(0..positions.len().max(1))) {
        let d = chars[i].to_digit(10).unwrap_or(0);
        let step = rng.random_range(1..10);
        chars[i] = char::from_digit((d + step) % 10, 10).unwrap_or('0');
    }
    chars.into_iter().collect()
}

fn mixed_scripts(rng: &mut StdRng, value: &str) -> String {
    value
        .chars()
        .map(|c| match (c.to_digit(10), rng.random_range(0..3)) {
            (Some(d), 1) => char::from_u32(0x06F0 + d).unwrap_or(c),
            (Some(d), 2) => char::from_u32(0x0660 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn with_separators(rng: &mut StdRng, value: &str) -> String {
    let marks = [
        " ", "-", " - ", "\u{200C}", "\u{200F}", "\u{200E}", "\u{2013}", "ـ", "\t", "\u{202B}",
    ];
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i > 0 && rng.random_bool(0.2) {
            out.push_str(marks[rng.random_range(0..marks.len())]);
        }
        out.push(c);
    }
    if rng.random_bool(0.3) {
        out = format!(" {out} ");
    }
    out
}

fn junk(rng: &mut StdRng) -> String {
    let pool: Vec<char> =
        "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩abcXYZ+-/. _ابپیکيك\u{200C}\u{200F}\u{FEFF}\u{00A0}!#"
            .chars()
            .collect();
    let n = rng.random_range(0..24);
    (0..n)
        .map(|_| pool[rng.random_range(0..pool.len())])
        .collect()
}
