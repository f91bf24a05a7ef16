//! One type for every problem an editor can fix, so that every stage reports
//! the same way and a command can print all of them at once.

pub mod report;
pub mod timings;

use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a problem stops the build (error) or is only worth knowing (warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem located in a file of the site folder: printed as
/// `path:line:column: error: message`, the shape editors' tools and terminals
/// turn into a link to the spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user would type it (the site root joined with the relative path).
    pub path: PathBuf,
    /// 1-based line in the whole file (not in the front matter block).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    /// What the editor probably meant, when it can be guessed.
    pub hint: Option<String>,
    /// How many characters the caret underlines, when more than the word
    /// at the column (a whole date such as `15 september 2021`).
    pub width: Option<usize>,
}

impl Diagnostic {
    /// An error at a position of a file.
    pub fn error(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: line.max(1),
            column: column.max(1),
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            width: None,
        }
    }

    /// A warning at a position of a file.
    pub fn warning(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(path, line, column, message) }
    }

    /// The same diagnostic with a hint attached.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Errors fail the command; warnings are only printed.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {kind}: {}", self.path.display(), self.line, self.column, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n    hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics the way they are printed: by file, then position, errors
/// before warnings at the same spot; exact repeats are dropped.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message).cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
    diags.dedup();
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// The path shown to the user for a file of the site: `root/rel`, relative
/// to the current folder when it lies below it (the commands resolve the
/// root to an absolute path, yet `cd site && vitrine build` reports
/// `content/cases/…`), so that what is shown can also be typed.
pub fn display_path(root: &Path, rel: &Path) -> PathBuf {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        return rel.to_path_buf();
    }
    let full = root.join(rel);
    match current_dir() {
        Some(cwd) if root.is_absolute() => match full.strip_prefix(cwd) {
            Ok(inner) if inner.as_os_str().is_empty() => PathBuf::from("."),
            Ok(inner) => inner.to_path_buf(),
            Err(_) => full,
        },
        _ => full,
    }
}

/// The working folder, resolved once (vitrine never changes it).
fn current_dir() -> Option<&'static Path> {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().ok().and_then(|d| d.canonicalize().ok())).as_deref()
}

/// 1-based line and column of a byte offset in a text (columns count characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The candidate closest to a misspelt name, if it is close enough to be a
/// plausible typo (used for "did you mean" hints on keys, slugs and ids).
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_l = wrong.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wrong_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(wrong.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance where swapping two neighbouring letters counts as one edit
/// (optimal string alignment), the commonest typo in keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_the_path_line_column_shape() {
        let d = Diagnostic::error("content/cases/a/index.nl.md", 3, 1, "unknown key `titel`")
            .with_hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/cases/a/index.nl.md:3:1: error: unknown key `titel`\n    hint: did you mean `title`?"
        );
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let keys = ["title", "client", "date", "summary"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("klant", keys), None);
        assert_eq!(did_you_mean("Client", keys), Some("client"));
        // two letters swapped are one edit, as a typist makes them
        assert_eq!(edit_distance("titel", "title"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("abc", "cab"), 2);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
        // an offset inside a character counts from its start
        assert_eq!(line_col("é\nab", 1), (1, 1));
        assert_eq!(line_col("aé", 2), (1, 2));
        assert_eq!(line_col("ab", 9), (1, 3));
    }

    #[test]
    fn paths_are_shown_as_typed_from_the_working_folder() {
        let rel = Path::new("content/cases/a/index.nl.md");
        assert_eq!(display_path(Path::new("."), rel), rel);
        assert_eq!(display_path(Path::new(""), rel), rel);
        // the tests run in the repository: a site below it is shown from there
        let cwd = current_dir().expect("a working folder");
        assert_eq!(display_path(&cwd.join("site"), rel), Path::new("site").join(rel));
        assert_eq!(display_path(cwd, Path::new("")), Path::new("."));
        assert_eq!(display_path(cwd, rel), rel);
        // elsewhere, the whole path
        let outside = cwd.parent().expect("the repository lies in a folder").join("elsewhere");
        assert_eq!(display_path(&outside, rel), outside.join(rel));
        assert_eq!(display_path(Path::new("site"), rel), Path::new("site").join(rel));
    }
}
