//! The resized copies of each picture the pages show, at the widths of
//! their `srcset`, in the image's format and as WebP: one job per image
//! file, decoded once for all its files that are not in the build cache
//! yet. Made from the image's bytes, its orientation, the widths and
//! encodings ([`Resize::fingerprint`]).

use super::{Done, Env, Job, Make, Planning, out_error};
use crate::diagnostic::Diagnostic;
use crate::images::{Made, Resize};
use crate::model::Site;
use std::hash::{Hash, Hasher};

/// Every width of one image file.
struct Resized<'s>(&'s Resize);

pub(super) fn plan<'s>(p: &Planning<'s>) -> Vec<Job<'s>> {
    let resized = |image: &'s Resize| {
        let mut h = std::hash::DefaultHasher::new();
        image.outputs.keys().for_each(|&file| image.fingerprint(file).hash(&mut h));
        Job::new(image.outputs.values().flatten().cloned().collect(), Some(h.finish()), Resized(image))
    };
    p.site.resizes.iter().map(resized).collect()
}

impl Make for Resized<'_> {
    fn make(&self, env: &Env, _: &[String], done: &mut Done) -> bool {
        let (image, sink) = (self.0, env.sink);
        if !sink.keeps_bytes() {
            // a sink that notes names only: no image needs making
            for rel in image.outputs.values().flatten() {
                done.summary.files += usize::from(sink.write(rel, &[]).is_ok());
            }
            return true;
        }
        let files: Vec<_> = image.outputs.keys().copied().collect();
        let made = match image.make(&env.site.root, env.cache, &files) {
            Ok(made) => made,
            Err(why) => {
                let at = crate::diagnostic::display_path(&env.site.root, &image.source);
                done.diagnostics.push(Diagnostic::error(at, 1, 1, why.message).with_hint(why.hint));
                return false;
            }
        };
        let mut ok = true;
        for (key, file) in made {
            done.summary.resized += usize::from(matches!(file, Made::Bytes(_)));
            for rel in &image.outputs[&key] {
                let written = match &file {
                    Made::Bytes(bytes) => sink.write(rel, bytes),
                    Made::Cached(hit) => sink.link(rel, &hit.path),
                };
                match written {
                    Ok(()) => done.summary.files += 1,
                    Err(e) => {
                        done.diagnostics.push(out_error(rel, e));
                        ok = false;
                    }
                }
            }
        }
        ok
    }

    fn describe(&self, _: &Site, _: &[String], _: &str, _: usize) -> String {
        format!("a resized copy of {}", self.0.source.display())
    }
}
