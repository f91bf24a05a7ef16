//! The pages made of many cases or of the site itself: each language's
//! home (with its share image), list of cases (in pages), list of tags and
//! tag pages, the values of the site's declared filters and their pages, the language choice at the root and the page for missing
//! addresses.

use super::{Done, Env, Job, Make, Planning, Summary};
use crate::model::Site;
use crate::model::urls;

/// Which page, with its template.
enum Page {
    Home(usize),
    /// Page `n` (from 1) of a language's list of cases: (language, n).
    Section(usize, usize),
    /// The list of a language's tags.
    Tags(usize),
    /// A tag's page: (language, index in `site.tags[language]`).
    Tag(usize, usize),
    /// The values of a declared filter in a language: (filter, language).
    Field(usize, usize),
    /// A declared filter's value: (filter, language, index in
    /// `site.fields[filter][language]`).
    FieldValue(usize, usize, usize),
    /// The language choice at the root.
    Root,
    NotFound,
}

pub(super) fn plan<'s>(p: &Planning<'s>) -> Vec<Job<'s>> {
    let site = p.site;
    let mut jobs = Vec::new();
    for lang in 0..site.config.languages.len() {
        let home_paths = vec![urls::page_file(&site.home_url(lang)), urls::home_share(&site.config.languages[lang])];
        jobs.push(Job::new(home_paths, Some(super::plan::home(site, lang, &p.cards)), Page::Home(lang)));
        for n in 1..=site.section_pages(lang) {
            let path = urls::page_file(&urls::section(&site.config.languages[lang], n));
            jobs.push(Job::new(
                vec![path],
                Some(super::plan::section(site, lang, n, &p.cards)),
                Page::Section(lang, n),
            ));
        }
        let tags = vec![urls::page_file(&site.tags_url(lang))];
        jobs.push(Job::new(tags, Some(super::plan::tags(site, lang)), Page::Tags(lang)));
        for (t, tag) in site.tags[lang].iter().enumerate() {
            let fingerprint = Some(super::plan::tag(tag, &p.cards));
            jobs.push(Job::new(vec![urls::page_file(&tag.url)], fingerprint, Page::Tag(lang, t)));
        }
        for (f, values) in site.fields.iter().enumerate().filter(|(_, v)| !v[lang].is_empty()) {
            let fingerprint = Some(super::plan::field(site, f));
            jobs.push(Job::new(vec![urls::page_file(&site.field_url(f, lang))], fingerprint, Page::Field(f, lang)));
            for (t, value) in values[lang].iter().enumerate() {
                let fingerprint = Some(super::plan::tag(value, &p.cards));
                jobs.push(Job::new(vec![urls::page_file(&value.url)], fingerprint, Page::FieldValue(f, lang, t)));
            }
        }
    }
    jobs.push(Job::new(vec![urls::ROOT.into()], None, Page::Root));
    jobs.push(Job::new(vec![urls::NOT_FOUND.into()], None, Page::NotFound));
    jobs
}

impl Make for Page {
    fn front(&self) -> bool {
        matches!(self, Page::Home(_) | Page::Root | Page::NotFound)
    }

    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        let (ctx, template) = match *self {
            Page::Home(lang) => {
                let share = &paths[1];
                let title = env.shared.home_share_title(lang);
                let made = env.picture(|| env.pictures.home_share(lang, &title), share, done);
                (env.shared.home_context(lang, made.map(|_| (share.as_str(), title.as_str()))), "home.html")
            }
            Page::Section(lang, n) => (env.shared.section_context(lang, n), "section.html"),
            Page::Tags(lang) => (env.shared.tags_context(lang), "tags.html"),
            Page::Tag(lang, t) => (env.shared.tag_context(lang, t), "tag.html"),
            Page::Field(f, lang) => (env.shared.field_context(f, lang), "tags.html"),
            Page::FieldValue(f, lang, t) => (env.shared.field_value_context(f, lang, t), "tag.html"),
            Page::Root => (env.shared.root_context(), "languages.html"),
            Page::NotFound => (env.shared.not_found_context(), "404.html"),
        };
        let written = env.page(template, &ctx, &paths[0], done);
        done.summary.pages += usize::from(written);
        written
    }

    fn describe(&self, site: &Site, _: &[String], _: &str, _: usize) -> String {
        let lang = |l: usize| &site.config.languages[l].code;
        match *self {
            Page::Home(l) => format!("the home page of `{}`", lang(l)),
            Page::Section(l, 1) => format!("the list of cases of `{}`", lang(l)),
            Page::Section(l, n) => format!("page {n} of the list of cases of `{}`", lang(l)),
            Page::Tags(l) => format!("the list of tags of `{}`", lang(l)),
            Page::Tag(l, t) => format!("the page of tag `{}`", site.tags[l][t].name),
            Page::Field(f, l) => format!("the list of `{}` values of `{}`", site.config.filters[f], lang(l)),
            Page::FieldValue(f, l, t) => {
                format!("the page of `{}` value `{}`", site.config.filters[f], site.fields[f][l][t].name)
            }
            Page::Root => "the language choice".into(),
            Page::NotFound => "the page for missing addresses".into(),
        }
    }

    fn unchanged(&self, paths: &[String]) -> Summary {
        Summary { pages: 1, files: paths.len(), ..Summary::default() }
    }
}
