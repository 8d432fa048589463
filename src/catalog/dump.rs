//! Dumps: each dataset's published graph, and the whole site, as gzipped N-Triples and Turtle,
//! written at each publication and described by a small JSON file beside them.
//!
//! A dump is **deterministic**: the same published data gives the same bytes, so mirrors,
//! checksums in the catalogue and `If-None-Match` stay valid across re-ingests that change
//! nothing. Triples come out in the store's index order, which depends only on the triples
//! themselves (the embedded store orders by term encoding, not by insertion). Blank nodes are
//! the exception — their store identifiers are random — so triples that mention one are set
//! aside, relabelled with RDFC-1.0 (`sophia_c14n`: the labels depend only on the graph) and
//! written sorted after the others. Memory stays flat except for those triples; the
//! statistics of [`super::void`] are gathered in the same pass.

use super::void::{Stats, StatsBuilder};
use crate::store::{Answer, Published, QueryOptions, Solution, Store};
use flate2::Compression;
use flate2::write::GzEncoder;
use oxigraph::io::RdfFormat;
use oxigraph::model::{BlankNode, NamedOrBlankNode, Term, Triple};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What went wrong writing or reading dumps.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error("dataset `{0}` is not published")]
    NotPublished(String),
    #[error("canonical blank node labels: {0}")]
    Canonical(String),
}

/// One written file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct File {
    /// Path under the dumps folder, with `/` (`datasets/joconde.nt.gz`): also its URL path
    /// under `/dumps/`.
    pub path: String,
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// Lower-case hex SHA-1, for DCAT-AP 2 catalogues (whose checksums must be SHA-1).
    pub sha1: String,
}

/// What a dataset's (or the site's) dumps hold: written last, so a reader never sees the
/// description of files that are not all there.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The dataset id, or `None` for the whole site.
    pub dataset: Option<String>,
    /// The versions dumped: (dataset, version number). A manifest whose versions differ from
    /// the published ones is stale.
    pub versions: Vec<(String, u64)>,
    /// When the newest of those versions was published (`xsd:dateTime`).
    pub modified: String,
    pub ntriples: File,
    pub turtle: File,
    pub stats: Stats,
}

/// Where the site-wide files go (dataset ids are slugs without `/`, so no clash).
const SITE: &str = "all";

/// The manifest path of a dataset (`None`: the site) under `dir`.
pub fn manifest_path(dir: &Path, dataset: Option<&str>) -> PathBuf {
    match dataset {
        Some(id) => dir.join("datasets").join(format!("{id}.json")),
        None => dir.join(format!("{SITE}.json")),
    }
}

/// The manifest of `dataset` (`None`: the site), when one was written.
pub fn read_manifest(dir: &Path, dataset: Option<&str>) -> Option<Manifest> {
    let text = std::fs::read(manifest_path(dir, dataset)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// The versions `view` publishes, in the manifests' form.
fn published_versions(view: &Published, only: Option<&str>) -> Vec<(String, u64)> {
    view.datasets()
        .iter()
        .filter(|d| only.is_none_or(|id| d.id == id))
        .map(|d| (d.id.clone(), d.version.number))
        .collect()
}

/// The manifest of `dataset` (`None`: the site), when it describes what `view` publishes: a
/// stale one names files of another version.
pub fn current_manifest(view: &Published, dir: &Path, dataset: Option<&str>) -> Option<Manifest> {
    read_manifest(dir, dataset).filter(|m| m.versions == published_versions(view, dataset))
}

/// The rows of `select`, read `size` at a time with `ORDER BY … LIMIT … OFFSET`.
struct Pages {
    store: Store,
    select: String,
    size: u64,
    offset: u64,
    page: Option<crate::store::Solutions>,
    /// Rows read from the current page.
    read: u64,
    done: bool,
}

impl Pages {
    fn new(store: Store, select: String, size: u64) -> Self {
        Self {
            store,
            select,
            size,
            offset: 0,
            page: None,
            read: 0,
            done: false,
        }
    }
}

impl Iterator for Pages {
    type Item = Result<Solution, crate::store::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            if let Some(page) = &mut self.page {
                match page.next() {
                    Some(row) => {
                        self.read += 1;
                        return Some(row);
                    }
                    None => {
                        // A short page is the last one.
                        self.done = self.read < self.size;
                        self.offset += self.read;
                        self.page = None;
                        continue;
                    }
                }
            }
            let query = format!(
                "{} ORDER BY ?s ?p ?o OFFSET {} LIMIT {}",
                self.select, self.offset, self.size
            );
            match self.store.query(&query, &QueryOptions::default()) {
                Ok(Answer::Solutions(rows)) => {
                    self.page = Some(rows);
                    self.read = 0;
                }
                Ok(_) => unreachable!("a SELECT answers with solutions"),
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Whether the manifest of `dataset` (`None`: the site) describes what is published now.
pub fn is_current(store: &Store, dir: &Path, dataset: Option<&str>) -> bool {
    current_manifest(&store.published(), dir, dataset).is_some()
}

/// Writes the dumps of `dataset` (`None`: the whole site, each statement once) into `dir`,
/// replacing the previous ones only once the new files are complete.
pub fn write(store: &Store, dir: &Path, dataset: Option<&str>) -> Result<Manifest, Error> {
    let view = store.published();
    let (graph_pattern, modified) = match dataset {
        Some(id) => {
            let d = view
                .get(id)
                .ok_or_else(|| Error::NotPublished(id.to_owned()))?;
            (
                format!("GRAPH <{}> {{ ?s ?p ?o }}", d.graph.as_str()),
                d.published.clone(),
            )
        }
        None => (
            "?s ?p ?o".to_owned(),
            view.datasets()
                .iter()
                .map(|d| d.published.clone())
                .max()
                .unwrap_or_default(),
        ),
    };
    let versions = published_versions(&view, dataset);
    if let (None, [only]) = (dataset, view.datasets()) {
        // One dataset: the site's dump is its dump, byte for byte (same triples, same order).
        if let Some(m) = current_manifest(&view, dir, Some(&only.id)) {
            return copy_as_site(dir, m);
        }
    }
    let stem = match dataset {
        Some(id) => format!("datasets/{id}"),
        None => SITE.to_owned(),
    };
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let folder = dir.join(if dataset.is_some() { "datasets" } else { "" });
    std::fs::create_dir_all(&folder).map_err(io(&folder))?;

    // SELECT, not CONSTRUCT: the engine keeps up to a million constructed triples to drop
    // duplicates, which a graph does not have (and the union already gives each statement once).
    let select = format!("SELECT ?s ?p ?o WHERE {{ {graph_pattern} }}");
    let rows: Box<dyn Iterator<Item = Result<Solution, crate::store::Error>>> =
        match store.query(&select, &QueryOptions::default()) {
            Ok(Answer::Solutions(rows)) => Box::new(rows),
            Ok(_) => unreachable!("a SELECT answers with solutions"),
            // A remote store that answers a limited number of rows: the same rows, in pages
            // of half its limit, in an order that does not move between two pages.
            Err(crate::store::Error::Truncated { rows, .. }) if rows > 1 => {
                Box::new(Pages::new(store.clone(), select, rows / 2))
            }
            Err(e) => return Err(e.into()),
        };
    let triples = rows.map(|row| {
        let row = row?;
        match row.as_slice() {
            [Some(s), Some(Term::NamedNode(p)), Some(o)] => {
                let subject = match s {
                    Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
                    Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
                    other => return Err(Error::Canonical(format!("{other} as a subject"))),
                };
                Ok(Triple::new(subject, p.clone(), o.clone()))
            }
            _ => Err(Error::Canonical("a row without a whole triple".into())),
        }
    });
    let nt_path = dir.join(format!("{stem}.nt.gz"));
    let ttl_path = dir.join(format!("{stem}.ttl.gz"));
    let mut nt = Output::create(&nt_path, RdfFormat::NTriples)?;
    let mut ttl = Output::create(&ttl_path, RdfFormat::Turtle)?;
    let mut stats = StatsBuilder::new(store.names());
    let mut with_blanks = Vec::new();
    for triple in triples {
        let triple = triple?;
        if mentions_blank(&triple) {
            with_blanks.push(triple);
            continue;
        }
        stats.add(&triple);
        nt.write(&triple)?;
        ttl.write(&triple)?;
    }
    for triple in canonical(with_blanks)? {
        stats.add(&triple);
        nt.write(&triple)?;
        ttl.write(&triple)?;
    }
    let manifest = Manifest {
        dataset: dataset.map(str::to_owned),
        versions,
        modified,
        ntriples: nt.finish(format!("{stem}.nt.gz"))?,
        turtle: ttl.finish(format!("{stem}.ttl.gz"))?,
        stats: stats.finish(),
    };
    write_manifest(dir, &manifest)?;
    Ok(manifest)
}

/// Writes `manifest` beside its files, last, under a temporary name first.
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), Error> {
    let path = manifest_path(dir, manifest.dataset.as_deref());
    let json = serde_json::to_vec_pretty(manifest).expect("a manifest serialises");
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    std::fs::write(&tmp, json).map_err(|source| Error::Io {
        path: tmp.clone(),
        source,
    })?;
    std::fs::rename(&tmp, &path).map_err(|source| Error::Io { path, source })
}

/// The site's files and manifest as copies of the only dataset's.
fn copy_as_site(dir: &Path, mut manifest: Manifest) -> Result<Manifest, Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    for (file, ext) in [
        (&mut manifest.ntriples, "nt.gz"),
        (&mut manifest.turtle, "ttl.gz"),
    ] {
        let to = dir.join(format!("{SITE}.{ext}"));
        let tmp = to.with_extension(format!("gz.{}.tmp", std::process::id()));
        std::fs::copy(dir.join(&file.path), &tmp).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &to).map_err(io(&to))?;
        file.path = format!("{SITE}.{ext}");
    }
    manifest.dataset = None;
    write_manifest(dir, &manifest)?;
    Ok(manifest)
}

/// Writes the dumps of every published dataset whose manifest is stale, then the site's when
/// anything changed; returns the ids written (`all` for the site).
pub fn refresh(store: &Store, dir: &Path) -> Result<Vec<String>, Error> {
    // The server refreshes at start and after each handed-over ingest: one at a time.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut written = Vec::new();
    for d in store.published().datasets() {
        if !is_current(store, dir, Some(&d.id)) {
            write(store, dir, Some(&d.id))?;
            written.push(d.id.clone());
        }
    }
    if !store.published().is_empty() && !is_current(store, dir, None) {
        write(store, dir, None)?;
        written.push(SITE.to_owned());
    }
    Ok(written)
}

fn mentions_blank(t: &Triple) -> bool {
    matches!(t.subject, NamedOrBlankNode::BlankNode(_)) || matches!(t.object, Term::BlankNode(_))
}

/// The triples, with blank nodes relabelled by RDFC-1.0 and sorted by their N-Triples form.
fn canonical(triples: Vec<Triple>) -> Result<Vec<Triple>, Error> {
    if triples.is_empty() {
        return Ok(triples);
    }
    use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
    use std::collections::BTreeSet;
    let to_sophia = |t: &Term| -> SimpleTerm<'static> {
        match t {
            Term::NamedNode(n) => {
                SimpleTerm::Iri(IriRef::new_unchecked(n.as_str().to_owned().into()))
            }
            Term::BlankNode(b) => {
                SimpleTerm::BlankNode(BnodeId::new_unchecked(b.as_str().to_owned().into()))
            }
            Term::Literal(l) => match l.language() {
                Some(lang) => SimpleTerm::LiteralLanguage(
                    l.value().to_owned().into(),
                    LanguageTag::new_unchecked(lang.to_owned().into()),
                    None,
                ),
                None => SimpleTerm::LiteralDatatype(
                    l.value().to_owned().into(),
                    IriRef::new_unchecked(l.datatype().as_str().to_owned().into()),
                ),
            },
        }
    };
    let dataset: BTreeSet<([SimpleTerm<'static>; 3], Option<SimpleTerm<'static>>)> = triples
        .iter()
        .map(|t| {
            (
                [
                    to_sophia(&Term::from(t.subject.clone())),
                    to_sophia(&Term::NamedNode(t.predicate.clone())),
                    to_sophia(&t.object),
                ],
                None,
            )
        })
        .collect();
    let (_, labels) =
        sophia_c14n::rdfc10::relabel(&dataset).map_err(|e| Error::Canonical(e.to_string()))?;
    let labels: HashMap<String, String> = labels
        .into_iter()
        .map(|(from, to)| (from.to_string(), to.as_str().to_owned()))
        .collect();
    let relabel = |b: &BlankNode| {
        BlankNode::new(labels.get(b.as_str()).map_or(b.as_str(), String::as_str))
            .unwrap_or_else(|_| b.clone())
    };
    let mut out: Vec<Triple> = triples
        .into_iter()
        .map(|mut t| {
            if let NamedOrBlankNode::BlankNode(b) = &t.subject {
                t.subject = relabel(b).into();
            }
            if let Term::BlankNode(b) = &t.object {
                t.object = relabel(b).into();
            }
            t
        })
        .collect();
    out.sort_by_cached_key(ToString::to_string);
    Ok(out)
}

/// A gzipped RDF file being written under a temporary name, with its size and checksum.
struct Output {
    path: PathBuf,
    tmp: PathBuf,
    serializer:
        oxigraph::io::WriterQuadSerializer<std::io::BufWriter<GzEncoder<Counted<std::fs::File>>>>,
}

impl Output {
    fn create(path: &Path, format: RdfFormat) -> Result<Self, Error> {
        // Another process (`vitrine export`) may write the same dump: each its own file until
        // the rename, which is atomic (and the bytes are the same for the same version).
        let tmp = path.with_extension(format!("gz.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|source| Error::Io {
            path: tmp.clone(),
            source,
        })?;
        // No file name or time in the gzip header: the bytes depend on the data only.
        let gz = flate2::GzBuilder::new().write(Counted::new(file), Compression::default());
        // The serializers write a few bytes at a time; the compressor wants large blocks (it
        // clears its output buffer on every call).
        let gz = std::io::BufWriter::with_capacity(256 * 1024, gz);
        Ok(Self {
            path: path.to_owned(),
            serializer: crate::vocab::serializer(format).for_writer(gz),
            tmp,
        })
    }

    fn write(&mut self, triple: &Triple) -> Result<(), Error> {
        self.serializer
            .serialize_triple(triple)
            .map_err(|source| Error::Io {
                path: self.tmp.clone(),
                source,
            })
    }

    fn finish(self, name: String) -> Result<File, Error> {
        let io = |source| Error::Io {
            path: self.tmp.clone(),
            source,
        };
        let buffered = self.serializer.finish().map_err(io)?;
        let gz = buffered.into_inner().map_err(|e| io(e.into_error()))?;
        let counted = gz.finish().map_err(io)?;
        let (file, bytes, sha256, sha1) = counted.into_parts();
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&self.tmp, &self.path).map_err(io)?;
        Ok(File {
            path: name,
            bytes,
            sha256,
            sha1,
        })
    }
}

/// A writer that counts and hashes what goes through it.
struct Counted<W> {
    inner: W,
    bytes: u64,
    sha256: Sha256,
    sha1: sha1::Sha1,
}

impl<W> Counted<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            bytes: 0,
            sha256: Sha256::new(),
            sha1: sha1::Digest::new(),
        }
    }

    fn into_parts(self) -> (W, u64, String, String) {
        let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect();
        let sha1 = hex(&sha1::Digest::finalize(self.sha1));
        (self.inner, self.bytes, hex(&self.sha256.finalize()), sha1)
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        self.sha256.update(&buf[..n]);
        sha1::Digest::update(&mut self.sha1, &buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
