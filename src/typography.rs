//! The typography text gets on the page and on the poster, in one place:
//! a number's digit groups kept together in every language, and French
//! narrow no-break spaces at its punctuation. Text that needs neither is
//! borrowed as it is, so a page's many text runs cost no allocation.

use std::borrow::Cow;

/// The spaces a digit group may be written with: space, no-break, thin.
const GROUP_SPACES: [char; 3] = [' ', '\u{A0}', '\u{2009}'];

/// `text` set for language `lang` (a tag such as `nl`, `fr-BE`): numbers
/// kept whole, and in French a narrow no-break space before `; : ! ? »` and
/// after `«`, so that punctuation never starts a line.
pub fn typeset<'a>(text: &'a str, lang: &str) -> Cow<'a, str> {
    let text = whole_numbers(text);
    if lang != "fr" && !lang.starts_with("fr-") {
        return text;
    }
    match french_spaces(&text) {
        Some(set) => Cow::Owned(set),
        None => text,
    }
}

/// `text` with each space after `«` or before `; : ! ? »` made U+202F, in
/// one pass; `None` when there is none.
fn french_spaces(text: &str) -> Option<String> {
    // a cheap look first: a space before `; : ! ?` or a two-byte character
    // (`»` is C2 BB), or after the second byte of `«` (C2 AB)
    let maybe =
        text.as_bytes().windows(2).any(|w| matches!(w, [b' ', b';' | b':' | b'!' | b'?' | 0xC2] | [0xAB, b' ']));
    if !maybe {
        return None;
    }
    let mut out: Option<String> = None;
    let mut prev = '\0';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let tie = c == ' ' && (prev == '«' || matches!(next, Some(';' | ':' | '!' | '?' | '»')));
        if tie {
            out.get_or_insert_with(|| String::with_capacity(text.len() + 8) + &text[..i]).push('\u{202F}');
        } else if let Some(out) = &mut out {
            out.push(c);
        }
        prev = c;
    }
    out
}

/// `text` with each space (or no-break or thin space) between a group of
/// one to three digits and a group of exactly three made U+202F: `2 500`,
/// `1 234 567`, but not `in 2020 500 mensen`.
pub fn whole_numbers(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // a digit followed by one of the spaces' first bytes (' ', 0xC2 A0, 0xE2 80 89)
    let maybe = bytes.windows(2).any(|w| w[0].is_ascii_digit() && matches!(w[1], b' ' | 0xC2 | 0xE2));
    if !maybe {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let set = (0..chars.len()).map(|i| {
        let c = chars[i];
        let before = (1..=i).take_while(|&k| digit(i - k)).count();
        let group = (1..=3).contains(&before) && (1..=3).all(|k| digit(i + k)) && !digit(i + 4);
        if group && GROUP_SPACES.contains(&c) { '\u{202F}' } else { c }
    });
    Cow::Owned(set.collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_groups_stay_together() {
        let n = '\u{202F}';
        assert_eq!(whole_numbers("2 500 / 4 000"), format!("2{n}500 / 4{n}000"));
        assert_eq!(whole_numbers("1 234 567 mensen"), format!("1{n}234{n}567 mensen"));
        assert_eq!(whole_numbers("3\u{A0}000+"), format!("3{n}000+"));
        // not a group of three, or a year before a number: left alone
        for kept in ["200.000", "12 34", "in 2020 1000 keer", "in 2020 500 mensen", "geen cijfers"] {
            assert_eq!(whole_numbers(kept), kept);
        }
        assert!(matches!(whole_numbers("200.000, geen spaties"), Cow::Borrowed(_)), "nothing to do, nothing made");
    }

    #[test]
    fn french_punctuation_is_tied_to_its_word() {
        assert_eq!(typeset("« Oui » : non ?", "fr"), "«\u{202F}Oui\u{202F}»\u{202F}: non\u{202F}?");
        assert_eq!(typeset("a : b", "nl"), "a : b");
        assert!(matches!(typeset("Gewoon tekst.", "fr"), Cow::Borrowed(_)));
    }
}
