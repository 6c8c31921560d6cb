//! The recipe key `comments` (CONTRACT §6), as written in the recipe file:
//!
//! ```json
//! "comments": {"columns": ["<column>"],
//!              "codebook": {"<code>": ["<phrase>", "<stem*>"]},
//!              "manual": {"<column>": {"<row>": ["<code>"]}}}
//! ```
//!
//! JSON objects are read into [`OrderedMap`]s, which keep the file's order (codes are shown and
//! exported in codebook order) and keep duplicate keys so that validation
//! (`analyses::comments::settings`) can name them. Deserialize the recipe straight from its
//! text: going through a `serde_json::Value` (no `preserve_order` feature) sorts the keys.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// A JSON object read as (key, value) pairs in file order, duplicates kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

struct OrderedMapVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedMapVisitor<V> {
    type Value = OrderedMap<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(access.size_hint().unwrap_or(0));
        while let Some((k, v)) = access.next_entry::<String, V>()? {
            entries.push((k, v));
        }
        Ok(OrderedMap(entries))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(OrderedMap::default())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedMapVisitor(PhantomData))
    }
}

/// `null` (or a missing key) reads as the default value.
fn null_as_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The recipe key `comments`, as written in the recipe file (nothing interpreted yet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommentsRecipe {
    /// Free-text columns to code (names in the file, or wave-prefixed in a linked table).
    #[serde(default, deserialize_with = "null_as_default")]
    pub columns: Vec<String>,
    /// Code → phrases (`"seek* help"`), in file order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub codebook: OrderedMap<Vec<String>>,
    /// Column → 1-based data row (as a string key) → codes given by hand.
    #[serde(default, deserialize_with = "null_as_default")]
    pub manual: OrderedMap<OrderedMap<Vec<String>>>,
    /// Extra (the page's): code → a short description, shown in the codebook editor.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "OrderedMap::is_empty")]
    pub descriptions: OrderedMap<String>,
    /// Extra: column → starred rows (1-based), quoted redacted in the report. Row numbers
    /// only: the recipe never holds comment text.
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "OrderedMap::is_empty")]
    pub quotes: OrderedMap<Vec<usize>>,
    /// Extra: words removed from quotes and exports besides e-mails, phones, web addresses
    /// and long numbers (names of staff, places).
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub redact: Vec<String>,
    /// Extra: the stop-word list of the word frequencies; `null` = the default list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_words: Option<Vec<String>>,
}

impl<V> OrderedMap<V> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of the first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of the first entry named `key`, added (with `V::default()`) when absent.
    pub fn entry(&mut self, key: &str) -> &mut V
    where
        V: Default,
    {
        let i = match self.0.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                self.0.push((key.to_string(), V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[i].1
    }

    /// Removes every entry named `key`.
    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }
}

impl CommentsRecipe {
    /// Nothing set (the key is then left out of a saved recipe).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
            && self.codebook.is_empty()
            && self.manual.is_empty()
            && self.descriptions.is_empty()
            && self.quotes.is_empty()
            && self.redact.is_empty()
            && self.stop_words.is_none()
    }
}
