//! What Wikidata already knows, asked of its SPARQL endpoint (the Wikidata Query Service, or
//! any endpoint holding the same `wdt:` statements): which Wikidata items hold the dataset's
//! identifiers, and which of the export's statements they already have.
//!
//! Asked in batches with `VALUES`, so a 100,000-item collection costs a few hundred requests,
//! not one per item; WDQS asks every client for a User-Agent naming it, which ureq sends.

use super::super::Error;
use super::super::artwork::{WIKIDATA_ENTITY, commons_file, wikidata_id};
use rustc_hash::{FxHashMap, FxHashSet};
use std::time::Duration;

/// The Wikidata Query Service.
pub const WDQS: &str = "https://query.wikidata.org/sparql";
/// `wdt:` direct claims.
const DIRECT: &str = "http://www.wikidata.org/prop/direct/";
/// Values per request.
const BATCH: usize = 200;

/// A SPARQL endpoint with Wikidata's statements.
pub struct Wikidata {
    endpoint: String,
    agent: ureq::Agent,
}

/// What Wikidata says of the items an export touches.
#[derive(Default)]
pub struct Known {
    /// `(property, identifier)` → the item holding that identifier.
    pub by_identifier: FxHashMap<(String, String), String>,
    /// `(item, property)` → its values (item ids, Commons file names, lexical forms).
    pub claims: FxHashMap<(String, String), FxHashSet<String>>,
}

impl Wikidata {
    pub fn new(endpoint: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!(
                "vitrine/",
                env!("CARGO_PKG_VERSION"),
                " (Wikidata export; https://w3id.org/vitrine)"
            ))
            .build()
            .new_agent();
        Self {
            endpoint: endpoint.to_owned(),
            agent,
        }
    }

    /// The items holding `identifiers` under `property`, into `known`.
    pub fn match_identifiers(
        &self,
        property: &str,
        identifiers: &[String],
        known: &mut Known,
    ) -> Result<(), Error> {
        for batch in identifiers.chunks(BATCH) {
            let values: Vec<String> = batch.iter().map(|v| string_literal(v)).collect();
            let query = format!(
                "SELECT ?item ?value WHERE {{ VALUES ?value {{ {} }} ?item <{DIRECT}{property}> ?value }}",
                values.join(" ")
            );
            for row in self.select(&query)? {
                if let (Some(item), Some(value)) = (row.get("item"), row.get("value"))
                    && let Some(id) = wikidata_id(item)
                {
                    known
                        .by_identifier
                        .insert((property.to_owned(), value.clone()), id.to_owned());
                }
            }
        }
        Ok(())
    }

    /// The values `items` have for `properties`, into `known`.
    pub fn claims(
        &self,
        items: &[String],
        properties: &[&str],
        known: &mut Known,
    ) -> Result<(), Error> {
        let properties: Vec<String> = properties
            .iter()
            .map(|p| format!("<{DIRECT}{p}>"))
            .collect();
        for batch in items.chunks(BATCH) {
            let values: Vec<String> = batch
                .iter()
                .map(|q| format!("<{WIKIDATA_ENTITY}{q}>"))
                .collect();
            let query = format!(
                "SELECT ?item ?p ?v WHERE {{ VALUES ?item {{ {} }} VALUES ?p {{ {} }} ?item ?p ?v }}",
                values.join(" "),
                properties.join(" ")
            );
            for row in self.select(&query)? {
                let (Some(item), Some(p), Some(v)) = (row.get("item"), row.get("p"), row.get("v"))
                else {
                    continue;
                };
                let (Some(item), Some(p)) = (wikidata_id(item), p.strip_prefix(DIRECT)) else {
                    continue;
                };
                let value = if p == "P571" {
                    year(v).to_owned()
                } else {
                    wikidata_id(v)
                        .map(str::to_owned)
                        .or_else(|| commons_file(v))
                        .unwrap_or_else(|| v.clone())
                };
                known
                    .claims
                    .entry((item.to_owned(), p.to_owned()))
                    .or_default()
                    .insert(value);
            }
        }
        Ok(())
    }

    /// The rows of a SELECT, each variable's value as text (IRIs and literals' lexical forms).
    fn select(&self, query: &str) -> Result<Vec<FxHashMap<String, String>>, Error> {
        let failed = |message: String| Error::Wikidata {
            endpoint: self.endpoint.clone(),
            message,
        };
        let mut response = self
            .agent
            .post(&self.endpoint)
            .header("Accept", "application/sparql-results+json")
            .send_form([("query", query)])
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| failed(e.to_string()))?;
        if !status.is_success() {
            let excerpt: String = text.chars().take(300).collect();
            return Err(failed(format!("answered {status}: {}", excerpt.trim())));
        }
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| failed(format!("not SPARQL JSON results: {e}")))?;
        let bindings = json["results"]["bindings"]
            .as_array()
            .ok_or_else(|| failed("no results.bindings in the answer".into()))?;
        Ok(bindings
            .iter()
            .filter_map(|b| b.as_object())
            .map(|b| {
                b.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v["value"].as_str()?.to_owned())))
                    .collect()
            })
            .collect())
    }
}

/// The year of a time value (`1793-01-01T00:00:00Z`, `+1793-00-00T00:00:00Z`, `-0450-…`): dates
/// are compared at the precision every source has.
pub(super) fn year(time: &str) -> &str {
    let time = time.strip_prefix('+').unwrap_or(time);
    let end = time
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '-')
        .map_or(time.len(), |(i, _)| i);
    &time[..end]
}

/// `"text"` as a SPARQL string literal, whatever it holds.
fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn years_of_every_time_form() {
        assert_eq!(super::year("1793-01-01T00:00:00Z"), "1793");
        assert_eq!(super::year("+1793-00-00T00:00:00Z/9"), "1793");
        assert_eq!(super::year("-0450-00-00T00:00:00Z/9"), "-0450");
        assert_eq!(super::year(""), "");
    }

    #[test]
    fn identifiers_cannot_break_out_of_their_literal() {
        assert_eq!(
            super::string_literal("a\" } DROP ALL {\\"),
            "\"a\\\" } DROP ALL {\\\\\""
        );
    }
}
