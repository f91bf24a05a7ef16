//! Prints diagnostics for a person at a terminal: grouped per file, each
//! with the line of the file it points at and a caret under the spot, the
//! hint below, in colour on a terminal and plain when piped or `NO_COLOR`
//! is set. Every command prints its problems through [`print`].

use crate::diagnostic::{Diagnostic, Severity};
use anstyle::{AnsiColor, Style};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Files larger than this are not read again to show a line of them.
const MAX_SNIPPET_FILE: u64 = 16 << 20;

/// Whether stderr gets colour: a terminal, and no `NO_COLOR` (see no-color.org).
pub fn stderr_colour() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints sorted diagnostics to stderr (see [`write`]).
pub fn print(diags: &[Diagnostic]) {
    let mut out = std::io::stderr().lock();
    let _ = write(&mut out, diags, stderr_colour());
}

/// Writes diagnostics, which must be sorted by file: a blank line between
/// files, and under each the source line with a caret when it can be read.
pub fn write(out: &mut dyn Write, diags: &[Diagnostic], colour: bool) -> std::io::Result<()> {
    let paint = |style: Style, text: &str| {
        if colour { format!("{}{text}{}", style.render(), style.render_reset()) } else { text.to_string() }
    };
    let bold = Style::new().bold();
    let blue = Style::new().fg_color(Some(AnsiColor::Blue.into())).bold();
    // the file of the current group, read when a diagnostic first shows a line of it
    let mut file: Option<(&Path, Option<Option<Vec<String>>>)> = None;
    for d in diags {
        if file.as_ref().is_none_or(|(p, _)| *p != d.path) {
            if file.is_some() {
                writeln!(out)?;
            }
            file = Some((&d.path, None));
        }
        let (kind, style) = match d.severity {
            Severity::Error => ("error", Style::new().fg_color(Some(AnsiColor::Red.into())).bold()),
            Severity::Warning => ("warning", Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold()),
        };
        let at = format!("{}:{}:{}:", d.path.display(), d.line, d.column);
        writeln!(out, "{} {} {}", paint(bold, &at), paint(style, &format!("{kind}:")), paint(bold, &d.message))?;
        // 1:1 is where problems of a whole file are put: no line to show
        let whole_file = (d.line, d.column) == (1, 1);
        let line = match &mut file {
            Some((path, src)) if !whole_file => {
                // split once: a file may have thousands of problems
                let lines =
                    src.get_or_insert_with(|| read_source(path).map(|s| s.lines().map(str::to_string).collect()));
                lines.as_ref().and_then(|ls| ls.get(d.line - 1)).map(String::as_str)
            }
            _ => None,
        };
        let number = d.line.to_string();
        let gutter = " ".repeat(number.len());
        if let Some(line) = line.filter(|l| !l.trim().is_empty()) {
            let (line, column) = window(line, d.column);
            let line = line.as_str();
            let (pad, word) = caret(line, column);
            let width = d.width.map_or(word, |w| w.min(line.chars().count().saturating_sub(column - 1)).max(1));
            writeln!(out, " {} {line}", paint(blue, &format!("{number} |")))?;
            writeln!(out, " {} {pad}{}", paint(blue, &format!("{gutter} |")), paint(style, &"^".repeat(width)))?;
        }
        if let Some(hint) = &d.hint {
            writeln!(out, " {} {hint}", paint(blue, &format!("{gutter} = hint:")))?;
        }
    }
    Ok(())
}

/// `1 page`, `2 pages`: a count with its noun, in the singular for one.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// How much of a long line is shown around the column.
const WINDOW: usize = 100;

/// A long line cut to the part around the column (with `…` where cut),
/// and the column in what is left.
fn window(line: &str, column: usize) -> (String, usize) {
    let n = line.chars().count();
    if n <= WINDOW {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(WINDOW / 3).min(n.saturating_sub(WINDOW));
    let mut cut: String = line.chars().skip(start).take(WINDOW).collect();
    if start + WINDOW < n {
        cut.push('…');
    }
    if start == 0 {
        return (cut, column);
    }
    (format!("…{cut}"), column - start + 1)
}

/// The text before the caret (tabs kept so it lines up) and the caret's
/// width: the word at the column, or one character.
fn caret(line: &str, column: usize) -> (String, usize) {
    let pad = line.chars().take(column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    let word = |c: &char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '@' | '#');
    let width = line.chars().skip(column - 1).take_while(word).count();
    (pad, width.max(1))
}

fn read_source(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_SNIPPET_FILE {
        return None;
    }
    std::fs::read(path).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_shows_its_line_with_a_caret_under_the_word() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("index.nl.md");
        std::fs::write(&file, "---\ntitel: Bavel\n---\n").unwrap_or_else(|e| panic!("{e}"));
        let d = Diagnostic::error(&file, 2, 1, "unknown key `titel`").with_hint("did you mean `title`?");
        let mut out = Vec::new();
        write(&mut out, &[d], false).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out);
        let expected = format!(
            "{}:2:1: error: unknown key `titel`\n 2 | titel: Bavel\n   | ^^^^^\n   = hint: did you mean `title`?\n",
            file.display()
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn colour_only_when_asked() {
        let d = Diagnostic::warning("nowhere.md", 1, 1, "x");
        let (mut plain, mut coloured) = (Vec::new(), Vec::new());
        write(&mut plain, std::slice::from_ref(&d), false).unwrap_or_else(|e| panic!("{e}"));
        write(&mut coloured, &[d], true).unwrap_or_else(|e| panic!("{e}"));
        assert!(!plain.contains(&0x1b));
        assert!(coloured.contains(&0x1b));
    }
}
