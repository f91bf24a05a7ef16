//! Front matter: splitting a file into its YAML block and Markdown body, and
//! turning YAML problems into diagnostics at the right line of the file.
//!
//! All YAML goes through [`parse`], so that the YAML crate can be swapped in
//! one place. The typed parse is the fast path; only when it fails is the file
//! parsed again as a plain tree and checked against a [`Schema`], so that every
//! unknown or missing key of a file is reported at once, each at its own line.

use crate::diagnostic::did_you_mean;
use serde::de::DeserializeOwned;
use serde_yaml::Value;

/// A problem found in a YAML text: 1-based line and column in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlProblem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// How many characters to underline, when more than the word at the column.
    pub width: Option<usize>,
}

impl YamlProblem {
    /// The problem as a diagnostic of the file it was found in.
    pub fn into_diagnostic(self, path: &std::path::Path) -> crate::diagnostic::Diagnostic {
        let d = crate::diagnostic::Diagnostic::error(path, self.line, self.column, self.message);
        let d = crate::diagnostic::Diagnostic { width: self.width, ..d };
        match self.hint {
            Some(h) => d.with_hint(h),
            None => d,
        }
    }

    fn new(line: usize, column: usize, message: impl Into<String>) -> Self {
        YamlProblem { line, column, message: message.into(), hint: None, width: None }
    }
}

/// A file cut into its front matter and its body.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML block including the opening `---` line, so that YAML line
    /// numbers are file line numbers.
    pub yaml: &'a str,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
}

impl Split<'_> {
    /// The line of the file where the body starts: after the YAML block
    /// and its closing `---` line.
    pub fn body_line(&self) -> usize {
        self.yaml.matches('\n').count() + 2
    }
}

/// Removes a UTF-8 byte order mark, which some Windows editors write.
pub fn strip_bom(src: &str) -> &str {
    src.strip_prefix('\u{feff}').unwrap_or(src)
}

/// Cuts a case file into front matter and body. A file that does not start
/// with `---`, or never closes it, is an error at line 1.
pub fn split(src: &str) -> Result<Split<'_>, YamlProblem> {
    if src.trim().is_empty() {
        return Err(YamlProblem::new(
            1,
            1,
            "the file is empty: a case starts with front matter between two `---` lines",
        ));
    }
    let first_end = src.find('\n').map_or(src.len(), |i| i + 1);
    if src[..first_end].trim_end() != "---" {
        return Err(YamlProblem::new(1, 1, "no front matter: the first line of a case file must be `---`"));
    }
    let mut pos = first_end;
    while pos < src.len() {
        let end = src[pos..].find('\n').map_or(src.len(), |i| pos + i + 1);
        let line = src[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split { yaml: &src[..pos], body: &src[end..] });
        }
        pos = end;
    }
    Err(YamlProblem::new(1, 1, "the front matter is never closed: add a line `---` after its last key"))
}

/// Parses YAML into `T`. On failure, returns every problem that can be found:
/// syntax errors, unknown keys (with a did-you-mean hint), missing keys and
/// wrong types, each at its line in the file.
pub fn parse<T: DeserializeOwned>(yaml: &str, schema: &Schema) -> Result<T, Vec<YamlProblem>> {
    match parse_recovering(yaml, schema) {
        (Some(v), problems) if problems.is_empty() => Ok(v),
        (_, problems) => Err(problems),
    }
}

/// Like [`parse`], but also returns the value read past its problems (a
/// misspelt key taken as the key it was suggested for, a value that cannot
/// be read left out or, when required, stood in for: see [`recover`]), so
/// that later checks of the same file (a contact, a related case) are
/// reported in the same run rather than after the problem is fixed. The
/// problems are still errors.
pub fn parse_recovering<T: DeserializeOwned>(yaml: &str, schema: &Schema) -> (Option<T>, Vec<YamlProblem>) {
    match serde_yaml::from_str::<T>(yaml) {
        Ok(v) => (Some(v), Vec::new()),
        Err(typed) => match serde_yaml::from_str::<Value>(yaml) {
            Ok(tree) => read_past(tree, &typed, yaml, schema),
            Err(syntax) => (None, vec![from_yaml_error(&syntax, yaml)]),
        },
    }
}

/// A key at the top of a front matter that its schema does not know and
/// that is no misspelling of one of its keys: kept for the validate stage,
/// which takes it when the site declares it (a filter of `site.yaml`) and
/// refuses it otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Extra {
    pub key: String,
    /// Its texts (one, or a list of them; none when blank); `None` when its
    /// value is no text (a mapping, a list of lists).
    pub values: Option<Vec<String>>,
    pub line: usize,
    pub column: usize,
}

/// Like [`parse_recovering`], but the keys at the top that `schema` does
/// not know and that are no misspelling of one of its keys are taken out
/// as [`Extra`]s rather than refused.
pub fn parse_keeping_extra<T: DeserializeOwned>(
    yaml: &str,
    schema: &Schema,
) -> (Option<T>, Vec<Extra>, Vec<YamlProblem>) {
    // the fast path: such keys blanked out of the text (lines kept), read
    // typed; their values read on their own
    let typed = match without_extra(yaml, schema) {
        None => serde_yaml::from_str::<T>(yaml),
        Some((text, extra)) => match serde_yaml::from_str::<T>(&text) {
            Ok(v) => return (Some(v), extra, Vec::new()),
            Err(e) => Err(e),
        },
    };
    let typed = match typed {
        Ok(v) => return (Some(v), Vec::new(), Vec::new()),
        Err(e) => e,
    };
    let mut tree = match serde_yaml::from_str::<Value>(yaml) {
        Ok(tree) => tree,
        Err(syntax) => return (None, Vec::new(), vec![from_yaml_error(&syntax, yaml)]),
    };
    let mut extra = Vec::new();
    if let (Schema::Map(keys), Value::Mapping(map)) = (schema, &mut tree) {
        let unknown: Vec<String> =
            map.keys().filter_map(Value::as_str).filter(|name| own_key(name, keys)).map(str::to_string).collect();
        for key in unknown {
            let value = map.remove(key.as_str()).unwrap_or_default();
            let (line, column) = locate(yaml, &[Seg::Key(&key)]);
            extra.push(Extra { values: texts_of(value), key, line, column });
        }
    }
    if extra.is_empty() {
        let (v, problems) = read_past(tree, &typed, yaml, schema);
        return (v, extra, problems);
    }
    let (v, problems) = match serde_yaml::from_value::<T>(tree.clone()) {
        Ok(v) => (Some(v), Vec::new()),
        Err(typed) => read_past(tree, &typed, yaml, schema),
    };
    (v, extra, problems)
}

/// The text with the block-style keys at the top that `schema` does not
/// know (and that are no misspelling of one of its keys) blanked out, each
/// line of them left empty so that the lines keep their numbers, and those
/// keys read on their own; `None` when there are none.
fn without_extra(yaml: &str, schema: &Schema) -> Option<(String, Vec<Extra>)> {
    let Schema::Map(keys) = schema else { return None };
    let unknown = |line| unknown_key(line, keys);
    // the first such key, before anything is copied
    let first = yaml.split_inclusive('\n').position(|l| unknown(l).is_some())?;
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let mut text = String::with_capacity(yaml.len());
    let mut extra = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(key) = (i >= first).then(|| unknown(lines[i])).flatten() else {
            text.push_str(lines[i]);
            i += 1;
            continue;
        };
        // the key's value: its line and those below it that belong to it
        let end = (i + 1..lines.len())
            .find(|&j| lines[j].starts_with(|c: char| !c.is_whitespace() && c != '-' && c != '#'))
            .unwrap_or(lines.len());
        let value: String = lines[i..end].concat();
        // (a value that cannot be read alone is left to the tree's reading)
        let values = serde_yaml::from_str::<Value>(&value)
            .ok()
            .and_then(|v| v.as_mapping().and_then(|m| m.get(key)).cloned())
            .and_then(texts_of)?;
        extra.push(Extra { key: key.to_string(), values: Some(values), line: i + 1, column: 1 });
        text.extend(lines[i..end].iter().map(|l| if l.ends_with('\n') { "\n" } else { "" }));
        i = end;
    }
    Some((text, extra))
}

/// The key of a line that starts one at the top, when it is a key of the
/// site's own ([`own_key`]).
fn unknown_key<'l>(line: &'l str, keys: &[(&'static str, bool, Schema)]) -> Option<&'l str> {
    if !line.starts_with(char::is_alphabetic) {
        return None;
    }
    key_of(line).filter(|key| own_key(key, keys))
}

/// Whether `keys` neither have `name` nor a key it is a misspelling of.
fn own_key(name: &str, keys: &[(&'static str, bool, Schema)]) -> bool {
    let known = || keys.iter().map(|k| k.0);
    !known().any(|k| k == name) && suggest_key(name, known()).is_none()
}

/// A value as texts: a scalar is one, a list of scalars is each; blank ones
/// are left out. `None` for anything else.
fn texts_of(v: Value) -> Option<Vec<String>> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    };
    let all: Option<Vec<String>> = match &v {
        Value::Sequence(items) => items.iter().map(text).collect(),
        other => text(other).map(|t| vec![t]),
    };
    all.map(|mut all| {
        all.retain(|t| !t.is_empty());
        all
    })
}

/// The slow path of [`parse_recovering`], from the file's tree and the
/// error of reading it typed.
fn read_past<T: DeserializeOwned>(
    tree: Value,
    typed: &serde_yaml::Error,
    yaml: &str,
    schema: &Schema,
) -> (Option<T>, Vec<YamlProblem>) {
    // a group the web editor saved half emptied is no group
    if let Ok(v) = serde_yaml::from_value::<T>(crate::model::values::without_empty(tree.clone())) {
        return (Some(v), Vec::new());
    }
    let mut problems = Vec::new();
    check(&tree, schema, &mut Vec::new(), &Source::new(yaml), &mut problems);
    if problems.is_empty() {
        problems.push(from_yaml_error(typed, yaml));
    }
    // a misspelt key taken as the key it was suggested for, or, when
    // its value does not fit that key (`feiten: 1` for facts), left out
    let recovered = recover(known_keys(tree.clone(), schema, true), schema)
        .or_else(|| recover(known_keys(tree, schema, false), schema));
    (recovered, problems)
}

/// The value of `tree`, read past the keys whose values cannot be read (a
/// date that is none, text where a list belongs): such a key is left out,
/// or, when required, given a stand-in, so that the rest of the file is
/// still checked in the same run. The keys are tried one by one; one that
/// changes the error was at fault.
fn recover<T: DeserializeOwned>(mut tree: Value, schema: &Schema) -> Option<T> {
    let mut error = match serde_yaml::from_value::<T>(tree.clone()) {
        Ok(v) => return Some(v),
        Err(e) => e.to_string(),
    };
    let Schema::Map(keys) = schema else { return None };
    for (name, required, sub) in keys.iter() {
        let key = Value::String(name.to_string());
        let mut trial = tree.clone();
        let Some(map) = trial.as_mapping_mut().filter(|m| m.contains_key(&key)) else { continue };
        match (required, sub) {
            (false, _) => {
                map.remove(&key);
            }
            (true, Schema::Date) => {
                map.insert(key, Value::String("1970-01-01".into()));
            }
            (true, Schema::Scalar) => {
                map.insert(key, Value::String("?".into()));
            }
            (true, _) => continue,
        }
        match serde_yaml::from_value::<T>(trial.clone()) {
            Ok(v) => return Some(v),
            Err(e) if e.to_string() != error => (tree, error) = (trial, e.to_string()),
            Err(_) => {}
        }
    }
    None
}

/// The tree with the keys the schema does not know taken out; with
/// `rename`, a misspelt key renamed to the one [`check`] suggested for it.
fn known_keys(v: Value, schema: &Schema, rename: bool) -> Value {
    match (schema, v) {
        (Schema::List(item), Value::Sequence(items)) => {
            Value::Sequence(items.into_iter().map(|it| known_keys(it, item, rename)).collect())
        }
        (Schema::Map(keys), Value::Mapping(map)) => {
            let mut out = serde_yaml::Mapping::new();
            let mut unknown = Vec::new();
            for (k, child) in map {
                match keys.iter().find(|(n, _, _)| Some(*n) == k.as_str()) {
                    Some((_, _, sub)) => {
                        out.insert(k, known_keys(child, sub, rename));
                    }
                    None if rename => unknown.push((k, child)),
                    None => {}
                }
            }
            for (k, child) in unknown {
                let meant = k.as_str().and_then(|name| suggest_key(name, keys.iter().map(|k| k.0)));
                if let Some((name, _, sub)) = meant.and_then(|m| keys.iter().find(|(n, _, _)| *n == m)) {
                    let name = Value::String(name.to_string());
                    if !out.contains_key(&name) {
                        out.insert(name, known_keys(child, sub, rename));
                    }
                }
            }
            Value::Mapping(out)
        }
        (_, v) => v,
    }
}

/// Keys as Dutch and French editors write them, with the key vitrine
/// knows them by; the key itself must be one of the schema's.
const TRANSLATED_KEYS: &[(&str, &str)] = &[
    ("titel", "title"),
    ("titre", "title"),
    ("klant", "client"),
    ("opdrachtgever", "client"),
    ("datum", "date"),
    ("samenvatting", "summary"),
    ("résumé", "summary"),
    ("resume", "summary"),
    ("citaat", "quote"),
    ("citation", "quote"),
    ("strategie", "strategy"),
    ("stratégie", "strategy"),
    ("feiten", "facts"),
    ("faits", "facts"),
    ("cijfers", "facts"),
    ("chiffres", "facts"),
    ("trefwoorden", "tags"),
    ("mots-clés", "tags"),
    ("contactpersoon", "contact"),
    ("afbeelding", "image"),
    ("beeld", "image"),
    ("gerelateerd", "related"),
    ("concept", "draft"),
    ("brouillon", "draft"),
    ("tekst", "text"),
    ("texte", "text"),
    ("auteur", "author"),
    ("waarde", "value"),
    ("valeur", "value"),
    ("bron", "source"),
    ("lijnen", "lines"),
    ("lignes", "lines"),
    ("verhaal", "story"),
    ("naam", "name"),
    ("nom", "name"),
    ("rol", "role"),
    ("functie", "role"),
    ("foto", "photo"),
    ("taal", "languages"),
    ("talen", "languages"),
    ("langues", "languages"),
];

/// The key a misspelt or translated key was meant as, among `keys`.
pub fn suggest_key<'a>(name: &str, keys: impl Iterator<Item = &'a str> + Clone) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let translated = TRANSLATED_KEYS.iter().find(|(from, _)| *from == lower).map(|(_, to)| *to);
    translated.and_then(|t| keys.clone().find(|k| *k == t)).or_else(|| did_you_mean(name, keys))
}

fn from_yaml_error(e: &serde_yaml::Error, yaml: &str) -> YamlProblem {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    if message.contains("repetition limit exceeded") {
        message = "the YAML expands too much (nested aliases): write the values out".into();
    } else if message.contains("recursion limit exceeded") {
        message = "the YAML is nested too deeply: a front matter needs at most a few levels".into();
    }
    // "duplicate entry with key "k"", after the path of a nested mapping
    if let Some((_, key)) = message.split_once("duplicate entry with key \"")
        && let Some(key) = key.strip_suffix('"')
        && let Some(problem) = duplicate(yaml, key, line, column)
    {
        return problem;
    }
    // serde_yaml places a few errors just past the end of the block
    let last = yaml.lines().count().max(1);
    let line = line.min(last);
    let mut problem = YamlProblem::new(line, column, one_based(&message));
    let text = yaml.lines().nth(line - 1).unwrap_or("");
    let indent = &text[..text.len() - text.trim_start_matches([' ', '\t']).len()];
    if indent.contains('\t') {
        problem.hint = Some("indent with spaces: YAML does not allow tabs in indentation".into());
    } else if message.starts_with("mapping values are not allowed") {
        problem.hint = quote_hint(text);
    } else if let Some((col, message, hint)) = inner_quote(text) {
        // `"Hij zei "ja""`, `'l'agence'`: the value ended at the inner quote
        (problem.column, problem.message, problem.hint, problem.width) = (col, message, Some(hint), Some(1));
    }
    problem
}

/// A quoted value that ends before its line does: the quote inside it
/// closed it (`summary: "Hij zei "ja" tegen"`, `title: 'l'agence'`). The
/// column of that quote, the message and the fix.
fn inner_quote(line: &str) -> Option<(usize, String, String)> {
    let (key, value) = line.split_once(": ")?;
    let value_at = key.len() + 2 + (value.len() - value.trim_start().len());
    let value = value.trim();
    let q = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    // where the quoted scalar ends: the next quote not escaped (`\"`, `''`)
    let bytes = value.as_bytes();
    let mut i = 1;
    let end = loop {
        match bytes.get(i) {
            None => return None,
            Some(b'\\') if q == '"' => i += 2,
            Some(&b) if b == q as u8 && q == '\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            Some(&b) if b == q as u8 => break i,
            Some(_) => i += 1,
        }
    };
    let rest = value[end + 1..].trim();
    if rest.is_empty() || rest.starts_with('#') {
        return None;
    }
    let col = line[..value_at + end].chars().count() + 1;
    let inner = value[1..].strip_suffix(q).unwrap_or(&value[1..]);
    let (message, hint) = if q == '"' {
        let single = format!("'{}'", inner.replace('\'', "''"));
        (
            "this `\"` ends the text that the first `\"` began, and the rest of the line is left over",
            format!(
                "to write \" inside the text, put the text in single quotes: {}: {single} (or write \\\" for each inner quote)",
                key.trim()
            ),
        )
    } else {
        let doubled = format!("'{}'", inner.replace('\'', "''"));
        (
            "this `'` ends the text that the first `'` began, and the rest of the line is left over",
            format!(
                "to write ' inside text in single quotes, double it: {}: {doubled} (or put the text in double quotes)",
                key.trim()
            ),
        )
    };
    Some((col, message.to_string(), hint))
}

/// A hint for the commonest YAML mistake, a colon in unquoted text:
/// `title: Partnercommunicatie: een reis` → `title: "Partnercommunicatie: een reis"`.
fn quote_hint(line: &str) -> Option<String> {
    let (key, value) = line.split_once(": ")?;
    let value = value.trim();
    if value.starts_with(['"', '\'']) {
        return None;
    }
    let quoted = serde_json::to_string(value).ok()?;
    Some(format!("put the text in quotes: {}: {quoted}", key.trim_end()))
}

/// serde_yaml numbers list items from 0 (`facts[0].value: …`); an editor
/// counts from 1, as every other message of vitrine does.
fn one_based(message: &str) -> String {
    let end = message.find(": ").unwrap_or(0);
    let (path, rest) = message.split_at(end);
    let mut out = String::with_capacity(message.len());
    let mut chars = path.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        out.push(c);
        if c != '[' {
            continue;
        }
        let digits: String = path[i + 1..].chars().take_while(char::is_ascii_digit).collect();
        if let (Ok(n), true) = (digits.parse::<usize>(), path[i + 1 + digits.len()..].starts_with(']')) {
            out.push_str(&(n + 1).to_string());
            for _ in 0..digits.len() {
                chars.next();
            }
        }
    }
    out.push_str(rest);
    out
}

/// A key given twice in the block mapping whose first key is at `line` and
/// `column` (where serde_yaml reports it): the problem at the second one.
fn duplicate(yaml: &str, key: &str, line: usize, column: usize) -> Option<YamlProblem> {
    let indent = column.checked_sub(1)?;
    let mut first = None;
    for (n, text) in yaml.lines().enumerate().skip(line.checked_sub(1)?) {
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = text.len() - trimmed.len();
        if at < indent {
            break;
        }
        let name = trimmed.split(':').next().unwrap_or("").trim().trim_matches(['"', '\'']);
        if at == indent && name == key && trimmed.contains(':') {
            match first {
                None => first = Some(n + 1),
                Some(first) => {
                    let mut p =
                        YamlProblem::new(n + 1, column, format!("`{key}` is given twice (first at line {first})"));
                    p.hint = Some("keep one of them".into());
                    return Some(p);
                }
            }
        }
    }
    None
}

/// The keys a YAML mapping may hold, with what each holds: enough to report
/// unknown and missing keys and values of the wrong shape.
#[derive(Debug)]
pub enum Schema {
    /// A mapping with these keys: (name, required, what it holds).
    Map(&'static [(&'static str, bool, Schema)]),
    /// A list of items of one kind.
    List(&'static Schema),
    /// A string, number or boolean.
    Scalar,
    /// A day as `YYYY-MM-DD`.
    Date,
    /// Anything (checked by the typed parse).
    Any,
}

/// One step of a path into a YAML tree.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn path_name(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if s.is_empty() => s.push_str(k),
            Seg::Key(k) => {
                s.push('.');
                s.push_str(k)
            }
            Seg::Index(i) => s.push_str(&format!("[{}]", i + 1)),
        }
    }
    s
}

/// The YAML text with its lines sorted out once (a file with thousands of
/// problems locates each without reading the text again).
struct Source<'y> {
    yaml: &'y str,
    lines: Vec<Line<'y>>,
    /// The line (index in `lines`) of each top-level key, first one first.
    top: std::collections::HashMap<&'y str, usize>,
}

impl<'y> Source<'y> {
    fn new(yaml: &'y str) -> Source<'y> {
        let lines = lines_of(yaml);
        let level = lines.iter().map(|l| l.indent).min().unwrap_or(0);
        let mut top = std::collections::HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            if l.indent == level
                && let Some(k) = key_of(l.text)
            {
                top.entry(k).or_insert(i);
            }
        }
        Source { yaml, lines, top }
    }
}

fn check<'a>(v: &'a Value, schema: &Schema, path: &mut Vec<Seg<'a>>, src: &Source, out: &mut Vec<YamlProblem>) {
    let yaml = src.yaml;
    let here = |path: &[Seg]| locate_in(&src.lines, Some(&src.top), path);
    match schema {
        Schema::Any => {}
        Schema::Date => {
            let text = match v {
                Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
            };
            if crate::model::date::Date::parse(text.trim()).is_none() {
                let (l, c) = locate_value(yaml, path);
                let mut p = YamlProblem::new(l, c, crate::model::date::Date::error_message(&text));
                // the whole value is underlined, not its first word
                let written: String = yaml.lines().nth(l - 1).unwrap_or("").chars().skip(c - 1).collect();
                let written = written.split(" #").next().unwrap_or("").trim_end();
                p.width = Some(written.chars().count().max(1));
                out.push(p);
            }
        }
        Schema::Scalar => {
            if matches!(v, Value::Sequence(_) | Value::Mapping(_)) {
                let (l, c) = here(path);
                out.push(YamlProblem::new(
                    l,
                    c,
                    format!("`{}` must be a single value, not a list or mapping", path_name(path)),
                ));
            }
        }
        Schema::List(item) => match v {
            Value::Sequence(items) => {
                for (i, it) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    check(it, item, path, src, out);
                    path.pop();
                }
            }
            Value::Null => {}
            _ => {
                let (l, c) = here(path);
                out.push(YamlProblem::new(l, c, format!("`{}` must be a list", path_name(path))));
            }
        },
        Schema::Map(keys) => {
            let Value::Mapping(map) = v else {
                let (l, c) = here(path);
                let names: Vec<&str> = keys.iter().map(|k| k.0).collect();
                let what =
                    if path.is_empty() { "the front matter".to_string() } else { format!("`{}`", path_name(path)) };
                out.push(YamlProblem::new(
                    l,
                    c,
                    format!("{what} must be a mapping with the keys {}", names.join(", ")),
                ));
                return;
            };
            // a missing key that a misspelt one was taken for is said once, in that hint
            let mut suggested = Vec::new();
            for (k, child) in map {
                let Some(name) = k.as_str() else {
                    let (l, c) = here(path);
                    out.push(YamlProblem::new(l, c, format!("a key of `{}` is not text", path_name(path))));
                    continue;
                };
                path.push(Seg::Key(name));
                match keys.iter().find(|(n, _, _)| *n == name) {
                    Some((_, required, sub)) => {
                        if child.is_null() && *required {
                            let (l, c) = here(path);
                            out.push(YamlProblem::new(l, c, format!("`{}` has no value", path_name(path))));
                        } else if !child.is_null() {
                            check(child, sub, path, src, out);
                        }
                    }
                    None => {
                        let (l, c) = here(path);
                        let mut p = YamlProblem::new(l, c, format!("unknown key `{}`", path_name(path)));
                        p.hint = match suggest_key(name, keys.iter().map(|k| k.0)) {
                            Some(m) => {
                                suggested.push(m);
                                Some(format!("did you mean `{m}`?"))
                            }
                            None => Some(format!(
                                "the keys here are: {}",
                                keys.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
                            )),
                        };
                        out.push(p);
                    }
                }
                path.pop();
            }
            for (name, required, _) in keys.iter() {
                if *required && !map.contains_key(*name) && !suggested.contains(name) {
                    let (l, c) = here(path);
                    path.push(Seg::Key(name));
                    out.push(YamlProblem::new(l, c, format!("missing required key `{}`", path_name(path))));
                    path.pop();
                }
            }
        }
    }
}

/// One meaningful line of a YAML block, as [`locate`] sees it.
struct Line<'a> {
    no: usize,
    /// Column (0-based) where the key or value text starts.
    indent: usize,
    /// Column (0-based) of the list dash, when the line starts a list item.
    dash: Option<usize>,
    text: &'a str,
}

fn lines_of(yaml: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for (i, raw) in yaml.lines().enumerate() {
        let trimmed = raw.trim_start_matches(' ');
        let text = trimmed.trim_end();
        if text.is_empty() || text.starts_with('#') || (i == 0 && text == "---") {
            continue;
        }
        let mut indent = raw.len() - trimmed.len();
        let mut dash = None;
        let mut text = text;
        if let Some(rest) = text.strip_prefix('-').filter(|r| r.is_empty() || r.starts_with(' ')) {
            dash = Some(indent);
            let rest_trim = rest.trim_start_matches(' ');
            indent += 1 + rest.len() - rest_trim.len();
            text = rest_trim;
        }
        out.push(Line { no: i + 1, indent, dash, text });
    }
    out
}

/// Finds the line and column of a key or list item in a YAML block, so that
/// problems found after parsing (a date, a reference) point at the key. Falls
/// back to the nearest ancestor found, and to line 1 for the whole block.
pub fn locate(yaml: &str, path: &[Seg]) -> (usize, usize) {
    locate_in(&lines_of(yaml), None, path)
}

/// [`locate`] in lines sorted out before, with the top-level keys indexed
/// when `top` is given.
fn locate_in(lines: &[Line], top: Option<&std::collections::HashMap<&str, usize>>, path: &[Seg]) -> (usize, usize) {
    let (mut lo, mut hi) = (0, lines.len());
    let mut best = (1, 1);
    for seg in path {
        let range = &lines[lo..hi];
        match *seg {
            Seg::Key(key) => {
                let Some(level) = range.iter().map(|l| l.indent).min() else {
                    return best;
                };
                let found = match top {
                    Some(top) if lo == 0 && hi == lines.len() => top.get(key).copied(),
                    _ => range.iter().position(|l| l.indent == level && key_of(l.text) == Some(key)),
                };
                let Some(i) = found else { return best };
                let l = &range[i];
                best = (l.no, l.indent + 1);
                let start = lo + i + 1;
                let end = lines[start..hi]
                    .iter()
                    .position(|m| match m.dash {
                        Some(d) => d < level,
                        None => m.indent <= level,
                    })
                    .map_or(hi, |j| start + j);
                (lo, hi) = (start, end);
            }
            Seg::Index(n) => {
                let Some(level) = range.iter().filter_map(|l| l.dash).min() else {
                    return best;
                };
                let items: Vec<usize> = (0..range.len()).filter(|&i| range[i].dash == Some(level)).collect();
                let Some(&i) = items.get(n) else { return best };
                best = (range[i].no, level + 1);
                let end = items.get(n + 1).map_or(hi, |&j| lo + j);
                (lo, hi) = (lo + i, end);
            }
        }
    }
    best
}

/// Like [`locate`], but points at the value after `key:` when it stands on
/// the same line (where a wrong value is).
pub fn locate_value(yaml: &str, path: &[Seg]) -> (usize, usize) {
    let (line, col) = locate(yaml, path);
    let Some(text) = yaml.lines().nth(line - 1) else { return (line, col) };
    let after_key: String = text.chars().skip(col - 1).collect();
    match after_key.find(':') {
        Some(i) => {
            let rest = &after_key[i + 1..];
            let spaces = rest.len() - rest.trim_start().len();
            if rest.trim().is_empty() { (line, col) } else { (line, col + after_key[..i + 1].chars().count() + spaces) }
        }
        None => (line, col),
    }
}

/// Like [`locate`], but points at `text` where it stands on the line found
/// (an item of a list written `[a, b]` on the key's line).
pub fn locate_text(yaml: &str, path: &[Seg], text: &str) -> (usize, usize) {
    let (line, col) = locate(yaml, path);
    let Some(on_line) = yaml.lines().nth(line - 1) else { return (line, col) };
    let start = on_line.char_indices().nth(col - 1).map_or(on_line.len(), |(i, _)| i);
    let rest = &on_line[start..];
    // the whole item, not a part of another (`bavel` in `oud-bavel`)
    let apart = |c: Option<char>| c.is_none_or(|c| " \t[],'\"".contains(c));
    let whole = rest.match_indices(text).find(|&(i, _)| {
        apart(rest[..i].chars().next_back()) && (apart(rest[i + text.len()..].chars().next()) || text.is_empty())
    });
    match whole {
        Some((i, _)) => (line, col + rest[..i].chars().count()),
        None => (line, col),
    }
}

fn key_of(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    let key = text[..colon].trim_end();
    Some(key.trim_matches(|c| c == '"' || c == '\''))
}

impl Schema {
    /// The keys of a mapping schema (or of a list's items), in order.
    pub fn keys(&self) -> Vec<&'static str> {
        match self {
            Schema::Map(keys) => keys.iter().map(|k| k.0).collect(),
            Schema::List(item) => item.keys(),
            _ => Vec::new(),
        }
    }

    /// The schema of a key of a mapping schema (or of a list's items).
    pub fn key(&self, name: &str) -> Option<&Schema> {
        match self {
            Schema::Map(keys) => keys.iter().find(|k| k.0 == name).map(|k| &k.2),
            Schema::List(item) => item.key(name),
            _ => None,
        }
    }
}

/// The field names serde reads into `T` (a struct), in declaration order:
/// what a [`Schema`] must list, so that tests can hold the two together.
#[cfg(test)]
pub fn serde_fields<T: DeserializeOwned>() -> Vec<&'static str> {
    use serde::de::{Error, Visitor, value};
    struct Capture<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Capture<'_> {
        type Error = value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, value::Error> {
            Err(value::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, value::Error> {
            *self.0 = fields;
            Err(value::Error::custom("fields taken"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    use serde::Deserializer;
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Capture(&mut fields));
    fields.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "---\ntitle: A\nquote:\n  text: Q\n  author: B\nfacts:\n- value: \"1\"\n  label: one\n- value: \"2\"\n  label: two\nstrategy:\n  lines:\n    - title: L1\n    - title: L2\n      text: T2\ntags: [a, b]\n";

    #[test]
    fn locate_finds_keys_and_items() {
        assert_eq!(locate(YAML, &[Seg::Key("title")]), (2, 1));
        assert_eq!(locate(YAML, &[Seg::Key("quote"), Seg::Key("author")]), (5, 3));
        assert_eq!(locate(YAML, &[Seg::Key("facts"), Seg::Index(1)]), (9, 1));
        assert_eq!(locate(YAML, &[Seg::Key("facts"), Seg::Index(1), Seg::Key("label")]), (10, 3));
        assert_eq!(locate(YAML, &[Seg::Key("strategy"), Seg::Key("lines"), Seg::Index(1), Seg::Key("text")]), (15, 7));
        // flow lists and missing keys fall back to the nearest ancestor
        assert_eq!(locate(YAML, &[Seg::Key("tags"), Seg::Index(1)]), (16, 1));
        assert_eq!(locate(YAML, &[Seg::Key("nope")]), (1, 1));
    }

    #[test]
    fn a_key_given_twice_is_reported_at_the_second() {
        let problems =
            parse::<Value>("---\ntitle: A\nquote:\n  text: Q\n  # x\n  text: R\ntitle: B\n", &Schema::Any).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (6, 3), "{problems:?}");
        assert_eq!(problems[0].message, "`text` is given twice (first at line 4)");
    }

    #[test]
    fn keys_of_a_site_s_own_are_kept_apart_with_their_lines() {
        use crate::model::content::{CASE_SCHEMA, FrontMatter};
        let yaml =
            "title: A\nsector:\n  - Overheid\n  # and\n  - Zorg\nclient: K\nregio: 'Noord-Brabant'\ndate: 2021-01-02\n";
        let (fm, extra, problems) = parse_keeping_extra::<FrontMatter>(yaml, &CASE_SCHEMA);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!((fm.unwrap().client.as_str(), extra.len()), ("K", 2));
        assert_eq!(
            (extra[0].key.as_str(), extra[0].line, extra[0].values.clone()),
            ("sector", 2, Some(vec!["Overheid".into(), "Zorg".into()]))
        );
        assert_eq!(
            (extra[1].key.as_str(), extra[1].line, extra[1].values.clone()),
            ("regio", 7, Some(vec!["Noord-Brabant".into()]))
        );
        // a problem below such a key is at its own line, a misspelt key stays a problem here
        let (_, extra, problems) =
            parse_keeping_extra::<FrontMatter>("title: A\nsector: x\nklant: K\ndate: 2021-13-01\n", &CASE_SCHEMA);
        let mut at: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.message.as_str())).collect();
        at.sort();
        assert_eq!(at[0], (3, "unknown key `klant`"), "{at:?}");
        assert_eq!(at[1].0, 4);
        assert_eq!(extra.iter().map(|e| (e.key.as_str(), e.line)).collect::<Vec<_>>(), [("sector", 2)]);
        // a value that is no text is kept as none
        let (_, extra, _) = parse_keeping_extra::<FrontMatter>(
            "title: A\nclient: K\ndate: 2021-01-02\nsector: { a: b }\n",
            &CASE_SCHEMA,
        );
        assert_eq!((extra[0].line, extra[0].values.clone()), (4, None));
    }

    #[test]
    fn split_handles_crlf_and_missing_close() {
        let s = split("---\r\ntitle: x\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.yaml, "---\r\ntitle: x\r\n");
        assert_eq!(s.body, "body\r\n");
        assert!(split("---\ntitle: x\n").unwrap_err().message.contains("never closed"));
        assert!(split("").unwrap_err().message.contains("empty"));
        assert!(split("title: x\n").unwrap_err().message.contains("first line"));
    }
}
