//! `[datasets.wikidata]`: how a dataset's items meet Wikidata (`vitrine export wikidata`).

use serde::Deserialize;

/// What the Wikidata export needs to know that the data does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WikidataConfig {
    /// The Wikidata property holding the items' `dcterms:identifier` (Joconde references are
    /// `P347`): items without `owl:sameAs` are matched through it.
    pub match_by: Option<String>,
    /// The same for the keeping institutions' identifiers (Muséofile codes are `P539`).
    pub keeper_match_by: Option<String>,
    /// The collection (`P195`) of every item whose keeper has no Wikidata item.
    pub collection: Option<String>,
    /// The publisher releases the facts it gives Wikidata under CC0, whatever the dataset's
    /// licence: Wikidata takes nothing else, so without it a non-CC0 dataset is refused.
    pub facts_cc0: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWikidata {
    match_by: Option<String>,
    keeper_match_by: Option<String>,
    collection: Option<String>,
    #[serde(default)]
    facts_cc0: bool,
}

impl RawWikidata {
    /// Checks the ids' shapes; the error names the key (under `key`) and what is wrong.
    pub(super) fn check(self, key: &str) -> Result<WikidataConfig, (String, String)> {
        let id = |field: &str, value: Option<String>, letter: char| match value {
            Some(v) if !is_id(&v, letter) => Err((
                format!("{key}.{field}"),
                format!("`{v}` is not a Wikidata {letter}-id (such as {letter}347)"),
            )),
            v => Ok(v),
        };
        Ok(WikidataConfig {
            match_by: id("match_by", self.match_by, 'P')?,
            keeper_match_by: id("keeper_match_by", self.keeper_match_by, 'P')?,
            collection: id("collection", self.collection, 'Q')?,
            facts_cc0: self.facts_cc0,
        })
    }
}

/// `P347`, `Q42`: the letter, then digits.
pub fn is_id(value: &str, letter: char) -> bool {
    value
        .strip_prefix(letter)
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}
