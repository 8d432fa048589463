//! Every serialisation vitrine writes, named once: its media type, the other media types that
//! ask for it, its file extension and the names `?format=`, `--format` and URL suffixes accept.
//!
//! The SPARQL endpoint, the item documents, the validation reports and the CLI all read this
//! table, so they cannot disagree on what `nt` or `application/n-triples` means. A name can mean
//! two formats (`json`, `xml`): what a query answers with depends on its form, so lookups take
//! the formats on offer.
//!
//! ```
//! use vitrine::formats::{self, Format};
//! assert_eq!(Format::named("nt", &formats::GRAPHS), Some(formats::NTRIPLES));
//! assert_eq!(Format::named("xml", &formats::SOLUTIONS), Some(formats::SPARQL_XML));
//! assert_eq!(Format::named("xml", &formats::GRAPHS), Some(formats::RDF_XML));
//! assert_eq!(Format::named("text/n3", &formats::GRAPHS), Some(formats::TURTLE));
//! ```

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// What writes a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// SPARQL query results (SELECT, ASK).
    Results(QueryResultsFormat),
    /// An RDF syntax (graphs: CONSTRUCT, DESCRIBE, item documents, reports).
    Rdf(RdfFormat),
    /// A page for people.
    Html,
    /// A plain JSON document (search results).
    Json,
}

/// A serialisation on offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub syntax: Syntax,
    /// The media type answers are labelled with.
    pub media_type: &'static str,
    /// Other media types that ask for this format (`text/n3` is answered with Turtle, which
    /// is N3).
    pub also: &'static [&'static str],
    /// The file extension, without the dot, for suffixes and downloads.
    pub extension: &'static str,
    /// Short names for `?format=`, `output=`, `results=` and `--format`.
    pub names: &'static [&'static str],
    /// The IRI naming the format in W3C vocabularies (`sd:resultFormat`, `dcat:mediaType`
    /// uses the media type).
    pub iri: &'static str,
}

pub const SPARQL_JSON: Format = Format {
    syntax: Syntax::Results(QueryResultsFormat::Json),
    media_type: "application/sparql-results+json",
    also: &["application/json"],
    extension: "srj",
    names: &["json", "srj"],
    iri: "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
};
pub const SPARQL_XML: Format = Format {
    syntax: Syntax::Results(QueryResultsFormat::Xml),
    media_type: "application/sparql-results+xml",
    also: &["application/xml", "text/xml"],
    extension: "srx",
    names: &["xml", "srx"],
    iri: "http://www.w3.org/ns/formats/SPARQL_Results_XML",
};
pub const CSV: Format = Format {
    syntax: Syntax::Results(QueryResultsFormat::Csv),
    media_type: "text/csv",
    also: &[],
    extension: "csv",
    names: &["csv"],
    iri: "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
};
pub const TSV: Format = Format {
    syntax: Syntax::Results(QueryResultsFormat::Tsv),
    media_type: "text/tab-separated-values",
    also: &[],
    extension: "tsv",
    names: &["tsv"],
    iri: "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
};
pub const TURTLE: Format = Format {
    syntax: Syntax::Rdf(RdfFormat::Turtle),
    media_type: "text/turtle",
    also: &["text/n3", "text/rdf+n3", "application/x-turtle"],
    extension: "ttl",
    names: &["ttl", "turtle", "n3"],
    iri: "http://www.w3.org/ns/formats/Turtle",
};
pub const NTRIPLES: Format = Format {
    syntax: Syntax::Rdf(RdfFormat::NTriples),
    media_type: "application/n-triples",
    also: &["text/plain"],
    extension: "nt",
    names: &["nt", "ntriples", "n-triples"],
    iri: "http://www.w3.org/ns/formats/N-Triples",
};
pub const NQUADS: Format = Format {
    syntax: Syntax::Rdf(RdfFormat::NQuads),
    media_type: "application/n-quads",
    also: &[],
    extension: "nq",
    names: &["nq", "nquads", "n-quads"],
    iri: "http://www.w3.org/ns/formats/N-Quads",
};
pub const RDF_XML: Format = Format {
    syntax: Syntax::Rdf(RdfFormat::RdfXml),
    media_type: "application/rdf+xml",
    also: &["application/xml", "text/xml"],
    extension: "rdf",
    names: &["rdf", "xml", "rdfxml", "rdf+xml", "owl"],
    iri: "http://www.w3.org/ns/formats/RDF_XML",
};
pub const JSON_LD: Format = Format {
    syntax: Syntax::Rdf(RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    }),
    media_type: "application/ld+json",
    also: &["application/json"],
    extension: "jsonld",
    names: &["jsonld", "json-ld", "json"],
    iri: "http://www.w3.org/ns/formats/JSON-LD",
};
pub const HTML: Format = Format {
    syntax: Syntax::Html,
    media_type: "text/html",
    also: &["application/xhtml+xml"],
    extension: "html",
    names: &["html", "htm"],
    iri: "",
};

pub const JSON: Format = Format {
    syntax: Syntax::Json,
    media_type: "application/json",
    also: &[],
    extension: "json",
    names: &["json"],
    iri: "",
};

/// SELECT and ASK answers, preferred first.
pub const SOLUTIONS: [Format; 4] = [SPARQL_JSON, SPARQL_XML, CSV, TSV];

/// Graphs (CONSTRUCT and DESCRIBE answers, item documents, reports), preferred first.
pub const GRAPHS: [Format; 5] = [TURTLE, JSON_LD, NTRIPLES, NQUADS, RDF_XML];

impl Format {
    /// The format of `offered` that `name` names: a short name, the media type or one of the
    /// media types that ask for it (case does not matter).
    pub fn named(name: &str, offered: &[Format]) -> Option<Format> {
        let name = name.trim().to_ascii_lowercase();
        let name = name.split(';').next().unwrap_or("").trim();
        offered
            .iter()
            .copied()
            .find(|f| f.names.contains(&name) || f.media_type == name || f.also.contains(&name))
    }

    /// The format whose `extension` this is, among `offered`.
    pub fn with_extension(extension: &str, offered: &[Format]) -> Option<Format> {
        let extension = extension.to_ascii_lowercase();
        offered
            .iter()
            .copied()
            .find(|f| f.extension == extension || f.names.contains(&extension.as_str()))
    }

    /// Every media type that asks for this format, its own first.
    pub fn media_types(self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.media_type).chain(self.also.iter().copied())
    }

    /// The RDF syntax, for graph formats.
    pub fn rdf(self) -> Option<RdfFormat> {
        match self.syntax {
            Syntax::Rdf(f) => Some(f),
            _ => None,
        }
    }

    /// The results syntax, for SELECT/ASK formats.
    pub fn results(self) -> Option<QueryResultsFormat> {
        match self.syntax {
            Syntax::Results(f) => Some(f),
            _ => None,
        }
    }

    /// The names `--format` and `?format=` accept, for messages (`json, xml, csv or tsv`).
    pub fn listed(offered: &[Format]) -> String {
        let names: Vec<&str> = offered.iter().map(|f| f.names[0]).collect();
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => names.join(""),
        }
    }
}

/// Files a record may publish beside its metadata (a dossier's PDF, its plates): file
/// extension, media type. The ingest records the type as `dcat:mediaType` and `/files/…` serves
/// with it; one table so that the two never disagree. An extension not listed is
/// `application/octet-stream`: served as a download, never guessed.
pub const FILE_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("webp", "image/webp"),
    ("gif", "image/gif"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("svg", "image/svg+xml"),
    ("txt", "text/plain"),
    ("csv", "text/csv"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("odp", "application/vnd.oasis.opendocument.presentation"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("epub", "application/epub+zip"),
    ("zip", "application/zip"),
    ("mp3", "audio/mpeg"),
    ("mp4", "video/mp4"),
];

/// What a file is published as: unknown extensions are opaque bytes.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// IANA's IRI for a media type, as DCAT-AP wants `dcat:mediaType`.
pub const IANA_MEDIA_TYPES: &str = "http://www.iana.org/assignments/media-types/";

/// The media type of a file name, by its extension (any case).
///
/// ```
/// assert_eq!(vitrine::formats::file_media_type("Dossier.PDF"), "application/pdf");
/// assert_eq!(vitrine::formats::file_media_type("notes"), "application/octet-stream");
/// ```
pub fn file_media_type(name: &str) -> &'static str {
    let Some((_, extension)) = name.rsplit_once('.') else {
        return OCTET_STREAM;
    };
    FILE_TYPES
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(extension))
        .map_or(OCTET_STREAM, |(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_each_offer() {
        for offer in [&SOLUTIONS[..], &GRAPHS[..]] {
            for (i, a) in offer.iter().enumerate() {
                for b in &offer[i + 1..] {
                    for name in a.names {
                        assert!(!b.names.contains(name), "{name}");
                    }
                    assert_ne!(a.extension, b.extension);
                }
            }
        }
        assert_eq!(Format::listed(&SOLUTIONS), "json, xml, csv or tsv");
        assert_eq!(
            Format::named("application/rdf+xml; charset=utf-8", &GRAPHS),
            Some(RDF_XML)
        );
    }
}
