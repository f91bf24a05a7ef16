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
/// An empty text is no text (a field cleared in the web editor is saved as `""`).
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    <Option<Text> as serde::Deserialize>::deserialize(d).map(|t| t.map(|t| t.0).filter(|t| !t.trim().is_empty()))
}

/// `deserialize_with` helper: a list of free texts, empty ones left out.
pub fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    <Option<Vec<Text>> as serde::Deserialize>::deserialize(d)
        .map(|v| v.unwrap_or_default().into_iter().map(|t| t.0).filter(|t| !t.trim().is_empty()).collect())
}

/// A group of fields that may be saved empty (the web editor saves a group
/// it emptied, or a blank row of a list, as keys with empty values).
pub trait Blank {
    fn is_blank(&self) -> bool;
}

/// Whether an optional text is absent or blank.
pub fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// `deserialize_with` helper: an optional group of fields, absent when
/// every field of it is empty (`quote: { text: "", author: "" }`).
pub fn opt_group<'de, D: Deserializer<'de>, T: serde::Deserialize<'de> + Blank>(d: D) -> Result<Option<T>, D::Error> {
    Ok(<Option<T> as serde::Deserialize>::deserialize(d)?.filter(|g| !g.is_blank()))
}

/// `deserialize_with` helper: an optional list of groups, the empty ones left out.
pub fn opt_items<'de, D: Deserializer<'de>, T: serde::Deserialize<'de> + Blank>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    let mut items = <Option<Vec<T>> as serde::Deserialize>::deserialize(d)?;
    if let Some(items) = &mut items {
        items.retain(|g| !g.is_blank());
    }
    Ok(items)
}

/// The YAML tree without its empty values: keys whose value is null,
/// blank or a list or mapping of those, and such items of lists. A file
/// the web editor saved with a group half emptied (`quote: { author: "" }`)
/// reads, through it, as the file without that group.
pub fn without_empty(v: serde_yaml::Value) -> serde_yaml::Value {
    use serde_yaml::Value;
    match v {
        Value::Mapping(m) => {
            Value::Mapping(m.into_iter().map(|(k, v)| (k, without_empty(v))).filter(|(_, v)| !is_empty(v)).collect())
        }
        Value::Sequence(items) => {
            Value::Sequence(items.into_iter().map(without_empty).filter(|v| !is_empty(v)).collect())
        }
        other => other,
    }
}

/// Whether a YAML value holds no text: null, blank, or lists and mappings of those.
fn is_empty(v: &serde_yaml::Value) -> bool {
    use serde_yaml::Value;
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Sequence(items) => items.iter().all(is_empty),
        Value::Mapping(m) => m.values().all(is_empty),
        _ => false,
    }
}
