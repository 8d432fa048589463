//! What the community exports say about a published item: its titles, makers, date, materials,
//! dimensions, keeper, inventory number, images, licence and links to Wikidata — read once per
//! dataset from the published view, in the Dublin Core and CIDOC-CRM layers every profile
//! writes.
//!
//! Wikidata, Commons and IIIF each want the same dozen facts in their own shape; reading them
//! here, in one pass over the store, keeps the three exports from disagreeing about what a
//! painting's date or artist is.

use crate::store::{Answer, Error, QueryOptions, Store};
use crate::vocab::{aat, crm, dcterms, foaf, owl, rdf, rdfs};
use oxigraph::model::Term;
use std::collections::BTreeMap;

/// Wikidata's entity namespace, as `owl:sameAs` links write it.
pub const WIKIDATA_ENTITY: &str = "http://www.wikidata.org/entity/";

/// One published item, as the exports see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Artwork {
    pub iri: String,
    /// Titles (`dcterms:title`, else `rdfs:label`) with their language tag, if any.
    pub titles: Vec<(String, Option<String>)>,
    pub types: Vec<String>,
    pub creators: Vec<Agent>,
    /// `dcterms:date` as written: a year, a year-month or a date.
    pub date: Option<String>,
    /// `dcterms:medium` (technique and support in words).
    pub media: Vec<String>,
    pub dimensions: Vec<Dimension>,
    pub keeper: Option<Agent>,
    /// `dcterms:identifier`: the inventory number or catalogue reference.
    pub identifier: Option<String>,
    /// Image URLs (`foaf:depiction`).
    pub images: Vec<String>,
    /// `dcterms:license` of the record.
    pub license: Option<String>,
    /// `dcterms:rights`: the credit line, in words.
    pub rights: Option<String>,
    pub descriptions: Vec<(String, Option<String>)>,
    /// `owl:sameAs` links.
    pub same_as: Vec<String>,
}

/// A maker or a keeper, with what an export needs to name it elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Agent {
    pub iri: String,
    pub name: Option<String>,
    /// `dcterms:identifier` (a museum's Muséofile code, an authority record number).
    pub identifier: Option<String>,
    /// The Wikidata item its `owl:sameAs` names (`Q…`).
    pub wikidata: Option<String>,
}

/// A measured extent, in the unit the record gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub kind: DimensionKind,
    pub value: f64,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DimensionKind {
    Height,
    Width,
    Depth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Centimetre,
    Millimetre,
    Metre,
}

/// Getty AAT concepts the profiles type dimensions with, and what they mean here. One table:
/// the exports and their tests read it.
const DIMENSION_TYPES: &[(&str, DimensionKind)] = &[
    ("300055644", DimensionKind::Height),
    ("300055647", DimensionKind::Width),
    ("300072633", DimensionKind::Depth),
];
const UNITS: &[(&str, Unit)] = &[
    ("300379098", Unit::Centimetre),
    ("300379097", Unit::Millimetre),
    ("300379099", Unit::Metre),
];

impl Unit {
    /// The unit's symbol, for people.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Centimetre => "cm",
            Unit::Millimetre => "mm",
            Unit::Metre => "m",
        }
    }
}

impl Artwork {
    /// The title in `lang`, else an untagged one, else any.
    pub fn title(&self, lang: &str) -> Option<&str> {
        pick(&self.titles, lang)
    }

    /// The description in `lang`, else an untagged one, else any.
    pub fn description(&self, lang: &str) -> Option<&str> {
        pick(&self.descriptions, lang)
    }

    /// The Wikidata item this item is `owl:sameAs`, if any.
    pub fn wikidata(&self) -> Option<&str> {
        self.same_as.iter().find_map(|iri| wikidata_id(iri))
    }

    /// The year of `date` (`1793`, `-0450`), when it starts with one.
    pub fn year(&self) -> Option<i32> {
        let date = self.date.as_deref()?;
        let (sign, digits) = match date.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, date),
        };
        let year: String = digits.chars().take_while(char::is_ascii_digit).collect();
        (year.len() >= 4).then(|| year.parse::<i32>().ok().map(|y| sign * y))?
    }

    /// The dimension of `kind`, if measured.
    pub fn dimension(&self, kind: DimensionKind) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.kind == kind)
    }
}

fn pick<'a>(values: &'a [(String, Option<String>)], lang: &str) -> Option<&'a str> {
    values
        .iter()
        .find(|(_, l)| l.as_deref() == Some(lang))
        .or_else(|| values.iter().find(|(_, l)| l.is_none()))
        .or_else(|| values.first())
        .map(|(v, _)| v.as_str())
}

impl Dimension {
    /// The value as people and QuickStatements read it: no exponent, no needless decimals.
    pub fn amount(&self) -> String {
        amount(self.value)
    }

    /// The value in centimetres, to compare measurements given in different units.
    pub fn centimetres(&self) -> f64 {
        match self.unit {
            Unit::Centimetre => self.value,
            Unit::Millimetre => self.value / 10.0,
            Unit::Metre => self.value * 100.0,
        }
    }
}

/// A quantity without exponent or needless decimals: `68`, `72.5`.
pub fn amount(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Image files by extension, with their media type: what IIIF viewers are told an image is and
/// what a file uploaded to Commons is named with. One table for both.
const IMAGE_FORMATS: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
    ("jp2", "image/jp2"),
];

/// The extension (lower case) and media type of an image URL, from its Commons file name or
/// the last segment of its path; `None` when the URL names no known image format (a Gallica
/// `….thumbnail`, a script).
pub fn image_format(url: &str) -> Option<(&'static str, &'static str)> {
    let name = match commons_file(url) {
        Some(name) => name,
        None => {
            let path = url.split(['?', '#']).next()?;
            let last = path.rsplit('/').next()?;
            percent_encoding::percent_decode_str(last)
                .decode_utf8()
                .ok()?
                .into_owned()
        }
    };
    let (_, extension) = name.rsplit_once('.')?;
    let extension = extension.to_ascii_lowercase();
    IMAGE_FORMATS
        .iter()
        .find(|(e, _)| *e == extension)
        .map(|(e, t)| (*e, *t))
}

/// `Q42` from `http://www.wikidata.org/entity/Q42`; `None` for anything else.
pub fn wikidata_id(iri: &str) -> Option<&str> {
    let id = iri.strip_prefix(WIKIDATA_ENTITY)?;
    let digits = id.strip_prefix('Q')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

/// The file name on Wikimedia Commons of an image URL pointing there (`Special:FilePath/…`,
/// `File:…` or an `upload.wikimedia.org` path), with spaces as Commons shows them.
pub fn commons_file(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let name = if let Some(path) = rest.strip_prefix("commons.wikimedia.org/wiki/") {
        path.strip_prefix("Special:FilePath/")
            .or_else(|| path.strip_prefix("File:"))?
    } else {
        let path = rest.strip_prefix("upload.wikimedia.org/wikipedia/commons/")?;
        // `a/ab/Name.jpg`, or a thumbnail `thumb/a/ab/Name.jpg/320px-Name.jpg`.
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["thumb", _, _, name, ..] | [_, _, name] => *name,
            _ => return None,
        }
    };
    let name = name.split(['?', '#']).next()?;
    let decoded = percent_encoding::percent_decode_str(name)
        .decode_utf8()
        .ok()?;
    let decoded = decoded.replace('_', " ");
    (!decoded.trim().is_empty()).then(|| decoded.trim().to_owned())
}

/// Every item of `dataset` in the current publication (subjects that are `dcterms:isPartOf` the
/// dataset), sorted by IRI. One query per kind of fact, over the published union, so agents
/// described in another dataset are named too.
pub fn read(store: &Store, dataset: &str) -> Result<Vec<Artwork>, Error> {
    let member = format!(
        "?item <{part_of}> <{dataset}> .",
        part_of = dcterms::IS_PART_OF.as_str(),
        dataset = store.names().dataset(dataset).as_str(),
    );
    read_members(store, &member)
}

/// One item of `dataset`, read as [`read`] reads them all (the IIIF manifest of one page asks
/// for one item, not the dataset); `None` when `item` is not a published member of `dataset`.
pub fn read_one(store: &Store, dataset: &str, item: &str) -> Result<Option<Artwork>, Error> {
    // The IRI goes into the query text: only a well-formed one may.
    let Ok(item) = oxigraph::model::NamedNode::new(item) else {
        return Ok(None);
    };
    let member = format!(
        "VALUES ?item {{ <{item}> }} ?item <{part_of}> <{dataset}> .",
        item = item.as_str(),
        part_of = dcterms::IS_PART_OF.as_str(),
        dataset = store.names().dataset(dataset).as_str(),
    );
    Ok(read_members(store, &member)?.pop())
}

/// The items `member` (a group pattern binding `?item`) selects, sorted by IRI.
fn read_members(store: &Store, member: &str) -> Result<Vec<Artwork>, Error> {
    let mut items: BTreeMap<String, Artwork> = BTreeMap::new();
    let direct = format!(
        "SELECT ?item ?p ?v WHERE {{ {member} ?item ?p ?v VALUES ?p {{ <{title}> <{label}> <{type}> <{date}> <{medium}> <{identifier}> <{depiction}> <{license}> <{rights}> <{description}> <{same_as}> }} }}",
        title = dcterms::TITLE.as_str(),
        label = rdfs::LABEL.as_str(),
        type = rdf::TYPE.as_str(),
        date = dcterms::DATE.as_str(),
        medium = dcterms::MEDIUM.as_str(),
        identifier = dcterms::IDENTIFIER.as_str(),
        depiction = foaf::DEPICTION.as_str(),
        license = dcterms::LICENSE.as_str(),
        rights = dcterms::RIGHTS.as_str(),
        description = dcterms::DESCRIPTION.as_str(),
        same_as = owl::SAME_AS.as_str(),
    );
    let mut labels = Vec::new();
    for row in rows(store, &direct)? {
        let [
            Some(Term::NamedNode(item)),
            Some(Term::NamedNode(p)),
            Some(v),
        ] = &row[..]
        else {
            continue;
        };
        let entry = items
            .entry(item.as_str().to_owned())
            .or_insert_with(|| Artwork {
                iri: item.as_str().to_owned(),
                ..Artwork::default()
            });
        let p = p.as_str();
        let text = || literal(v);
        if p == dcterms::TITLE.as_str() {
            entry.titles.extend(text());
        } else if p == rdfs::LABEL.as_str() {
            labels.push((entry.iri.clone(), text()));
        } else if p == rdf::TYPE.as_str() {
            entry.types.extend(iri(v));
        } else if p == dcterms::DATE.as_str() {
            entry.date = entry.date.take().or(text().map(|(t, _)| t));
        } else if p == dcterms::MEDIUM.as_str() {
            entry.media.extend(text().map(|(t, _)| t));
        } else if p == dcterms::IDENTIFIER.as_str() {
            entry.identifier = entry.identifier.take().or(text().map(|(t, _)| t));
        } else if p == foaf::DEPICTION.as_str() {
            entry.images.extend(iri(v));
        } else if p == dcterms::LICENSE.as_str() {
            entry.license = entry.license.take().or(iri(v));
        } else if p == dcterms::RIGHTS.as_str() {
            entry.rights = entry.rights.take().or(text().map(|(t, _)| t));
        } else if p == dcterms::DESCRIPTION.as_str() {
            entry.descriptions.extend(text());
        } else if p == owl::SAME_AS.as_str() {
            entry.same_as.extend(iri(v));
        }
    }
    // An item without a title is named by its label.
    for (item, label) in labels {
        if let Some(entry) = items.get_mut(&item)
            && entry.titles.is_empty()
        {
            entry.titles.extend(label);
        }
    }

    let agents = format!(
        "SELECT ?item ?role ?agent ?name ?id ?same WHERE {{ {member} ?item ?role ?agent VALUES ?role {{ <{creator}> <{keeper}> }} FILTER(isIRI(?agent)) OPTIONAL {{ ?agent <{label}> ?name }} OPTIONAL {{ ?agent <{identifier}> ?id }} OPTIONAL {{ ?agent <{same_as}> ?same FILTER(STRSTARTS(STR(?same), \"{WIKIDATA_ENTITY}Q\")) }} }}",
        creator = dcterms::CREATOR.as_str(),
        keeper = crm::P50_HAS_CURRENT_KEEPER.as_str(),
        label = rdfs::LABEL.as_str(),
        identifier = dcterms::IDENTIFIER.as_str(),
        same_as = owl::SAME_AS.as_str(),
    );
    for row in rows(store, &agents)? {
        let [
            Some(Term::NamedNode(item)),
            Some(Term::NamedNode(role)),
            Some(Term::NamedNode(agent)),
            name,
            id,
            same,
        ] = &row[..]
        else {
            continue;
        };
        let Some(entry) = items.get_mut(item.as_str()) else {
            continue;
        };
        let found = Agent {
            iri: agent.as_str().to_owned(),
            name: name.as_ref().and_then(literal).map(|(t, _)| t),
            identifier: id.as_ref().and_then(literal).map(|(t, _)| t),
            wikidata: same
                .as_ref()
                .and_then(iri)
                .and_then(|s| wikidata_id(&s).map(str::to_owned)),
        };
        if role.as_str() == crm::P50_HAS_CURRENT_KEEPER.as_str() {
            merge(entry.keeper.get_or_insert_with(|| found.clone()), found);
        } else if let Some(known) = entry.creators.iter_mut().find(|a| a.iri == found.iri) {
            merge(known, found);
        } else {
            entry.creators.push(found);
        }
    }

    // A dimension is minted under its item, in the item's graph: asked inside one graph, the
    // four-pattern join is planned as one (over the union of several datasets, each pattern
    // is read from the first graph that holds it, and this query took 18 s on the demo).
    let dimensions = format!(
        "SELECT ?item ?type ?value ?unit WHERE {{ GRAPH ?g {{ {member} ?item <{has}> ?d . ?d <{p2}> ?type ; <{p90}> ?value ; <{p91}> ?unit }} }}",
        has = crm::P43_HAS_DIMENSION.as_str(),
        p2 = crm::P2_HAS_TYPE.as_str(),
        p90 = crm::P90_HAS_VALUE.as_str(),
        p91 = crm::P91_HAS_UNIT.as_str(),
    );
    for row in rows(store, &dimensions)? {
        let [
            Some(Term::NamedNode(item)),
            Some(Term::NamedNode(kind)),
            Some(Term::Literal(value)),
            Some(Term::NamedNode(unit)),
        ] = &row[..]
        else {
            continue;
        };
        let (Some(kind), Some(unit), Ok(value)) = (
            aat_lookup(DIMENSION_TYPES, kind.as_str()),
            aat_lookup(UNITS, unit.as_str()),
            value.value().parse::<f64>(),
        ) else {
            continue;
        };
        if let Some(entry) = items.get_mut(item.as_str())
            && entry.dimension(kind).is_none()
        {
            entry.dimensions.push(Dimension { kind, value, unit });
        }
    }
    let mut items: Vec<Artwork> = items.into_values().collect();
    for item in &mut items {
        item.titles.sort();
        item.titles.dedup();
        item.media.sort();
        item.media.dedup();
        item.images.sort();
        item.images.dedup();
        item.same_as.sort();
        item.same_as.dedup();
        item.creators.sort_by(|a, b| a.iri.cmp(&b.iri));
    }
    Ok(items)
}

/// Fills what `known` lacks from another row about the same agent.
fn merge(known: &mut Agent, other: Agent) {
    known.name = known.name.take().or(other.name);
    known.identifier = known.identifier.take().or(other.identifier);
    known.wikidata = known.wikidata.take().or(other.wikidata);
}

fn aat_lookup<T: Copy>(table: &[(&str, T)], iri: &str) -> Option<T> {
    let id = iri.strip_prefix(aat::NS)?;
    table.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
}

fn literal(term: &Term) -> Option<(String, Option<String>)> {
    match term {
        Term::Literal(l) => Some((l.value().to_owned(), l.language().map(str::to_owned))),
        _ => None,
    }
}

fn iri(term: &Term) -> Option<String> {
    match term {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        _ => None,
    }
}

fn rows(store: &Store, query: &str) -> Result<Vec<Vec<Option<Term>>>, Error> {
    let Answer::Solutions(solutions) = store.query(query, &QueryOptions::default())? else {
        return Ok(Vec::new());
    };
    solutions.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wikidata_items_are_wikidata_ids() {
        assert_eq!(
            wikidata_id("http://www.wikidata.org/entity/Q296"),
            Some("Q296")
        );
        assert_eq!(wikidata_id("http://www.wikidata.org/entity/P31"), None);
        assert_eq!(wikidata_id("http://www.wikidata.org/entity/Q47OO"), None);
        assert_eq!(wikidata_id("https://www.wikidata.org/wiki/Q296"), None);
    }

    #[test]
    fn commons_files_are_named_from_any_url_form() {
        let name = Some("Jean-Paul Marat portre.jpg".to_owned());
        for url in [
            "http://commons.wikimedia.org/wiki/Special:FilePath/Jean-Paul%20Marat%20portre.jpg",
            "https://commons.wikimedia.org/wiki/File:Jean-Paul_Marat_portre.jpg",
            "https://upload.wikimedia.org/wikipedia/commons/a/ab/Jean-Paul_Marat_portre.jpg",
            "https://upload.wikimedia.org/wikipedia/commons/thumb/a/ab/Jean-Paul_Marat_portre.jpg/320px-Jean-Paul_Marat_portre.jpg",
        ] {
            assert_eq!(commons_file(url), name, "{url}");
        }
        assert_eq!(commons_file("https://example.org/Marat.jpg"), None);
    }

    #[test]
    fn image_formats_come_from_the_file_name() {
        assert_eq!(
            image_format("http://commons.wikimedia.org/wiki/Special:FilePath/Chardin%20pastel.JPG"),
            Some(("jpg", "image/jpeg"))
        );
        assert_eq!(
            image_format("https://example.org/scans/page%201.tiff?size=full"),
            Some(("tiff", "image/tiff"))
        );
        assert_eq!(
            image_format("https://gallica.bnf.fr/ark:/12148/bpt6k9106209b.thumbnail"),
            None
        );
        assert_eq!(image_format("https://example.org/"), None);
    }

    #[test]
    fn amounts_have_no_needless_decimals() {
        assert_eq!(amount(68.0), "68");
        assert_eq!(amount(72.5), "72.5");
        let d = Dimension {
            kind: DimensionKind::Height,
            value: 1.2,
            unit: Unit::Metre,
        };
        assert_eq!(d.centimetres(), 120.0);
    }

    #[test]
    fn years_come_from_any_date_form() {
        let at = |d: &str| Artwork {
            date: Some(d.to_owned()),
            ..Artwork::default()
        };
        assert_eq!(at("1793").year(), Some(1793));
        assert_eq!(at("1890-05-12").year(), Some(1890));
        assert_eq!(at("-0450").year(), Some(-450));
        assert_eq!(at("vers 1900").year(), None);
    }
}
