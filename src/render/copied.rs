//! Files copied as they are: the theme's `static/` folder (but a redirect
//! rules file the aliases extend, see [`super::alias`]) and the files of
//! the site folder that pages show or link (pictures, downloads).

use super::{Done, Env, Job, Make, Planning, wrote};
use crate::load::theme::Origin;
use crate::model::Site;
use crate::model::urls;
use std::path::Path;

/// A file of the theme's `static/` folder.
struct Static<'s>(&'s Origin);

/// A file of the site folder.
struct Asset<'s>(&'s Path);

pub(super) fn plan<'s>(p: &Planning<'s>) -> Vec<Job<'s>> {
    let redirects = p.site.pages.iter().any(|page| !page.aliases.is_empty());
    let statics = p.theme.statics.iter().filter(|(rel, _)| !(redirects && rel.as_str() == urls::REDIRECTS));
    let statics = statics.map(|(rel, origin)| Job::new(vec![rel.clone()], None, Static(origin)));
    let assets = p.site.assets.iter().map(|(from, rel)| Job::new(vec![rel.clone()], None, Asset(from)));
    statics.chain(assets).collect()
}

impl Make for Static<'_> {
    fn front(&self) -> bool {
        true
    }

    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        let rel = &paths[0];
        let written = match self.0 {
            Origin::Builtin(bytes) => env.sink.write(rel, bytes),
            Origin::File(path) => env.sink.copy(rel, path),
        };
        wrote(done, rel, written)
    }

    fn describe(&self, _: &Site, paths: &[String], _: &str, _: usize) -> String {
        match self.0 {
            Origin::File(from) => format!("the theme's file {}", from.display()),
            Origin::Builtin(_) => format!("the built-in theme's {}", paths[0]),
        }
    }
}

impl Make for Asset<'_> {
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        let rel = &paths[0];
        wrote(done, rel, env.sink.copy(rel, &env.site.root.join(self.0)))
    }

    fn describe(&self, _: &Site, _: &[String], _: &str, _: usize) -> String {
        self.0.display().to_string()
    }
}
