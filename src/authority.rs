//! The EU Publications Office authority tables the catalogue names its values from, and which
//! codes of each vitrine accepts.
//!
//! Portals score a catalogue on whether its themes, frequencies, access rights, languages and
//! file types are IRIs of these tables (data.europa.eu's quality assessment); a free-text value
//! or a misspelt code costs points silently. So the config takes the table's code (`EDUC`,
//! `MONTHLY`, `fr`) and checks it against the lists below at start-up, and the catalogue writes
//! the table's IRI.

/// One authority table: where its IRIs live and the codes vitrine accepts.
pub struct Table {
    /// The config key family, for error messages (`theme`).
    pub name: &'static str,
    /// Prefix of every IRI of the table.
    pub base: &'static str,
    pub codes: &'static [&'static str],
}

impl Table {
    /// The IRI of `code`, when the table has it.
    pub fn iri(&self, code: &str) -> Option<String> {
        self.codes
            .contains(&code)
            .then(|| format!("{}{code}", self.base))
    }

    /// The codes, for an error message.
    pub fn list(&self) -> String {
        self.codes.join(", ")
    }
}

/// Data themes (DCAT-AP `dcat:theme`); cultural heritage is filed under `EDUC` ("Education,
/// culture and sport").
pub const THEMES: Table = Table {
    name: "theme",
    base: "http://publications.europa.eu/resource/authority/data-theme/",
    codes: &[
        "AGRI",
        "ECON",
        "EDUC",
        "ENER",
        "ENVI",
        "GOVE",
        "HEAL",
        "INTR",
        "JUST",
        "OP_DATPRO",
        "REGI",
        "SOCI",
        "TECH",
        "TRAN",
    ],
};

/// The themes' labels (code, English, French), as the table gives them: DCAT-AP wants a
/// `skos:prefLabel` on every concept a catalogue uses.
pub const THEME_LABELS: &[(&str, &str, &str)] = &[
    (
        "AGRI",
        "Agriculture, fisheries, forestry and food",
        "Agriculture, pêche, sylviculture et alimentation",
    ),
    ("ECON", "Economy and finance", "Économie et finances"),
    (
        "EDUC",
        "Education, culture and sport",
        "Éducation, culture et sport",
    ),
    ("ENER", "Energy", "Énergie"),
    ("ENVI", "Environment", "Environnement"),
    (
        "GOVE",
        "Government and public sector",
        "Gouvernement et secteur public",
    ),
    ("HEAL", "Health", "Santé"),
    ("INTR", "International issues", "Questions internationales"),
    (
        "JUST",
        "Justice, legal system and public safety",
        "Justice, système juridique et sécurité publique",
    ),
    ("OP_DATPRO", "Provisional data", "Données provisoires"),
    ("REGI", "Regions and cities", "Régions et villes"),
    ("SOCI", "Population and society", "Population et société"),
    ("TECH", "Science and technology", "Science et technologie"),
    ("TRAN", "Transport", "Transports"),
];

/// Update frequencies (`dct:accrualPeriodicity`).
pub const FREQUENCIES: Table = Table {
    name: "accrual_periodicity",
    base: "http://publications.europa.eu/resource/authority/frequency/",
    codes: &[
        "ANNUAL",
        "ANNUAL_2",
        "ANNUAL_3",
        "BIENNIAL",
        "BIMONTHLY",
        "BIWEEKLY",
        "CONT",
        "DAILY",
        "DAILY_2",
        "HOURLY",
        "IRREG",
        "MONTHLY",
        "MONTHLY_2",
        "MONTHLY_3",
        "NEVER",
        "OTHER",
        "QUARTERLY",
        "TRIENNIAL",
        "UNKNOWN",
        "UPDATE_CONT",
        "WEEKLY",
        "WEEKLY_2",
        "WEEKLY_3",
    ],
};

/// Access rights (`dct:accessRights`); open data is `PUBLIC`.
pub const ACCESS_RIGHTS: Table = Table {
    name: "access_rights",
    base: "http://publications.europa.eu/resource/authority/access-right/",
    codes: &["PUBLIC", "RESTRICTED", "NON_PUBLIC"],
};

/// Languages (`dct:language`), by the EU table's three-letter code.
pub const LANGUAGES: Table = Table {
    name: "language",
    base: "http://publications.europa.eu/resource/authority/language/",
    codes: &[
        "BRE", "CAT", "COS", "DEU", "ENG", "EUS", "FRA", "ITA", "NLD", "OCI", "POR", "SPA",
    ],
};

/// The config writes languages as the BCP 47 tags of its texts (`fr`); the catalogue needs
/// the EU table's code.
pub const LANGUAGE_TAGS: &[(&str, &str)] = &[
    ("br", "BRE"),
    ("ca", "CAT"),
    ("co", "COS"),
    ("de", "DEU"),
    ("en", "ENG"),
    ("es", "SPA"),
    ("eu", "EUS"),
    ("fr", "FRA"),
    ("it", "ITA"),
    ("nl", "NLD"),
    ("oc", "OCI"),
    ("pt", "POR"),
];

/// File types (`dct:format`) of what vitrine distributes.
pub const FILE_TYPES: Table = Table {
    name: "format",
    base: "http://publications.europa.eu/resource/authority/file-type/",
    codes: &[
        "RDF_N_TRIPLES",
        "RDF_TURTLE",
        "RDF_XML",
        "JSON_LD",
        "SPARQLQRES",
        "GZIP",
    ],
};

/// How long a distribution stays at its address (`dcatap:availability`).
pub const AVAILABILITY: &str =
    "http://publications.europa.eu/resource/authority/planned-availability/";

/// Media types are named by their IANA registry page (`dcat:mediaType`).
pub const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";

/// Licence Ouverte / Open Licence 2.0, as data.gouv.fr recognises it; the default licence.
pub const LICENCE_OUVERTE: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence";

/// The EU licence table.
pub const EU_LICENCES: &str = "http://publications.europa.eu/resource/authority/licence/";

/// data.europa.eu's `edp-non-proprietary-format.rdf`, as space-separated file-type codes.
/// HTML is here but not machine-readable; `SPARQLQRES` and `N3` are in neither list, so we
/// give them no points the harvester would not give.
pub const NON_PROPRIETARY: &str = concat!(
    "BMP CSV DBF GEOJSON GZIP HTML ICS JPEG2000 JSON JSON_LD KML KMZ NETCDF ODS PNG ",
    "RDF_N_QUADS RDF_N_TRIPLES RDF_TRIG RDF_TURTLE RDF_XML RSS RTF TAR TIFF TSV TXT ",
    "WMS_SRVC XML ZIP ",
);
/// data.europa.eu's `edp-machine-readable-format.rdf`, likewise (XLS and XLSX are
/// machine-readable but proprietary).
pub const MACHINE_READABLE: &str = concat!(
    "CSV GEOJSON ICS JSON JSON_LD KML KMZ NETCDF ODS RDFA RDF_N_QUADS RDF_N_TRIPLES ",
    "RDF_TRIG RDF_TURTLE RDF_XML RSS SHP XLS XLSX XML ",
);

/// The EU table's code for a BCP 47 tag (`fr` → `FRA`).
pub fn language_code(tag: &str) -> Option<&'static str> {
    LANGUAGE_TAGS
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(tag))
        .map(|(_, code)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tag_maps_to_a_listed_language() {
        for (tag, code) in LANGUAGE_TAGS {
            assert!(LANGUAGES.iri(code).is_some(), "{tag} → {code}");
        }
        assert_eq!(
            THEMES.iri("EDUC").as_deref(),
            Some("http://publications.europa.eu/resource/authority/data-theme/EDUC")
        );
        assert_eq!(THEMES.iri("CULT"), None);
        for code in THEMES.codes {
            assert!(THEME_LABELS.iter().any(|(c, _, _)| c == code), "{code}");
        }
        assert_eq!(THEME_LABELS.len(), THEMES.codes.len());
    }
}
