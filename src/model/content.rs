//! What editors write: the front matter of a case, a person file and a home
//! intro, as typed values, with the schemas that locate their mistakes.

use crate::model::date::Date;
use crate::model::frontmatter::{Extra, Schema};
use crate::model::values::{Blank, blank, opt_group, opt_items, opt_text, text, text_list};
use serde::Deserialize;

/// The front matter of `content/cases/<folder>/index.<lang>.md`
/// (see the README for what each key does).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(deserialize_with = "text")]
    pub title: String,
    #[serde(deserialize_with = "text")]
    pub client: String,
    pub date: Date,
    #[serde(default, deserialize_with = "opt_text")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default, deserialize_with = "text_list")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub contact: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub image: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub image_alt: Option<String>,
    #[serde(default, deserialize_with = "opt_group")]
    pub quote: Option<Quote>,
    #[serde(default, deserialize_with = "opt_items")]
    pub facts: Option<Vec<Fact>>,
    #[serde(default, deserialize_with = "opt_group")]
    pub strategy: Option<Strategy>,
    #[serde(default, deserialize_with = "opt_text_list")]
    pub related: Option<Vec<String>>,
    /// Earlier addresses of this language version (slugs or paths below
    /// the site), kept working with redirects.
    #[serde(default, deserialize_with = "text_list")]
    pub aliases: Vec<String>,
    /// What this translation was made from (`vitrine new translation`,
    /// `vitrine translations --done`): see [`crate::validate::translations`].
    #[serde(default, deserialize_with = "opt_text")]
    pub translated_from: Option<String>,
    /// The keys at the top that vitrine does not know, each a filter when
    /// `site.yaml` declares it as one and an error otherwise (validate).
    #[serde(skip)]
    pub extra: Vec<Extra>,
}

impl FrontMatter {
    /// The texts readers see (on the page, in its share image and on the
    /// poster), in a fixed order: what typography sets.
    pub fn texts(&self) -> impl Iterator<Item = &String> {
        let quote = self.quote.iter().flat_map(|q| std::iter::once(&q.text).chain(&q.author));
        let facts = self.facts.iter().flatten().flat_map(|f| [&f.value, &f.label].into_iter().chain(&f.source));
        let strategy = self.strategy.iter().flat_map(|s| {
            let lines = s.lines.iter().flat_map(|l| [&l.title, &l.text]);
            std::iter::once(&s.title).chain(&s.story).chain(lines)
        });
        [&self.title, &self.client]
            .into_iter()
            .chain(&self.summary)
            .chain(&self.image_alt)
            .chain(quote)
            .chain(facts)
            .chain(strategy)
    }

    /// [`FrontMatter::texts`], to change them, in the same order.
    fn texts_mut(&mut self) -> impl Iterator<Item = &mut String> {
        let quote = self.quote.iter_mut().flat_map(|q| std::iter::once(&mut q.text).chain(&mut q.author));
        let facts =
            self.facts.iter_mut().flatten().flat_map(|f| [&mut f.value, &mut f.label].into_iter().chain(&mut f.source));
        let strategy = self.strategy.iter_mut().flat_map(|s| {
            let lines = s.lines.iter_mut().flat_map(|l| [&mut l.title, &mut l.text]);
            std::iter::once(&mut s.title).chain(&mut s.story).chain(lines)
        });
        [&mut self.title, &mut self.client]
            .into_iter()
            .chain(&mut self.summary)
            .chain(&mut self.image_alt)
            .chain(quote)
            .chain(facts)
            .chain(strategy)
    }

    /// The front matter with the text readers see set in the typography of
    /// `lang` ([`crate::text::typography::typeset`]), once, for the page,
    /// its share image and the poster alike. `None` when no text changes
    /// (then nothing is copied).
    pub fn typeset(&self, lang: &str) -> Option<FrontMatter> {
        let set: Vec<(usize, String)> = self
            .texts()
            .enumerate()
            .filter_map(|(i, s)| match crate::text::typography::typeset(s, lang) {
                std::borrow::Cow::Owned(t) => Some((i, t)),
                std::borrow::Cow::Borrowed(_) => None,
            })
            .collect();
        if set.is_empty() {
            return None;
        }
        let mut fm = self.clone();
        let mut set = set.into_iter().peekable();
        for (i, s) in fm.texts_mut().enumerate() {
            if let Some((_, t)) = set.next_if(|(at, _)| *at == i) {
                *s = t;
            }
        }
        Some(fm)
    }
}

/// `related`: case folders. The web editor names a case `<folder>/index`
/// (its entry's path without the language), which is taken as the folder.
fn opt_text_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let list = text_list(d)?;
    Ok(Some(list.into_iter().map(|f| f.strip_suffix("/index").map(str::to_string).unwrap_or(f)).collect()))
}

impl Blank for Quote {
    fn is_blank(&self) -> bool {
        blank(&self.text) && self.author.is_none()
    }
}

impl Blank for Fact {
    fn is_blank(&self) -> bool {
        blank(&self.value) && blank(&self.label) && self.source.is_none()
    }
}

impl Blank for Strategy {
    fn is_blank(&self) -> bool {
        blank(&self.title) && self.story.is_none() && self.lines.iter().all(|l| blank(&l.title) && blank(&l.text))
    }
}

/// A client's words about the case, shown as a pull quote and on the poster.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    #[serde(deserialize_with = "text")]
    pub text: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub author: Option<String>,
}

/// One of the facts & figures: a number kept exactly as written, and what it counts.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    #[serde(deserialize_with = "text")]
    pub value: String,
    #[serde(deserialize_with = "text")]
    pub label: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub source: Option<String>,
}

/// The strategy of a case: its presence is what gives the case an A3 poster.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    #[serde(deserialize_with = "text")]
    pub title: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub story: Option<String>,
    pub lines: Vec<StrategyLine>,
}

/// One main line of a strategy, a numbered block on the page and the poster.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyLine {
    #[serde(deserialize_with = "text")]
    pub title: String,
    #[serde(deserialize_with = "text")]
    pub text: String,
}

const QUOTE: Schema = Schema::Map(&[("text", true, Schema::Scalar), ("author", false, Schema::Scalar)]);
const FACT: Schema =
    Schema::Map(&[("value", true, Schema::Scalar), ("label", true, Schema::Scalar), ("source", false, Schema::Scalar)]);
const LINE: Schema = Schema::Map(&[("title", true, Schema::Scalar), ("text", true, Schema::Scalar)]);
const STRATEGY: Schema = Schema::Map(&[
    ("title", true, Schema::Scalar),
    ("story", false, Schema::Scalar),
    ("lines", true, Schema::List(&LINE)),
]);

/// The keys of a case's front matter, for locating mistakes.
pub static CASE_SCHEMA: Schema = Schema::Map(&[
    ("title", true, Schema::Scalar),
    ("client", true, Schema::Scalar),
    ("date", true, Schema::Date),
    ("summary", false, Schema::Scalar),
    ("slug", false, Schema::Scalar),
    ("draft", false, Schema::Scalar),
    ("tags", false, Schema::List(&Schema::Scalar)),
    ("contact", false, Schema::Scalar),
    ("image", false, Schema::Scalar),
    ("image_alt", false, Schema::Scalar),
    ("quote", false, QUOTE),
    ("facts", false, Schema::List(&FACT)),
    ("strategy", false, STRATEGY),
    ("related", false, Schema::List(&Schema::Scalar)),
    ("aliases", false, Schema::List(&Schema::Scalar)),
    ("translated_from", false, Schema::Scalar),
]);

/// `content/people/<id>.yaml`: a contact person.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonFile {
    #[serde(deserialize_with = "text")]
    pub name: String,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "opt_text")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub photo: Option<String>,
}

/// A role in every language (`{ nl: ..., fr: ... }`) or one for all.
#[derive(Debug, Clone, Deserialize, Hash)]
#[serde(untagged)]
pub enum Role {
    PerLanguage(std::collections::BTreeMap<String, String>),
    Same(String),
}

impl Role {
    /// The role in a language, else in the fallback language.
    pub fn get(&self, lang: &str, fallback: &str) -> Option<&str> {
        match self {
            Role::Same(s) => Some(s.as_str()).filter(|s| !s.trim().is_empty()),
            Role::PerLanguage(m) => {
                let given = |code| m.get(code).filter(|s: &&String| !s.trim().is_empty());
                given(lang).or_else(|| given(fallback)).map(String::as_str)
            }
        }
    }
}

/// The keys of a person file, for locating mistakes.
pub static PERSON_SCHEMA: Schema = Schema::Map(&[
    ("name", true, Schema::Scalar),
    ("role", false, Schema::Any),
    ("email", false, Schema::Scalar),
    ("photo", false, Schema::Scalar),
]);

/// The optional front matter of a home intro `content/_index.<lang>.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntroFrontMatter {
    #[serde(default, deserialize_with = "opt_text")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub description: Option<String>,
}

/// The keys of a home intro's front matter, for locating mistakes.
pub static INTRO_SCHEMA: Schema =
    Schema::Map(&[("title", false, Schema::Scalar), ("description", false, Schema::Scalar)]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::frontmatter::serde_fields;

    #[test]
    fn the_text_readers_see_is_typeset_in_its_language() {
        let yaml = "title: \"Un foyer « sûr » : enfin\"\nclient: Veilig Thuis\ndate: 2020-03-01\n\
                    facts:\n  - value: 2 500 / 4 000\n    label: demandes\n";
        let fm: FrontMatter = serde_yaml::from_str(yaml).unwrap();
        let n = '\u{202F}';
        let fr = fm.typeset("fr").expect("French punctuation to set");
        assert_eq!(fr.title, format!("Un foyer «{n}sûr{n}»{n}: enfin"));
        assert_eq!(fr.facts.as_ref().unwrap()[0].value, format!("2{n}500 / 4{n}000"));
        let nl: FrontMatter = serde_yaml::from_str("title: Een thuis\nclient: Klant\ndate: 2020-03-01\n").unwrap();
        assert!(nl.typeset("nl").is_none(), "nothing to set, nothing copied");
    }

    /// What the web editor saves for fields it left or made empty counts as absent.
    #[test]
    fn empty_values_are_absent_values() {
        let load = |yaml: &str| {
            crate::model::frontmatter::parse::<FrontMatter>(yaml, &CASE_SCHEMA).unwrap_or_else(|e| panic!("{e:?}"))
        };
        let fm = load(
            "title: T\nclient: K\ndate: 2024-01-05\nsummary: ''\ncontact: ''\nimage: ''\ntags: ['', a]\n\
             quote:\n  text: ''\n  author: ''\nfacts:\n  - value: '1'\n    label: x\n  - value: ''\n    label: ''\n\
             strategy:\n  title: ''\n  story: ''\n  lines: []\nrelated: [bavel/index, a]\n",
        );
        assert_eq!((fm.summary, fm.contact, fm.image), (None, None, None));
        assert_eq!(fm.tags, ["a"]);
        assert!(fm.quote.is_none() && fm.strategy.is_none());
        assert_eq!(fm.facts.as_ref().map(Vec::len), Some(1));
        assert_eq!(fm.related.as_deref(), Some(&["bavel".to_string(), "a".to_string()][..]));
        // a group half emptied, which the types alone would refuse
        let fm = load("title: T\nclient: K\ndate: 2024-01-05\nquote:\n  author: ''\nstrategy:\n  story: ''\n");
        assert!(fm.quote.is_none() && fm.strategy.is_none());
        // a group with something in it is checked as ever
        let e = crate::model::frontmatter::parse::<FrontMatter>(
            "title: T\nclient: K\ndate: 2024-01-05\nquote:\n  author: Anna\n",
            &CASE_SCHEMA,
        )
        .unwrap_err();
        assert_eq!(e[0].message, "missing required key `quote.text`");
    }

    /// Each type's keys are its schema's, nested types included: a key
    /// cannot be added to one and forgotten in the other.
    #[test]
    fn the_schemas_list_the_keys_of_the_types() {
        assert_eq!(serde_fields::<FrontMatter>(), CASE_SCHEMA.keys());
        let key = |k: &str| CASE_SCHEMA.key(k).expect("in the schema");
        assert_eq!(serde_fields::<Quote>(), key("quote").keys());
        assert_eq!(serde_fields::<Fact>(), key("facts").keys());
        assert_eq!(serde_fields::<Strategy>(), key("strategy").keys());
        assert_eq!(serde_fields::<StrategyLine>(), key("strategy").key("lines").expect("lines").keys());
        assert_eq!(serde_fields::<PersonFile>(), PERSON_SCHEMA.keys());
        assert_eq!(serde_fields::<IntroFrontMatter>(), INTRO_SCHEMA.keys());
    }
}
