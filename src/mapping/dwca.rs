//! Darwin Core Archives (<https://dwc.tdwg.org/text/>), as natural-history collections export
//! them to GBIF: a folder or a `.zip` holding `meta.xml` (which file is the core, which are
//! extensions, how each is written and which Darwin Core term each column holds), `eml.xml`
//! (the dataset's metadata and licence) and the data files.
//!
//! A mapping reads an archive through `meta.xml` only: its references are term names
//! (`scientificName`, or the full IRI `http://rs.tdwg.org/dwc/terms/scientificName`), whatever
//! the file's header says and in whatever order the columns come. The records themselves are
//! read by `source::dwca`.

use quick_xml::events::Event;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// The namespace of the archive descriptor.
const DWC_TEXT: &str = "http://rs.tdwg.org/dwc/text/";

/// The Darwin Core terms (<http://rs.tdwg.org/dwc/terms/>) and the Dublin Core terms Darwin Core
/// and GBIF's extensions use, by local name. A mapping may name any of them: one the archive
/// does not have simply has no value (a profile reads `scientificNameID` when an export gives
/// it), while a name that is none of them is a mapping error (a typo must not go unnoticed).
pub const TERMS: &str = "type modified language license rightsHolder accessRights \
    bibliographicCitation references institutionID collectionID datasetID institutionCode \
    collectionCode datasetName ownerInstitutionCode basisOfRecord informationWithheld \
    dataGeneralizations dynamicProperties occurrenceID catalogNumber recordNumber recordedBy \
    recordedByID individualCount organismQuantity organismQuantityType sex lifeStage \
    reproductiveCondition caste behavior vitality establishmentMeans degreeOfEstablishment \
    pathway georeferenceVerificationStatus occurrenceStatus preparations disposition \
    associatedMedia associatedOccurrences associatedReferences associatedSequences \
    associatedTaxa otherCatalogNumbers occurrenceRemarks organismID organismName organismScope \
    associatedOrganisms previousIdentifications organismRemarks materialEntityID \
    materialEntityRemarks verbatimLabel materialSampleID eventID parentEventID eventType \
    fieldNumber eventDate eventTime startDayOfYear endDayOfYear year month day \
    verbatimEventDate habitat samplingProtocol sampleSizeValue sampleSizeUnit samplingEffort \
    fieldNotes eventRemarks locationID higherGeographyID higherGeography continent waterBody \
    islandGroup island country countryCode stateProvince county municipality locality \
    verbatimLocality minimumElevationInMeters maximumElevationInMeters verbatimElevation \
    verticalDatum minimumDepthInMeters maximumDepthInMeters verbatimDepth \
    minimumDistanceAboveSurfaceInMeters maximumDistanceAboveSurfaceInMeters \
    locationAccordingTo locationRemarks decimalLatitude decimalLongitude geodeticDatum \
    coordinateUncertaintyInMeters coordinatePrecision pointRadiusSpatialFit \
    verbatimCoordinates verbatimLatitude verbatimLongitude verbatimCoordinateSystem \
    verbatimSRS footprintWKT footprintSRS footprintSpatialFit georeferencedBy \
    georeferencedDate georeferenceProtocol georeferenceSources georeferenceRemarks \
    geologicalContextID earliestEonOrLowestEonothem latestEonOrHighestEonothem \
    earliestEraOrLowestErathem latestEraOrHighestErathem earliestPeriodOrLowestSystem \
    latestPeriodOrHighestSystem earliestEpochOrLowestSeries latestEpochOrHighestSeries \
    earliestAgeOrLowestStage latestAgeOrHighestStage lowestBiostratigraphicZone \
    highestBiostratigraphicZone lithostratigraphicTerms group formation member bed \
    identificationID verbatimIdentification identificationQualifier typeStatus identifiedBy \
    identifiedByID dateIdentified identificationReferences identificationVerificationStatus \
    identificationRemarks taxonID scientificNameID acceptedNameUsageID parentNameUsageID \
    originalNameUsageID nameAccordingToID namePublishedInID taxonConceptID scientificName \
    acceptedNameUsage parentNameUsage originalNameUsage nameAccordingTo namePublishedIn \
    namePublishedInYear higherClassification kingdom phylum class order superfamily family \
    subfamily tribe subtribe genus genericName subgenus infragenericEpithet specificEpithet \
    infraspecificEpithet cultivarEpithet taxonRank verbatimTaxonRank scientificNameAuthorship \
    vernacularName nomenclaturalCode taxonomicStatus nomenclaturalStatus taxonRemarks \
    measurementID parentMeasurementID measurementType measurementValue measurementAccuracy \
    measurementUnit measurementDeterminedBy measurementDeterminedDate measurementMethod \
    measurementRemarks resourceRelationshipID resourceID relationshipOfResourceID \
    relatedResourceID relationshipOfResource relationshipAccordingTo \
    relationshipEstablishedDate relationshipRemarks format identifier title description \
    created creator contributor publisher audience source";

/// The namespaces whose terms [`TERMS`] lists.
const TERM_NAMESPACES: &[&str] = &[
    "http://rs.tdwg.org/dwc/terms/",
    "http://purl.org/dc/terms/",
    "http://rs.gbif.org/terms/1.0/",
];

/// Whether `reference` names a term a Darwin Core mapping may read (by local name or IRI).
pub fn is_known_term(reference: &str) -> bool {
    let local = match TERM_NAMESPACES
        .iter()
        .find_map(|ns| reference.strip_prefix(ns))
    {
        Some(local) => local,
        None if reference.contains(':') => return false,
        None => reference,
    };
    TERMS.split_whitespace().any(|t| t == local)
}

/// Whether `path` is a Darwin Core Archive: a folder holding `meta.xml`, or a `.zip` file.
pub fn is_archive(path: &Path) -> bool {
    if path.is_dir() {
        return path.join("meta.xml").is_file();
    }
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        && path.is_file()
}

/// One data file of the archive as `meta.xml` describes it (`<core>` or `<extension>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFile {
    /// `rowType`, e.g. `http://rs.tdwg.org/dwc/terms/Occurrence`.
    pub row_type: String,
    /// Whether this is the `<core>` (else an `<extension>`).
    pub core: bool,
    /// The file, relative to the archive (`<files><location>`).
    pub location: String,
    pub delimiter: u8,
    /// `fieldsEnclosedBy`; none when empty (no quoting at all).
    pub quote: Option<u8>,
    pub encoding: &'static encoding_rs::Encoding,
    pub ignore_header_lines: usize,
    /// The column of the record's id (`<id>` in the core, `<coreid>` in an extension).
    pub id_index: Option<usize>,
    pub fields: Vec<Field>,
}

/// `<field index="…" term="…" default="…"/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The term's full IRI.
    pub term: String,
    pub index: Option<usize>,
    /// The value for every record, used when the column is absent or empty.
    pub default: Option<String>,
}

impl Field {
    /// The term's local name: `scientificName` for `http://rs.tdwg.org/dwc/terms/scientificName`.
    pub fn local_name(&self) -> &str {
        local_name(&self.term)
    }
}

/// The local name of a term or row type IRI.
pub fn local_name(iri: &str) -> &str {
    iri.rsplit(['/', '#']).next().unwrap_or(iri)
}

/// A Darwin Core Archive, opened: its descriptor read, its files reachable.
#[derive(Debug, Clone)]
pub struct Archive {
    /// The folder or the `.zip`.
    pub path: PathBuf,
    pub files: Vec<RowFile>,
    /// `metadata="…"` on `<archive>`, usually `eml.xml`.
    pub metadata: Option<String>,
}

impl Archive {
    /// Opens the archive at `path` (a folder with `meta.xml`, or a `.zip`) and reads `meta.xml`.
    /// The error names the file and what is wrong with it.
    pub fn open(path: &Path) -> Result<Self, String> {
        let meta_path = path.join("meta.xml");
        let text = read_text(path, "meta.xml").map_err(|e| match e {
            Missing::NotThere => format!(
                "{} is not a Darwin Core Archive: it has no meta.xml",
                path.display()
            ),
            Missing::Other(message) => message,
        })?;
        let root = parse_xml(&text).map_err(|e| format!("{}: {e}", meta_path.display()))?;
        let bad = |message: String| format!("{}: {message}", meta_path.display());
        if root.name != "archive" {
            return Err(bad(format!(
                "the root element is <{}>, not <archive> ({DWC_TEXT})",
                root.name
            )));
        }
        let mut files = Vec::new();
        for element in &root.children {
            let core = match element.name.as_str() {
                "core" => true,
                "extension" => false,
                _ => continue,
            };
            files.push(row_file(element, core).map_err(bad)?);
        }
        match files.iter().filter(|f| f.core).count() {
            1 => {}
            0 => return Err(bad("declares no <core> file".into())),
            n => {
                return Err(bad(format!(
                    "declares {n} <core> files; an archive has one"
                )));
            }
        }
        Ok(Self {
            path: path.to_owned(),
            files,
            metadata: root.attribute("metadata").map(str::to_owned),
        })
    }

    /// The file a logical source's iterator names: `core` (or nothing) for the core, else a row
    /// type, by IRI or local name (`Multimedia`, `http://rs.gbif.org/terms/1.0/Multimedia`).
    pub fn row_file(&self, iterator: Option<&str>) -> Result<&RowFile, String> {
        let wanted = iterator.map(str::trim).filter(|i| !i.is_empty());
        let found = match wanted {
            None => self.files.iter().find(|f| f.core),
            Some(w) if w.eq_ignore_ascii_case("core") => self.files.iter().find(|f| f.core),
            Some(w) => self.files.iter().find(|f| f.row_type == w).or_else(|| {
                self.files
                    .iter()
                    .find(|f| local_name(&f.row_type).eq_ignore_ascii_case(w))
            }),
        };
        found.ok_or_else(|| {
            format!(
                "{}/meta.xml has no file of row type `{}` (it has: {})",
                self.path.display(),
                wanted.unwrap_or("core"),
                self.files
                    .iter()
                    .map(|f| format!(
                        "{} {}",
                        if f.core { "core" } else { "extension" },
                        f.row_type
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// The bytes of a file of the archive, as a reader. A file in a `.zip` is decompressed into
    /// memory; a file in a folder is streamed.
    pub fn open_file(&self, location: &str) -> Result<Box<dyn Read + Send>, String> {
        if self.path.is_dir() {
            let path = self.path.join(location);
            return std::fs::File::open(&path)
                .map(|f| Box::new(f) as Box<dyn Read + Send>)
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => format!(
                        "{}: the file meta.xml names ({location}) is missing from the archive",
                        path.display()
                    ),
                    _ => format!("{}: {e}", path.display()),
                });
        }
        match read_bytes(&self.path, location) {
            Ok(bytes) => Ok(Box::new(Cursor::new(bytes))),
            Err(Missing::NotThere) => Err(format!(
                "{}: the file meta.xml names ({location}) is missing from the archive",
                self.path.join(location).display()
            )),
            Err(Missing::Other(message)) => Err(message),
        }
    }

    /// The dataset's metadata from `eml.xml` (or the file `metadata=` names), if the archive
    /// has it and it reads.
    pub fn eml(&self) -> Option<Eml> {
        let name = self.metadata.as_deref().unwrap_or("eml.xml");
        let text = read_text(&self.path, name).ok()?;
        Eml::parse(&text)
    }
}

enum Missing {
    NotThere,
    Other(String),
}

/// The bytes of `name` in the archive at `archive` (folder or zip).
fn read_bytes(archive: &Path, name: &str) -> Result<Vec<u8>, Missing> {
    if archive.is_dir() {
        let path = archive.join(name);
        return std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Missing::NotThere,
            _ => Missing::Other(format!("{}: {e}", path.display())),
        });
    }
    let file = std::fs::File::open(archive)
        .map_err(|e| Missing::Other(format!("{}: {e}", archive.display())))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| {
        Missing::Other(format!(
            "{}: not a readable zip file: {e}",
            archive.display()
        ))
    })?;
    // GBIF's archives keep their files at the root; some tools wrap them in one folder.
    let entry = (0..zip.len()).find_map(|i| {
        let entry_name = zip.name_for_index(i)?;
        (entry_name == name
            || entry_name.rsplit('/').next() == Some(name) && entry_name.matches('/').count() == 1)
            .then_some(i)
    });
    let Some(index) = entry else {
        return Err(Missing::NotThere);
    };
    // The entry is read raw and inflated here with flate2 (already a dependency), so `zip` is
    // built without its compression features.
    let mut entry = zip
        .by_index_raw(index)
        .map_err(|e| Missing::Other(format!("{}: {name}: {e}", archive.display())))?;
    let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
    let read = match entry.compression() {
        zip::CompressionMethod::Stored => entry.read_to_end(&mut bytes),
        // Without zip's deflate feature a deflated entry reads as method 8, "unsupported".
        method if method == zip::CompressionMethod::DEFLATE => {
            flate2::read::DeflateDecoder::new(&mut entry).read_to_end(&mut bytes)
        }
        other => {
            return Err(Missing::Other(format!(
                "{}: {name} is compressed with {other}; vitrine reads stored and deflated entries",
                archive.display()
            )));
        }
    };
    read.map_err(|e| Missing::Other(format!("{}: {name}: {e}", archive.display())))?;
    Ok(bytes)
}

fn read_text(archive: &Path, name: &str) -> Result<String, Missing> {
    let bytes = read_bytes(archive, name)?;
    String::from_utf8(bytes)
        .map_err(|_| Missing::Other(format!("{}: not UTF-8", archive.join(name).display())))
}

fn row_file(element: &Node, core: bool) -> Result<RowFile, String> {
    let what = if core { "<core>" } else { "<extension>" };
    let row_type = element
        .attribute("rowType")
        .ok_or_else(|| format!("{what} has no rowType"))?
        .to_owned();
    let location = element
        .child("files")
        .and_then(|f| f.child("location"))
        .map(|l| l.text.trim().to_owned())
        .filter(|l| !l.is_empty())
        .ok_or_else(|| format!("{what} {row_type} names no <files><location>"))?;
    let delimiter =
        match unescape(element.attribute("fieldsTerminatedBy").unwrap_or(",")).as_bytes() {
            [b] if b.is_ascii() => *b,
            _ => {
                return Err(format!(
                    "{what} {row_type}: fieldsTerminatedBy must be one ASCII character (or \\t)"
                ));
            }
        };
    let quote = match unescape(element.attribute("fieldsEnclosedBy").unwrap_or("\"")).as_bytes() {
        [] => None,
        [b] if b.is_ascii() => Some(*b),
        _ => {
            return Err(format!(
                "{what} {row_type}: fieldsEnclosedBy must be empty or one ASCII character"
            ));
        }
    };
    let encoding_label = element.attribute("encoding").unwrap_or("UTF-8");
    let encoding = encoding_rs::Encoding::for_label(encoding_label.trim().as_bytes())
        .ok_or_else(|| format!("{what} {row_type}: unknown encoding {encoding_label:?}"))?;
    let ignore_header_lines = match element.attribute("ignoreHeaderLines") {
        None => 0,
        Some(n) => n
            .trim()
            .parse()
            .map_err(|_| format!("{what} {row_type}: ignoreHeaderLines {n:?} is not a number"))?,
    };
    let index = |node: &Node, name: &str| -> Result<Option<usize>, String> {
        node.attribute("index")
            .map(|i| {
                i.trim()
                    .parse()
                    .map_err(|_| format!("{what} {row_type}: <{name}> index {i:?} is not a number"))
            })
            .transpose()
    };
    let id_element = element.child(if core { "id" } else { "coreid" });
    let id_index = match id_element {
        Some(node) => index(node, &node.name)?,
        None => None,
    };
    let mut fields = Vec::new();
    for node in element.children.iter().filter(|c| c.name == "field") {
        let term = node
            .attribute("term")
            .ok_or_else(|| format!("{what} {row_type}: a <field> has no term"))?
            .to_owned();
        fields.push(Field {
            index: index(node, "field")?,
            default: node.attribute("default").map(str::to_owned),
            term,
        });
    }
    Ok(RowFile {
        row_type,
        core,
        location,
        delimiter,
        quote,
        encoding,
        ignore_header_lines,
        id_index,
        fields,
    })
}

/// `\t`, `\n`, `\r` and `\\` as meta.xml writes them.
fn unescape(value: &str) -> String {
    value
        .replace("\\t", "\t")
        .replace("\\n", "\n")
        .replace("\\r", "\r")
        .replace("\\\\", "\\")
}

/// What vitrine takes from `eml.xml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eml {
    /// `<title>` with its `xml:lang` (EML uses ISO 639-2 codes: `eng`, `fra`).
    pub titles: Vec<(Option<String>, String)>,
    /// `<abstract>`, its paragraphs joined.
    pub description: Option<String>,
    /// The licence IRI from `<intellectualRights>` (`<ulink url="…">`, or a Creative Commons
    /// address written in the text).
    pub license: Option<String>,
    /// `<contact>`s (then `<creator>`s): name and e-mail.
    pub contacts: Vec<(String, Option<String>)>,
}

impl Eml {
    pub fn parse(text: &str) -> Option<Self> {
        let root = parse_xml(text).ok()?;
        let dataset = root.child("dataset")?;
        let mut eml = Self::default();
        for title in dataset.children.iter().filter(|c| c.name == "title") {
            let text = collapse(&title.all_text());
            if !text.is_empty() {
                let lang = title.attribute("lang").map(str::to_owned);
                eml.titles.push((lang, text));
            }
        }
        eml.description = dataset
            .child("abstract")
            .map(|a| {
                let paragraphs: Vec<String> = a
                    .children
                    .iter()
                    .filter(|c| c.name == "para")
                    .map(|p| collapse(&p.all_text()))
                    .filter(|p| !p.is_empty())
                    .collect();
                if paragraphs.is_empty() {
                    collapse(&a.all_text())
                } else {
                    paragraphs.join("\n\n")
                }
            })
            .filter(|d| !d.is_empty());
        if let Some(rights) = dataset.child("intellectualRights") {
            eml.license = rights
                .find("ulink")
                .and_then(|u| u.attribute("url"))
                .map(str::to_owned)
                .or_else(|| {
                    let text = rights.all_text();
                    let start = text.find("http")?;
                    let url: String = text[start..]
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != ')')
                        .collect();
                    Some(url)
                })
                .map(|u| canonical_licence(&u));
        }
        for kind in ["contact", "creator"] {
            for party in dataset.children.iter().filter(|c| c.name == kind) {
                let name = party
                    .child("individualName")
                    .map(|n| {
                        collapse(&format!(
                            "{} {}",
                            n.child("givenName").map(Node::all_text).unwrap_or_default(),
                            n.child("surName").map(Node::all_text).unwrap_or_default()
                        ))
                    })
                    .filter(|n| !n.is_empty())
                    .or_else(|| {
                        party
                            .child("organizationName")
                            .map(|o| collapse(&o.all_text()))
                    });
                if let Some(name) = name {
                    let email = party
                        .child("electronicMailAddress")
                        .map(|e| e.all_text().trim().to_owned());
                    if !eml.contacts.iter().any(|(n, _)| *n == name) {
                        eml.contacts.push((name, email));
                    }
                }
            }
        }
        Some(eml)
    }

    /// The title in `lang` (`en`/`fr`, matched against EML's `eng`/`fra`), else the first.
    pub fn title(&self) -> Option<&str> {
        self.titles.first().map(|(_, t)| t.as_str())
    }
}

/// `http://creativecommons.org/licenses/by/4.0/legalcode` → `https://creativecommons.org/licenses/by/4.0/`,
/// the IRI the other datasets and the EU licence table use.
fn canonical_licence(url: &str) -> String {
    let url = url.trim();
    if let Some(rest) = url
        .strip_prefix("http://creativecommons.org/")
        .or_else(|| url.strip_prefix("https://creativecommons.org/"))
    {
        let rest = rest.strip_suffix("legalcode").unwrap_or(rest);
        let rest = rest.trim_end_matches('/');
        return format!("https://creativecommons.org/{rest}/");
    }
    url.to_owned()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A small element tree: enough for meta.xml and eml.xml.
#[derive(Debug, Default)]
struct Node {
    /// Local name.
    name: String,
    /// (local name, value)
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first descendant called `name`.
    fn find(&self, name: &str) -> Option<&Node> {
        self.children.iter().find_map(|c| {
            if c.name == name {
                Some(c)
            } else {
                c.find(name)
            }
        })
    }

    fn all_text(&self) -> String {
        let mut text = self.text.clone();
        for child in &self.children {
            text.push(' ');
            text.push_str(&child.all_text());
        }
        text
    }
}

/// Text of the element being read, decoded.
fn append(
    stack: &mut [Node],
    text: Result<std::borrow::Cow<'_, str>, quick_xml::encoding::EncodingError>,
) -> Result<(), String> {
    let text = text.map_err(|e| format!("not well-formed XML: {e}"))?;
    stack
        .last_mut()
        .expect("the document node")
        .text
        .push_str(&text);
    Ok(())
}

fn parse_xml(text: &str) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::default()];
    let start = |e: &quick_xml::events::BytesStart<'_>| -> Result<Node, String> {
        let mut node = Node {
            name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
            ..Node::default()
        };
        for attribute in e.attributes() {
            let attribute = attribute.map_err(|e| format!("not well-formed XML: {e}"))?;
            let value = attribute
                .unescape_value()
                .map_err(|e| format!("not well-formed XML: {e}"))?;
            node.attributes.push((
                String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned(),
                value.into_owned(),
            ));
        }
        Ok(node)
    };
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(e) => stack.push(start(&e)?),
            Event::Empty(e) => {
                let node = start(&e)?;
                stack
                    .last_mut()
                    .expect("the document node")
                    .children
                    .push(node);
            }
            Event::End(_) => {
                let node = stack.pop().expect("an open element");
                let Some(parent) = stack.last_mut() else {
                    return Err("not well-formed XML: an end tag closes nothing".into());
                };
                parent.children.push(node);
            }
            Event::Text(t) => append(&mut stack, t.decode())?,
            Event::CData(t) => append(&mut stack, t.decode())?,
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => r
                        .decode()
                        .ok()
                        .and_then(|name| quick_xml::escape::resolve_predefined_entity(&name))
                        .unwrap_or_default()
                        .to_owned(),
                };
                append(&mut stack, Ok(text.into()))?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("not well-formed XML: an element is not closed".into());
    }
    let document = stack.pop().expect("the document node");
    document
        .children
        .into_iter()
        .next()
        .ok_or_else(|| "not well-formed XML: no root element".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_licences() {
        assert_eq!(unescape("\\t"), "\t");
        assert_eq!(
            canonical_licence("http://creativecommons.org/licenses/by/4.0/legalcode"),
            "https://creativecommons.org/licenses/by/4.0/"
        );
        assert_eq!(local_name("http://rs.tdwg.org/dwc/terms/year"), "year");
    }

    #[test]
    fn reads_eml() {
        let eml = Eml::parse(
            r#"<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1"><dataset>
            <title xml:lang="eng">Algae &amp; more</title>
            <creator><individualName><givenName>A</givenName><surName>B</surName></individualName>
            <electronicMailAddress>a@b.org</electronicMailAddress></creator>
            <abstract><para>One.</para><para>Two.</para></abstract>
            <intellectualRights><para>Under <ulink url="http://creativecommons.org/licenses/by/4.0/legalcode"><citetitle>CC-BY</citetitle></ulink></para></intellectualRights>
            </dataset></eml:eml>"#,
        )
        .unwrap();
        assert_eq!(eml.title(), Some("Algae & more"));
        assert_eq!(eml.description.as_deref(), Some("One.\n\nTwo."));
        assert_eq!(
            eml.license.as_deref(),
            Some("https://creativecommons.org/licenses/by/4.0/")
        );
        assert_eq!(eml.contacts, vec![("A B".into(), Some("a@b.org".into()))]);
    }

    #[test]
    fn character_and_entity_references_and_cdata_are_text() {
        let eml = Eml::parse(
            "<eml><dataset><title>D&#233;j&#xE0; &lt;vu&gt; <![CDATA[& co]]>&unknown;</title></dataset></eml>",
        )
        .unwrap();
        assert_eq!(eml.title(), Some("Déjà <vu> & co"));
    }
}
