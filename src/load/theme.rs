//! The theme: Tera templates and static files, built-in ones overridden file
//! by file by the site's `themes/<name>/`.

use crate::diagnostic::{Diagnostic, display_path};
use crate::load::i18n::{I18n, fluent_value};
use crate::model::config::Config;
use fluent::FluentArgs;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where a theme file comes from: inside the binary, or the site's folder.
#[derive(Debug, Clone)]
pub enum Origin {
    Builtin(&'static [u8]),
    File(PathBuf),
}

/// Templates ready to render and the static files to copy.
pub struct Theme {
    pub tera: tera::Tera,
    /// Output path (relative to the site root) → source.
    pub statics: BTreeMap<String, Origin>,
    /// Other theme files (fonts, `poster.yaml`): path in the theme → source and shown path.
    pub files: BTreeMap<String, (Origin, PathBuf)>,
    /// Template name → the path shown in diagnostics.
    template_paths: BTreeMap<String, PathBuf>,
    /// Problems that do not stop a build (links out of the site, left out),
    /// reported by every build made with the theme.
    pub warnings: Vec<Diagnostic>,
}

const BUILTIN_LABEL: &str = "<built-in theme>";

impl Theme {
    /// Loads the built-in theme, layers the site's theme folder over it and
    /// registers the `t()` function before the templates are parsed.
    pub fn load(root: &Path, config: &Config, i18n: Arc<I18n>) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut files = BTreeMap::new();
        let mut diags = Vec::new();
        for (rel, bytes) in crate::load::builtin::THEME_FILES {
            if let Some(name) = rel.strip_prefix("templates/") {
                let src = String::from_utf8_lossy(bytes).into_owned();
                templates.insert(name.to_string(), (src, Path::new(BUILTIN_LABEL).join(rel)));
            } else if let Some(out) = rel.strip_prefix("static/") {
                statics.insert(out.to_string(), Origin::Builtin(bytes));
            } else {
                files.insert(rel.to_string(), (Origin::Builtin(bytes), Path::new(BUILTIN_LABEL).join(rel)));
            }
        }
        if let Some(name) = &config.theme {
            // config::load has checked that the folder exists (or is the built-in `default`)
            let dir = root.join("themes").join(name);
            let inside = crate::load::files::canonical(root);
            let mut walk = walkdir::WalkDir::new(&dir).follow_links(true).sort_by_file_name().into_iter();
            while let Some(entry) = walk.next() {
                let Ok(entry) = entry else { continue };
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
                if entry.path_is_symlink() && crate::load::files::leads_outside(&inside, entry.path()) {
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    diags.push(crate::load::files::outside_link(root, &rel));
                    continue;
                }
                if !entry.file_type().is_file() || crate::load::files::is_noise(&entry.file_name().to_string_lossy()) {
                    continue;
                }
                let inner = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let inner = inner.to_string_lossy().replace('\\', "/");
                let shown = display_path(root, &rel);
                if let Some(name) = inner.strip_prefix("templates/") {
                    match crate::load::files::read_text(entry.path()) {
                        Ok(src) => {
                            templates.insert(name.to_string(), (src, shown));
                        }
                        Err((l, c, m)) => diags.push(Diagnostic::error(shown, l, c, m)),
                    }
                } else if let Some(out) = inner.strip_prefix("static/") {
                    statics.insert(out.to_string(), Origin::File(entry.path().to_path_buf()));
                } else {
                    files.insert(inner, (Origin::File(entry.path().to_path_buf()), shown));
                }
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        let messages = i18n.clone();
        tera.register_function("t", move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<String> {
            let key: &str = kwargs.must_get("key")?;
            let lang = match kwargs.get::<String>("lang")? {
                Some(l) => l,
                None => {
                    state.get::<String>("lang")?.ok_or_else(|| tera::Error::message("t(): no `lang` in the page"))?
                }
            };
            let lang = messages
                .lang_index(&lang)
                .ok_or_else(|| tera::Error::message(format!("t(): unknown language `{lang}`")))?;
            let mut args = FluentArgs::new();
            for (k, v) in kwargs.iter() {
                let k = k.to_string();
                if k != "key" && k != "lang" {
                    args.set(k, fluent_value(v));
                }
            }
            messages.format(lang, key, Some(&args)).map_err(tera::Error::message)
        });
        // `{{ case.title | hyphenate }}`: long words get soft hyphens in the page's language
        tera.register_filter("hyphenate", |value: &str, _: tera::Kwargs, state: &tera::State| -> String {
            let lang = state.get::<String>("lang").ok().flatten().unwrap_or_default();
            crate::text::markdown::soft_hyphens(value, &lang)
        });
        let template_paths: BTreeMap<String, PathBuf> =
            templates.iter().map(|(n, (_, p))| (n.clone(), p.clone())).collect();
        let sources: Vec<(String, String)> = templates.into_iter().map(|(n, (src, _))| (n, src)).collect();
        // the messages a site language lacks, said once when the theme is loaded
        let mut keys: std::collections::BTreeSet<&str> = crate::load::i18n::USED_BY_VITRINE.iter().copied().collect();
        for (_, src) in &sources {
            keys.extend(src.split("t(key=").skip(1).filter_map(|rest| {
                let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
                rest[1..].split(quote).next()
            }));
        }
        // and the names of the site's own filters (`filter-sector`)
        let labels: Vec<String> = config.filters.iter().map(|key| crate::load::i18n::filter_label(key)).collect();
        keys.extend(labels.iter().map(String::as_str));
        diags.extend(i18n.missing(keys.iter().copied()));
        if let Err(e) = tera.add_raw_templates(sources) {
            diags.push(tera_diagnostic(&e, &template_paths));
        }
        if crate::diagnostic::has_errors(&diags) {
            return Err(diags);
        }
        Ok(Theme { tera, statics, files, template_paths, warnings: diags })
    }

    /// The bytes of a theme file outside `templates/` and `static/`, with the
    /// path to show in messages.
    pub fn file(&self, rel: &str) -> Option<(std::io::Result<std::borrow::Cow<'static, [u8]>>, &Path)> {
        let (origin, shown) = self.files.get(rel)?;
        let bytes = match origin {
            Origin::Builtin(b) => Ok(std::borrow::Cow::Borrowed(*b)),
            Origin::File(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        };
        Some((bytes, shown))
    }

    /// The file a template comes from, as shown in diagnostics.
    pub fn template_path(&self, name: &str) -> PathBuf {
        self.template_paths.get(name).cloned().unwrap_or_else(|| Path::new(BUILTIN_LABEL).join("templates").join(name))
    }

    /// Renders a template; an error becomes a diagnostic at the template line.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| tera_diagnostic(&e, &self.template_paths))
    }
}

/// A Tera error as a diagnostic located in the template file.
fn tera_diagnostic(e: &tera::Error, paths: &BTreeMap<String, PathBuf>) -> Diagnostic {
    use std::error::Error as _;
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => {
            let path = paths.get(r.filename()).cloned().unwrap_or_else(|| PathBuf::from(r.filename()));
            let span = r.span();
            Diagnostic::error(path, span.start_line, span.start_col + 1, r.message().to_string())
        }
        None => {
            let mut msg = e.to_string();
            let mut src = e.source();
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::error(Path::new(BUILTIN_LABEL), 1, 1, format!("template error: {msg}"))
        }
    }
}
