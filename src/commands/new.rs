//! `vitrine new case SLUG`: a new case folder with one file per language,
//! every front matter key present or commented with what it is for, so an
//! editor starts from a file that builds and fills it in.

use crate::diagnostic::{Diagnostic, display_path};
use crate::load::i18n::I18n;
use crate::model::config::{self, valid_slug};
use crate::model::date::Date;
use crate::text::markdown::slugify;
use std::path::{Path, PathBuf};

/// Why no case was made: a wrong argument (exit 2) or a problem of the
/// site or its files (exit 1).
#[derive(Debug)]
pub enum Refused {
    Usage { message: String, hint: Option<String> },
    Site(Vec<Diagnostic>),
}

/// Creates `content/cases/<slug>/index.<lang>.md` for each language of
/// `langs` (all the site's languages when empty), dated `today`, as a
/// draft. Creates nothing when any of the files exists. Returns the files made.
pub fn new_case(root: &Path, slug: &str, langs: &[String], today: Date) -> Result<Vec<PathBuf>, Refused> {
    if !valid_slug(slug) {
        let suggestion = slugify(slug);
        return Err(Refused::Usage {
            message: format!("`{slug}` is not a slug: use lowercase letters, digits and hyphens"),
            hint: (!suggestion.is_empty()).then(|| format!("did you mean `{suggestion}`?")),
        });
    }
    let config = site_config(root, langs)?;
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let chosen: Vec<usize> = if langs.is_empty() {
        (0..codes.len()).collect()
    } else {
        let mut chosen = Vec::new();
        for code in langs {
            match config.language(code) {
                Some(i) if !chosen.contains(&i) => chosen.push(i),
                Some(_) => {}
                None => {
                    return Err(Refused::Usage {
                        message: format!("`{code}` is not a language of the site ({})", codes.join(", ")),
                        hint: crate::diagnostic::did_you_mean(code, codes.iter().copied())
                            .map(|m| format!("did you mean `{m}`?")),
                    });
                }
            }
        }
        chosen
    };
    let folder = Path::new("content/cases").join(slug);
    let files: Vec<(usize, PathBuf)> =
        chosen.iter().map(|&i| (i, folder.join(format!("index.{}.md", codes[i])))).collect();
    let existing: Vec<Diagnostic> = files
        .iter()
        .filter(|(_, rel)| root.join(rel).exists())
        .map(|(_, rel)| {
            Diagnostic::error(display_path(root, rel), 1, 1, "this case file exists already; it was left as it is")
                .with_hint("choose another slug, or edit this file")
        })
        .collect();
    if !existing.is_empty() {
        return Err(Refused::Site(existing));
    }
    let i18n = I18n::load(root, &config).map_err(Refused::Site)?;
    let title = crate::load::files::title_of(slug);
    let person = first_person(root);
    let io_error = |rel: &Path, e: std::io::Error| {
        Refused::Site(vec![Diagnostic::error(display_path(root, rel), 1, 1, format!("cannot create the file: {e}"))])
    };
    let mut made = Vec::new();
    for (lang, rel) in files {
        let message = |key: &str| i18n.format(lang, key, None).unwrap_or_default();
        let text = template(slug, &title, today, person.as_deref(), &config.filters, &message);
        crate::load::files::create_new(&root.join(&rel), &text).map_err(|e| io_error(&rel, e))?;
        made.push(display_path(root, &rel));
    }
    Ok(made)
}

/// The configuration of the site in `root`; refused when there is no site
/// there at all (no `site.yaml` and no case or intro to find languages in),
/// rather than making files in a language picked by default.
pub fn site_config(root: &Path, langs: &[String]) -> Result<config::Config, Refused> {
    let mut found: Vec<String> = Vec::new();
    if !root.join("site.yaml").exists() {
        found = crate::load::load(root).languages_found().into_iter().map(String::from).collect();
        if found.is_empty() {
            return Err(Refused::Usage {
                message: format!(
                    "there is no site in {}: no site.yaml, and no case to take languages from",
                    root.display()
                ),
                hint: Some("run `vitrine init` to start a site here, or name the site folder with --root DIR".into()),
            });
        }
    }
    found.extend_from_slice(langs);
    config::load(root, &found.iter().map(String::as_str).collect::<Vec<_>>(), None).map_err(Refused::Site)
}

/// The id of the site's first contact person, for the new case's comment.
fn first_person(root: &Path) -> Option<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root.join("content/people"))
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".yaml").map(str::to_string))
        .filter(|id| !crate::load::files::is_noise(id))
        .collect();
    ids.sort();
    ids.into_iter().next()
}

/// Creates `content/people/<id>.yaml` with a name (`name`, else one made
/// from the id) and the other keys commented. Returns the file made.
pub fn new_person(root: &Path, id: &str, name: Option<&str>) -> Result<PathBuf, Refused> {
    if !valid_slug(id) {
        let suggestion = slugify(id);
        return Err(Refused::Usage {
            message: format!("`{id}` is not an id: use lowercase letters, digits and hyphens, such as a first name"),
            hint: (!suggestion.is_empty()).then(|| format!("did you mean `{suggestion}`?")),
        });
    }
    let config = site_config(root, &[])?;
    let rel = Path::new("content/people").join(format!("{id}.yaml"));
    if root.join(&rel).exists() {
        return Err(Refused::Site(vec![
            Diagnostic::error(display_path(root, &rel), 1, 1, "this person exists already; the file was left as it is")
                .with_hint("choose another id, or edit this file"),
        ]));
    }
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let roles: Vec<String> = config.languages.iter().map(|l| format!("{}: \"…\"", l.code)).collect();
    let text = format!(
        "# A contact person, made by `vitrine new person {id}`: a case names them with\n\
         # `contact: {id}`. Uncomment the keys you need.\n\
         name: {}\n\
         # role: {{ {} }}   # per language, or one text for all\n\
         # email: {id}@example.org\n\
         # photo: {id}.jpg             # a square picture in content/people/\n",
        quoted(&name.map_or_else(|| crate::load::files::title_of(id), str::to_string)),
        roles.join(", ")
    );
    let io_error = |e: std::io::Error| {
        Refused::Site(vec![Diagnostic::error(display_path(root, &rel), 1, 1, format!("cannot create the file: {e}"))])
    };
    crate::load::files::create_new(&root.join(&rel), &text).map_err(io_error)?;
    Ok(display_path(root, &rel))
}

/// The text of a new case file in one language.
/// The site's declared `filters` come after the tags.
fn template(
    slug: &str,
    title: &str,
    today: Date,
    person: Option<&str>,
    filters: &[String],
    message: &dyn Fn(&str) -> String,
) -> String {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut keys: Vec<(String, &str)> = vec![
        (format!("title: {}", quoted(title)), "required: the case's title in this language"),
        (format!("client: {}", quoted(&message("new-case-client"))), "required: who the work was for"),
        (format!("date: {today}"), "required: YYYY-MM-DD; cases are listed newest first"),
        ("draft: true".into(), "built only with --drafts until this line is removed"),
        ("# summary: \"…\"".into(), "one or two sentences for lists, feeds and search engines"),
        (format!("# slug: {slug}"), "this language's URL slug (default: the folder name)"),
        ("# tags: [strategie]".into(), "themes the case can be found by"),
    ];
    let filter = "a filter of this site (site.yaml): a text, or a list of texts";
    keys.extend(filters.iter().map(|key| (format!("# {key}: \"…\""), filter)));
    keys.extend([
        match person {
            Some(id) => (format!("# contact: {id}"), "a person of content/people/ (the file name without .yaml)"),
            None => ("# contact: ".into(), "the id of a person of content/people/ (`vitrine new person ID` makes one)"),
        },
        ("# image: hero.jpg".into(), "a picture in this folder, at the top of the page and on cards"),
        ("# image_alt: \"…\"".into(), "what the picture shows, for screen readers"),
        ("# quote:".into(), "a pull quote from the client"),
        ("#   text: \"…\"".into(), ""),
        ("#   author: \"…\"".into(), ""),
        ("# facts:".into(), "facts & figures: large numbers with their labels, in this order"),
        ("#   - value: \"200.000\"".into(), ""),
        ("#     label: \"…\"".into(), ""),
        ("#     source: \"…\"".into(), "optional: where the figure comes from (text or URL)"),
        ("# strategy:".into(), "gives the case an A3 strategy poster"),
        ("#   title: \"…\"".into(), ""),
        ("#   story: \"…\"".into(), "the story the lines rest on, one paragraph"),
        ("#   lines:".into(), "the main lines of the strategy, 1 to 5"),
        ("#     - title: \"…\"\n#       text: \"…\"".into(), ""),
        ("# related: [other-case]".into(), "case folders shown below the case (else the newest cases)"),
        ("# aliases: [old-slug]".into(), "earlier addresses of this page, redirected here"),
        (
            "# translated_from: \"…\"".into(),
            "kept by `vitrine new translation` and `vitrine translations --done`: leave it as it is",
        ),
    ]);
    let width = keys.iter().map(|(k, _)| k.chars().count()).filter(|&n| n < 40).max().unwrap_or(0) + 2;
    let mut out = format!(
        "---\n# A new case, made by `vitrine new case {slug}`. Fill in the keys, uncomment\n\
         # the optional ones the case needs, and remove `draft: true` to publish it.\n"
    );
    for (key, comment) in keys {
        if comment.is_empty() {
            out.push_str(&key);
        } else {
            out.push_str(&format!("{key:<width$}# {comment}"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "---\n{}\n\n## {}\n\n## {}\n\n## {}\n",
        message("new-case-lead"),
        message("new-case-question"),
        message("new-case-approach"),
        message("new-case-result")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template offers every key of a case and the site's filters, and
    /// no other: a key added to the front matter cannot be forgotten here.
    #[test]
    fn the_template_has_every_key_of_the_schema() {
        let filters = ["sector".to_string()];
        let text =
            template("a", "A", Date { year: 2026, month: 1, day: 2 }, Some("eefje"), &filters, &|_| String::new());
        let yaml = text.split("---\n").nth(1).expect("front matter");
        // the top-level keys, written or commented out
        let mut keys: Vec<&str> = yaml
            .lines()
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .filter(|l| !l.starts_with([' ', '#']))
            .filter_map(|l| l.split_once(':').map(|(k, _)| k))
            .filter(|k| !k.contains(' '))
            .collect();
        keys.sort();
        let mut want = crate::model::content::CASE_SCHEMA.keys();
        want.push("sector"); // (the site's own filter)
        want.sort();
        assert_eq!(keys, want);
    }
}
