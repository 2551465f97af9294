//! The Fluent catalogues: both locales complete, consistent, and covering every id the
//! code uses.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ehraz_i18n::{Arg, Catalog, Locale, defined_messages, file_names};

#[test]
fn every_catalogue_parses_without_errors_or_duplicates() {
    for locale in Locale::ALL {
        Catalog::new(locale).unwrap_or_else(|e| panic!("{}: {e}", locale.tag()));
    }
}

#[test]
fn both_locales_have_the_same_files() {
    assert_eq!(file_names(Locale::Fa), file_names(Locale::En));
    assert!(file_names(Locale::Fa).contains("ehraz-core.ftl"));
}

#[test]
fn every_message_exists_in_both_locales() {
    let fa: BTreeSet<String> = defined_messages(Locale::Fa).into_keys().collect();
    let en: BTreeSet<String> = defined_messages(Locale::En).into_keys().collect();
    let only_fa: Vec<_> = fa.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&fa).collect();
    assert!(
        only_fa.is_empty() && only_en.is_empty(),
        "only in fa: {only_fa:?}; only in en: {only_en:?}"
    );
}

#[test]
fn a_message_takes_the_same_arguments_in_both_locales() {
    let fa = defined_messages(Locale::Fa);
    let en = defined_messages(Locale::En);
    let differing: Vec<_> = fa
        .iter()
        .filter(|(id, vars)| en.get(*id).is_some_and(|other| other != *vars))
        .map(|(id, _)| id)
        .collect();
    assert!(differing.is_empty(), "arguments differ: {differing:?}");
}

#[test]
fn every_id_the_core_produces_has_a_message() {
    let fa = defined_messages(Locale::Fa);
    let missing: Vec<_> = ehraz_core::all_message_ids()
        .into_iter()
        .filter(|id| !fa.contains_key(id))
        .collect();
    assert!(missing.is_empty(), "ids without a message: {missing:?}");
}

#[test]
fn every_guidance_code_has_a_message() {
    use strum::IntoEnumIterator;
    let fa = defined_messages(Locale::Fa);
    let missing: Vec<String> = ehraz_vision::Guidance::iter()
        .map(|g| format!("guidance-{}", g.id()))
        .filter(|id| !fa.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "guidance without a message: {missing:?}"
    );
}

/// Literal ids passed to `.message("…"` in the crates' `src` folders (tests may name
/// missing ids on purpose).
fn ids_named_in_sources() -> BTreeSet<String> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut ids = BTreeSet::new();
    let mut stack: Vec<PathBuf> = std::fs::read_dir(&crates)
        .expect("readable crates folder")
        .map(|e| e.expect("directory entry").path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source tree") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable source");
                for (at, call) in text.match_indices(".message(") {
                    let rest = text[at + call.len()..].trim_start();
                    let Some(literal) = rest.strip_prefix('"') else {
                        continue;
                    };
                    if let Some(end) = literal.find('"') {
                        ids.insert(literal[..end].to_owned());
                    }
                }
            }
        }
    }
    ids
}

#[test]
fn every_id_named_in_the_code_has_a_message() {
    let named = ids_named_in_sources();
    assert!(
        named.contains("check-usage"),
        "the scan finds the CLI's messages: {named:?}"
    );
    let fa = defined_messages(Locale::Fa);
    let missing: Vec<_> = named.iter().filter(|id| !fa.contains_key(*id)).collect();
    assert!(
        missing.is_empty(),
        "ids named in code without a message: {missing:?}"
    );
}

#[test]
fn numbers_show_in_persian_digits_and_arguments_are_isolated() {
    let fa = Catalog::new(Locale::Fa).expect("catalogue");
    let text = fa.message("one-time-code-length", &[("length", Arg::Number(6))]);
    assert_eq!(text, "کد تأیید باید \u{2068}۶\u{2069} رقم باشد.");
    let en = Catalog::new(Locale::En).expect("catalogue");
    let text = en.message(
        "wizard-progress",
        &[("number", Arg::Number(3)), ("total", Arg::Number(10))],
    );
    assert_eq!(text, "Step \u{2068}3\u{2069} of \u{2068}10\u{2069}");
    // A Latin code inside a Persian sentence stays one unit.
    let text = fa.message("check-valid", &[("value", Arg::Text("1G23456789"))]);
    assert!(text.contains("\u{2068}1G23456789\u{2069}"), "{text:?}");
}

#[test]
fn refusals_of_the_core_read_as_sentences_in_each_locale() {
    let fa = Catalog::new(Locale::Fa).expect("catalogue");
    let en = Catalog::new(Locale::En).expect("catalogue");
    let err = ehraz_core::NationalCode::parse("0499370898").expect_err("bad check digit");
    assert!(fa.describe(&err).starts_with("این کد ملی معتبر نیست"));
    assert!(
        en.describe(&err)
            .starts_with("This national code is not valid")
    );
}

#[test]
fn an_id_missing_everywhere_shows_itself_rather_than_nothing() {
    let en = Catalog::new(Locale::En).expect("catalogue");
    assert_eq!(en.message("no-such-message", &[]), "no-such-message");
    assert!(en.has("step-review") && !en.has("no-such-message"));
}

#[test]
fn locale_tags_are_read_leniently() {
    assert_eq!(Locale::from_tag("fa-IR"), Some(Locale::Fa));
    assert_eq!(Locale::from_tag("en_US"), Some(Locale::En));
    assert_eq!(Locale::from_tag("de"), None);
    assert_eq!(Locale::default(), Locale::Fa);
    assert!(Locale::Fa.is_rtl() && !Locale::En.is_rtl());
}
