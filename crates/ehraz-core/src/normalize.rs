//! Normalisation of what a person types, before any validator sees it.
//!
//! People type digits in three scripts (Persian ۰–۹, Arabic-Indic ٠–٩ and ASCII), paste
//! numbers with spaces, dashes and invisible direction marks from other apps, and use
//! Arabic letters from Arabic keyboard layouts. Every function here is idempotent:
//! normalising twice gives the same result as normalising once.

/// Maps Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits to ASCII and
/// leaves every other character as it is.
pub fn digits_to_ascii(input: &str) -> String {
    input.chars().map(ascii_digit_or_self).collect()
}

/// Maps ASCII digits to Persian ones, for showing numbers in a Persian interface.
pub fn digits_to_persian(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Normalises free text: digits to ASCII, Arabic yeh (ي, ى) to Persian yeh (ی), Arabic
/// kaf (ك) to Persian kaf (ک), runs of white space folded to one space and trimmed.
pub fn text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    // The zero-width non-joiner (نیم‌فاصله) and joiner carry meaning in Persian words.
    let keep = |c: char| !is_invisible_mark(c) || matches!(c, '\u{200C}' | '\u{200D}');
    for c in input.chars().filter(|&c| keep(c)) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(persian_letter(ascii_digit_or_self(c)));
    }
    out
}

/// Normalises a code or number field (national code, mobile, card serial …): digits to
/// ASCII, and white space, dashes, tatweel and bidi or zero-width marks removed.
pub fn numeric(input: &str) -> String {
    input
        .chars()
        .filter(|&c| !(c.is_whitespace() || is_dash(c) || is_invisible_mark(c)))
        .map(|c| persian_letter(ascii_digit_or_self(c)))
        .collect()
}

fn ascii_digit_or_self(c: char) -> char {
    let offset = match c {
        '\u{06F0}'..='\u{06F9}' => c as u32 - 0x06F0,
        '\u{0660}'..='\u{0669}' => c as u32 - 0x0660,
        _ => return c,
    };
    char::from_digit(offset, 10).unwrap_or(c)
}

fn persian_letter(c: char) -> char {
    match c {
        'ي' | 'ى' => 'ی',
        'ك' => 'ک',
        _ => c,
    }
}

/// Hyphen-like characters people and keyboards put between digit groups, and the Arabic
/// tatweel (ـ) that stretches a line without meaning anything.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | 'ـ'
    )
}

/// Zero-width and bidirectional formatting characters: invisible, but they break
/// comparisons when a number is pasted from a right-to-left document.
fn is_invisible_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_and_arabic_indic_digits_become_ascii() {
        assert_eq!(digits_to_ascii("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(digits_to_ascii("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(digits_to_ascii("a۱b٢c3"), "a1b2c3");
    }

    #[test]
    fn ascii_digits_become_persian_for_display() {
        assert_eq!(digits_to_persian("09121234567"), "۰۹۱۲۱۲۳۴۵۶۷");
        assert_eq!(
            digits_to_ascii(&digits_to_persian("1403/12/30")),
            "1403/12/30"
        );
    }

    #[test]
    fn arabic_letters_become_persian() {
        assert_eq!(text("علي كريمى"), "علی کریمی");
    }

    #[test]
    fn text_folds_white_space_and_drops_direction_marks_but_keeps_the_non_joiner() {
        assert_eq!(text("  تهران،\t خیابان   آزادی  "), "تهران، خیابان آزادی");
        assert_eq!(text("\u{200F}۱۲\u{200E}"), "12");
        assert_eq!(text("می\u{200C}خواهم"), "می\u{200C}خواهم");
    }

    #[test]
    fn numeric_fields_lose_separators_and_marks() {
        assert_eq!(numeric("049-937 0899"), "0499370899");
        assert_eq!(
            numeric("\u{202B}۰۹۱۲\u{200C}۱۲۳\u{2013}۴۵۶۷\u{202C}"),
            "09121234567"
        );
        assert_eq!(numeric("۱ـ۲"), "12");
        assert_eq!(numeric(" 1g2345678 "), "1g2345678");
    }
}
