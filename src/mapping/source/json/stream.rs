//! Large JSON documents read record by record.
//!
//! Museum and library APIs dump collections as one JSON document holding an array of records,
//! often hundreds of megabytes. When the iterator is a plain path to that array (`$[*]`,
//! `$.items[*]`, `$['records'][*]`), the document is parsed as a stream on its own thread: the
//! members on the way are skipped without being kept, and each array item is handed over as
//! soon as it is parsed, so memory holds a few records, not the document.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Records parsed ahead of the mapping, at most.
const AHEAD: usize = 1024;

/// The member names of a plain iterator path ending in `[*]`: `$.a['b c'][*]` → `["a", "b c"]`;
/// `None` for any other JSONPath (filters, slices, recursive descent…), which is evaluated on
/// the whole document instead.
pub(super) fn plain_array_path(iterator: &str) -> Option<Vec<String>> {
    let mut rest = iterator.trim().strip_prefix('$')?.strip_suffix("[*]")?;
    let mut names = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            names.push(after[..end].to_owned());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("['") {
            let end = after.find("']")?;
            let name = &after[..end];
            if name.contains(['\'', '\\']) {
                return None;
            }
            names.push(name.to_owned());
            rest = &after[end + 2..];
        } else {
            return None;
        }
    }
    Some(names)
}

/// Splits an iterator into a plain path to an array that can be streamed and the rest of the
/// path, applied to each item: `$.records[*].contributors[*]` → (`["records"]`,
/// `Some("$.contributors[*]")`); `$.records[*]` → (`["records"]`, `None`). Museum APIs nest
/// the records they export (works, then their contributors), and reading such a document
/// whole takes ten times its size. `None` when no prefix is plain, or when the rest refers
/// to the root (`$`), which only the whole document can answer.
pub(super) fn split_iterator(iterator: &str) -> Option<(Vec<String>, Option<String>)> {
    let iterator = iterator.trim();
    let mut from = 0;
    while let Some(at) = iterator[from..].find("[*]") {
        let end = from + at + 3;
        if let Some(names) = plain_array_path(&iterator[..end]) {
            let rest = &iterator[end..];
            if rest.is_empty() {
                return Some((names, None));
            }
            if rest.contains('$') {
                return None;
            }
            return Some((names, Some(format!("${rest}"))));
        }
        from = end;
    }
    None
}

/// Starts parsing `input` on a thread; the receiver yields the items of the array at `path`
/// in document order (the values of an object there, as the in-memory evaluation orders
/// them), then at most one error if the document is malformed.
pub(super) fn items(
    input: impl Read + Send + 'static,
    path: Vec<String>,
) -> Receiver<Result<Value, String>> {
    let (sender, receiver) = sync_channel(AHEAD);
    std::thread::spawn(move || {
        let mut parser = serde_json::Deserializer::from_reader(input);
        let walk = Walk {
            path: &path,
            sender: &sender,
        };
        if let Err(e) = walk.deserialize(&mut parser).and_then(|()| parser.end()) {
            // Fails, unseen, when the receiver is gone (which is also what stopped the parse).
            let _ = sender.send(Err(e.to_string()));
        }
    });
    receiver
}

/// Why parsing stops when the records are no longer wanted.
const STOPPED: &str = "records no longer read";

/// Walks down `path`, then sends what is there.
struct Walk<'a> {
    path: &'a [String],
    sender: &'a SyncSender<Result<Value, String>>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match self.path.split_first() {
            // The members of an object selected by `[*]`, ordered as the whole-document
            // evaluation orders them.
            None => {
                let mut members = serde_json::Map::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    members.insert(key, value);
                }
                for value in members.into_iter().map(|(_, v)| v) {
                    self.send(value)?;
                }
            }
            Some((name, rest)) => {
                while let Some(key) = map.next_key::<String>()? {
                    if key == *name {
                        map.next_value_seed(Walk {
                            path: rest,
                            sender: self.sender,
                        })?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.path.is_empty() {
            while let Some(item) = seq.next_element::<Value>()? {
                self.send(item)?;
            }
        } else {
            // A member name does not select into an array: nothing here.
            while seq.next_element::<IgnoredAny>()?.is_some() {}
        }
        Ok(())
    }

    // Scalars hold no records.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

impl Walk<'_> {
    fn send<E: de::Error>(&self, value: Value) -> Result<(), E> {
        self.sender.send(Ok(value)).map_err(|_| E::custom(STOPPED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths() {
        assert_eq!(plain_array_path("$[*]"), Some(vec![]));
        assert_eq!(
            plain_array_path("$.data.items[*]"),
            Some(vec!["data".to_owned(), "items".to_owned()])
        );
        assert_eq!(
            plain_array_path("$['les notices'][*]"),
            Some(vec!["les notices".to_owned()])
        );
        for other in [
            "$",
            "$.items",
            "$..items[*]",
            "$.items[0]",
            "$.items[?@.a][*]",
            "items[*]",
        ] {
            assert_eq!(plain_array_path(other), None, "{other}");
        }
    }

    #[test]
    fn nested_iterators_split_after_the_first_plain_array() {
        let split = |s| split_iterator(s);
        assert_eq!(
            split("$.records[*]"),
            Some((vec!["records".to_owned()], None))
        );
        assert_eq!(
            split("$.records[*].contributors[*]"),
            Some((
                vec!["records".to_owned()],
                Some("$.contributors[*]".to_owned())
            ))
        );
        assert_eq!(
            split("$[*]..name"),
            Some((vec![], Some("$..name".to_owned())))
        );
        // A filter comparing with the root needs the whole document.
        assert_eq!(split("$.a[*][?@.x == $.y]"), None);
        for whole in ["$", "$..items[*]", "$.items[0].b[*]", "$.items[?@.a]"] {
            assert_eq!(split(whole), None, "{whole}");
        }
    }

    fn collect(text: &str, path: &[&str]) -> Vec<Result<Value, String>> {
        items(
            std::io::Cursor::new(text.to_owned()),
            path.iter().map(|s| (*s).to_owned()).collect(),
        )
        .into_iter()
        .collect()
    }

    #[test]
    fn items_of_the_array_at_the_path_in_order() {
        let got = collect(
            r#"{"skip": {"items": [9]}, "data": {"n": 1, "items": [{"a": 1}, 2, [3]]}}"#,
            &["data", "items"],
        );
        let got: Vec<Value> = got.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            got,
            [
                serde_json::json!({"a": 1}),
                2.into(),
                serde_json::json!([3])
            ]
        );
        assert!(collect(r#"{"data": 3}"#, &["data", "items"]).is_empty());
        assert!(collect(r#"[{"data": 1}]"#, &["data"]).is_empty());
    }

    #[test]
    fn a_malformed_document_ends_with_one_error_after_the_good_items() {
        let got = collect(r#"[{"a": 1}, {"a": 2}, {"a": ]"#, &[]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].is_ok() && got[1].is_ok());
        assert!(got[2].as_ref().unwrap_err().contains("line 1"), "{got:?}");
        let got = collect(r#"[1] [2]"#, &[]);
        assert!(got.last().unwrap().is_err(), "trailing data: {got:?}");
    }
}
