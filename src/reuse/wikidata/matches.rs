//! The matches file: Wikidata items for what the data does not link — items, artists or
//! keepers by IRI, materials by their words — as a reconciliation (OpenRefine against
//! Wikidata, or a person) decided them.
//!
//! A CSV with a header and two columns, `key,wikidata`: the key an IRI or a material's words,
//! the value a Q-id or a Wikidata entity IRI. Words match whatever their case.

use super::super::Error;
use super::super::artwork::wikidata_id;
use crate::config::is_wikidata_id;
use rustc_hash::FxHashMap;
use std::path::Path;

#[derive(Debug, Default)]
pub struct Matches(FxHashMap<String, String>);

impl Matches {
    /// Reads `path`; a row that is not `key,Q…` is an error naming its line.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bad = |line: u64, message: String| Error::Matches {
            path: path.to_owned(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(|e| bad(0, e.to_string()))?;
        let mut out = Matches::default();
        for record in reader.records() {
            let record =
                record.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let (Some(key), Some(value)) = (record.get(0), record.get(1)) else {
                return Err(bad(line, "expected two columns: key,wikidata".into()));
            };
            let value = value.trim();
            let id = wikidata_id(value).unwrap_or(value);
            if !is_wikidata_id(id, 'Q') {
                return Err(bad(
                    line,
                    format!("`{value}` is neither a Q-id nor a Wikidata entity IRI"),
                ));
            }
            out.0.insert(normal(key), id.to_owned());
        }
        Ok(out)
    }

    /// The Wikidata item matched to an IRI or words.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(&normal(key)).map(String::as_str)
    }
}

fn normal(key: &str) -> String {
    let key = key.trim();
    if key.contains("://") {
        key.to_owned()
    } else {
        key.to_lowercase()
    }
}
