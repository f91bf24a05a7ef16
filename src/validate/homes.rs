//! The home page of each language: its intro rendered, its links resolved.

use super::links::{LinkContext, in_file};
use super::{Found, RESERVED_IDS, undeclared};
use crate::diagnostic::{Diagnostic, display_path};
use crate::model::Home;
use crate::text::markdown;
use rustc_hash::FxHashSet;
use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

/// Each language's home, its intro rendered with its links resolved (the
/// case files they lead to are added to `linked`).
pub(super) fn homes(
    root: &Path,
    links: &LinkContext,
    intros: &[Arc<crate::load::IntroSource>],
    linked: &mut FxHashSet<(String, String)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Home> {
    let mut homes = vec![Home::default(); links.config.languages.len()];
    for intro in intros {
        let Some(lang) = links.config.language(&intro.lang) else {
            diags.push(undeclared(root, links.config, &intro.lang, &intro.rel));
            continue;
        };
        let found = RefCell::new(Found::default());
        let shown = display_path(root, &intro.rel);
        let resolve =
            |t: &str, l: usize, c: usize| links.resolve(t, None, lang, &shown, (l + intro.body_line - 1, c), &found);
        let r = markdown::render(&intro.body, links.config.typeset_in(&intro.lang), &resolve, RESERVED_IDS);
        let found = found.into_inner();
        diags.extend(found.problems);
        linked.extend(found.files);
        // the title and description readers see, in the language's typography
        let set = |s: &String| crate::text::typography::typeset(s, links.config.typeset_in(&intro.lang)).into_owned();
        homes[lang] = Home {
            title: intro.fm.title.as_ref().map(set),
            description: intro.fm.description.as_ref().map(set),
            intro_html: r.html,
            intro_text: r.first_paragraph,
            source: Some(shown.clone()),
            links: in_file(r.links, intro.body_line),
        };
    }

    homes
}
