//! The values editors type in YAML, as vitrine reads them: free text that
//! keeps numbers as written. Shared by the front matter types and [`crate::date`].

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Free text in YAML: a string, or a number or boolean taken as written.
/// A decimal number is refused, because `200.000` would silently become `200`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Err(E::custom(format!(
                    "{v} is read as a decimal number: put the value in quotes to keep it as written"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// `deserialize_with` helper: free text into a `String`.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    <Text as serde::Deserialize>::deserialize(d).map(|t| t.0)
}

/// `deserialize_with` helper: a figure (`2 500 / 4 000`), with the spaces
/// between its digit groups made narrow no-break spaces, so that a line
/// never breaks inside a number, on the page or on the poster.
pub fn figure<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    text(d).map(|t| whole_numbers(&t))
}

/// `text` with each space, no-break space or thin space that stands between
/// a group of one to three digits and a group of exactly three turned into
/// U+202F.
pub fn whole_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    (0..chars.len())
        .map(|i| {
            let c = chars[i];
            // a group of 1 to 3 digits before (not a year: `in 2020 500 mensen`), of 3 after
            let before = (1..=i).take_while(|&k| digit(i - k)).count();
            let group = (1..=3).contains(&before) && (1..=3).all(|k| digit(i + k)) && !digit(i + 4);
            if group && matches!(c, ' ' | '\u{A0}' | '\u{2009}') { '\u{202F}' } else { c }
        })
        .collect()
}

/// `deserialize_with` helper: optional free text into an `Option<String>`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    <Option<Text> as serde::Deserialize>::deserialize(d).map(|t| t.map(|t| t.0))
}

/// `deserialize_with` helper: a list of free texts.
pub fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    <Option<Vec<Text>> as serde::Deserialize>::deserialize(d)
        .map(|v| v.unwrap_or_default().into_iter().map(|t| t.0).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn digit_groups_stay_together() {
        let n = '\u{202F}';
        assert_eq!(super::whole_numbers("2 500 / 4 000"), format!("2{n}500 / 4{n}000"));
        assert_eq!(super::whole_numbers("1 234 567 mensen"), format!("1{n}234{n}567 mensen"));
        // not a group of three: left alone
        for kept in ["200.000", "12 34", "in 2020 1000 keer", "in 2020 500 mensen", "3 000+"] {
            let want = if kept == "3 000+" { format!("3{n}000+") } else { kept.to_string() };
            assert_eq!(super::whole_numbers(kept), want);
        }
    }
}
