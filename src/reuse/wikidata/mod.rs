//! `vitrine export wikidata DATASET`: QuickStatements (v1) adding to Wikidata what the
//! collection knows and Wikidata lacks, each statement referenced to the item's URI.
//!
//! Only a safe set of statements is written — inventory number with its collection, collection,
//! creator, inception, material, height and width, image — because these are facts a museum is
//! the authority for and Wikidata editors expect from one. A value Wikidata already has is left
//! out; a property Wikidata already fills with another value is left for a person to look at
//! (reported, never overwritten), since a second creator or inception on a painting is a
//! disagreement, not an addition.
//!
//! Wikidata takes CC0 data only: a dataset under another licence is refused unless the
//! publisher states in the config that it releases these facts under CC0.

mod lookup;
mod matches;

pub use lookup::{Known, WDQS, Wikidata};
pub use matches::Matches;

use super::Error;
use super::artwork::{self, Artwork, DimensionKind, Unit, commons_file};
use crate::config::Dataset;
use crate::store::Store;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Licences Wikidata can take data under, as IRIs without scheme or trailing slash.
const CC0_COMPATIBLE: &[&str] = &[
    "creativecommons.org/publicdomain/zero/1.0",
    "creativecommons.org/publicdomain/mark/1.0",
];

/// The properties written, in the order of each item's lines.
pub const PROPERTIES: &[&str] = &[
    "P217", "P195", "P170", "P571", "P186", "P2048", "P2049", "P18",
];

/// Wikidata items of the units the profiles measure in.
fn unit_item(unit: Unit) -> &'static str {
    match unit {
        Unit::Centimetre => "Q174728",
        Unit::Millimetre => "Q174789",
        Unit::Metre => "Q11573",
    }
}

/// What the export needs beyond the store and the dataset's config.
pub struct Options<'a> {
    /// Wikidata items for IRIs and material names the data does not link.
    pub matches: &'a Matches,
    /// Where to ask what Wikidata already has; `None` writes every statement unchecked.
    pub wikidata: Option<&'a Wikidata>,
    /// The retrieval date of the references (`S813`), `YYYY-MM-DD`.
    pub retrieved: &'a str,
}

/// The QuickStatements and what was left out, and why.
#[derive(Debug, Default)]
pub struct Export {
    /// QuickStatements v1 lines (tab-separated), one statement each.
    pub lines: Vec<String>,
    /// The licence the export assumes for the facts, in words.
    pub license: String,
    pub items: usize,
    /// Items with a Wikidata item (linked, matched by identifier or by the matches file).
    pub matched: usize,
    /// Statements written, per property.
    pub written: BTreeMap<&'static str, usize>,
    /// Statements left out because Wikidata has the same value.
    pub already: usize,
    /// `Q… P…: ours X, Wikidata has Y` — left for a person.
    pub conflicts: Vec<String>,
    /// Materials, creators or keepers with no Wikidata item, with the number of items each.
    pub unmatched_values: BTreeMap<String, usize>,
}

/// The QuickStatements for `dataset`'s published items.
pub fn export(store: &Store, dataset: &Dataset, options: &Options) -> Result<Export, Error> {
    let license = check_license(dataset)?;
    let items = artwork::read(store, &dataset.id)?;
    let config = &dataset.wikidata;
    let mut known = Known::default();
    if let Some(wikidata) = options.wikidata {
        if let Some(property) = &config.match_by {
            let ids: Vec<String> = items
                .iter()
                .filter(|a| qid(a, options.matches, &known, config).is_none())
                .filter_map(|a| a.identifier.clone())
                .collect();
            wikidata.match_identifiers(property, &ids, &mut known)?;
        }
        if let Some(property) = &config.keeper_match_by {
            let mut ids: Vec<String> = items
                .iter()
                .filter_map(|a| a.keeper.as_ref()?.identifier.clone())
                .collect();
            ids.sort();
            ids.dedup();
            wikidata.match_identifiers(property, &ids, &mut known)?;
        }
        let qids: Vec<String> = items
            .iter()
            .filter_map(|a| qid(a, options.matches, &known, config))
            .collect();
        wikidata.claims(&qids, PROPERTIES, &mut known)?;
    }
    let mut export = Export {
        license,
        items: items.len(),
        ..Export::default()
    };
    for item in &items {
        let Some(q) = qid(item, options.matches, &known, config) else {
            continue;
        };
        export.matched += 1;
        let statements = statements(item, options.matches, &known, config, &mut export);
        let reference = format!(
            "\tS854\t{}\tS813\t+{}T00:00:00Z/11",
            quoted(&item.iri),
            options.retrieved
        );
        for statement in statements {
            let ours = statement.value_key();
            match known
                .claims
                .get(&(q.clone(), statement.property.to_owned()))
            {
                Some(values) if values.contains(&ours) => {
                    export.already += 1;
                    continue;
                }
                Some(values) if !MANY_VALUED.contains(&statement.property) => {
                    let mut theirs: Vec<&String> = values.iter().collect();
                    theirs.sort();
                    export.conflicts.push(format!(
                        "{q} {}: {} says {ours}, Wikidata has {}",
                        statement.property,
                        item.iri,
                        theirs
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    continue;
                }
                _ => {}
            }
            *export.written.entry(statement.property).or_default() += 1;
            export.lines.push(format!(
                "{q}\t{}\t{}{}{reference}",
                statement.property, statement.value, statement.qualifiers
            ));
        }
    }
    Ok(export)
}

/// Properties an item may hold several values of (a painting kept in two collections, made of
/// several materials): another value on Wikidata is no conflict.
const MANY_VALUED: &[&str] = &["P217", "P195", "P186"];

/// One statement before its reference.
struct Statement {
    property: &'static str,
    /// As QuickStatements writes it.
    value: String,
    /// `\tP195\tQ…` qualifiers, already written.
    qualifiers: String,
}

impl Statement {
    fn new(property: &'static str, value: String) -> Self {
        Self {
            property,
            value,
            qualifiers: String::new(),
        }
    }

    /// The value as [`lookup`] normalises Wikidata's: an item id, a file name, a lexical form.
    fn value_key(&self) -> String {
        let v = self.value.as_str();
        if let Some(text) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            return text.to_owned();
        }
        if self.property == "P571" {
            return lookup::year(v).to_owned();
        }
        if let Some((amount, _)) = v.split_once('U') {
            return amount.to_owned();
        }
        v.to_owned()
    }
}

/// The Wikidata item of `item`: its `owl:sameAs`, the matches file, or its identifier.
fn qid(
    item: &Artwork,
    matches: &Matches,
    known: &Known,
    config: &crate::config::WikidataConfig,
) -> Option<String> {
    item.wikidata()
        .map(str::to_owned)
        .or_else(|| matches.get(&item.iri).map(str::to_owned))
        .or_else(|| {
            let property = config.match_by.as_ref()?;
            let id = item.identifier.as_ref()?;
            known
                .by_identifier
                .get(&(property.clone(), id.clone()))
                .cloned()
        })
}

/// The safe statements `item` supports, in [`PROPERTIES`] order.
fn statements(
    item: &Artwork,
    matches: &Matches,
    known: &Known,
    config: &crate::config::WikidataConfig,
    export: &mut Export,
) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut unmatched = |what: String| *export.unmatched_values.entry(what).or_default() += 1;
    let collection = item
        .keeper
        .as_ref()
        .and_then(|k| {
            k.wikidata
                .clone()
                .or_else(|| matches.get(&k.iri).map(str::to_owned))
                .or_else(|| {
                    let property = config.keeper_match_by.as_ref()?;
                    let id = k.identifier.as_ref()?;
                    known
                        .by_identifier
                        .get(&(property.clone(), id.clone()))
                        .cloned()
                })
                .or_else(|| {
                    unmatched(format!(
                        "keeper {}",
                        k.name.as_deref().unwrap_or(k.iri.as_str())
                    ));
                    None
                })
        })
        .or_else(|| config.collection.clone());
    if let (Some(number), Some(collection)) = (&item.identifier, &collection) {
        let mut s = Statement::new("P217", quoted(number));
        write!(s.qualifiers, "\tP195\t{collection}").ok();
        out.push(s);
    }
    if let Some(collection) = &collection {
        out.push(Statement::new("P195", collection.clone()));
    }
    for creator in &item.creators {
        match creator
            .wikidata
            .clone()
            .or_else(|| matches.get(&creator.iri).map(str::to_owned))
        {
            Some(q) => out.push(Statement::new("P170", q)),
            None => unmatched(format!(
                "creator {}",
                creator.name.as_deref().unwrap_or(creator.iri.as_str())
            )),
        }
    }
    if let Some(time) = item.date.as_deref().and_then(time_value) {
        out.push(Statement::new("P571", time));
    }
    for medium in &item.media {
        match matches.get(medium) {
            Some(q) => out.push(Statement::new("P186", q.to_owned())),
            None => unmatched(format!("material {medium}")),
        }
    }
    for (property, kind) in [
        ("P2048", DimensionKind::Height),
        ("P2049", DimensionKind::Width),
    ] {
        if let Some(d) = item.dimension(kind) {
            out.push(Statement::new(
                property,
                format!("{}U{}", d.amount(), &unit_item(d.unit)[1..]),
            ));
        }
    }
    if let Some(file) = item.images.iter().find_map(|url| commons_file(url)) {
        out.push(Statement::new("P18", quoted(&file)));
    }
    out
}

/// `+1793-00-00T00:00:00Z/9` from `1793`; month (`/10`) and day (`/11`) precision from longer
/// dates; `None` for what is not a date.
fn time_value(date: &str) -> Option<String> {
    let (sign, rest) = match date.strip_prefix('-') {
        Some(rest) => ('-', rest),
        None => ('+', date),
    };
    let parts: Vec<&str> = rest.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] if digits(y, 4) => Some(format!("{sign}{y}-00-00T00:00:00Z/9")),
        [y, m] if digits(y, 4) && digits(m, 2) => Some(format!("{sign}{y}-{m}-00T00:00:00Z/10")),
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(&d[..d.len().min(2)], 2) => {
            Some(format!("{sign}{y}-{m}-{}T00:00:00Z/11", &d[..2]))
        }
        _ => None,
    }
}

/// A string value: QuickStatements v1 reads up to the closing quote of a tab-separated field,
/// so tabs and line breaks (which would start a new field or command) become spaces.
fn quoted(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("\"{}\"", clean.trim())
}

/// Refuses a dataset whose licence Wikidata cannot take, unless the config releases its facts
/// under CC0; says which licence the export assumes.
fn check_license(dataset: &Dataset) -> Result<String, Error> {
    let license = dataset.license.as_str();
    let bare = license
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    if CC0_COMPATIBLE.contains(&bare) {
        return Ok(format!("CC0: the dataset's licence is {license}"));
    }
    if dataset.wikidata.facts_cc0 {
        return Ok(format!(
            "CC0: the dataset's licence is {license}, and the publisher releases these facts to \
             Wikidata under CC0 (datasets.wikidata.facts_cc0)"
        ));
    }
    Err(Error::License {
        dataset: dataset.id.clone(),
        license: license.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(time_value("1793").unwrap(), "+1793-00-00T00:00:00Z/9");
        assert_eq!(time_value("1890-05").unwrap(), "+1890-05-00T00:00:00Z/10");
        assert_eq!(
            time_value("1890-05-12").unwrap(),
            "+1890-05-12T00:00:00Z/11"
        );
        assert_eq!(time_value("-0450").unwrap(), "-0450-00-00T00:00:00Z/9");
        assert_eq!(time_value("vers 1890"), None);
        assert_eq!(time_value("1890-5"), None);
    }

    #[test]
    fn strings_stay_in_their_field() {
        assert_eq!(quoted("a\tb\nc "), "\"a b c\"");
    }
}
