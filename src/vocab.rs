//! Namespace IRIs shared by every stage, so no module spells a vocabulary IRI by hand.

/// Declares one namespace module: its IRI, its usual prefix and the terms we use from it.
macro_rules! namespace {
    ($module:ident, $prefix:literal, $iri:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        #[doc = concat!("`", $prefix, ":` — <", $iri, ">")]
        pub mod $module {
            /// The namespace IRI.
            pub const NS: &str = $iri;
            /// The prefix used in Turtle output and in the HTML pages.
            pub const PREFIX: &str = $prefix;
            $(
                #[doc = concat!("`", $prefix, ":", $local, "`")]
                pub const $name: oxigraph::model::NamedNodeRef<'static> =
                    oxigraph::model::NamedNodeRef::new_unchecked(concat!($iri, $local));
            )*
        }
    };
}

namespace!(rdf, "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", {
    TYPE = "type",
});
namespace!(rdfs, "rdfs", "http://www.w3.org/2000/01/rdf-schema#", {
    LABEL = "label",
    SEE_ALSO = "seeAlso",
});
namespace!(xsd, "xsd", "http://www.w3.org/2001/XMLSchema#", {
    DATE_TIME = "dateTime",
    DATE = "date",
    G_YEAR = "gYear",
    G_YEAR_MONTH = "gYearMonth",
    NON_NEGATIVE_INTEGER = "nonNegativeInteger",
    DECIMAL = "decimal",
    HEX_BINARY = "hexBinary",
    INTEGER = "integer",
    STRING = "string",
});
namespace!(dcterms, "dcterms", "http://purl.org/dc/terms/", {
    TITLE = "title",
    DESCRIPTION = "description",
    CREATOR = "creator",
    IDENTIFIER = "identifier",
    LICENSE = "license",
    SOURCE = "source",
    CREATED = "created",
    MODIFIED = "modified",
    ISSUED = "issued",
    PUBLISHER = "publisher",
    IS_VERSION_OF = "isVersionOf",
    EXTENT = "extent",
    DATE = "date",
    LANGUAGE = "language",
    ACCESS_RIGHTS = "accessRights",
    ACCRUAL_PERIODICITY = "accrualPeriodicity",
    SPATIAL = "spatial",
    TEMPORAL = "temporal",
    FORMAT = "format",
    RIGHTS = "rights",
    CONFORMS_TO = "conformsTo",
    LOCATION = "Location",
    PERIOD_OF_TIME = "PeriodOfTime",
    LICENSE_DOCUMENT = "LicenseDocument",
    RIGHTS_STATEMENT = "RightsStatement",
    FREQUENCY = "Frequency",
    LINGUISTIC_SYSTEM = "LinguisticSystem",
    MEDIA_TYPE = "MediaType",
    MEDIA_TYPE_OR_EXTENT = "MediaTypeOrExtent",
    STANDARD = "Standard",
    MEDIUM = "medium",
    IS_PART_OF = "isPartOf",
    HAS_FORMAT = "hasFormat",
    AUDIENCE = "audience",
});
namespace!(dcat, "dcat", "http://www.w3.org/ns/dcat#", {
    DATASET = "Dataset",
    CATALOG = "Catalog",
    DISTRIBUTION = "Distribution",
    DATA_SERVICE = "DataService",
    DATASET_PROP = "dataset",
    DISTRIBUTION_PROP = "distribution",
    SERVICE = "service",
    ACCESS_URL = "accessURL",
    DOWNLOAD_URL = "downloadURL",
    PACKAGE_FORMAT = "packageFormat",
    MEDIA_TYPE = "mediaType",
    COMPRESS_FORMAT = "compressFormat",
    BYTE_SIZE = "byteSize",
    KEYWORD = "keyword",
    THEME = "theme",
    THEME_TAXONOMY = "themeTaxonomy",
    CONTACT_POINT = "contactPoint",
    LANDING_PAGE = "landingPage",
    START_DATE = "startDate",
    END_DATE = "endDate",
    ACCESS_SERVICE = "accessService",
    ENDPOINT_URL = "endpointURL",
    ENDPOINT_DESCRIPTION = "endpointDescription",
    SERVES_DATASET = "servesDataset",
    BBOX = "bbox",
    CENTROID = "centroid",
});
namespace!(dcatap, "dcatap", "http://data.europa.eu/r5r/", {
    AVAILABILITY = "availability",
});
namespace!(vcard, "vcard", "http://www.w3.org/2006/vcard/ns#", {
    KIND = "Kind",
    ORGANIZATION = "Organization",
    FN = "fn",
    HAS_EMAIL = "hasEmail",
});
namespace!(locn, "locn", "http://www.w3.org/ns/locn#", {
    GEOMETRY = "geometry",
    GEOMETRY_CLASS = "Geometry",
});
namespace!(prov, "prov", "http://www.w3.org/ns/prov#", {
    ACTIVITY = "Activity",
    WAS_GENERATED_BY = "wasGeneratedBy",
    USED = "used",
    STARTED_AT_TIME = "startedAtTime",
    ENDED_AT_TIME = "endedAtTime",
    ENTITY = "Entity",
    WAS_REVISION_OF = "wasRevisionOf",
});
namespace!(void, "void", "http://rdfs.org/ns/void#", {
    DATASET = "Dataset",
    LINKSET = "Linkset",
    TRIPLES = "triples",
    ENTITIES = "entities",
    DISTINCT_SUBJECTS = "distinctSubjects",
    DISTINCT_OBJECTS = "distinctObjects",
    CLASS_PARTITION = "classPartition",
    PROPERTY_PARTITION = "propertyPartition",
    CLASS = "class",
    PROPERTY = "property",
    URI_SPACE = "uriSpace",
    EXAMPLE_RESOURCE = "exampleResource",
    SPARQL_ENDPOINT = "sparqlEndpoint",
    DATA_DUMP = "dataDump",
    SUBJECTS_TARGET = "subjectsTarget",
    OBJECTS_TARGET = "objectsTarget",
    LINK_PREDICATE = "linkPredicate",
    SUBSET = "subset",
    FEATURE = "feature",
});
namespace!(spdx, "spdx", "http://spdx.org/rdf/terms#", {
    CHECKSUM = "checksum",
    CHECKSUM_CLASS = "Checksum",
    ALGORITHM = "algorithm",
    CHECKSUM_VALUE = "checksumValue",
    SHA256 = "checksumAlgorithm_sha256",
    SHA1 = "checksumAlgorithm_sha1",
    CHECKSUM_ALGORITHM = "ChecksumAlgorithm",
});
namespace!(foaf, "foaf", "http://xmlns.com/foaf/0.1/", {
    AGENT = "Agent",
    ORGANIZATION = "Organization",
    DOCUMENT = "Document",
    HOMEPAGE = "homepage",
    NAME = "name",
    DEPICTION = "depiction",
});
namespace!(hydra, "hydra", "http://www.w3.org/ns/hydra/core#", {
    COLLECTION = "Collection",
    PARTIAL_COLLECTION_VIEW = "PartialCollectionView",
    TOTAL_ITEMS = "totalItems",
    VIEW = "view",
    FIRST = "first",
    NEXT = "next",
    PREVIOUS = "previous",
    LAST = "last",
});
namespace!(crm, "crm", "http://www.cidoc-crm.org/cidoc-crm/", {
    E22_HUMAN_MADE_OBJECT = "E22_Human-Made_Object",
    P108I_WAS_PRODUCED_BY = "P108i_was_produced_by",
    P94I_WAS_CREATED_BY = "P94i_was_created_by",
    P14_CARRIED_OUT_BY = "P14_carried_out_by",
    P4_HAS_TIME_SPAN = "P4_has_time-span",
    P82A_BEGIN_OF_THE_BEGIN = "P82a_begin_of_the_begin",
    P82B_END_OF_THE_END = "P82b_end_of_the_end",
    P50_HAS_CURRENT_KEEPER = "P50_has_current_keeper",
    P138I_HAS_REPRESENTATION = "P138i_has_representation",
    P98I_WAS_BORN = "P98i_was_born",
    P100I_DIED_IN = "P100i_died_in",
    P1_IS_IDENTIFIED_BY = "P1_is_identified_by",
    P190_HAS_SYMBOLIC_CONTENT = "P190_has_symbolic_content",
    P43_HAS_DIMENSION = "P43_has_dimension",
    P2_HAS_TYPE = "P2_has_type",
    P90_HAS_VALUE = "P90_has_value",
    P91_HAS_UNIT = "P91_has_unit",
    E31_DOCUMENT = "E31_Document",
    P67_REFERS_TO = "P67_refers_to",
});
namespace!(audience, "audience", "https://w3id.org/vitrine/audience#", {
    SCHEME = "levels",
});
namespace!(schema, "schema", "https://schema.org/", {
    IMAGE = "image",
    START_DATE = "startDate",
    END_DATE = "endDate",
    DATE_CREATED = "dateCreated",
});
namespace!(owl, "owl", "http://www.w3.org/2002/07/owl#", {
    SAME_AS = "sameAs",
});
namespace!(skos, "skos", "http://www.w3.org/2004/02/skos/core#", {
    CONCEPT = "Concept",
    CONCEPT_SCHEME = "ConceptScheme",
    IN_SCHEME = "inScheme",
    PREF_LABEL = "prefLabel",
});
namespace!(geo, "geo", "http://www.opengis.net/ont/geosparql#", {
    WKT_LITERAL = "wktLiteral",
    AS_WKT = "asWKT",
});
namespace!(la, "la", "https://linked.art/ns/terms/", {});
namespace!(aat, "aat", "http://vocab.getty.edu/aat/", {});
namespace!(sh, "sh", "http://www.w3.org/ns/shacl#", {});
namespace!(dc, "dc", "http://purl.org/dc/elements/1.1/", {
    DESCRIPTION = "description",
    TITLE = "title",
    LANGUAGE = "language",
});
namespace!(dcmitype, "dcmitype", "http://purl.org/dc/dcmitype/", {});
namespace!(edm, "edm", "http://www.europeana.eu/schemas/edm/", {
    IS_SHOWN_BY = "isShownBy",
    IS_SHOWN_AT = "isShownAt",
    PROVIDED_CHO = "ProvidedCHO",
    WEB_RESOURCE = "WebResource",
    AGGREGATED_CHO = "aggregatedCHO",
    DATA_PROVIDER = "dataProvider",
    PROVIDER = "provider",
    RIGHTS = "rights",
    TYPE = "type",
});
namespace!(ore, "ore", "http://www.openarchives.org/ore/terms/", {
    AGGREGATION = "Aggregation",
});
namespace!(lrmoo, "lrmoo", "http://iflastandards.info/ns/lrm/lrmoo/", {
});
namespace!(rml, "rml", "http://w3id.org/rml/", {
    DEFAULT_GRAPH = "defaultGraph",
});
namespace!(vitrine, "vitrine", "https://w3id.org/vitrine#", {
    RECORDS_READ = "recordsRead",
    RECORDS_PUBLISHED = "recordsPublished",
    CURRENT_VERSION = "currentVersion",
    PUBLIC_GRAPH = "publicGraph",
    LAST_VERSION = "lastVersion",
    VERSION_NUMBER = "versionNumber",
    RECORDS_QUARANTINED = "recordsQuarantined",
    RECORD_ERRORS = "recordErrors",
});

namespace!(dwc, "dwc", "http://rs.tdwg.org/dwc/terms/", {});
namespace!(dwciri, "dwciri", "http://rs.tdwg.org/dwc/iri/", {});
namespace!(
    crmsci,
    "crmsci",
    "http://www.cidoc-crm.org/extensions/crmsci/",
    {}
);

/// The predicates whose literals name a resource on pages, in order of preference.
pub const LABEL_PREDICATES: &[oxigraph::model::NamedNodeRef<'static>] =
    &[rdfs::LABEL, skos::PREF_LABEL];

/// Every namespace with its prefix, in the order prefixes are written in Turtle output.
pub const PREFIXES: &[(&str, &str)] = &[
    (rdf::PREFIX, rdf::NS),
    (rdfs::PREFIX, rdfs::NS),
    (xsd::PREFIX, xsd::NS),
    (owl::PREFIX, owl::NS),
    (dcterms::PREFIX, dcterms::NS),
    (dcat::PREFIX, dcat::NS),
    (vcard::PREFIX, vcard::NS),
    (dcatap::PREFIX, dcatap::NS),
    (locn::PREFIX, locn::NS),
    (foaf::PREFIX, foaf::NS),
    (skos::PREFIX, skos::NS),
    (crm::PREFIX, crm::NS),
    (la::PREFIX, la::NS),
    (aat::PREFIX, aat::NS),
    (schema::PREFIX, schema::NS),
    (geo::PREFIX, geo::NS),
    (prov::PREFIX, prov::NS),
    (void::PREFIX, void::NS),
    (spdx::PREFIX, spdx::NS),
    (dc::PREFIX, dc::NS),
    (dcmitype::PREFIX, dcmitype::NS),
    (edm::PREFIX, edm::NS),
    (ore::PREFIX, ore::NS),
    (lrmoo::PREFIX, lrmoo::NS),
    (dwc::PREFIX, dwc::NS),
    (dwciri::PREFIX, dwciri::NS),
    (crmsci::PREFIX, crmsci::NS),
    (sh::PREFIX, sh::NS),
    (hydra::PREFIX, hydra::NS),
    (vitrine::PREFIX, vitrine::NS),
    (audience::PREFIX, audience::NS),
];

/// A serializer for `format` that writes the usual prefixes (line formats ignore them).
pub fn serializer(format: oxigraph::io::RdfFormat) -> oxigraph::io::RdfSerializer {
    PREFIXES.iter().fold(
        oxigraph::io::RdfSerializer::from_format(format),
        |serializer, (prefix, ns)| {
            serializer
                .with_prefix(*prefix, *ns)
                .expect("the vocabulary's namespaces are valid IRIs (tested)")
        },
    )
}

/// [`compact`], or the whole IRI when no prefix covers it: how pages and reports name a term.
pub fn compact_or_full(iri: &str) -> String {
    compact(iri).unwrap_or_else(|| iri.to_owned())
}

/// Shortens an IRI to `prefix:local` when a known namespace covers it and the local part is a
/// plain name; returns `None` otherwise so the caller shows the full IRI.
pub fn compact(iri: &str) -> Option<String> {
    PREFIXES.iter().find_map(|(prefix, ns)| {
        let local = iri.strip_prefix(ns)?;
        let plain = !local.is_empty()
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        plain.then(|| format!("{prefix}:{local}"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_namespace_makes_a_turtle_prefix() {
        for (prefix, ns) in super::PREFIXES {
            let _ = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::Turtle)
                .with_prefix(*prefix, *ns)
                .unwrap_or_else(|e| panic!("{prefix}: {e}"));
        }
    }

    use super::*;

    #[test]
    fn compacts_known_namespaces_only() {
        assert_eq!(
            compact("http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object").as_deref(),
            Some("crm:E22_Human-Made_Object")
        );
        assert_eq!(compact("http://example.org/x"), None);
        assert_eq!(compact("http://purl.org/dc/terms/"), None);
    }
}
