//! The checks of one case file, apart from its links: values, contact,
//! image, related cases, aliases, poster link; and the page they make.

use super::files::picture;
use super::links::{LinkContext, Skipped, in_file};
use super::{Body, Checked, DEFAULT_RELATED, Found, Memo, RESERVED_IDS};
use crate::diagnostic::{Diagnostic, did_you_mean, display_path};
use crate::images::{self, Picture};
use crate::load::CaseSource;
use crate::model::frontmatter::{Seg, locate};
use crate::model::{CasePage, Person, urls};
use crate::text::markdown;
use crate::text::packed::Packed;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the checks of every case share: the site's addresses and files,
/// its people, and the bodies rendered by an earlier validate.
pub(super) struct Checker<'a> {
    pub(super) root: &'a Path,
    pub(super) links: &'a LinkContext<'a>,
    pub(super) people: &'a BTreeMap<String, Person>,
    /// People whose file has errors of its own (reported there).
    pub(super) unreadable_people: &'a FxHashSet<String>,
    pub(super) by_lang: &'a [std::ops::Range<usize>],
    /// A digest of the files of each case folder.
    pub(super) folder_files: &'a FxHashMap<&'a str, u64>,
    pub(super) memo: &'a Memo,
}

/// One case file being checked: where it is shown, its front matter text
/// for locating problems, and the problems found so far.
struct CaseCheck<'c> {
    shown: PathBuf,
    c: &'c CaseSource,
    diags: Vec<Diagnostic>,
}

impl CaseCheck<'_> {
    fn at(&self, path: &[Seg]) -> (usize, usize) {
        locate(&self.c.yaml, path)
    }

    fn error(&mut self, path: &[Seg], msg: impl Into<String>) -> &mut Diagnostic {
        self.error_at(self.at(path), msg)
    }

    fn error_at(&mut self, (l, col): (usize, usize), msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(&self.shown, l, col, msg));
        self.diags.last_mut().expect("just pushed")
    }

    fn warning(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, col) = self.at(path);
        self.diags.push(Diagnostic::warning(&self.shown, l, col, msg));
    }
}

impl Checker<'_> {
    /// Checks case `index` (language `lang`) and makes its page.
    pub(super) fn case(&self, index: usize, lang: usize, c: &CaseSource) -> Checked {
        let mut check = CaseCheck { shown: display_path(self.root, &c.rel), c, diags: Vec::new() };
        values(&mut check);
        let fields = fields(&mut check, &self.links.config.filters);
        self.contact(&mut check);
        let image = self.case_image(&mut check, index);
        let related = self.related(&mut check, index, lang);
        let aliases = aliases(&mut check, &self.links.config.languages[lang]);
        let (digest, body) = self.body(&check.shown, c, lang);
        let translations = self.links.folders[c.folder.as_str()].iter().flatten().copied().collect();
        let page = CasePage {
            rel: c.rel.clone(),
            source: check.shown,
            folder: c.folder.clone(),
            lang,
            slug: c.fm.slug.clone().unwrap_or_else(|| c.folder.clone()),
            url: self.links.urls[index].clone(),
            fm: c.fm.typeset(self.links.config.typeset_in(&c.lang)).map_or_else(|| c.fm.clone(), Arc::new),
            body_html: body.html.clone(),
            links: body.links.clone(),
            description: body.description.clone(),
            translations,
            related,
            image,
            aliases,
            strategy_at: c.strategy_at,
            fields,
            digest,
            derived: Default::default(),
        };
        (Arc::new(page), body, check.diags)
    }

    /// `contact` names a person of the site.
    fn contact(&self, check: &mut CaseCheck) {
        let Some(id) = &check.c.fm.contact else { return };
        if self.people.contains_key(id) || self.unreadable_people.contains(id) {
            return;
        }
        // a person's id, or the name in a person's file (`Eefje Rolsma` for `eefje`)
        let ids = self.people.keys().map(|k| (k.as_str(), k.as_str()));
        let names = self.people.iter().map(|(k, p)| (p.name.as_str(), k.as_str()));
        let candidates: Vec<(&str, &str)> = ids.chain(names).collect();
        let meant = candidates.iter().find(|(c, _)| c.eq_ignore_ascii_case(id.trim())).or_else(|| {
            let m = did_you_mean(id, candidates.iter().map(|(c, _)| *c))?;
            candidates.iter().find(|(c, _)| *c == m)
        });
        let hint = meant.map(|&(written, k)| {
            let name = &self.people[k].name;
            let by_name =
                if written == k { "" } else { " `contact` takes the name of the person's file, not the person's" };
            format!("did you mean `{k}` (content/people/{k}.yaml: {name})?{by_name}")
        });
        let d = check.error(&[Seg::Key("contact")], format!("contact `{id}` is not a person in content/people/"));
        d.hint = hint;
    }

    /// `image` is a file of the case folder: how the page shows it.
    fn case_image(&self, check: &mut CaseCheck, index: usize) -> Option<Picture> {
        let img = check.c.fm.image.as_ref()?;
        let inside = !img.starts_with('/') && !img.contains('\\') && !img.split('/').any(|s| s == "..");
        if !inside {
            check.error(&[Seg::Key("image")], format!("image `{img}` must be a file inside the case folder")).hint =
                Some("put the image beside index.<lang>.md and give its name, such as `hero.jpg`".into());
            return None;
        }
        let assets = self.links.assets.get(check.c.folder.as_str()).map_or(&[][..], |v| v);
        let Some(asset) = assets.iter().find(|a| a.inner == *img) else {
            let hint =
                did_you_mean(img, assets.iter().map(|a| a.inner.as_str())).map(|m| format!("did you mean `{m}`?"));
            check.error(&[Seg::Key("image")], format!("image `{img}` is not in the case folder")).hint = hint;
            return None;
        };
        picture(asset, urls::case_file(&self.links.urls[index], img), images::CASE_WIDTHS)
    }

    /// The cases shown below this one: those `related` names, else the
    /// newest of the language.
    fn related(&self, check: &mut CaseCheck, index: usize, lang: usize) -> Vec<usize> {
        let Some(list) = &check.c.fm.related else {
            return self.by_lang[lang].clone().filter(|&j| j != index).take(DEFAULT_RELATED).collect();
        };
        let links = self.links;
        let mut out = Vec::new();
        for (i, folder) in list.iter().enumerate() {
            let at = [Seg::Key("related"), Seg::Index(i)];
            match links.folders.get(folder.as_str()) {
                None if links.skipped.get(folder.as_str()) == Some(&Skipped::Unreadable) => {}
                None if links.skipped.get(folder.as_str()) == Some(&Skipped::Draft) => {
                    check.warning(&at, format!("related case `{folder}` is a draft; it is left out"))
                }
                None => {
                    // a case folder, or the slug of one in any language
                    let slug = |j: usize| links.urls[j].trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    let names: Vec<(&str, &str)> = links
                        .folders
                        .iter()
                        .flat_map(|(f, v)| {
                            std::iter::once((f.as_str(), f.as_str()))
                                .chain(v.iter().flatten().map(move |&j| (slug(j), f.as_str())))
                        })
                        .collect();
                    let meant = names.iter().find(|(n, _)| n == folder).or_else(|| {
                        let m = did_you_mean(folder, names.iter().map(|(n, _)| *n))?;
                        names.iter().find(|(n, _)| *n == m)
                    });
                    let hint = meant.map(|(n, f)| {
                        if n == f {
                            format!("did you mean `{f}`?")
                        } else {
                            format!("`{n}` is the address of the case in folder `{f}`: `related` names case folders, so write `{f}`")
                        }
                    });
                    // the item itself, also in a list written `[a, b]`
                    let item = crate::model::frontmatter::locate_text(&check.c.yaml, &at, folder);
                    check.error_at(item, format!("related case `{folder}` does not exist")).hint = hint;
                }
                Some(v) => match v[lang] {
                    Some(j) if j != index => out.push(j),
                    Some(_) => check.warning(&at, "a case cannot be related to itself"),
                    None => check.warning(
                        &at,
                        format!(
                            "related case `{folder}` has no {} version; it is left out",
                            links.config.languages[lang].code
                        ),
                    ),
                },
            }
        }
        out
    }

    /// The case's body as HTML, with its links resolved and the page's
    /// description, and a digest of what it was made from: from the memo
    /// when neither the file, nor any address, nor the files of a folder
    /// its links looked in changed.
    fn body(&self, shown: &Path, c: &CaseSource, lang: usize) -> (u64, Arc<Body>) {
        let digest = |folders: &[String]| {
            let mut h = std::hash::DefaultHasher::new();
            (c.digest, self.memo.links, &c.rel).hash(&mut h);
            for f in folders {
                (f, self.folder_files.get(f.as_str())).hash(&mut h);
            }
            h.finish()
        };
        if let Some((d, body)) = self.memo.bodies.get(&c.rel)
            && *d == digest(&body.found.folders)
        {
            return (*d, body.clone());
        }
        let found = RefCell::new(Found::default());
        let resolve = |t: &str, l: usize, col: usize| {
            let at = (l + c.body_line - 1, col);
            match t.strip_prefix(markdown::POSTER_LINK) {
                Some(rest) => self.poster_link(rest, c, lang, shown, at, &found),
                None => self.links.resolve(t, Some(&c.folder), lang, shown, at, &found),
            }
        };
        let r = markdown::render(&c.body.text(), self.links.config.typeset_in(&c.lang), &resolve, RESERVED_IDS);
        let description = match &c.fm.summary {
            Some(s) if !s.trim().is_empty() => markdown::plain_text(s),
            _ => markdown::truncate_words(&r.first_paragraph, 200),
        };
        // meta description, feeds and JSON-LD read it: the language's typography too
        let description =
            crate::text::typography::typeset(&description, self.links.config.typeset_in(&c.lang)).into_owned();
        let links = in_file(r.links, c.body_line);
        let found = found.into_inner();
        (
            digest(&found.folders),
            Arc::new(Body { html: Packed::new(&r.html, self.memo.deflate), description, links, found }),
        )
    }

    /// The address of the case's own poster for a `poster:` link (`rest`:
    /// what follows the colon, nothing); an error when it has none.
    fn poster_link(
        &self,
        rest: &str,
        c: &CaseSource,
        lang: usize,
        source: &Path,
        at: (usize, usize),
        found: &RefCell<Found>,
    ) -> Option<String> {
        let error = |msg: &str, hint: &str| {
            let d = Diagnostic::error(source, at.0, at.1, msg).with_hint(hint);
            found.borrow_mut().problems.push(d);
            None
        };
        if !rest.is_empty() {
            return error(
                &format!("link `poster:{rest}`: `poster:` links the case's own poster and takes nothing after it"),
                "write `[the strategy on one A3](poster:)`",
            );
        }
        if c.fm.strategy.is_none() {
            return error(
                "link `poster:` leads to the case's A3 poster, but the case has no `strategy`, so it has no poster",
                "add a `strategy` to the front matter, or remove the link",
            );
        }
        let index = self.links.folders.get(c.folder.as_str())?[lang]?;
        let slug = c.fm.slug.as_deref().unwrap_or(&c.folder);
        let poster = urls::poster(&self.links.urls[index], slug, crate::model::urls::PosterFile::Screen);
        Some(format!("{}{poster}", self.links.config.base.path))
    }
}

/// `aliases`: each an earlier slug or an address below the site. Whether
/// they collide with other outputs is known when the render plans them.
fn aliases(check: &mut CaseCheck, lang: &crate::model::config::Language) -> Vec<crate::model::Alias> {
    let mut out = Vec::new();
    for (k, written) in check.c.fm.aliases.iter().enumerate() {
        let at = crate::model::frontmatter::locate_text(&check.c.yaml, &[Seg::Key("aliases"), Seg::Index(k)], written);
        match urls::alias(lang, written) {
            Some(url) => out.push(crate::model::Alias { written: written.clone(), url, at }),
            None => {
                check.error_at(at, format!("alias `{written}` is neither a slug nor an address below the site")).hint =
                    Some(format!(
                        "give an earlier slug of this case, such as `{}`, or an address ending in `/` or `.html`, \
                         such as `/{}/{}/old-name/`",
                        markdown::slugify(written),
                        lang.code,
                        lang.section
                    ))
            }
        }
    }
    out
}

/// The values of a case's front matter that no type can refuse: empty
/// texts and tags, the number of strategy lines.
/// The values of the site's declared filters (`site.yaml`'s `filters`, in
/// its order); a key at the top that vitrine does not know and the site
/// does not declare is an error.
fn fields(check: &mut CaseCheck, filters: &[String]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); filters.len()];
    for e in &check.c.fm.extra {
        let at = (e.line, e.column);
        let Some(f) = filters.iter().position(|f| *f == e.key) else {
            let keys = crate::model::content::CASE_SCHEMA.keys().into_iter().chain(filters.iter().map(String::as_str));
            let keys = keys.collect::<Vec<_>>().join(", ");
            check.error_at(at, format!("unknown key `{}`", e.key)).hint = Some(format!(
                "the keys here are: {keys}; or, to make `{}` a filter of this site, list it under `filters:` in site.yaml",
                e.key
            ));
            continue;
        };
        let Some(values) = &e.values else {
            check.error_at(at, format!("`{}` is a filter of this site: give it a text or a list of texts", e.key));
            continue;
        };
        for v in values {
            if markdown::slugify(v).is_empty() {
                check.error_at(at, format!("`{}` value `{v}` has no letter or digit to make its address from", e.key));
            }
        }
        out[f] = values.clone();
    }
    out
}

fn values(check: &mut CaseCheck) {
    let fm = &check.c.fm;
    for (key, value) in [("title", &fm.title), ("client", &fm.client)] {
        if value.trim().is_empty() {
            check.error(&[Seg::Key(key)], format!("`{key}` is empty"));
        }
    }
    if let Some(q) = &fm.quote
        && q.text.trim().is_empty()
    {
        check.error(&[Seg::Key("quote"), Seg::Key("text")], "`quote.text` is empty");
    }
    for (i, tag) in fm.tags.iter().enumerate() {
        if tag.trim().is_empty() {
            check.error(&[Seg::Key("tags"), Seg::Index(i)], "an empty tag");
        } else if markdown::slugify(tag).is_empty() {
            check.error(
                &[Seg::Key("tags"), Seg::Index(i)],
                format!("tag `{tag}` has no letter or digit to make its address from"),
            );
        }
    }
    if let Some(s) = &fm.strategy {
        let n = s.lines.len();
        if !(1..=crate::poster::MAX_LINES).contains(&n) {
            check.error(
                &[Seg::Key("strategy"), Seg::Key("lines")],
                format!("a strategy has 1 to {} lines, this one has {n}", crate::poster::MAX_LINES),
            );
        }
    }
}
