//! Provenance of each published version: what was read (files and their SHA-256), with which
//! mapping, when, and how many records and triples came out. Written to the metadata graph in
//! the same transaction that publishes the version, and read back for the home page.

use super::{Error, Store};
use crate::vocab::{dcat, dcterms, prov, rdf, spdx, vitrine, void, xsd};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A file that went into a version, identified by its content.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Lower-case hexadecimal SHA-256 of the content.
    pub sha256: String,
    pub bytes: u64,
}

impl SourceFile {
    /// Hashes `path` without loading it whole.
    pub fn read(path: &Path) -> std::io::Result<Self> {
        let mut file = std::fs::File::open(path)?;
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 1 << 16];
        let mut bytes = 0;
        loop {
            let n = file.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            hasher.update(&buffer[..n]);
        }
        let sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            path: path.to_owned(),
            sha256,
            bytes,
        })
    }

    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// What produced one version of a dataset.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Title of the dataset per language tag.
    pub titles: Vec<(String, String)>,
    pub license: NamedNode,
    pub mapping: SourceFile,
    pub sources: Vec<SourceFile>,
    pub started: SystemTime,
    pub ended: SystemTime,
    pub records_read: u64,
    pub records_published: u64,
    /// Records that were mapped with at least one value left out.
    pub record_errors: u64,
    pub triples: u64,
}

/// A published dataset as the metadata graph describes it.
#[derive(Debug, Clone, Default)]
pub struct DatasetStatus {
    pub id: String,
    pub graph: String,
    pub triples: u64,
    pub records_read: u64,
    pub records_published: u64,
    pub published_at: String,
}

fn date_time(t: SystemTime) -> Term {
    Literal::new_typed_literal(
        humantime::format_rfc3339_seconds(t).to_string(),
        xsd::DATE_TIME,
    )
    .into()
}

fn count(n: u64) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into()
}

impl Provenance {
    pub(super) fn quads(
        &self,
        store: &Store,
        dataset: &str,
        graph: &NamedNode,
        previous: Option<&NamedNode>,
    ) -> Vec<Quad> {
        let meta = store.metadata_graph();
        let mut quads = Vec::new();
        let mut add = |s: &NamedOrBlankNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(s.clone(), p, o, meta.clone()));
        };
        let ds: NamedOrBlankNode = store.dataset_iri(dataset).into();
        add(&ds, rdf::TYPE, dcat::DATASET.into());
        for (lang, title) in &self.titles {
            if let Ok(l) = Literal::new_language_tagged_literal(title, lang) {
                add(&ds, dcterms::TITLE, l.into());
            }
        }
        add(
            &ds,
            dcterms::IDENTIFIER,
            Literal::new_simple_literal(dataset).into(),
        );
        add(&ds, dcterms::LICENSE, self.license.clone().into());
        add(&ds, dcterms::MODIFIED, date_time(self.ended));

        let version: NamedOrBlankNode = graph.clone().into();
        let activity: NamedOrBlankNode =
            NamedNode::new_unchecked(format!("{}/ingest", graph.as_str())).into();
        add(&version, rdf::TYPE, prov::ENTITY.into());
        add(
            &version,
            dcterms::IS_VERSION_OF,
            store.dataset_iri(dataset).into(),
        );
        add(&version, prov::WAS_GENERATED_BY, activity.clone().into());
        add(&version, void::TRIPLES, count(self.triples));
        add(&version, vitrine::RECORDS_READ, count(self.records_read));
        add(
            &version,
            vitrine::RECORDS_PUBLISHED,
            count(self.records_published),
        );
        add(
            &version,
            vitrine::RECORDS_QUARANTINED,
            count(self.records_read - self.records_published),
        );
        add(&version, vitrine::RECORD_ERRORS, count(self.record_errors));
        if let Some(previous) = previous {
            add(&version, prov::WAS_REVISION_OF, previous.clone().into());
        }
        add(&activity, rdf::TYPE, prov::ACTIVITY.into());
        add(&activity, prov::STARTED_AT_TIME, date_time(self.started));
        add(&activity, prov::ENDED_AT_TIME, date_time(self.ended));
        let files = std::iter::once(("mapping", &self.mapping))
            .chain(self.sources.iter().map(|s| ("source", s)));
        for (i, (role, file)) in files.enumerate() {
            let node: NamedOrBlankNode =
                NamedNode::new_unchecked(format!("{}/{role}/{i}", graph.as_str())).into();
            let checksum: NamedOrBlankNode =
                NamedNode::new_unchecked(format!("{}/{role}/{i}/sha256", graph.as_str())).into();
            add(&activity, prov::USED, node.clone().into());
            add(&node, rdf::TYPE, prov::ENTITY.into());
            add(
                &node,
                dcterms::TITLE,
                Literal::new_simple_literal(file.name()).into(),
            );
            add(&node, dcterms::EXTENT, count(file.bytes));
            add(&node, spdx::CHECKSUM, checksum.clone().into());
            add(&checksum, rdf::TYPE, spdx::CHECKSUM_CLASS.into());
            add(&checksum, spdx::ALGORITHM, spdx::SHA256.into());
            add(
                &checksum,
                spdx::CHECKSUM_VALUE,
                Literal::new_simple_literal(&file.sha256).into(),
            );
        }
        quads
    }
}

impl Store {
    /// The published datasets with their counts, in dataset order.
    pub fn datasets(&self) -> Result<Vec<DatasetStatus>, Error> {
        let meta = self.metadata_graph();
        let mut out = Vec::new();
        for (id, graph) in self.current_graphs()? {
            let mut status = DatasetStatus {
                id,
                graph: graph.as_str().to_owned(),
                ..DatasetStatus::default()
            };
            for quad in self.inner.quads_for_pattern(
                Some(graph.as_ref().into()),
                None,
                None,
                Some(meta.as_ref().into()),
            ) {
                let quad = quad?;
                let Term::Literal(value) = &quad.object else {
                    continue;
                };
                let number = value.value().parse().unwrap_or(0);
                match quad.predicate.as_ref() {
                    p if p == void::TRIPLES => status.triples = number,
                    p if p == vitrine::RECORDS_READ => status.records_read = number,
                    p if p == vitrine::RECORDS_PUBLISHED => status.records_published = number,
                    _ => {}
                }
            }
            let activity = NamedNode::new_unchecked(format!("{}/ingest", graph.as_str()));
            for quad in self.inner.quads_for_pattern(
                Some(activity.as_ref().into()),
                Some(prov::ENDED_AT_TIME),
                None,
                Some(meta.as_ref().into()),
            ) {
                if let Term::Literal(l) = quad?.object {
                    status.published_at = l.value().to_owned();
                }
            }
            out.push(status);
        }
        Ok(out)
    }
}
