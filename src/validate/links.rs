//! Links written in Markdown: a case, or a file of a case, named by a
//! relative or content path, resolved to its address in the output.

use super::Found;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::load::CaseSource;
use crate::model::config::Config;
use crate::text::markdown;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

/// A digest of everything a link to a case can resolve to: the base path,
/// every case's address and the folders left out (drafts, unreadable).
/// Independent of their order. The files of the case folders are not in
/// it: a text that links a file depends on that folder's files alone
/// ([`Found::folders`]), so a file added to one folder (an editor's
/// temporary file) renders no other text again.
pub(super) fn links_digest(links: &LinkContext, cases: u64) -> u64 {
    let mut d = hash(|h| (&links.config.base.path, &links.config.languages).hash(h)) ^ cases;
    for (folder, why) in links.skipped {
        d ^= hash(|h| (folder, why).hash(h));
    }
    d
}

/// The cases' part of [`links_digest`]: each case's language, folder and
/// address (`urls`), in any order.
pub(super) fn cases_digest(cases: &[(usize, Arc<CaseSource>)], urls: &[String]) -> u64 {
    // (on both cores)
    (cases.par_iter().zip(urls))
        .map(|((lang, c), url)| hash(|h| (lang, &c.folder, url).hash(h)))
        .reduce(|| 0, |a, b| a ^ b)
}

fn hash(v: impl Fn(&mut std::hash::DefaultHasher)) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    v(&mut h);
    h.finish()
}

/// Each case folder's case in each language (its index in the cases).
pub(super) type Folders = FxHashMap<String, Vec<Option<usize>>>;

/// Why a case folder that exists on disk has no page in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Skipped {
    /// Its file has errors of its own, already reported.
    Unreadable,
    /// It is a draft and drafts are not built.
    Draft,
}

/// Links of a Markdown text with their lines counted in the whole file.
pub(super) fn in_file(links: Vec<markdown::Link>, body_line: usize) -> Arc<[markdown::Link]> {
    links.into_iter().map(|l| markdown::Link { line: l.line + body_line - 1, ..l }).collect()
}

/// What link rewriting needs to find a case, or a file of a case, in a language.
pub(super) struct LinkContext<'a> {
    pub(super) config: &'a Config,
    pub(super) folders: &'a Folders,
    pub(super) urls: &'a [String],
    pub(super) assets: &'a FxHashMap<&'a str, Vec<&'a crate::load::Asset>>,
    pub(super) skipped: &'a FxHashMap<&'a str, Skipped>,
}

impl LinkContext<'_> {
    /// Maps a link of a case body (folder `from`) or home intro (`from` =
    /// `None`), written at `at` in `source`, to its root-relative URL in
    /// the output. A case is named by a relative path (`../other/`,
    /// `../other/index.fr.md`) or a content path (`@/cases/other`) and
    /// leads to that case in the page's language, or in the language the
    /// file name gives; a file of a case folder is checked to exist. Other
    /// links are kept as written (`vitrine check` follows them).
    pub(super) fn resolve(
        &self,
        target: &str,
        from: Option<&str>,
        lang: usize,
        source: &Path,
        at: (usize, usize),
        found: &RefCell<Found>,
    ) -> Option<String> {
        let report = |d: Diagnostic| found.borrow_mut().problems.push(d);
        let error = |msg: String| Diagnostic::error(source, at.0, at.1, msg);
        let cut = target.find(['#', '?']).unwrap_or(target.len());
        let (path, suffix) = target.split_at(cut);
        let base = &self.config.base.path;
        let content_path = path.strip_prefix("@/");
        if content_path.is_none()
            && let Some(abs) = path.strip_prefix('/')
        {
            return Some(format!("{base}{abs}{suffix}"));
        }
        let mut parts: Vec<&str> = match (content_path, from) {
            (None, Some(folder)) => vec!["cases", folder],
            _ => vec![],
        };
        markdown::walk_relative(&mut parts, content_path.unwrap_or(path))?;
        let (folder, inner) = match parts.as_slice() {
            ["cases", folder, inner @ ..] => (*folder, inner.join("/")),
            _ if content_path.is_some() => {
                report(error(format!("link `{target}`: a content path names a case, such as `@/cases/<folder>`")));
                return None;
            }
            _ => return None,
        };
        let file_lang = inner.strip_prefix("index.").and_then(|f| f.strip_suffix(".md"));
        let Some(versions) = self.folders.get(folder) else {
            match self.skipped.get(folder) {
                Some(Skipped::Unreadable) => {}
                Some(Skipped::Draft) => report(
                    error(format!("link `{target}` leads to a draft, which is not published"))
                        .with_hint("remove `draft: true` from that case, or the link; `--drafts` builds drafts too"),
                ),
                None => {
                    let mut d = error(format!("link `{target}` points to no case (no folder `{folder}`)"));
                    if let Some(m) = did_you_mean(folder, self.folders.keys().map(String::as_str)) {
                        d = d.with_hint(format!("did you mean `{m}`?"));
                    }
                    report(d);
                }
            }
            return None;
        };
        if file_lang.is_none() && !inner.is_empty() {
            found.borrow_mut().folders.push(folder.to_string());
            let decoded = percent_encoding::percent_decode_str(&inner).decode_utf8_lossy();
            let files = self.assets.get(folder).map_or(&[][..], |v| v);
            if !files.iter().any(|a| a.inner == decoded) {
                let mut d =
                    error(format!("link `{target}`: there is no file `{decoded}` in the case folder `{folder}`"));
                if let Some(m) = did_you_mean(&decoded, files.iter().map(|a| a.inner.as_str())) {
                    d = d.with_hint(format!("did you mean `{m}`?"));
                }
                report(d);
                return None;
            }
            found.borrow_mut().files.push((folder.to_string(), decoded.into_owned()));
            if from == Some(folder) && content_path.is_none() {
                return None;
            }
        } else if from == Some(folder) && file_lang.is_none() && content_path.is_none() {
            return None;
        }
        let want = file_lang.and_then(|code| self.config.language(code)).unwrap_or(lang);
        let i = match versions[want] {
            Some(i) => i,
            None => {
                let i = versions.iter().flatten().next().copied()?;
                report(Diagnostic::warning(
                    source,
                    at.0,
                    at.1,
                    format!(
                        "link `{target}`: the case has no {} version; it leads to another language",
                        self.config.languages[want].code
                    ),
                ));
                i
            }
        };
        let file = if file_lang.is_some() { "" } else { inner.as_str() };
        Some(format!("{base}{}{file}{suffix}", self.urls[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::{BaseUrl, Language};
    use std::path::PathBuf;

    fn language(code: &str, section: &str) -> Language {
        Language { code: code.into(), name: code.into(), section: section.into(), tags: "tags".into(), at: None }
    }

    /// Resolves `target` written in the nl (or fr) version of case `a`:
    /// what it became, the problems, and the case files it links.
    fn resolve(target: &str, lang: usize) -> (Option<String>, Vec<String>, Vec<(String, String)>) {
        let config = Config {
            title: "T".into(),
            base: BaseUrl::parse("https://example.org/cases-site/").expect("valid"),
            languages: vec![language("nl", "cases"), language("fr", "projets")],
            default_language: 0,
            theme: None,
            base_missing: false,
            print_posters: false,
            typography: true,
            cms: None,
            filters: Vec::new(),
        };
        // a in nl and fr, b in nl only, c a draft, d unreadable
        let folders: Folders =
            FxHashMap::from_iter([("a".into(), vec![Some(0), Some(2)]), ("b".into(), vec![Some(1), None])]);
        let urls = ["nl/cases/a/", "nl/cases/b/", "fr/projets/a/"].map(String::from);
        let file = |folder: &str, inner: &str| crate::load::Asset {
            rel: PathBuf::from(format!("content/cases/{folder}/{inner}")),
            case_folder: Some(folder.into()),
            inner: inner.into(),
            image: None,
        };
        let (rapport, kaart) = (file("a", "rapport.pdf"), file("b", "kaart map.svg"));
        let assets: FxHashMap<&str, Vec<&crate::load::Asset>> =
            FxHashMap::from_iter([("a", vec![&rapport]), ("b", vec![&kaart])]);
        let skipped = FxHashMap::from_iter([("c", Skipped::Draft), ("d", Skipped::Unreadable)]);
        let links = LinkContext { config: &config, folders: &folders, urls: &urls, assets: &assets, skipped: &skipped };
        let found = RefCell::new(Found::default());
        let to = links.resolve(target, Some("a"), lang, Path::new("a.md"), (3, 7), &found);
        let found = found.into_inner();
        (to, found.problems.iter().map(ToString::to_string).collect(), found.files)
    }

    #[test]
    fn links_between_cases_lead_to_the_version_in_the_page_language() {
        assert_eq!(resolve("../b/", 0).0.as_deref(), Some("/cases-site/nl/cases/b/"));
        assert_eq!(resolve("@/cases/b#facts", 0).0.as_deref(), Some("/cases-site/nl/cases/b/#facts"));
        // a file name chooses the language
        assert_eq!(resolve("index.fr.md", 0).0.as_deref(), Some("/cases-site/fr/projets/a/"));
        assert_eq!(resolve("../a/index.nl.md", 1).0.as_deref(), Some("/cases-site/nl/cases/a/"));
        // a root-relative link gets the base path; one inside the case stays as written
        assert_eq!(resolve("/nl/", 0).0.as_deref(), Some("/cases-site/nl/"));
        assert_eq!(resolve("#top", 0), (None, vec![], vec![]));
    }

    #[test]
    fn a_case_without_the_page_language_leads_to_another_with_a_warning() {
        let (to, problems, _) = resolve("../b/", 1);
        assert_eq!(to.as_deref(), Some("/cases-site/nl/cases/b/"));
        assert_eq!(
            problems,
            ["a.md:3:7: warning: link `../b/`: the case has no fr version; it leads to another language"]
        );
    }

    #[test]
    fn files_of_case_folders_are_checked_and_noted_as_published() {
        let (to, problems, files) = resolve("rapport.pdf", 0);
        assert_eq!((to, problems), (None, vec![]), "kept as written, beside the page");
        assert_eq!(files, [("a".to_string(), "rapport.pdf".to_string())]);
        let (to, _, files) = resolve("../b/kaart%20map.svg", 0);
        assert_eq!(to.as_deref(), Some("/cases-site/nl/cases/b/kaart%20map.svg"));
        assert_eq!(files, [("b".to_string(), "kaart map.svg".to_string())]);
        let (to, problems, files) = resolve("rapprt.pdf", 0);
        assert_eq!(to, None);
        assert!(files.is_empty());
        assert_eq!(
            problems,
            [
                "a.md:3:7: error: link `rapprt.pdf`: there is no file `rapprt.pdf` in the case folder `a`\n    hint: did you mean `rapport.pdf`?"
            ]
        );
    }

    #[test]
    fn links_to_no_case_a_draft_or_a_broken_case() {
        let (_, problems, _) = resolve("../bb/", 0);
        assert_eq!(
            problems,
            ["a.md:3:7: error: link `../bb/` points to no case (no folder `bb`)\n    hint: did you mean `b`?"]
        );
        let (_, problems, _) = resolve("@/cases/c", 0);
        assert!(
            problems[0].contains("error: link `@/cases/c` leads to a draft, which is not published"),
            "{problems:?}"
        );
        // a case whose file has errors of its own: not reported a second time
        assert_eq!(resolve("../d/", 0), (None, vec![], vec![]));
        let (_, problems, _) = resolve("@/people/eefje", 0);
        assert!(problems[0].contains("a content path names a case"), "{problems:?}");
    }
}
