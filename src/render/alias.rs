//! The redirect page at each earlier address (alias) of a case page, and
//! the host's redirect rules for all of them ([`urls::REDIRECTS`]) after
//! the theme's own. Made every time: they are small and few.

use super::{Done, Env, Job, Make, Planning, wrote};
use crate::load::theme::Origin;
use crate::model::Site;
use crate::model::urls;

/// The redirect page at alias `k` of case page `i`.
struct Alias(usize, usize);

/// The redirect rules of every alias.
struct Redirects;

pub(super) fn plan<'s>(p: &Planning<'s>) -> Vec<Job<'s>> {
    let site = p.site;
    let aliases = site.pages.iter().enumerate().flat_map(|(i, page)| (0..page.aliases.len()).map(move |k| (i, k)));
    let mut jobs: Vec<Job> =
        aliases.map(|(i, k)| Job::new(vec![site.pages[i].aliases[k].file()], None, Alias(i, k))).collect();
    if !jobs.is_empty() {
        jobs.push(Job::new(vec![urls::REDIRECTS.into()], None, Redirects));
    }
    jobs
}

impl Make for Alias {
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        let written = env.page("alias.html", &env.shared.alias_context(self.0), &paths[0], done);
        done.summary.redirects += usize::from(written);
        written
    }

    fn describe(&self, site: &Site, _: &[String], _: &str, _: usize) -> String {
        let (page, alias) = (&site.pages[self.0], &site.pages[self.0].aliases[self.1]);
        format!("alias `{}` of {}:{}:{}", alias.written, page.source.display(), alias.at.0, alias.at.1)
    }

    fn alias(&self) -> Option<(usize, usize)> {
        Some((self.0, self.1))
    }
}

impl Make for Redirects {
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        let rel = &paths[0];
        // the theme's own rules come first in the file with the aliases'
        let own = match env.theme.statics.get(rel) {
            Some(Origin::Builtin(bytes)) => Ok(bytes.to_vec()),
            Some(Origin::File(path)) => std::fs::read(path),
            None => Ok(Vec::new()),
        };
        let written = own.and_then(|mut rules| {
            if !rules.is_empty() && !rules.ends_with(b"\n") {
                rules.push(b'\n');
            }
            rules.extend_from_slice(super::files::redirects(env.site).as_bytes());
            env.sink.write(rel, &rules)
        });
        wrote(done, rel, written)
    }

    fn describe(&self, _: &Site, paths: &[String], _: &str, _: usize) -> String {
        paths[0].clone()
    }
}
