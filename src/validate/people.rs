//! The people of the site: their files checked, their roles set in each
//! language's typography, and the ones no case names.

use super::files::picture;
use crate::diagnostic::{Diagnostic, display_path};
use crate::images;
use crate::model::config::Config;
use crate::model::frontmatter::{Seg, locate};
use crate::model::{Person, urls};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A warning for each person no case file names as its contact (`named`,
/// drafts included): the example person `init` made, or someone who left.
pub(super) fn unnamed(
    root: &Path,
    people: &[Arc<crate::load::PersonSource>],
    named: &FxHashSet<String>,
) -> Vec<Diagnostic> {
    let unnamed = people.iter().filter(|p| !named.contains(&p.id));
    unnamed
        .map(|p| {
            let msg = format!("no case names {} (`{}`) as its contact", p.file.name, p.id);
            Diagnostic::warning(display_path(root, &p.rel), 1, 1, msg).with_hint(format!(
                "write `contact: {}` in a case, or remove the file when the person is no longer a contact",
                p.id
            ))
        })
        .collect()
}

/// The contact persons, with their photos, e-mail addresses and roles checked.
pub(super) fn people(
    root: &Path,
    config: &Config,
    sources: &[Arc<crate::load::PersonSource>],
    assets: &[crate::load::Asset],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Person> {
    let person_assets: FxHashMap<&str, &crate::load::Asset> =
        assets.iter().filter(|a| a.case_folder.is_none()).map(|a| (a.inner.as_str(), a)).collect();
    let mut people = BTreeMap::new();
    for p in sources {
        let shown = display_path(root, &p.rel);
        let asset = |photo: &str| person_assets.get(photo).filter(|_| !photo.contains(".."));
        let photo = match &p.file.photo {
            Some(photo) if let Some(a) = asset(photo) => picture(a, urls::person_file(photo), images::PHOTO_WIDTHS),
            Some(photo) => {
                let (l, c) = locate(&p.yaml, &[Seg::Key("photo")]);
                diags.push(Diagnostic::error(
                    &shown,
                    l,
                    c,
                    format!("photo `{photo}` is not a file in content/people/"),
                ));
                None
            }
            None => None,
        };
        if let Some(email) = &p.file.email
            && (!email.contains('@') || email.contains(char::is_whitespace))
        {
            let (l, c) = locate(&p.yaml, &[Seg::Key("email")]);
            diags.push(Diagnostic::error(&shown, l, c, format!("`{email}` is not an e-mail address")));
        }
        if let Some(crate::model::content::Role::PerLanguage(roles)) = &p.file.role {
            for lang in roles.keys().filter(|k| config.language(k).is_none()) {
                let (l, c) = locate(&p.yaml, &[Seg::Key("role"), Seg::Key(lang)]);
                diags.push(Diagnostic::warning(
                    &shown,
                    l,
                    c,
                    format!("role in `{lang}`, which is not a language of the site"),
                ));
            }
        }
        people.insert(
            p.id.clone(),
            Person {
                name: p.file.name.clone(),
                roles: roles(config, p.file.role.as_ref()),
                email: p.file.email.clone(),
                photo,
            },
        );
    }
    people
}

/// A person's role in each language of the site, set in its typography.
fn roles(config: &Config, role: Option<&crate::model::content::Role>) -> Vec<Option<String>> {
    let default = &config.default_lang().code;
    let shown = |code: &str| {
        let role = role?.get(code, default)?;
        Some(crate::text::typography::typeset(role, config.typeset_in(code)).into_owned())
    };
    config.languages.iter().map(|l| shown(&l.code)).collect()
}
