//! `ehraz-check`: checks identity fields exactly as the Ehraz wizard does and lists the
//! steps of the bundled flows, in Persian (default) or English.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use ehraz_core::flow::FieldKind;
use ehraz_core::{CodeLength, Flow, JalaliDate, MobileNumber, OneTimeCode};
use ehraz_i18n::{Arg, Catalog, Locale};
use strum::IntoEnumIterator;

/// Field kinds that take typed text (choices and consents do not), plus one-time codes.
fn kinds() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = FieldKind::iter()
        .filter(|k| !matches!(k, FieldKind::Choice | FieldKind::Consent))
        .map(<&'static str>::from)
        .collect();
    names.push(ONE_TIME_CODE);
    names
}

fn field_kind(name: &str) -> Option<FieldKind> {
    FieldKind::iter()
        .filter(|k| !matches!(k, FieldKind::Choice | FieldKind::Consent))
        .find(|k| <&'static str>::from(*k) == name)
}

const ONE_TIME_CODE: &str = "one-time-code";
/// The length checked for `one-time-code`; the flows' SMS codes have six digits.
const CODE_LENGTH: u8 = 6;

enum Command {
    Check { kind: String, value: String },
    Flow(String),
    Interactive,
    Help,
}

fn main() -> ExitCode {
    let (locale, command) = match parse_args() {
        Ok(parsed) => parsed,
        Err(detail) => {
            let catalog = catalog(Locale::Fa);
            eprintln!(
                "{}",
                catalog.message("check-bad-arguments", &[("detail", Arg::Text(&detail))])
            );
            eprintln!("{}", usage(&catalog));
            return ExitCode::from(2);
        }
    };
    let catalog = catalog(locale);
    let today = JalaliDate::today_in_tehran(jiff::Timestamp::now());
    match command {
        Command::Help => {
            println!("{}", usage(&catalog));
            ExitCode::SUCCESS
        }
        Command::Check { kind, value } => match check(&catalog, &kind, &value, today) {
            Outcome::Valid(lines) => {
                lines.iter().for_each(|l| println!("{l}"));
                ExitCode::SUCCESS
            }
            Outcome::Invalid(line) => {
                println!("{line}");
                ExitCode::from(1)
            }
            Outcome::UnknownKind(line) => {
                eprintln!("{line}");
                ExitCode::from(2)
            }
        },
        Command::Flow(name) => print_flow(&catalog, &name),
        Command::Interactive => interactive(&catalog, today),
    }
}

fn catalog(locale: Locale) -> Catalog {
    // The catalogues are embedded and checked by the tests; failing here is a build defect.
    Catalog::new(locale).expect("the embedded catalogues parse")
}

fn parse_args() -> Result<(Locale, Command), String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut locale = Locale::Fa;
    let mut words = Vec::new();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("lang") => {
                let tag = parser
                    .value()
                    .map_err(|e| e.to_string())?
                    .string()
                    .map_err(|e| format!("{e:?}"))?;
                locale = Locale::from_tag(&tag).ok_or_else(|| format!("--lang {tag}"))?;
            }
            Short('h') | Long("help") => return Ok((locale, Command::Help)),
            Value(word) => words.push(word.string().map_err(|e| format!("{e:?}"))?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let command = match words.as_slice() {
        [] => Command::Interactive,
        [flow, name] if flow == "flow" => Command::Flow(name.clone()),
        [kind, rest @ ..] if !rest.is_empty() => Command::Check {
            kind: kind.clone(),
            value: rest.join(" "),
        },
        [one] => return Err(format!("{one} …?")),
        _ => return Err(words.join(" ")),
    };
    Ok((locale, command))
}

fn usage(catalog: &Catalog) -> String {
    let kinds = kinds().join(", ");
    let flows = Flow::bundled_ids().collect::<Vec<_>>().join(", ");
    catalog.message(
        "check-usage",
        &[("kinds", Arg::Text(&kinds)), ("flows", Arg::Text(&flows))],
    )
}

enum Outcome {
    Valid(Vec<String>),
    Invalid(String),
    UnknownKind(String),
}

fn check(catalog: &Catalog, kind: &str, value: &str, today: JalaliDate) -> Outcome {
    let invalid = |reason: String| {
        Outcome::Invalid(catalog.message("check-invalid", &[("reason", Arg::Text(&reason))]))
    };
    let valid = |value: &str| catalog.message("check-valid", &[("value", Arg::Text(value))]);
    if kind == ONE_TIME_CODE {
        let length = CodeLength::new(CODE_LENGTH).expect("six is a valid code length");
        return match OneTimeCode::parse(value, length) {
            Ok(code) => Outcome::Valid(vec![valid(code.as_str())]),
            Err(e) => invalid(catalog.message(
                ehraz_core::Message::message_id(&e),
                &[("length", Arg::Number(i64::from(CODE_LENGTH)))],
            )),
        };
    }
    let Some(field_kind) = field_kind(kind) else {
        let kinds = kinds().join(", ");
        return Outcome::UnknownKind(catalog.message(
            "check-unknown-kind",
            &[("kind", Arg::Text(kind)), ("kinds", Arg::Text(&kinds))],
        ));
    };
    let field = ehraz_core::flow::Field {
        id: kind.to_owned(),
        kind: field_kind,
        when: None,
        options: Vec::new(),
    };
    match field.parse(value, today) {
        Ok(normalised) => {
            let mut lines = vec![valid(&normalised)];
            let mobile = MobileNumber::parse(&normalised)
                .ok()
                .filter(|_| field_kind == FieldKind::Mobile);
            if let Some(mobile) = mobile {
                let operator = catalog.describe(&mobile.operator());
                lines
                    .push(catalog.message("check-operator", &[("operator", Arg::Text(&operator))]));
            }
            Outcome::Valid(lines)
        }
        Err(e) => invalid(catalog.describe(&e)),
    }
}

fn print_flow(catalog: &Catalog, name: &str) -> ExitCode {
    let flow = match Flow::bundled(name) {
        Ok(flow) => flow,
        Err(_) => {
            let flows = Flow::bundled_ids().collect::<Vec<_>>().join(", ");
            eprintln!(
                "{}",
                catalog.message(
                    "check-unknown-flow",
                    &[("flow", Arg::Text(name)), ("flows", Arg::Text(&flows))]
                )
            );
            return ExitCode::from(2);
        }
    };
    println!(
        "{}",
        catalog.message(
            "check-flow-heading",
            &[
                ("flow", Arg::Text(&flow.id)),
                ("version", Arg::Number(i64::from(flow.version)))
            ]
        )
    );
    for (index, step) in flow.steps.iter().enumerate() {
        let title = catalog.message(&step.title_id(), &[]);
        let number = i64::try_from(index + 1).unwrap_or(i64::MAX);
        let mut line = catalog.message(
            "check-flow-step",
            &[
                ("number", Arg::Number(number)),
                ("title", Arg::Text(&title)),
            ],
        );
        if let Some(when) = step.when() {
            let field = flow
                .steps
                .iter()
                .flat_map(|s| s.fields())
                .find(|f| f.id == when.field);
            if let Some(field) = field {
                let label = catalog.message(&field.label_id(), &[]);
                let option = catalog.message(&field.option_id(&when.equals), &[]);
                line.push(' ');
                line.push_str(&catalog.message(
                    "check-flow-branch",
                    &[("field", Arg::Text(&label)), ("option", Arg::Text(&option))],
                ));
            }
        }
        println!("{line}");
    }
    ExitCode::SUCCESS
}

fn interactive(catalog: &Catalog, today: JalaliDate) -> ExitCode {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        println!("{}", catalog.message("check-prompt", &[]));
    }
    let mut all_valid = true;
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (kind, value) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        match check(catalog, kind, value.trim(), today) {
            Outcome::Valid(lines) => lines.iter().for_each(|l| println!("{l}")),
            Outcome::Invalid(l) | Outcome::UnknownKind(l) => {
                all_valid = false;
                println!("{l}");
            }
        }
        let _ = std::io::stdout().flush();
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
