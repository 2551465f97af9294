//! Ehraz's Fluent catalogues, embedded at build time from `i18n/<locale>/*.ftl`, and the
//! lookups every interface uses. Persian is the default and the fallback; numbers given as
//! arguments are shown in Persian digits in the Persian catalogue. Bidi isolation stays on:
//! an argument (a code, a number) never reorders the sentence around it.

use std::collections::{BTreeMap, BTreeSet};

use ehraz_core::normalize::digits_to_persian;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use thiserror::Error;
use unic_langid::LanguageIdentifier;

include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Locale {
    /// Persian, written right to left: the default.
    #[default]
    Fa,
    /// English.
    En,
}

impl Locale {
    /// Every locale with a catalogue.
    pub const ALL: [Locale; 2] = [Locale::Fa, Locale::En];

    /// The BCP 47 tag and catalogue folder name.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Fa => "fa",
            Self::En => "en",
        }
    }

    /// Parses a tag such as `fa`, `fa-IR` or `en-US`.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let language = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.tag() == language)
    }

    /// Whether the script runs right to left.
    pub fn is_rtl(self) -> bool {
        self == Self::Fa
    }
}

/// A catalogue file that does not parse, or redefines a message.
#[derive(Debug, Error)]
pub enum CatalogError {
    /// Fluent syntax errors, with the file they are in.
    #[error("{locale}/{file}: {errors}")]
    Syntax {
        /// The locale folder.
        locale: &'static str,
        /// The file.
        file: &'static str,
        /// The parser's complaints.
        errors: String,
    },
    /// The same id in two files of one locale.
    #[error("{locale}: message `{id}` is defined twice")]
    Duplicate {
        /// The locale folder.
        locale: &'static str,
        /// The repeated id.
        id: String,
    },
}

/// An argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// Text, shown as given.
    Text(&'a str),
    /// A number, shown in the locale's digits.
    Number(i64),
}

/// The messages of one locale, with the Persian catalogue behind it for anything missing.
pub struct Catalog {
    locale: Locale,
    bundle: FluentBundle<FluentResource>,
    fallback: Option<Box<Catalog>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// The catalogue of a locale.
    pub fn new(locale: Locale) -> Result<Self, CatalogError> {
        let fallback = if locale == Locale::Fa {
            None
        } else {
            Some(Box::new(Self::new(Locale::Fa)?))
        };
        let lang: LanguageIdentifier = locale.tag().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        bundle.set_use_isolating(true);
        if locale == Locale::Fa {
            bundle.set_formatter(Some(persian_numbers));
        }
        for (folder, file, text) in files_of(locale) {
            let resource = FluentResource::try_new(text.to_owned()).map_err(|(_, errors)| {
                CatalogError::Syntax {
                    locale: folder,
                    file,
                    errors: format!("{errors:?}"),
                }
            })?;
            bundle
                .add_resource(resource)
                .map_err(|errors| CatalogError::Duplicate {
                    locale: folder,
                    id: format!("{errors:?}"),
                })?;
        }
        Ok(Self {
            locale,
            bundle,
            fallback,
        })
    }

    /// The locale.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Whether this locale's own catalogue has the message.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    /// The message, formatted. A message missing here comes from the Persian catalogue;
    /// one missing everywhere shows its id (the tests keep that from happening).
    pub fn message(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return match &self.fallback {
                Some(fallback) => fallback.message(id, args),
                None => id.to_owned(),
            };
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(text) => FluentValue::from(*text),
                Arg::Number(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        text.into_owned()
    }

    /// The message for something the core refused.
    pub fn describe(&self, what: &impl ehraz_core::Message) -> String {
        self.message(what.message_id(), &[])
    }
}

/// The message ids each locale defines, with the variables each message uses, read from
/// the catalogue sources.
pub fn defined_messages(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (_, _, text) in files_of(locale) {
        let resource = match fluent_syntax::parser::parse(text) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    collect_variables(pattern, &mut vars);
                }
                for attribute in &message.attributes {
                    collect_variables(&attribute.value, &mut vars);
                }
                out.insert(message.id.name.to_owned(), vars);
            }
        }
    }
    out
}

/// The names of the catalogue files of a locale.
pub fn file_names(locale: Locale) -> BTreeSet<&'static str> {
    files_of(locale).map(|(_, file, _)| file).collect()
}

fn files_of(locale: Locale) -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    CATALOGUES
        .iter()
        .copied()
        .filter(move |(folder, _, _)| *folder == locale.tag())
}

fn collect_variables(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            collect_in_expression(expression, vars);
        }
    }
}

fn collect_in_expression(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => collect_in_inline(inline, vars),
        ast::Expression::Select { selector, variants } => {
            collect_in_inline(selector, vars);
            for variant in variants {
                collect_variables(&variant.value, vars);
            }
        }
    }
}

fn collect_in_inline(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => collect_in_expression(expression, vars),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                collect_in_inline(arg, vars);
            }
            for named in &arguments.named {
                collect_in_inline(&named.value, vars);
            }
        }
        _ => {}
    }
}

fn persian_numbers(
    value: &FluentValue<'_>,
    _: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(digits_to_persian(&n.as_string())),
        _ => None,
    }
}
