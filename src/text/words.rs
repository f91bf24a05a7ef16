//! Words as the search index sees them: split at anything that is not a
//! letter or digit, lower case, accents folded (`réalité` → `realite`, so a
//! reader who types without them finds the word), and reduced to their stem
//! by the language's Snowball stemmer (`gemeenten` and `gemeente` are one
//! entry). The theme's search script splits and folds what a reader types
//! the same way ([`FOLDED`] is its table too), and needs no stemmer: it
//! looks the words up in the index's own vocabulary.

use rust_stemmers::{Algorithm, Stemmer};

/// The letters folded to others, beyond lower case: the accented letters
/// of the Latin alphabets of Western Europe and the ligatures, in the
/// order of their code points. The search
/// script in the default theme carries the same table.
const FOLDED: &[(char, &str)] = &[
    ('ß', "ss"),
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('ä', "a"),
    ('å', "a"),
    ('æ', "ae"),
    ('ç', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ñ', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ö', "o"),
    ('ø', "o"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
    ('œ', "oe"),
];

/// The words of `text`: runs of letters and digits.
pub fn split(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Appends `word` to `out` in lower case with its accents folded.
fn fold_into(word: &str, out: &mut String) {
    for c in word.chars().flat_map(char::to_lowercase) {
        match FOLDED.binary_search_by(|(f, _)| f.cmp(&c)) {
            Ok(i) => out.push_str(FOLDED[i].1),
            Err(_) => out.push(c),
        }
    }
}

/// `word` in lower case with its accents folded.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// The stemmer of a language (by its code, `nl` or `fr-BE`); languages
/// without one keep their words whole.
pub struct Stems(Option<Stemmer>);

impl Stems {
    pub fn of(lang: &str) -> Stems {
        let primary = lang.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        let algorithm = match primary.as_str() {
            "nl" => Algorithm::Dutch,
            "fr" => Algorithm::French,
            "en" => Algorithm::English,
            "de" => Algorithm::German,
            "es" => Algorithm::Spanish,
            "it" => Algorithm::Italian,
            "pt" => Algorithm::Portuguese,
            "da" => Algorithm::Danish,
            "sv" => Algorithm::Swedish,
            "no" | "nb" | "nn" => Algorithm::Norwegian,
            "fi" => Algorithm::Finnish,
            _ => return Stems(None),
        };
        Stems(Some(Stemmer::create(algorithm)))
    }

    /// The folded stem of a word already in lower case (accents kept: the
    /// stemmers know them).
    pub fn stem(&self, lower: &str) -> String {
        match &self.0 {
            Some(s) => fold(&s.stem(lower)),
            None => fold(lower),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fold_table_is_sorted_so_it_can_be_searched() {
        assert!(FOLDED.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn words_are_split_at_what_is_not_a_letter_or_digit() {
        let words: Vec<&str> =
            split("L’agence a touché 200\u{202f}000 habitants\u{a0}: «\u{202f}vraiment\u{202f}»").collect();
        assert_eq!(words, ["L", "agence", "a", "touché", "200", "000", "habitants", "vraiment"]);
    }

    #[test]
    fn folding_lowers_and_takes_accents_off() {
        assert_eq!(fold("Réalité"), "realite");
        assert_eq!(fold("ŒUVRE"), "oeuvre");
        assert_eq!(fold("coöperatie"), "cooperatie");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let nl = Stems::of("nl");
        assert_eq!(nl.stem("gemeenten"), nl.stem("gemeente"));
        assert_eq!(nl.stem("inwoners"), nl.stem("inwoner"));
        let fr = Stems::of("fr-BE");
        assert_eq!(fr.stem("habitants"), fr.stem("habitant"));
        assert_eq!(fr.stem("sécurités"), fr.stem("sécurité"));
        assert_eq!(Stems::of("xx").stem("gemeenten"), "gemeenten");
    }
}
