//! The `ehraz-check` binary, run as a person runs it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ehraz-check"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("input written");
    child.wait_with_output().expect("the binary finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).replace(['\u{2068}', '\u{2069}'], "")
}

#[test]
fn a_valid_national_code_in_persian_digits_is_confirmed_in_persian() {
    let out = run(&["national-code", "۰۴۹۹۳۷۰۸۹۹"], "");
    assert!(out.status.success());
    assert_eq!(stdout(&out), "✓ درست است: 0499370899\n");
}

#[test]
fn an_invalid_value_is_explained_and_exits_with_one() {
    let out = run(&["national-code", "0499370898"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("این کد ملی معتبر نیست"));
}

#[test]
fn english_output_names_the_mobile_operator() {
    let out = run(&["--lang", "en", "mobile", "+98", "935", "123", "4567"], "");
    assert!(out.status.success());
    assert_eq!(stdout(&out), "✓ valid: 09351234567\noperator: Irancell\n");
}

#[test]
fn a_flow_is_listed_with_its_branches() {
    let out = run(&["--lang", "en", "flow", "exchange"], "");
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with("Flow exchange, version 1:\n1. Basic details\n"),
        "{text}"
    );
    assert!(text.contains("10. Video of you reading a sentence (only when “Verification method” is “Record a video reading a sentence”)"), "{text}");
}

#[test]
fn lines_on_standard_input_are_checked_one_by_one() {
    let out = run(
        &["--lang", "en"],
        "postal-code 1318516951\nlandline 88776655\n\none-time-code ۱۲۳\n",
    );
    assert_eq!(out.status.code(), Some(1), "one line was invalid");
    assert_eq!(
        stdout(&out),
        "✓ valid: 1318516951\n✗ Add the city's area code too, like 021 for Tehran.\n✗ The code has 6 digits.\n"
    );
}

#[test]
fn unknown_kinds_flows_and_options_are_usage_errors() {
    assert_eq!(run(&["passport", "X123"], "").status.code(), Some(2));
    assert_eq!(run(&["flow", "bank"], "").status.code(), Some(2));
    let out = run(&["--colour", "mobile", "0912"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ehraz-check"),
        "usage is shown"
    );
}

#[test]
fn help_lists_every_kind_and_flow() {
    let out = run(&["--lang", "en", "--help"], "");
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("Kinds: national-code, mobile,")
            || text.contains("Kinds: mobile, national-code,"),
        "{text}"
    );
    assert!(text.contains("Flows: sejam, exchange"), "{text}");
}
