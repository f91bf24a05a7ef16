//! `vitrine init [DIR]`: a new site folder that builds at once, with one
//! example person and one example case (with a strategy, so it has a
//! poster) in every language, for an agency to copy from and replace.

use crate::diagnostic::Diagnostic;
use crate::model::config::{known_language, valid_code};
use std::path::{Path, PathBuf};

/// What `init` was asked for.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to make the site in (made when missing).
    pub dir: PathBuf,
    /// Language codes, the first one the default language.
    pub langs: Vec<String>,
    pub title: Option<String>,
    pub base_url: Option<String>,
}

/// The example person's id, shared by every language of the example case.
const PERSON: &str = "sanne";
/// The example case's folder.
const CASE: &str = "example-case";

/// Why no site was made: wrong arguments (exit 2) or files in the way (exit 1).
#[derive(Debug)]
pub enum Refused {
    Usage(String),
    Exists(Vec<Diagnostic>),
}

/// Writes the files of a new site into `opts.dir`; creates nothing when
/// any of them exists already. Returns the files made, relative to the folder.
pub fn init(opts: &InitOptions) -> Result<Vec<PathBuf>, Refused> {
    let langs: Vec<&str> = opts.langs.iter().map(String::as_str).collect();
    if let Some(bad) = langs.iter().find(|c| !valid_code(c)) {
        return Err(Refused::Usage(format!("`{bad}` is not a language code such as nl, fr or en-GB")));
    }
    if langs.is_empty() {
        return Err(Refused::Usage("give at least one language, such as --lang nl,fr".into()));
    }
    if let Some(url) = &opts.base_url
        && let Err(e) = crate::model::config::BaseUrl::parse(url)
    {
        return Err(Refused::Usage(format!("--base-url `{url}`: {e}")));
    }
    let title = opts.title.clone().unwrap_or_else(|| default_title(&opts.dir));
    let files = files(&title, opts.base_url.as_deref(), &langs);
    let existing: Vec<Diagnostic> = files
        .iter()
        .filter(|(rel, _)| opts.dir.join(rel).exists())
        .map(|(rel, _)| {
            Diagnostic::error(opts.dir.join(rel), 1, 1, "this file exists already; init writes nothing over it")
                .with_hint("run init in an empty folder, such as `vitrine init my-site`")
        })
        .collect();
    if !existing.is_empty() {
        return Err(Refused::Exists(existing));
    }
    let mut made = Vec::new();
    for (rel, text) in files {
        let path = opts.dir.join(&rel);
        if let Err(e) = crate::load::files::create_new(&path, &text) {
            return Err(Refused::Exists(vec![Diagnostic::error(path, 1, 1, format!("cannot create the file: {e}"))]));
        }
        made.push(rel);
    }
    Ok(made)
}

/// `agency-cases` → `Agency cases`; the current folder's own name for `.`.
fn default_title(dir: &Path) -> String {
    let name = std::path::absolute(dir).ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
    let title = crate::load::files::title_of(&name.unwrap_or_default());
    if title.is_empty() { "Cases".into() } else { title }
}

/// Every file of the new site: (path below the site folder, text).
fn files(title: &str, base_url: Option<&str>, langs: &[&str]) -> Vec<(PathBuf, String)> {
    let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut site = format!(
        "# The settings of the site: see \"Start your own site\" in vitrine's README.\ntitle: {}\n",
        quoted(title)
    );
    match base_url {
        Some(url) => site.push_str(&format!("base_url: {}\n", quoted(url))),
        None => site.push_str(
            "# where the site will be published: canonical links, the sitemap, the feeds\n\
             # and every poster's footer use it (until then they say https://example.org/)\n\
             # base_url: https://www.agency.nl/cases/\n",
        ),
    }
    site.push_str(&format!(
        "default_language: {}\nlanguages:                # in the order of the language switch\n",
        langs[0]
    ));
    for code in langs {
        let (name, section, tags) = known_language(code);
        site.push_str(&format!("  {code}: {{ name: {}, section: {section}, tags: {tags} }}\n", quoted(name)));
    }
    let mut files = vec![
        (PathBuf::from("site.yaml"), site),
        (
            PathBuf::from(".gitignore"),
            "# what vitrine builds, and the folders of a build under way\n/output/\n/.output.vitrine-*\n".into(),
        ),
    ];
    let roles: Vec<String> = langs.iter().map(|code| format!("{code}: {}", quoted(example(code).role))).collect();
    files.push((
        PathBuf::from(format!("content/people/{PERSON}.yaml")),
        format!(
            "# A contact person: cases name them with `contact: {PERSON}`.\nname: Sanne de Vries\nrole: {{ {} }}\nemail: sanne@example.org\n# photo: sanne.jpg          # a square picture in content/people/\n",
            roles.join(", ")
        ),
    ));
    for code in langs {
        let e = example(code);
        files.push((
            PathBuf::from(format!("content/_index.{code}.md")),
            format!("---\ntitle: {}\n---\n\n{}\n", quoted(title), e.intro),
        ));
        files.push((PathBuf::from(format!("content/cases/{CASE}/index.{code}.md")), case(&e)));
    }
    files
}

/// The example case in one language.
fn case(e: &Example) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let facts: String = e.facts.iter().map(|(v, l)| format!("  - value: {}\n    label: {}\n", q(v), q(l))).collect();
    let lines: String = e.lines.iter().map(|(t, x)| format!("    - title: {}\n      text: {}\n", q(t), q(x))).collect();
    format!(
        "---\n# An example case, made by `vitrine init`: replace it with a case of your own\n\
         # (`vitrine new case SLUG` starts one with every key explained).\n\
         title: {}\nclient: {}\ndate: 2026-01-15\nsummary: {}\ntags: [{}]\ncontact: {PERSON}\n\
         quote:\n  text: {}\n  author: {}\nfacts:\n{facts}strategy:\n  title: {}\n  story: {}\n  lines:\n{lines}---\n\n\
         {}\n\n## {}\n\n{}\n\n## {}\n\n{}\n\n## {}\n\n{}\n",
        q(e.title),
        q(e.client),
        q(e.summary),
        e.tag,
        q(e.quote),
        q(e.author),
        q(e.strategy),
        q(e.story),
        e.lead,
        e.headings[0],
        e.question,
        e.headings[1],
        e.approach,
        e.headings[2],
        e.result,
    )
}

/// The example's texts in one language.
struct Example {
    intro: &'static str,
    role: &'static str,
    title: &'static str,
    client: &'static str,
    summary: &'static str,
    tag: &'static str,
    quote: &'static str,
    author: &'static str,
    facts: [(&'static str, &'static str); 2],
    strategy: &'static str,
    story: &'static str,
    lines: [(&'static str, &'static str); 3],
    lead: &'static str,
    headings: [&'static str; 3],
    question: &'static str,
    approach: &'static str,
    result: &'static str,
}

/// The example in Dutch, French, or else English.
fn example(code: &str) -> Example {
    match code.split('-').next().unwrap_or(code) {
        "nl" => Example {
            intro: "Welkom! Hier staan onze cases: wat we voor wie deden, en wat het opleverde.",
            role: "Projectleider",
            title: "Een voorbeeldcase: de nieuwe bibliotheek van Dorpsveld",
            client: "Gemeente Dorpsveld",
            summary: "Hoe een gemeente haar inwoners meenam in de bouw van een nieuwe bibliotheek.",
            tag: "participatie",
            quote: "Inwoners voelden zich gehoord, en dat zie je terug in het ontwerp.",
            author: "Wethouder van Dorpsveld",
            facts: [("1.200", "inwoners deden mee aan de gesprekken"), ("3", "ontwerpen lagen ter keuze voor")],
            strategy: "Een bibliotheek van en voor het dorp",
            story: "Een bibliotheek is van het dorp: wie er komt, praat mee over hoe ze eruitziet.",
            lines: [
                ("Ophalen", "We gingen naar inwoners toe: op de markt, op school en online."),
                ("Terugkoppelen", "Elke keuze kreeg een uitleg, ook als een idee het niet haalde."),
                ("Vieren", "De opening werd een feest van en voor het hele dorp."),
            ],
            lead: "Dit is een voorbeeld. Vervang het door een case van jezelf: de eerste alinea is de inleiding die op kaarten en in zoekmachines verschijnt.",
            headings: ["Vraag", "Aanpak", "Resultaat"],
            question: "Wat vroeg de opdrachtgever?",
            approach: "Hoe pakten we het aan?",
            result: "Wat leverde het op?",
        },
        "fr" => Example {
            intro: "Bienvenue ! Voici nos projets : ce que nous avons fait, pour qui, et avec quels résultats.",
            role: "Cheffe de projet",
            title: "Un exemple de projet : la nouvelle bibliothèque de Villechamp",
            client: "Commune de Villechamp",
            summary: "Comment une commune a associé ses habitants à la construction d’une nouvelle bibliothèque.",
            tag: "participation",
            quote: "Les habitants se sont sentis écoutés, et cela se voit dans le projet.",
            author: "Échevin de Villechamp",
            facts: [("1 200", "habitants ont pris part aux échanges"), ("3", "projets ont été soumis au choix")],
            strategy: "Une bibliothèque du village, pour le village",
            story: "Une bibliothèque appartient au village : qui la fréquente a son mot à dire.",
            lines: [
                ("Écouter", "Nous sommes allés vers les habitants : au marché, à l’école et en ligne."),
                ("Expliquer", "Chaque choix a été expliqué, même quand une idée n’a pas été retenue."),
                ("Célébrer", "L’ouverture est devenue la fête de tout le village."),
            ],
            lead: "Ceci est un exemple. Remplacez-le par un projet à vous : le premier paragraphe est l’introduction reprise sur les cartes et par les moteurs de recherche.",
            headings: ["Demande", "Approche", "Résultat"],
            question: "Que demandait le client ?",
            approach: "Comment avons-nous procédé ?",
            result: "Qu’en est-il ressorti ?",
        },
        _ => Example {
            intro: "Welcome! These are our cases: what we did, for whom, and what came of it.",
            role: "Project lead",
            title: "An example case: the new library of Fieldham",
            client: "Fieldham Council",
            summary: "How a council took its residents along in building a new library.",
            tag: "participation",
            quote: "Residents felt heard, and you can see it in the design.",
            author: "Councillor of Fieldham",
            facts: [("1,200", "residents took part in the talks"), ("3", "designs were put to the choice")],
            strategy: "A library of and for the village",
            story: "A library belongs to the village: whoever uses it has a say in how it looks.",
            lines: [
                ("Listen", "We went to the residents: at the market, at school and online."),
                ("Explain", "Every choice was explained, also when an idea did not make it."),
                ("Celebrate", "The opening became a party of and for the whole village."),
            ],
            lead: "This is an example. Replace it with a case of your own: the first paragraph is the lead shown on cards and by search engines.",
            headings: ["Question", "Approach", "Result"],
            question: "What did the client ask?",
            approach: "How did we go about it?",
            result: "What came of it?",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_folder() {
        assert_eq!(default_title(Path::new("/tmp/agency-cases")), "Agency cases");
    }
}
