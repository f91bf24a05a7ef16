//! UI strings through Fluent: the built-in nl, fr and en messages, overridden
//! message by message by the site's `i18n/<lang>.ftl`. A message a language
//! lacks falls back to the default language, then to English, with a warning.

use crate::config::Config;
use crate::date::Date;
use crate::diagnostic::{Diagnostic, display_path, line_col};
use fluent::concurrent::FluentBundle;
use fluent::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

type Bundle = FluentBundle<FluentResource>;

/// The messages of every site language, shareable across render threads.
pub struct I18n {
    /// Per site language, then English last as the final fallback.
    bundles: Vec<Bundle>,
    codes: Vec<String>,
    default: usize,
    /// (language, message id) pairs that had to fall back, for warnings.
    fell_back: Mutex<BTreeSet<(usize, String)>>,
    ftl_paths: Vec<PathBuf>,
}

fn builtin(code: &str) -> Option<&'static str> {
    crate::builtin::I18N_FILES
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
                match crate::files::read_text(&root.join(&rel)) {
                    Ok(src) => {
                        let src = crate::frontmatter::strip_bom(&src).to_string();
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
        Ok(I18n { bundles, codes, default: config.default_language, fell_back: Mutex::new(BTreeSet::new()), ftl_paths })
    }

    /// The index of a language code among the site's languages.
    pub fn lang_index(&self, code: &str) -> Option<usize> {
        self.codes[..self.codes.len() - 1].iter().position(|c| c == code)
    }

    /// Formats a message in a language, falling back to the default language
    /// and then to English (noting the fallback for a warning).
    pub fn format(&self, lang: usize, key: &str, args: Option<&FluentArgs>) -> Result<String, String> {
        let english = self.bundles.len() - 1;
        for (step, b) in [lang, self.default, english].into_iter().enumerate() {
            let bundle = &self.bundles[b];
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            if step > 0 {
                self.fell_back.lock().unwrap_or_else(|e| e.into_inner()).insert((lang, key.to_string()));
            }
            let mut errors = Vec::new();
            let s = bundle.format_pattern(pattern, args, &mut errors);
            if let Some(e) = errors.first() {
                return Err(format!("message `{key}` in {}: {e}", self.codes[b]));
            }
            return Ok(s.into_owned());
        }
        Err(format!("no message `{key}` in {} nor in the built-in messages", self.codes[lang]))
    }

    /// A message without arguments, or the id itself if there is none (for
    /// code paths that must not fail, such as the feed).
    pub fn text(&self, lang: usize, key: &str) -> String {
        self.format(lang, key, None).unwrap_or_else(|_| key.to_string())
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

    /// Warnings for every message that had to fall back to another language.
    pub fn fallback_warnings(&self) -> Vec<Diagnostic> {
        let set = self.fell_back.lock().unwrap_or_else(|e| e.into_inner());
        set.iter()
            .map(|(lang, key)| {
                Diagnostic::warning(
                    &self.ftl_paths[*lang],
                    1,
                    1,
                    format!(
                        "message `{key}` is missing in {}; the {} text is used",
                        self.codes[*lang], self.codes[self.default]
                    ),
                )
            })
            .collect()
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
