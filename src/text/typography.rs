//! The typography text gets on the page and on the poster, in one place:
//! a number's digit groups kept together in every language, and French
//! narrow no-break spaces at its punctuation. Text that needs neither is
//! borrowed as it is, so a page's many text runs cost no allocation.

use std::borrow::Cow;

/// The hyphenation patterns of a language tag (`nl`, `fr-BE`), where vitrine
/// has them: Dutch, French, English and German.
pub fn hyphenation(lang: &str) -> Option<hypher::Lang> {
    match lang.as_bytes() {
        [a, b] | [a, b, b'-', ..] => hypher::Lang::from_iso([a.to_ascii_lowercase(), b.to_ascii_lowercase()]),
        _ => None,
    }
}

/// The spaces a digit group may be written with: space, no-break, thin.
const GROUP_SPACES: [char; 3] = [' ', '\u{A0}', '\u{2009}'];

/// `text` set for language `lang` (a tag such as `nl`, `fr-BE`): numbers
/// kept whole, quotes the language's own, and in French a narrow no-break
/// space before `; : ! ? »` and after `«`, so that punctuation never
/// starts a line. An empty `lang` (a site with `typography: false`, see
/// [`crate::model::config::Config::typeset_in`]) leaves the text as it is.
pub fn typeset<'a>(text: &'a str, lang: &str) -> Cow<'a, str> {
    if lang.is_empty() {
        return Cow::Borrowed(text);
    }
    let french = lang == "fr" || lang.starts_with("fr-");
    let numbers = whole_numbers(text);
    let text = match quotes(&numbers, french) {
        Some(set) => Cow::Owned(set),
        None => numbers,
    };
    if !french {
        return text;
    }
    match french_spaces(&text) {
        Some(set) => Cow::Owned(set),
        None => text,
    }
}

/// `text` with straight quotes made the language's own and English
/// double quotes (what Markdown's smart punctuation makes) French ones:
/// `"ja"` → `“ja”` (Dutch), `« ja »` (French, narrow no-break spaces
/// inside); an apostrophe `’` (`zo'n`, `auto's`, `l'agence`, `'s-Hertogenbosch`);
/// `'ja'` → `‘ja’`. `None` when there is none of them.
fn quotes(text: &str, french: bool) -> Option<String> {
    let bytes = text.as_bytes();
    // straight quotes, or `“` `”` (E2 80 9C, E2 80 9D) in French
    let maybe = bytes.iter().any(|&b| b == b'"' || b == b'\'') || (french && text.contains(['“', '”']));
    if !maybe {
        return None;
    }
    let (open2, close2) = if french { ("«\u{202F}", "\u{202F}»") } else { ("“", "”") };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = if i == 0 { None } else { Some(chars[i - 1]) };
        let next = chars.get(i + 1).copied();
        // a quote opens at the start, after a space or an opening bracket
        let opens = prev.is_none_or(|p| p.is_whitespace() || "([{«“‘—–-/".contains(p));
        match c {
            '"' if opens => out.push_str(open2),
            '"' => out.push_str(close2),
            '“' if french => out.push_str(open2),
            '”' if french => out.push_str(close2),
            '\'' => {
                let letter_before = prev.is_some_and(char::is_alphanumeric);
                let letter_after = next.is_some_and(char::is_alphanumeric);
                // Dutch elisions at a word's start: 's (des), 't (het), 'n (een)
                let elision = opens
                    && matches!(next, Some('s' | 't' | 'n'))
                    && chars.get(i + 2).is_none_or(|c| !c.is_alphanumeric());
                // an apostrophe, an elision or a closing quote; else an opening one
                out.push(if (letter_before && letter_after) || elision || !opens { '’' } else { '‘' });
            }
            c => out.push(c),
        }
    }
    Some(out)
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

/// "42 kB", "1,2 MB" (decimal comma but in English), "42 ko" in French;
/// a no-break space keeps the number with its unit.
pub fn size_text(bytes: usize, lang: &str) -> String {
    let french = lang == "fr" || lang.starts_with("fr-");
    let (kb, mb) = if french { ("ko", "Mo") } else { ("kB", "MB") };
    let s = if bytes < 1_000_000 {
        format!("{}\u{a0}{kb}", bytes.div_ceil(1000))
    } else {
        format!("{:.1}\u{a0}{mb}", bytes as f64 / 1_000_000.0)
    };
    if lang.starts_with("en") { s } else { s.replace('.', ",") }
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

    /// Input → page text, per language; the seeds' sentences among the rows.
    #[test]
    fn quotes_and_apostrophes_per_language() {
        let n = '\u{202F}';
        let rows: &[(&str, &str, String)] = &[
            // Dutch: “…”, ‘…’ and ’
            ("nl", r#"Hij zei "ja" tegen het plan."#, "Hij zei “ja” tegen het plan.".into()),
            (
                "nl",
                "In Nederland zijn er 26 regionale 'Veilig Thuis' organisaties.",
                "In Nederland zijn er 26 regionale ‘Veilig Thuis’ organisaties.".into(),
            ),
            ("nl", "zo'n plan, de auto's van 's-Hertogenbosch", "zo’n plan, de auto’s van ’s-Hertogenbosch".into()),
            ("nl", "zo 'n huis, 't is 'thuis'", "zo ’n huis, ’t is ‘thuis’".into()),
            ("nl", "'t Is klaar", "’t Is klaar".into()),
            ("nl", "Het was fijn werken met de ‘Connecters’.", "Het was fijn werken met de ‘Connecters’.".into()),
            // French: « … » with narrow no-break spaces, ’, and “…” from Markdown made French
            ("fr", r#"Le projet "Lire ensemble" de l'agence"#, format!("Le projet «{n}Lire ensemble{n}» de l’agence")),
            (
                "fr",
                r#"C'est pourquoi 26 organisations régionales "Veiliger Thuis" ont été créées."#,
                format!("C’est pourquoi 26 organisations régionales «{n}Veiliger Thuis{n}» ont été créées."),
            ),
            ("fr", "“nous voulons du changement”", format!("«{n}nous voulons du changement{n}»")),
            (
                "fr",
                "Vous souhaitez en savoir plus sur le projet ?",
                format!("Vous souhaitez en savoir plus sur le projet{n}?"),
            ),
            ("fr", "plus de 2 500 demandes", format!("plus de 2{n}500 demandes")),
        ];
        for (lang, input, want) in rows {
            assert_eq!(typeset(input, lang), *want, "{lang}: {input}");
        }
    }

    #[test]
    fn french_punctuation_is_tied_to_its_word() {
        assert_eq!(typeset("« Oui » : non ?", "fr"), "«\u{202F}Oui\u{202F}»\u{202F}: non\u{202F}?");
        assert_eq!(typeset("a : b", "nl"), "a : b");
        assert!(matches!(typeset("Gewoon tekst.", "fr"), Cow::Borrowed(_)));
    }
}
