//! The items of a list answer (`add_contacts`, `send`, `check/money`), read straight from the
//! answer's text.
//!
//! Read as a `serde_json::Value`, every item was a map of owned keys and strings, built and freed
//! for the few fields a reader asks for: a fifth of the core's CPU in a bulk payout (issue 13,
//! `perf record` of `cinetpay-bench core`). Here an item is its fields in the order they came,
//! keys and strings borrowed from the answer where they hold no escape, numbers as
//! `serde_json::Number`. Everything else (null, booleans, lists, objects) is kept as a `Value`:
//! no reader takes it, but an item still turns back into the very JSON object it was
//! (`Item::to_json`), which the fixture tests compare.
//!
//! The shapes accepted are those of `Value` reading: items flat (`[a, b]`) or nested at any
//! depth (`[[a, b]]`), anything that is not an object skipped, and a key given twice counting
//! once, with its last value. What text is JSON at all is what it was too: `wire::parse_envelope`
//! reads `data` through `Checked` within the envelope, as strictly as reading it as a `Value`
//! did, and only then are items read, from the same text (`ListData`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Number, Value};

/// One field of an answer, as a reader sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field<'a> {
    Text(Cow<'a, str>),
    Number(Number),
    /// Null, a boolean, a list or an object: read as no text and no number.
    Other(Cow<'a, Value>),
}

impl<'a> Field<'a> {
    /// The field a JSON value is (strings borrowed).
    pub fn of(v: &'a Value) -> Field<'a> {
        match v {
            Value::String(s) => Field::Text(Cow::Borrowed(s)),
            Value::Number(n) => Field::Number(n.clone()),
            other => Field::Other(Cow::Borrowed(other)),
        }
    }

    /// An integer sent as a number (`500`, `500.0`) or a string (`"500"`, `" 701 "`).
    pub fn int(&self) -> Option<i64> {
        match self {
            Field::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Field::Text(s) => {
                let s = s.trim();
                s.parse::<i64>().ok().or_else(|| {
                    s.parse::<f64>()
                        .ok()
                        .filter(|f| f.fract() == 0.0)
                        .map(|f| f as i64)
                })
            }
            Field::Other(_) => None,
        }
    }

    /// Text sent as a string (not empty) or a number.
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Field::Text(s) if !s.is_empty() => Some(Cow::Borrowed(s.as_ref())),
            Field::Number(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }

    #[cfg(test)]
    fn to_json(&self) -> Value {
        match self {
            Field::Text(s) => Value::String(s.clone().into_owned()),
            Field::Number(n) => Value::Number(n.clone()),
            Field::Other(v) => v.clone().into_owned(),
        }
    }
}

/// One object of a list answer: its fields in the order they came.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Item<'a> {
    fields: Vec<(Cow<'a, str>, Field<'a>)>,
}

impl<'a> Item<'a> {
    /// The field `key`, its last value if it came twice (as a JSON map keeps it).
    pub fn get(&self, key: &str) -> Option<&Field<'a>> {
        self.fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// `Field::int` of the field `key`.
    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key)?.int()
    }

    /// `Field::text` of the field `key`, owned.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key)?.text().map(Cow::into_owned)
    }

    /// The JSON object this item was.
    #[cfg(test)]
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.fields
                .iter()
                .map(|(k, v)| (k.clone().into_owned(), v.to_json()))
                .collect(),
        )
    }
}

/// The items of a list answer's `data`, flat whether the service nested them or not (none
/// where there is no `data`).
#[derive(Debug, Default)]
pub(crate) struct ListData<'a>(pub Vec<Item<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for ListData<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut items = Vec::new();
        Items(&mut items).deserialize(deserializer)?;
        Ok(ListData(items))
    }
}

/// Reads a value as strictly as reading it as a `Value` does (valid escapes in strings and keys,
/// numbers in range; the nesting limit is the reader's own), and keeps nothing of it.
#[derive(Debug, Default)]
pub(crate) struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Strict).map(|()| Checked)
    }
}

struct Strict;

/// The `visit_*` of every scalar, for a visitor of `()` that keeps nothing of them (`Strict`,
/// `Items`).
macro_rules! scalars_hold_nothing {
    () => {
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_none<E>(self) -> Result<(), E> {
            Ok(())
        }
    };
}

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut first = true;
        while let Some(Key(key)) = map.next_key()? {
            if first && key == PRECISE_NUMBER && precise_numbers() {
                // A number: its text must read as one, as `Value` reads it.
                let text: String = map.next_value()?;
                return text.parse::<Number>().map(drop).map_err(serde::de::Error::custom);
            }
            if first && key.starts_with(PRIVATE_KEYS) {
                // What `Value` makes of such an object depends on the features a build turns on
                // (`raw_value`: the string it holds read as JSON). No answer holds one.
                return Err(serde::de::Error::custom(
                    "an object under serde_json's private key",
                ));
            }
            first = false;
            map.next_value_seed(Strict)?;
        }
        Ok(())
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while seq.next_element_seed(Strict)?.is_some() {}
        Ok(())
    }

    // Scalars: read (strictly) already.
    scalars_hold_nothing!();
}

/// How serde_json's private keys start: objects whose first key is one are refused (`Strict`).
const PRIVATE_KEYS: &str = "$serde_json::private::";

/// The key under which serde_json hands a number over as a one-entry map when a build turns its
/// `arbitrary_precision` feature on (any crate of a merchant's build can): `Value` then reads
/// such a map as the number, and so do the readers here (`precise_numbers`). Off, it is a key
/// like any other.
const PRECISE_NUMBER: &str = "$serde_json::private::Number";

/// Whether this build's serde_json has `arbitrary_precision` on: only then does it read a number
/// out of `f64`'s range.
fn precise_numbers() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| serde_json::from_str::<Value>("1e400").is_ok())
}

/// The items grouped by the text of one of their fields (`Field::text`), each group in the
/// answer's order, so that an item answered twice is seen as such. Built in one pass: matching a
/// chunk's payouts to their answers then costs one lookup per payout, not a scan of every answer
/// for each of them (issue 13). Keys are borrowed from the items where they are text.
pub(crate) fn index_by<'i, 'a>(
    items: &'i [Item<'a>],
    field: &str,
) -> HashMap<Cow<'i, str>, Vec<&'i Item<'a>>> {
    let mut index: HashMap<Cow<'i, str>, Vec<_>> = HashMap::with_capacity(items.len());
    for item in items {
        if let Some(key) = item.get(field).and_then(Field::text) {
            index.entry(key).or_default().push(item);
        }
    }
    index
}

/// Appends the objects of a JSON value to a list: the value itself if it is one, those of its
/// elements (at any depth) if it is a list, none otherwise.
struct Items<'v, 'a>(&'v mut Vec<Item<'a>>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for Items<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Items<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut item = Item::default();
        while let Some(Key(key)) = map.next_key()? {
            if item.fields.is_empty() && key == PRECISE_NUMBER && precise_numbers() {
                // A number, not an object: no item.
                map.next_value::<serde::de::IgnoredAny>()?;
                return Ok(());
            }
            item.fields.push((key, map.next_value()?));
        }
        self.0.push(item);
        Ok(())
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while seq.next_element_seed(Items(&mut *self.0))?.is_some() {}
        Ok(())
    }

    // Anything else holds no item.
    scalars_hold_nothing!();
}

/// A key, borrowed from the text unless it holds an escape.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor).map(Key)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

impl<'de> Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    // Text as a key is read (`TextVisitor`).
    fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        TextVisitor.visit_borrowed_str(s).map(Field::Text)
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
        TextVisitor.visit_str(s).map(Field::Text)
    }
    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Self::Value, E> {
        TextVisitor.visit_string(s).map(Field::Text)
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Field::Number(n.into()))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Number::from_f64(n).map_or(Field::Other(Cow::Owned(Value::Null)), Field::Number))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Field::Other(Cow::Owned(Value::Bool(b))))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Other(Cow::Owned(Value::Null)))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Other(Cow::Owned(Value::Null)))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
            .map(|v| Field::Other(Cow::Owned(v)))
    }
    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<Self::Value, M::Error> {
        // A number too, where a build turns serde_json's `arbitrary_precision` on.
        Ok(
            match Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))? {
                Value::Number(n) => Field::Number(n),
                other => Field::Other(Cow::Owned(other)),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn list_items(data: &str) -> Vec<Item<'_>> {
        serde_json::from_str::<ListData>(data).expect("JSON").0
    }

    fn checked(data: &str) -> bool {
        serde_json::from_str::<Checked>(data).is_ok()
    }

    /// What reading the text as a `Value` gives: its objects, flat, at any depth.
    fn objects_of(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(_) => out.push(v.clone()),
            Value::Array(items) => items.iter().for_each(|item| objects_of(item, out)),
            _ => {}
        }
    }

    /// JSON as text can be and a `Value` cannot show: keys given twice in any object, and
    /// strings written with `\u` escapes.
    #[derive(Debug, Clone)]
    enum Json {
        Null,
        Bool(bool),
        Int(i64),
        UInt(u64),
        Float(f64),
        Text(String, bool),
        List(Vec<Json>),
        Object(Vec<(String, bool, Json)>),
    }

    impl Json {
        fn write(&self, out: &mut String) {
            match self {
                Json::Null => out.push_str("null"),
                Json::Bool(b) => out.push_str(&b.to_string()),
                Json::Int(n) => out.push_str(&n.to_string()),
                Json::UInt(n) => out.push_str(&n.to_string()),
                Json::Float(f) => out.push_str(&json!(f).to_string()),
                Json::Text(s, escaped) => write_text(s, *escaped, out),
                Json::List(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        item.write(out);
                    }
                    out.push(']');
                }
                Json::Object(fields) => {
                    out.push('{');
                    for (i, (key, escaped, value)) in fields.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_text(key, *escaped, out);
                        out.push(':');
                        value.write(out);
                    }
                    out.push('}');
                }
            }
        }
    }

    /// A JSON string, every character escaped as `\uXXXX` (surrogate pairs beyond the BMP) when
    /// `escaped`.
    fn write_text(s: &str, escaped: bool, out: &mut String) {
        if !escaped {
            out.push_str(&Value::String(s.to_owned()).to_string());
            return;
        }
        out.push('"');
        for unit in s.encode_utf16() {
            out.push_str(&format!("\\u{unit:04x}"));
        }
        out.push('"');
    }

    fn any_json() -> impl Strategy<Value = Json> {
        let key = prop_oneof![
            Just("code".to_owned()),
            Just("client_transaction_id".to_owned()),
            Just("lot".to_owned()),
            "\\PC{0,6}",
        ];
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(Json::Int),
            any::<u64>().prop_map(Json::UInt),
            any::<f64>().prop_map(Json::Float),
            ("\\PC{0,8}", any::<bool>()).prop_map(|(s, e)| Json::Text(s, e)),
            ("[0-9 .e-]{0,6}", any::<bool>()).prop_map(|(s, e)| Json::Text(s, e)),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Json::List),
                // Keys from a small set: the same key comes twice in many objects.
                prop::collection::vec((key.clone(), any::<bool>(), inner), 0..6).prop_map(Json::Object),
            ]
        })
    }

    proptest! {
        /// Items read from the text are the objects a `Value` reading finds, field for field,
        /// and each reader gives what it gives on the `Value` (`Field::of`), whatever the
        /// nesting, keys given twice and escapes.
        #[test]
        fn items_are_what_reading_a_value_finds(data in any_json()) {
            let mut text = String::new();
            data.write(&mut text);
            let value: Value = serde_json::from_str(&text).unwrap();
            prop_assert!(checked(&text));
            let mut expected = Vec::new();
            objects_of(&value, &mut expected);
            let items = list_items(&text);
            prop_assert_eq!(items.iter().map(Item::to_json).collect::<Vec<_>>(), expected.clone());
            for (item, object) in items.iter().zip(&expected) {
                for key in ["code", "client_transaction_id", "lot", ""] {
                    let field = object.get(key).map(Field::of);
                    prop_assert_eq!(item.int(key), field.as_ref().and_then(Field::int));
                    prop_assert_eq!(item.text(key), field.as_ref().and_then(|f| f.text().map(Cow::into_owned)));
                }
            }
        }
    }

    #[test]
    fn answers_are_grouped_by_a_field_in_order_and_twice_stays_twice() {
        let data = r#"[[
            {"client_transaction_id": "a", "code": 0},
            {"client_transaction_id": 7, "code": 0},
            {"client_transaction_id": "a", "code": 805},
            {"client_transaction_id": "", "code": 0},
            {"code": 0}
        ]]"#;
        let items = list_items(data);
        let index = index_by(&items, "client_transaction_id");
        let codes = |id: &str| index[id].iter().map(|i| i.int("code")).collect::<Vec<_>>();
        assert_eq!(codes("a"), [Some(0), Some(805)]);
        assert_eq!(codes("7"), [Some(0)]);
        assert_eq!(
            index.len(),
            2,
            "items without a readable id are in no group: {index:?}"
        );
    }

    #[test]
    fn nested_and_flat_lists_read_the_same() {
        let nested = list_items(r#"[[{"a": 1}, {"a": 2}]]"#);
        assert_eq!(nested, list_items(r#"[{"a": 1}, {"a": 2}]"#));
        assert_eq!(nested.len(), 2);
        assert!(list_items("[]").is_empty());
        assert!(list_items("null").is_empty());
    }

    #[test]
    fn keys_and_strings_without_escapes_are_borrowed() {
        let items = list_items(r#"[{"lot": "L1", "a\u0062": "x\n"}]"#);
        let [item] = &items[..] else {
            panic!("one item: {items:?}")
        };
        assert!(matches!(
            &item.fields[0],
            (Cow::Borrowed("lot"), Field::Text(Cow::Borrowed("L1")))
        ));
        assert!(
            matches!(&item.fields[1], (Cow::Owned(k), Field::Text(Cow::Owned(v))) if k == "ab" && v == "x\n")
        );
    }
}
