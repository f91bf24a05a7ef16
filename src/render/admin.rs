//! The web editor, with `cms:` in `site.yaml`: `admin/index.html`, the page
//! that loads Decap CMS (or Sveltia CMS), and `admin/config.yml`, its
//! configuration, generated from the schemas vitrine validates with
//! ([`CASE_SCHEMA`], [`PERSON_SCHEMA`], [`INTRO_SCHEMA`]), so that the
//! form holds every key a case can have and nothing a build would refuse.
//!
//! Cases are a folder collection whose entries are the case folders
//! (`content/cases/<folder>/index.<lang>.md`, i18n `multiple_files`),
//! people a folder collection of `content/people/<id>.yaml`, the home
//! intros one file each. `contact` and `related` are relations. With
//! `serve`, the backend is serve's own endpoint ([`urls::CMS_API`]).

use super::{Done, Env, Job, Make, Planning, wrote};
use crate::cache::hash::Fnv;
use crate::load::i18n::I18n;
use crate::model::Site;
use crate::model::config::{Cms, DECAP_SCRIPT};
use crate::model::content::{CASE_SCHEMA, INTRO_SCHEMA, PERSON_SCHEMA};
use crate::model::frontmatter::Schema;
use crate::model::urls;
use serde_yaml::{Mapping, Value};
use std::hash::{Hash, Hasher};

/// Both files of the web editor.
struct Admin;

pub(super) fn plan<'s>(p: &Planning<'s>) -> Vec<Job<'s>> {
    let site = p.site;
    let Some(cms) = &site.config.cms else { return Vec::new() };
    let mut h = Fnv::new();
    (cms, cms.local, &site.config.languages, site.config.default_language, &site.config.base, &site.config.title)
        .hash(&mut h);
    vec![Job::new(vec![urls::CMS_PAGE.into(), urls::CMS_CONFIG.into()], Some(h.finish()), Admin)]
}

impl Make for Admin {
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        let site = env.site;
        let Some(cms) = &site.config.cms else { return true };
        let page = wrote(done, &paths[0], env.sink.write(&paths[0], page(site, cms).as_bytes()));
        page && wrote(done, &paths[1], env.sink.write(&paths[1], config(site, env.i18n, cms).as_bytes()))
    }

    fn describe(&self, _: &Site, _: &[String], path: &str, _: usize) -> String {
        format!("the web editor's {path}")
    }
}

/// `admin/index.html`: the CMS script and nothing else (it finds
/// `config.yml` beside the page).
pub fn page(site: &Site, cms: &Cms) -> String {
    let config = &site.config;
    let script = match cms.script.as_deref() {
        None => DECAP_SCRIPT.to_string(),
        Some(s) if s.starts_with("https://") || s.starts_with("http://") || s.starts_with("//") => s.to_string(),
        Some(path) => config.base.root(path.trim_start_matches('/')),
    };
    let esc = |s: &str| s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{title} · CMS</title>\n\
         <meta name=\"description\" content=\"{description}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n\
         </head>\n<body>\n\
         <script src=\"{script}\"></script>\n</body>\n</html>\n",
        lang = esc(&locale(site, cms)),
        title = esc(&config.title),
        description = esc(&format!("The web editor of {}", config.title)),
        canonical = esc(&config.base.abs("admin/")),
        script = esc(&script),
    )
}

/// The language of the editor's interface.
fn locale(site: &Site, cms: &Cms) -> String {
    cms.locale.clone().unwrap_or_else(|| site.config.default_lang().code.clone())
}

/// `admin/config.yml`, its labels in the editor's language.
pub fn config(site: &Site, i18n: &I18n, cms: &Cms) -> String {
    let c = &site.config;
    let form = Form { i18n, lang: i18n.index_of(&locale(site, cms)) };
    let codes: Vec<Value> = c.languages.iter().map(|l| s(&l.code)).collect();
    let mut top = Mapping::new();
    let backend = if cms.local {
        let mut b = Mapping::new();
        b.insert(s("name"), s("proxy"));
        b.insert(s("proxy_url"), s(&c.base.root(urls::CMS_API)));
        b.insert(s("branch"), s(cms.backend.branch.as_deref().unwrap_or("main")));
        Value::Mapping(b)
    } else {
        serde_yaml::to_value(&cms.backend).unwrap_or(Value::Null)
    };
    top.insert(s("backend"), backend);
    top.insert(s("site_url"), s(&c.base.url));
    top.insert(s("display_url"), s(&c.base.url));
    top.insert(s("locale"), s(&locale(site, cms)));
    // the site-wide media library: the people's photos (a case's images
    // are kept in its own folder, set per collection)
    top.insert(s("media_folder"), s("content/people"));
    top.insert(s("public_folder"), s(""));
    top.insert(
        s("slug"),
        map([("encoding", s("ascii")), ("clean_accents", Value::Bool(true)), ("sanitize_replacement", s("-"))]),
    );
    top.insert(
        s("i18n"),
        map([
            ("structure", s("multiple_files")),
            ("locales", Value::Sequence(codes)),
            ("default_locale", s(&c.default_lang().code)),
        ]),
    );
    let mut cases = form.fields(&CASE_SCHEMA, true, 0);
    // the site's own filters (`filters:` of site.yaml), each a list of values
    for key in &c.filters {
        let mut f = form.field_labelled(key, &i18n.filter_name(form.lang, key), s("list"), false);
        if let Value::Mapping(m) = &mut f {
            m.insert(s("i18n"), true.into());
        }
        cases.push(f);
    }
    cases.push(form.field("body", s("markdown"), false, Some(true.into())));
    let cases = map([
        ("name", s("cases")),
        ("label", s(&form.text("cms-cases"))),
        ("label_singular", s(&form.text("cms-case"))),
        ("folder", s("content/cases")),
        ("path", s("{{slug}}/index")),
        ("extension", s("md")),
        ("format", s("yaml-frontmatter")),
        ("create", true.into()),
        ("identifier_field", s("title")),
        ("summary", s("{{title}} · {{client}}")),
        ("sortable_fields", Value::Sequence(vec![s("date"), s("title"), s("client")])),
        ("media_folder", s("")),
        ("public_folder", s("")),
        ("i18n", true.into()),
        ("fields", Value::Sequence(cases)),
    ]);
    let mut people = form.fields(&PERSON_SCHEMA, false, 0);
    for f in &mut people {
        // a role per language: the site's languages
        if f.get("name") == Some(&s("role"))
            && let Value::Mapping(m) = f
        {
            let roles = c.languages.iter().map(|l| form.field_labelled(&l.code, &l.name, s("string"), false)).collect();
            m.insert(s("widget"), s("object"));
            m.insert(s("fields"), Value::Sequence(roles));
        }
    }
    let people = map([
        ("name", s("people")),
        ("label", s(&form.text("cms-people"))),
        ("label_singular", s(&form.text("cms-person"))),
        ("folder", s("content/people")),
        ("extension", s("yaml")),
        ("format", s("yaml")),
        ("create", true.into()),
        ("identifier_field", s("name")),
        ("media_folder", s("")),
        ("public_folder", s("")),
        ("fields", Value::Sequence(people)),
    ]);
    let intros = c
        .languages
        .iter()
        .map(|l| {
            let mut f = form.fields(&INTRO_SCHEMA, false, 0);
            f.push(form.field("body", s("markdown"), false, None));
            map([
                ("name", s(&format!("home_{}", l.code))),
                ("label", s(&format!("{} ({})", form.text("cms-home"), l.name))),
                ("file", s(&format!("content/_index.{}.md", l.code))),
                ("format", s("yaml-frontmatter")),
                ("fields", Value::Sequence(f)),
            ])
        })
        .collect();
    let home = map([("name", s("home")), ("label", s(&form.text("cms-home"))), ("files", Value::Sequence(intros))]);
    top.insert(s("collections"), Value::Sequence(vec![cases, people, home]));
    let yaml = serde_yaml::to_string(&Value::Mapping(top)).unwrap_or_default();
    format!(
        "# The web editor's configuration, made by `vitrine build` from site.yaml's `cms:`\n\
         # and the keys vitrine reads: change those, not this file.\n{yaml}"
    )
}

fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

fn map<const N: usize>(pairs: [(&str, Value); N]) -> Value {
    Value::Mapping(pairs.into_iter().map(|(k, v)| (s(k), v)).collect())
}

/// The fields of the forms, labelled from the messages (`cms-<key>`) in
/// the editor's language.
struct Form<'a> {
    i18n: &'a I18n,
    lang: usize,
}

impl Form<'_> {
    fn text(&self, key: &str) -> String {
        self.i18n.text(self.lang, key)
    }

    /// A field, labelled by the message of its key (the key itself when
    /// there is none); `i18n` is `None` outside the cases collection.
    fn field(&self, name: &str, widget: Value, required: bool, i18n: Option<Value>) -> Value {
        let id = format!("cms-{name}");
        let label = self.i18n.format(self.lang, &id, None).unwrap_or_else(|_| name.to_string());
        let mut f = self.field_labelled(name, &label, widget, required);
        if let (Some(i18n), Value::Mapping(m)) = (i18n, &mut f) {
            m.insert(s("i18n"), i18n);
        }
        f
    }

    fn field_labelled(&self, name: &str, label: &str, widget: Value, required: bool) -> Value {
        map([("name", s(name)), ("label", s(label)), ("widget", widget), ("required", Value::Bool(required))])
    }

    /// The fields of a mapping schema, in its order. `i18n`: a case's
    /// fields, each translated or the same in every language.
    fn fields(&self, schema: &Schema, i18n: bool, depth: usize) -> Vec<Value> {
        let Schema::Map(keys) = schema else { return Vec::new() };
        keys.iter()
            .map(|(name, required, sub)| {
                let (widget, extra) = widget(name, sub, depth);
                // the same in every language: the date, the people, the images, other cases
                let same = matches!(*name, "date" | "draft" | "contact" | "image" | "related");
                let i18n = (i18n && depth == 0).then(|| if same { s("duplicate") } else { Value::Bool(true) });
                // Decap checks what is required in the first language only
                // (serve checks the others as it saves), and in groups left
                // empty too, where a quote or a fact may be left out: the
                // parts a group needs are a hint, checked by vitrine on saving
                let mut f = self.field(name, s(widget), *required && depth == 0, i18n);
                if let Value::Mapping(m) = &mut f {
                    if *required && depth > 0 {
                        m.insert(s("hint"), s(&self.text("cms-needed")));
                    }
                    for (k, v) in extra {
                        m.insert(s(k), v);
                    }
                    if let Some(sub) = item_fields(sub) {
                        m.insert(s("fields"), Value::Sequence(self.fields(sub, false, depth + 1)));
                    }
                }
                f
            })
            .collect()
    }
}

/// The schema of the fields inside a key's value: a mapping's, or a list's items' when they are mappings.
fn item_fields(schema: &Schema) -> Option<&Schema> {
    match schema {
        Schema::Map(_) => Some(schema),
        Schema::List(item @ Schema::Map(_)) => Some(item),
        _ => None,
    }
}

/// The widget of a key, and its settings.
fn widget(name: &str, schema: &Schema, depth: usize) -> (&'static str, Vec<(&'static str, Value)>) {
    let strings = |v: &[&str]| Value::Sequence(v.iter().map(|x| s(x)).collect());
    match (name, schema) {
        (_, Schema::Date) => (
            "datetime",
            vec![
                ("format", s("YYYY-MM-DD")),
                ("date_format", s("YYYY-MM-DD")),
                ("time_format", false.into()),
                ("picker_utc", true.into()),
            ],
        ),
        ("draft", _) => ("boolean", vec![("default", false.into())]),
        ("contact", _) => (
            "relation",
            vec![
                ("collection", s("people")),
                ("value_field", s("{{slug}}")),
                ("search_fields", strings(&["name"])),
                ("display_fields", strings(&["name"])),
            ],
        ),
        ("related", _) => (
            "relation",
            vec![
                ("collection", s("cases")),
                ("multiple", true.into()),
                ("value_field", s("{{slug}}")),
                ("search_fields", strings(&["title", "client"])),
                ("display_fields", strings(&["title"])),
            ],
        ),
        ("image" | "photo", _) => ("image", vec![("choose_url", false.into())]),
        ("translated_from", _) => ("hidden", Vec::new()),
        ("lines", Schema::List(_)) => {
            ("list", vec![("max", crate::poster::MAX_LINES.into()), ("collapsed", false.into())])
        }
        (_, Schema::List(Schema::Map(_))) => ("list", vec![("collapsed", false.into())]),
        (_, Schema::List(_)) => ("list", Vec::new()),
        (_, Schema::Map(_)) => ("object", vec![("collapsed", (depth > 0).into())]),
        ("summary" | "story" | "description", _) => ("text", Vec::new()),
        ("text", _) => ("text", Vec::new()),
        _ => ("string", Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Backend;

    fn example(cms: Cms) -> (Site, std::sync::Arc<I18n>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (input, diags) = crate::pipeline::load(&crate::pipeline::Options::new(root));
        let input = input.unwrap_or_else(|| panic!("{diags:?}"));
        let mut site = input.site;
        site.config.cms = Some(cms);
        (site, input.i18n)
    }

    fn cms(local: bool, script: Option<&str>) -> Cms {
        let backend: Backend = serde_yaml::from_str("{name: github, repo: agency/cases, branch: main}").unwrap();
        Cms { backend, script: script.map(str::to_string), locale: None, local }
    }

    fn read((site, i18n): &(Site, std::sync::Arc<I18n>)) -> Value {
        serde_yaml::from_str(&config(site, i18n, site.config.cms.as_ref().unwrap())).unwrap()
    }

    fn collection<'v>(config: &'v Value, name: &str) -> &'v Value {
        config["collections"].as_sequence().unwrap().iter().find(|c| c["name"] == name).unwrap()
    }

    fn field<'v>(fields: &'v Value, name: &str) -> &'v Value {
        fields.as_sequence().unwrap().iter().find(|f| f["name"] == name).unwrap_or_else(|| panic!("no field {name}"))
    }

    #[test]
    fn every_key_of_a_case_is_a_field_of_the_form() {
        let config = read(&example(cms(false, None)));
        assert_eq!(config["backend"]["name"], "github");
        assert_eq!(config["i18n"]["structure"], "multiple_files");
        assert_eq!(config["i18n"]["locales"], serde_yaml::from_str::<Value>("[nl, fr]").unwrap());
        let cases = collection(&config, "cases");
        assert_eq!((cases["folder"].as_str(), cases["path"].as_str()), (Some("content/cases"), Some("{{slug}}/index")));
        let fields = &cases["fields"];
        let names: Vec<&str> = fields.as_sequence().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        let mut keys = CASE_SCHEMA.keys();
        keys.extend(["sector", "body"]); // (the example site's own filter, then the text)
        assert_eq!(names, keys);
        assert_eq!(field(fields, "date")["widget"], "datetime");
        assert_eq!(field(fields, "date")["format"], "YYYY-MM-DD");
        assert_eq!(field(fields, "date")["required"], true);
        assert_eq!(field(fields, "draft")["widget"], "boolean");
        assert_eq!(field(fields, "tags")["widget"], "list");
        let contact = field(fields, "contact");
        assert_eq!((contact["widget"].as_str(), contact["collection"].as_str()), (Some("relation"), Some("people")));
        let related = field(fields, "related");
        assert_eq!((related["collection"].as_str(), related["multiple"].as_bool()), (Some("cases"), Some(true)));
        let facts = field(fields, "facts");
        assert_eq!(facts["widget"], "list");
        assert_eq!(field(&facts["fields"], "value")["widget"], "string");
        let lines = field(&field(fields, "strategy")["fields"], "lines");
        assert_eq!((lines["widget"].as_str(), lines["max"].as_u64()), (Some("list"), Some(5)));
        // each language its own text; what the languages share, copied
        assert_eq!(field(fields, "title")["i18n"], true);
        assert_eq!(field(fields, "contact")["i18n"], "duplicate");
        // labelled in the editor's language (the site's first, Dutch)
        assert_eq!(field(fields, "title")["label"], "Titel");
        assert_eq!(field(fields, "title")["required"], true);
        assert_eq!(field(fields, "summary")["required"], false);
        // a group's parts are needed only when it is given
        let quote = field(fields, "quote");
        assert_eq!((quote["widget"].as_str(), quote["collapsed"].as_bool()), (Some("object"), Some(false)));
        assert_eq!(quote["required"], false);
        assert_eq!(field(&quote["fields"], "text")["required"], false);
        assert_eq!(field(&quote["fields"], "text")["hint"], "Nodig als dit onderdeel is ingevuld");
        // what a part that may be left out, or a key at the top, does not say
        assert!(field(&quote["fields"], "author").get("hint").is_none());
        assert!(field(fields, "title").get("hint").is_none());
        // long texts in a text area, pictures through the media library, the rest on one line
        for long in [
            field(fields, "summary"),
            field(&quote["fields"], "text"),
            field(&field(fields, "strategy")["fields"], "story"),
        ] {
            assert_eq!(long["widget"], "text", "{long:?}");
        }
        let image = field(fields, "image");
        assert_eq!((image["widget"].as_str(), image["choose_url"].as_bool()), (Some("image"), Some(false)));
        assert_eq!(field(fields, "client")["widget"], "string");
        // a list of groups shows its items open; what vitrine writes itself is hidden
        assert_eq!(facts["collapsed"], false);
        assert_eq!(field(fields, "translated_from")["widget"], "hidden");
        assert_eq!(cases["label"], "Cases");
        let people = collection(&config, "people");
        assert_eq!(people["extension"], "yaml");
        assert_eq!(field(&people["fields"], "name")["required"], true);
        // a person is one file for every language: none of its fields is translated
        let translated = |fields: &Value| fields.as_sequence().unwrap().iter().any(|f| f.get("i18n").is_some());
        assert!(!translated(&people["fields"]), "{:?}", people["fields"]);
        // nor the parts of a case's groups, which follow their group
        assert!(!translated(&field(fields, "quote")["fields"]));
        let roles: Vec<&str> = field(&people["fields"], "role")["fields"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(roles, ["nl", "fr"]);
        let home = collection(&config, "home");
        assert_eq!(home["files"][1]["file"], "content/_index.fr.md");
    }

    #[test]
    fn under_serve_the_editor_saves_through_serve() {
        let config = read(&example(cms(true, None)));
        assert_eq!(config["backend"]["name"], "proxy");
        assert_eq!(config["backend"]["proxy_url"], "/api/v1");
    }

    #[test]
    fn the_page_loads_the_pinned_script_or_the_site_s_own() {
        let (site, _) = example(cms(false, None));
        assert!(page(&site, site.config.cms.as_ref().unwrap()).contains("src=\"https://unpkg.com/decap-cms@3.16.3/"));
        // a path is below the site, wherever the site lives; an address is taken as it is
        let (mut site, _) = example(cms(false, Some("/admin/decap/decap-cms.js")));
        site.config.base = crate::model::config::BaseUrl::parse("https://www.example.org/cases-site/").unwrap();
        let own = page(&site, site.config.cms.as_ref().unwrap());
        assert!(own.contains("<script src=\"/cases-site/admin/decap/decap-cms.js\"></script>"), "{own}");
        assert!(own.contains("<html lang=\"nl\">"));
        for address in ["https://cdn.example.org/decap-cms.js", "//cdn.example.org/decap-cms.js"] {
            let (site, _) = example(cms(false, Some(address)));
            let own = page(&site, site.config.cms.as_ref().unwrap());
            assert!(own.contains(&format!("<script src=\"{address}\"></script>")), "{own}");
        }
    }
}
