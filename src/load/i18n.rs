//! UI strings through Fluent: the built-in nl, fr and en messages, overridden
//! message by message by the site's `i18n/<lang>.ftl`. A message a language
//! lacks falls back to the default language, then to English; which messages
//! will, is known when the theme is loaded ([`I18n::missing`]), and said then.

use crate::diagnostic::{Diagnostic, display_path, line_col};
use crate::model::config::Config;
use crate::model::date::Date;
use fluent::concurrent::FluentBundle;
use fluent::{FluentArgs, FluentResource, FluentValue};
use std::path::{Path, PathBuf};

type Bundle = FluentBundle<FluentResource>;

/// The messages of every site language, shareable across render threads.
pub struct I18n {
    /// Per site language, then English last as the final fallback.
    bundles: Vec<Bundle>,
    codes: Vec<String>,
    default: usize,
    ftl_paths: Vec<PathBuf>,
    /// The site's `typography` setting.
    typography: bool,
}

/// The messages vitrine formats itself, besides those the templates name.
pub const USED_BY_VITRINE: &[&str] = &[
    "choose-language-title",
    "tag-title",
    "tag-description",
    "filter-title",
    "filter-description",
    "tags-title",
    "feed-title",
    "facts-heading",
    "not-found-title",
    "poster-kicker",
    "poster-lines",
    "poster-contact",
    "quote-open",
    "date-long",
    "month-1",
    "month-2",
    "month-3",
    "month-4",
    "month-5",
    "month-6",
    "month-7",
    "month-8",
    "month-9",
    "month-10",
    "month-11",
    "month-12",
];

/// The message naming a filter a site declares: `filter-sector`.
pub fn filter_label(key: &str) -> String {
    format!("filter-{key}")
}

fn builtin(code: &str) -> Option<&'static str> {
    crate::load::builtin::I18N_FILES
        .iter()
        .find(|(name, _)| name.strip_suffix(".ftl") == Some(code))
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
}

fn ftl_diagnostics(path: &Path, src: &str, errors: &[fluent::FluentError], out: &mut Vec<Diagnostic>) {
    for e in errors {
        let (line, col, msg) = match e {
            fluent::FluentError::ParserError(p) => {
                let (l, c) = line_col(src, p.pos.start);
                (l, c, format!("Fluent syntax: {}", p.kind))
            }
            other => (1, 1, other.to_string()),
        };
        out.push(Diagnostic::error(path, line, col, msg));
    }
}

fn new_bundle(code: &str) -> Bundle {
    let id = code.parse::<unic_langid::LanguageIdentifier>().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    b
}

impl I18n {
    /// Loads the built-in messages and the site's `i18n/<lang>.ftl` files.
    pub fn load(root: &Path, config: &Config) -> Result<I18n, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut bundles = Vec::new();
        let mut codes = Vec::new();
        let mut ftl_paths = Vec::new();
        let langs = config.languages.iter().map(|l| l.code.as_str()).chain(["en"]);
        for (i, code) in langs.enumerate() {
            let mut bundle = new_bundle(code);
            let base = code.split('-').next().unwrap_or(code);
            if let Some(src) = builtin(code).or_else(|| builtin(base)) {
                let res = FluentResource::try_new(src.to_string()).unwrap_or_else(|(res, _)| res);
                bundle.add_resource_overriding(res);
            }
            let rel = PathBuf::from(format!("i18n/{code}.ftl"));
            let shown = display_path(root, &rel);
            if i < config.languages.len() {
                match crate::load::files::read_text(&root.join(&rel)) {
                    Ok(src) => {
                        let src = crate::model::frontmatter::strip_bom(&src).to_string();
                        let res = match FluentResource::try_new(src.clone()) {
                            Ok(res) => res,
                            Err((res, errs)) => {
                                let errs: Vec<_> = errs.into_iter().map(fluent::FluentError::ParserError).collect();
                                ftl_diagnostics(&shown, &src, &errs, &mut diags);
                                res
                            }
                        };
                        bundle.add_resource_overriding(res);
                    }
                    Err((_, _, msg)) if root.join(&rel).exists() => diags.push(Diagnostic::error(&shown, 1, 1, msg)),
                    Err(_) => {}
                }
            }
            ftl_paths.push(shown);
            codes.push(code.to_string());
            bundles.push(bundle);
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(I18n { bundles, codes, default: config.default_language, ftl_paths, typography: config.typography })
    }

    /// The index of a language code among the site's languages.
    pub fn lang_index(&self, code: &str) -> Option<usize> {
        self.codes[..self.codes.len() - 1].iter().position(|c| c == code)
    }

    /// The index of a language code among the site's languages, English
    /// (whose built-in messages are always there), else the default language.
    pub fn index_of(&self, code: &str) -> usize {
        self.codes.iter().position(|c| c == code).unwrap_or(self.default)
    }

    /// Formats a message in a language, falling back to the default language
    /// and then to English.
    pub fn format(&self, lang: usize, key: &str, args: Option<&FluentArgs>) -> Result<String, String> {
        let english = self.bundles.len() - 1;
        for b in [lang, self.default, english] {
            let bundle = &self.bundles[b];
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let s = bundle.format_pattern(pattern, args, &mut errors);
            if let Some(e) = errors.first() {
                return Err(format!("message `{key}` in {}: {e}", self.codes[b]));
            }
            // the language's typography, as on every other text (a message
            // with markup is left as written)
            if s.contains('<') || !self.typography {
                return Ok(s.into_owned());
            }
            return Ok(crate::text::typography::typeset(&s, &self.codes[b]).into_owned());
        }
        Err(format!("no message `{key}` in {} nor in the built-in messages", self.codes[lang]))
    }

    /// A message without arguments, or the id itself if there is none (for
    /// code paths that must not fail, such as the feed).
    pub fn text(&self, lang: usize, key: &str) -> String {
        self.format(lang, key, None).unwrap_or_else(|_| key.to_string())
    }

    /// The name of declared filter `key` in a language: its message
    /// ([`filter_label`]), else the key with a capital (`Sector`).
    pub fn filter_name(&self, lang: usize, key: &str) -> String {
        self.format(lang, &filter_label(key), None).unwrap_or_else(|_| {
            let mut chars = key.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        })
    }

    /// A date in words: "15 juni 2020", "15 juin 2020", "June 15, 2020".
    pub fn date(&self, lang: usize, date: Date) -> String {
        let month = self.text(lang, &format!("month-{}", date.month));
        let mut args = FluentArgs::new();
        args.set("day", FluentValue::from(date.day.to_string()));
        args.set("month", FluentValue::from(month));
        args.set("year", FluentValue::from(date.year.to_string()));
        self.format(lang, "date-long", Some(&args)).unwrap_or_else(|_| date.to_string())
    }

    /// A warning for each of `keys` that a site language lacks, naming the
    /// language whose text is used instead (a message no language has is
    /// an error where it is formatted).
    pub fn missing<'k>(&self, keys: impl IntoIterator<Item = &'k str> + Clone) -> Vec<Diagnostic> {
        let english = self.bundles.len() - 1;
        let mut out = Vec::new();
        for lang in 0..english {
            for key in keys.clone() {
                if self.bundles[lang].has_message(key) {
                    continue;
                }
                let Some(used) = [self.default, english].into_iter().find(|&b| self.bundles[b].has_message(key)) else {
                    continue;
                };
                out.push(Diagnostic::warning(
                    &self.ftl_paths[lang],
                    1,
                    1,
                    format!(
                        "message `{key}` is missing in {}; the {} text is used",
                        self.codes[lang], self.codes[used]
                    ),
                ));
            }
        }
        out
    }
}

/// Turns a template argument into a Fluent value: integers stay numbers so
/// that plural rules pick the right form.
pub fn fluent_value(v: &tera::Value) -> FluentValue<'static> {
    if let Some(i) = v.as_i64() {
        FluentValue::from(i)
    } else if let Some(f) = v.as_f64() {
        FluentValue::from(f)
    } else if let Some(s) = v.as_str() {
        FluentValue::from(s.to_string())
    } else {
        FluentValue::from(v.to_string())
    }
}
