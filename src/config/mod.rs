//! `vitrine.toml`: who publishes, under which base IRI, where the store lives and which datasets
//! to build from which records.
//!
//! Paths in the file are relative to the file itself, so a publisher folder can be moved or
//! cloned anywhere and still work. Unknown keys are errors: a misspelt `sources` must not
//! silently publish nothing.

mod catalog;
mod reuse;
mod store;

pub use catalog::{Catalog, Contact, DEFAULT_PAGE_SIZE, DatasetCatalog, Spatial};
pub use reuse::{WikidataConfig, is_id as is_wikidata_id};
pub use store::{Backend as StoreBackend, StoreConfig};

use crate::mapping::CsvOptions;
use oxigraph::model::NamedNode;
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The bind address used when neither the config nor `--bind` gives one.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Why a configuration could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The TOML is malformed, has an unknown key or lacks a required one.
    #[error("{}: {message}", path.display())]
    Syntax { path: PathBuf, message: String },
    /// A value is well-formed TOML but unusable; `key` is its dotted path in the file.
    #[error("{}: `{key}`: {message}", path.display())]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
}

/// A loaded and checked `vitrine.toml`.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this was read from.
    pub path: PathBuf,
    /// The folder relative paths are resolved against.
    pub root: PathBuf,
    pub publisher: Publisher,
    /// Every IRI the publisher mints starts with this (ends with `/`).
    pub base_iri: NamedNode,
    pub store: StoreConfig,
    pub server: ServerConfig,
    /// The DCAT-AP catalogue's own description; `None` (no `[catalog]`) leaves the catalogue
    /// off.
    pub catalog: Option<Catalog>,
    pub datasets: Vec<Dataset>,
}

/// The organisation that publishes the data; it appears in provenance and on the home page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub name: String,
    pub homepage: Option<String>,
    pub email: Option<String>,
}

/// The public HTTP side, and the limits that keep it up (`[server]`).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    /// How long a query may run; past it, evaluation is cancelled and the client gets 503.
    pub query_timeout: Duration,
    /// Queries evaluated at once; more wait for [`ServerConfig::queue_timeout`], then get 503.
    pub max_concurrent_queries: usize,
    /// How long a query waits for a free slot.
    pub queue_timeout: Duration,
    /// Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) an answer may hold; past it the answer
    /// stops, and says so.
    pub result_limit: u64,
    /// The largest request body accepted (a POSTed query), in bytes; larger ones get 413.
    pub max_body_bytes: usize,
    /// The largest request line and headers, in bytes; larger ones get 431.
    pub max_header_bytes: usize,
    /// The longest request target (path and query string), in bytes; longer ones get 414.
    pub max_url_bytes: usize,
    /// Connections served at once; more wait in the system's queue until one closes.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers, or to send its next request
    /// on a kept-alive connection, and may leave its body idle: past it the connection is
    /// closed, so slow clients (slowloris) cannot hold connections.
    pub header_timeout: Duration,
    /// Origins allowed to query from a browser (CORS); `*` for any.
    pub cors_origins: Vec<String>,
    /// Memory the result cache may use, in bytes (0 turns it off).
    pub cache_bytes: usize,
    /// Endpoints `SERVICE` may call (federated queries); empty: `SERVICE` is refused.
    pub federation: Vec<String>,
    /// How long one `SERVICE` call may take.
    pub federation_timeout: Duration,
    /// Answer a thing's URI (`/id/…`) with `303 See Other` to its document (`/doc/…`), the
    /// "httpRange-14" style some harvesters expect; by default the URI answers `200` itself.
    pub see_other: bool,
    /// A folder of templates that replace the built-in ones of the same name.
    pub templates: Option<PathBuf>,
    /// How long browsers and proxies may keep an item's document without asking again
    /// (`Cache-Control: max-age`); after that they revalidate with its `ETag`.
    pub item_max_age: Duration,
}

impl ServerConfig {
    /// The limits a public endpoint runs with when the config says nothing.
    pub fn defaults(bind: SocketAddr) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            bind,
            query_timeout: Duration::from_secs(30),
            max_concurrent_queries: 2 * cores,
            queue_timeout: Duration::from_secs(2),
            result_limit: 100_000,
            max_body_bytes: 1 << 20,
            max_header_bytes: 64 << 10,
            max_url_bytes: 32 << 10,
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            cors_origins: vec!["*".into()],
            cache_bytes: 64 << 20,
            federation: Vec::new(),
            federation_timeout: Duration::from_secs(10),
            see_other: false,
            templates: None,
            item_max_age: Duration::from_secs(300),
        }
    }
}

/// A text in French and/or English; at least one is present.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub fr: Option<String>,
    pub en: Option<String>,
}

impl Text {
    /// Each present translation with its language tag.
    pub fn translations(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [("fr", &self.fr), ("en", &self.en)]
            .into_iter()
            .filter_map(|(lang, text)| Some((lang, text.as_deref()?)))
    }

    /// The text in `lang`, else any translation.
    pub fn get(&self, lang: &str) -> &str {
        self.translations()
            .find(|(l, _)| *l == lang)
            .or_else(|| self.translations().next())
            .map_or("", |(_, text)| text)
    }
}

/// A dataset title from an archive's eml.xml: each `<title>` in French or English (EML writes
/// ISO 639-2 codes, `fra`, `eng`); a title in another or no language is taken as English.
fn eml_title(eml: &crate::mapping::dwca::Eml) -> Text {
    let mut text = Text::default();
    for (lang, title) in &eml.titles {
        let slot = match lang.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("fr" | "fra" | "fre") => &mut text.fr,
            _ => &mut text.en,
        };
        slot.get_or_insert_with(|| title.clone());
    }
    text
}

/// One published dataset: its records, the mapping that turns them into RDF, and its shapes.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Short name used in URIs (`/id/{id}/…`) and graph names.
    pub id: String,
    pub title: Text,
    pub description: Text,
    pub license: NamedNode,
    /// The dataset's public graph: `{base}graph/{id}` unless the config names one (to keep the
    /// name a dataset is already known by).
    pub graph: NamedNode,
    /// Absolute path of the RML or YARRRML mapping; `None` when the sources are RDF files,
    /// published as they are.
    pub mapping: Option<PathBuf>,
    /// Absolute paths of the record files the mapping reads, or of the RDF files.
    pub sources: Vec<PathBuf>,
    /// Absolute paths of the SHACL shapes files.
    pub shapes: Vec<PathBuf>,
    /// How this dataset's CSV files are written, over what the mapping says: a bundled
    /// profile runs on a `;`-separated Windows-1252 export without being edited.
    pub csv: Option<CsvOptions>,
    /// What the catalogue says of it beyond title, description and licence.
    pub catalog: DatasetCatalog,
    /// How its items meet Wikidata (`[datasets.wikidata]`).
    pub wikidata: WikidataConfig,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    publisher: Publisher,
    base_iri: String,
    store: store::RawStore,
    #[serde(default)]
    server: RawServer,
    catalog: Option<catalog::RawCatalog>,
    #[serde(default)]
    datasets: Vec<RawDataset>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    bind: Option<String>,
    query_timeout: Option<String>,
    max_concurrent_queries: Option<usize>,
    queue_timeout: Option<String>,
    result_limit: Option<u64>,
    max_body_bytes: Option<usize>,
    max_header_bytes: Option<usize>,
    max_url_bytes: Option<usize>,
    max_connections: Option<usize>,
    header_timeout: Option<String>,
    cors_origins: Option<Vec<String>>,
    cache_bytes: Option<usize>,
    federation: Option<Vec<String>>,
    federation_timeout: Option<String>,
    see_other: Option<bool>,
    templates: Option<PathBuf>,
    item_max_age: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataset {
    id: String,
    /// Required, except for a Darwin Core Archive whose eml.xml has a title.
    title: Option<Text>,
    #[serde(default)]
    description: Text,
    license: Option<String>,
    graph: Option<String>,
    mapping: Option<PathBuf>,
    sources: Vec<PathBuf>,
    #[serde(default)]
    shapes: Vec<PathBuf>,
    csv: Option<RawCsv>,
    keywords: Option<catalog::Keywords>,
    themes: Option<Vec<String>>,
    accrual_periodicity: Option<String>,
    spatial: Option<Spatial>,
    temporal: Option<catalog::RawTemporal>,
    wikidata: Option<reuse::RawWikidata>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCsv {
    delimiter: Option<String>,
    encoding: Option<String>,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses configuration text as if it had been read from `path`.
    ///
    /// ```
    /// let err = vitrine::config::Config::parse(
    ///     "base_iri = 'https://data.example.org/'\ncolour = 'blue'\n",
    ///     std::path::Path::new("/tmp/vitrine.toml"),
    /// )
    /// .unwrap_err();
    /// assert!(err.to_string().contains("unknown field `colour`"));
    /// assert!(err.to_string().starts_with("/tmp/vitrine.toml"));
    /// ```
    pub fn parse(text: &str, path: &Path) -> Result<Self, Error> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| Error::Syntax {
            path: path.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        let invalid = |key: String, message: String| Error::Invalid {
            path: path.to_owned(),
            key,
            message,
        };

        let base_iri =
            NamedNode::new(&raw.base_iri).map_err(|e| invalid("base_iri".into(), e.to_string()))?;
        if !raw.base_iri.ends_with('/') {
            return Err(invalid(
                "base_iri".into(),
                "must end with `/` so that `id/…` can be appended".into(),
            ));
        }

        let store = raw.store.check(&root, &invalid)?;
        let mut server = server_config(raw.server, &invalid)?;
        if let Some(folder) = server.templates.take() {
            let full = root.join(folder);
            if !full.is_dir() {
                return Err(invalid(
                    "server.templates".into(),
                    format!("no folder at {}", full.display()),
                ));
            }
            server.templates = Some(full);
        }
        let problem = |(key, message): catalog::Problem| invalid(key, message);
        let catalog = raw
            .catalog
            .map(|c| c.check(&raw.publisher, &base_iri))
            .transpose()
            .map_err(problem)?;
        let names = crate::store::Names::new(&base_iri);
        let mut seen = HashSet::new();
        let mut graphs = HashSet::new();
        let mut datasets = Vec::with_capacity(raw.datasets.len());
        for (i, d) in raw.datasets.into_iter().enumerate() {
            let key = |field: &str| format!("datasets[{i}].{field}");
            if !is_slug(&d.id) {
                return Err(invalid(
                    key("id"),
                    format!(
                        "`{}` must be lower-case letters, digits, `-` or `_` (it goes into URIs)",
                        d.id
                    ),
                ));
            }
            if !seen.insert(d.id.clone()) {
                return Err(invalid(key("id"), format!("`{}` is used twice", d.id)));
            }
            // A Darwin Core Archive brings its metadata (eml.xml): what the config leaves out is
            // read there, once, when the config is loaded.
            let eml = d
                .sources
                .iter()
                .map(|p| root.join(p))
                .find(|p| crate::mapping::dwca::is_archive(p))
                .and_then(|p| crate::mapping::dwca::Archive::open(&p).ok())
                .and_then(|a| a.eml());
            let mut d = d;
            let title = match d.title.take() {
                Some(title) => title,
                None => eml.as_ref().map(eml_title).ok_or_else(|| {
                    invalid(
                        key("title"),
                        "is missing (only a Darwin Core Archive whose eml.xml has a title \
                             may leave it out)"
                            .into(),
                    )
                })?,
            };
            if title.translations().next().is_none() {
                return Err(invalid(key("title"), "needs `fr` or `en`".into()));
            }
            if d.description.translations().next().is_none() {
                if let Some(description) = eml.as_ref().and_then(|e| e.description.clone()) {
                    d.description.en = Some(description);
                }
            }
            let license = NamedNode::new(
                d.license
                    .as_deref()
                    .or_else(|| eml.as_ref().and_then(|e| e.license.as_deref()))
                    .unwrap_or(crate::authority::LICENCE_OUVERTE),
            )
            .map_err(|e| invalid(key("license"), format!("not an IRI: {e}")))?;
            let existing = |field: &str, p: &Path| {
                let full = root.join(p);
                if full.is_file() || field == "sources" && crate::mapping::dwca::is_archive(&full) {
                    Ok(full)
                } else {
                    Err(invalid(
                        key(field),
                        format!("no file at {}", full.display()),
                    ))
                }
            };
            if d.sources.is_empty() {
                return Err(invalid(key("sources"), "lists no file".into()));
            }
            let csv = d
                .csv
                .map(|c| CsvOptions::parse(c.delimiter.as_deref(), c.encoding.as_deref()))
                .transpose()
                .map_err(|e| invalid(key("csv"), e))?;
            if d.mapping.is_none() {
                if csv.is_some() {
                    return Err(invalid(
                        key("csv"),
                        "applies to CSV files read by a mapping; this dataset has no `mapping`"
                            .into(),
                    ));
                }
                if let Some(file) = d.sources.iter().find(|f| rdf_format(f).is_none()) {
                    return Err(invalid(
                        key("sources"),
                        format!(
                            "{} is not an RDF file (.ttl, .nt, .nq, .trig, .rdf, .owl, .jsonld); \
                             records in other formats need a `mapping`",
                            file.display()
                        ),
                    ));
                }
            }
            let graph = match &d.graph {
                None => names.graph(&d.id),
                Some(g) => {
                    let graph = NamedNode::new(g)
                        .map_err(|e| invalid(key("graph"), format!("not an IRI: {e}")))?;
                    if names.is_internal(graph.as_str()) {
                        return Err(invalid(
                            key("graph"),
                            format!("`{g}` is reserved for vitrine's own graphs"),
                        ));
                    }
                    graph
                }
            };
            if !graphs.insert(graph.clone()) {
                return Err(invalid(
                    key("graph"),
                    format!("`{}` is the graph of another dataset", graph.as_str()),
                ));
            }
            let dcat = catalog::RawDatasetCatalog {
                keywords: d.keywords,
                themes: d.themes,
                accrual_periodicity: d.accrual_periodicity,
                spatial: d.spatial,
                temporal: d.temporal,
            }
            .check(
                &format!("datasets[{i}]"),
                catalog.as_ref(),
                &title,
                &d.description,
            )
            .map_err(problem)?;
            let wikidata = match d.wikidata {
                Some(raw) => raw
                    .check(&key("wikidata"))
                    .map_err(|(key, message)| invalid(key, message))?,
                None => WikidataConfig::default(),
            };
            datasets.push(Dataset {
                catalog: dcat,
                wikidata,
                graph,
                mapping: d
                    .mapping
                    .as_ref()
                    .map(|m| existing("mapping", m))
                    .transpose()?,
                sources: d
                    .sources
                    .iter()
                    .map(|p| existing("sources", p))
                    .collect::<Result<_, _>>()?,
                shapes: d
                    .shapes
                    .iter()
                    .map(|p| existing("shapes", p))
                    .collect::<Result<_, _>>()?,
                id: d.id,
                title,
                description: d.description,
                license,
                csv,
            });
        }

        Ok(Self {
            path: path.to_owned(),
            store,
            catalog,
            root,
            publisher: raw.publisher,
            base_iri,
            server,
            datasets,
        })
    }

    /// The dataset called `id`.
    pub fn dataset(&self, id: &str) -> Option<&Dataset> {
        self.datasets.iter().find(|d| d.id == id)
    }

    /// The datasets called `ids`, or every dataset when `ids` is empty; an unknown id is an
    /// error listing the known ones.
    pub fn select(&self, ids: &[String]) -> Result<Vec<&Dataset>, Error> {
        let invalid = |message: String| Error::Invalid {
            path: self.path.clone(),
            key: "datasets".into(),
            message,
        };
        if self.datasets.is_empty() {
            return Err(invalid("declares no dataset".into()));
        }
        if ids.is_empty() {
            return Ok(self.datasets.iter().collect());
        }
        ids.iter()
            .map(|id| {
                self.dataset(id).ok_or_else(|| {
                    invalid(format!(
                        "no dataset `{id}` (it has: {})",
                        self.datasets
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
            })
            .collect()
    }
}

/// Reads `[server]`, with the defaults of [`ServerConfig::defaults`] for what it leaves out.
fn server_config(
    raw: RawServer,
    invalid: &dyn Fn(String, String) -> Error,
) -> Result<ServerConfig, Error> {
    let bind_text = raw.bind.as_deref().unwrap_or(DEFAULT_BIND);
    let bind = bind_text.parse().map_err(|_| {
        invalid(
            "server.bind".into(),
            format!("`{bind_text}` is not an address like 127.0.0.1:8080"),
        )
    })?;
    let mut server = ServerConfig::defaults(bind);
    let duration = |key: &str, text: &str| {
        humantime::parse_duration(text).map_err(|e| {
            invalid(
                format!("server.{key}"),
                format!("`{text}`: {e} (e.g. \"30s\")"),
            )
        })
    };
    if let Some(t) = &raw.query_timeout {
        server.query_timeout = duration("query_timeout", t)?;
    }
    if let Some(t) = &raw.queue_timeout {
        server.queue_timeout = duration("queue_timeout", t)?;
    }
    if let Some(t) = &raw.federation_timeout {
        server.federation_timeout = duration("federation_timeout", t)?;
    }
    if let Some(t) = &raw.item_max_age {
        server.item_max_age = duration("item_max_age", t)?;
    }
    if let Some(t) = &raw.header_timeout {
        server.header_timeout = duration("header_timeout", t)?;
    }
    server.see_other = raw.see_other.unwrap_or(false);
    server.templates = raw.templates;
    if let Some(n) = raw.max_concurrent_queries {
        if n == 0 {
            return Err(invalid(
                "server.max_concurrent_queries".into(),
                "must be at least 1".into(),
            ));
        }
        server.max_concurrent_queries = n;
    }
    if let Some(n) = raw.result_limit {
        server.result_limit = n;
    }
    if let Some(n) = raw.max_body_bytes {
        server.max_body_bytes = n;
    }
    let at_least = |key: &str, n: usize, least: usize| {
        if n < least {
            Err(invalid(
                format!("server.{key}"),
                format!("must be at least {least}"),
            ))
        } else {
            Ok(n)
        }
    };
    // hyper's read buffer cannot be smaller than 8 KiB.
    if let Some(n) = raw.max_header_bytes {
        server.max_header_bytes = at_least("max_header_bytes", n, 8192)?;
    }
    if let Some(n) = raw.max_url_bytes {
        server.max_url_bytes = at_least("max_url_bytes", n, 256)?;
    }
    if let Some(n) = raw.max_connections {
        server.max_connections = at_least("max_connections", n, 1)?;
    }
    if let Some(n) = raw.cache_bytes {
        server.cache_bytes = n;
    }
    if let Some(origins) = raw.cors_origins {
        server.cors_origins = origins;
    }
    if let Some(endpoints) = raw.federation {
        for e in &endpoints {
            if !(e.starts_with("http://") || e.starts_with("https://"))
                || NamedNode::new(e).is_err()
            {
                return Err(invalid(
                    "server.federation".into(),
                    format!("`{e}` is not an http(s) endpoint URL"),
                ));
            }
        }
        server.federation = endpoints;
    }
    Ok(server)
}

/// The RDF syntax of a file, by its extension (`.owl` files are RDF/XML).
pub fn rdf_format(path: &Path) -> Option<oxigraph::io::RdfFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "owl" => Some(oxigraph::io::RdfFormat::RdfXml),
        // `.json` and `.xml` are exports that need a mapping, not RDF.
        "json" | "xml" | "txt" => None,
        other => oxigraph::io::RdfFormat::from_extension(other),
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get("fr"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
base_iri = "https://data.example.org/"
[publisher]
name = "Musée"
[store]
path = "store"
"#;

    #[test]
    fn minimal_config_has_defaults() {
        let c = Config::parse(MINIMAL, Path::new("/srv/pub/vitrine.toml")).unwrap();
        assert_eq!(c.server.bind.to_string(), DEFAULT_BIND);
        assert_eq!(c.store.path, Path::new("/srv/pub/store"));
        assert!(c.datasets.is_empty());
    }

    #[test]
    fn missing_key_is_named() {
        let err = Config::parse(
            "base_iri = 'https://x.org/'\n[store]\npath='s'\n",
            Path::new("v.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("missing field `publisher`"), "{err}");
        assert!(err.starts_with("v.toml"), "{err}");
    }

    #[test]
    fn unknown_nested_key_is_named() {
        let text = format!("{MINIMAL}\n[server]\nbnd = '127.0.0.1:1'\n");
        let err = Config::parse(&text, Path::new("v.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `bnd`"), "{err}");
    }

    #[test]
    fn base_iri_must_end_with_slash() {
        let text = MINIMAL.replace("example.org/", "example.org");
        let err = Config::parse(&text, Path::new("v.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`base_iri`"), "{err}");
    }
}
