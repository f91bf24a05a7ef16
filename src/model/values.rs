//! The values editors type in YAML, as vitrine reads them: free text that
//! keeps numbers as written. Shared by the front matter types and [`crate::model::date`].

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

/// `deserialize_with` helper: optional free text into an `Option<String>`.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    <Option<Text> as serde::Deserialize>::deserialize(d).map(|t| t.map(|t| t.0))
}

/// `deserialize_with` helper: a list of free texts.
pub fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    <Option<Vec<Text>> as serde::Deserialize>::deserialize(d)
        .map(|v| v.unwrap_or_default().into_iter().map(|t| t.0).collect())
}
