//! A version staged on local disk, then pushed into the remote store and published there.
//!
//! Batches are Graph Store `POST`s into the version graph. A blank node is only the same node
//! within one request, so the triples that share blank nodes travel together: they are held
//! back while the rest streams out, grouped by the blank nodes that connect them, and sent
//! group by group, never splitting a group across two requests. Triples with a long literal
//! go one by one in SPARQL Updates (see [`LONG_LITERAL`]).

use super::http::remote as remote_error;
use super::{Remote, ntriples};
use crate::store::Error;
use crate::store::backend::Staging;
use crate::store::embedded::{open_staging, staging, storage};
use crate::store::metadata::{Metadata, last_version};
use crate::validate::{ShapesGraph, ValidationReport};
use crate::vocab::vitrine;
use oxigraph::model::{BlankNode, GraphName, GraphNameRef, NamedNode, Quad, QuadRef, Term, Triple};
use rustc_hash::FxHashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};
use ureq::http::Method;

pub(super) struct RemoteStaging<'r> {
    remote: &'r Remote,
    dataset: String,
    number: u64,
    /// The version graph in the remote store.
    graph: NamedNode,
    /// The local staging store, in its own folder; `None` once dropped.
    local: Option<oxigraph::store::Store>,
    folder: PathBuf,
}

impl<'r> RemoteStaging<'r> {
    /// Hands out the next version number, recorded in the remote metadata before anything is
    /// loaded (a version a stopped push left behind is never numbered again), and opens a
    /// fresh local store for it.
    pub(super) fn new(remote: &'r Remote, dataset: &str) -> Result<Self, Error> {
        let Some(local) = &remote.local else {
            return Err(Error::Refused(
                "this store was opened for reading only".into(),
            ));
        };
        let names = &remote.names;
        let metadata = Metadata::read(names, crate::store::Backend::metadata(remote)?);
        let number = metadata.last_version(names, dataset) + 1;
        remote.replace_metadata(
            dataset,
            Some(&vitrine::LAST_VERSION.into_owned()),
            &[last_version(names, dataset, number)],
        )?;
        let folder = local.staging.join(format!("{dataset}-{number}"));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).map_err(|e| Error::Open {
            path: folder.clone(),
            message: e.to_string(),
        })?;
        let store = open_staging(&folder)?;
        Ok(Self {
            remote,
            dataset: dataset.to_owned(),
            number,
            graph: names.version(dataset, number),
            local: Some(store),
            folder,
        })
    }

    fn local(&self) -> &oxigraph::store::Store {
        self.local
            .as_ref()
            .expect("the local store lives until the staging is dropped")
    }

    /// Pushes the version and checks that the store holds as many triples as were sent. A
    /// mismatch after a push that had to be tried again is a batch of blank nodes that the
    /// store committed before the connection broke, then received twice as new nodes: the
    /// version is pushed again, once, from an empty graph.
    fn push(&self) -> Result<(), Error> {
        let remote = self.remote;
        let (sent, held) = self.push_once()?;
        if held == sent {
            return Ok(());
        }
        tracing::warn!(
            "the store holds {held} triples in {} after {sent} were sent; pushing the version again",
            self.graph
        );
        let (sent, held) = self.push_once()?;
        if held == sent {
            return Ok(());
        }
        Err(remote_error(
            &remote.settings.graph_store_endpoint,
            format!(
                "holds {held} triples in {} after {sent} were sent (a store that merges equal values, e.g. numbers written two ways, holds fewer); the version is not published",
                self.graph
            ),
        ))
    }

    /// Sends every triple of the local version to an empty remote version graph,
    /// `push_connections` requests at a time: (sent, held by the store after).
    fn push_once(&self) -> Result<(u64, u64), Error> {
        let remote = self.remote;
        let settings = &remote.settings;
        // A fresh graph: nothing from an earlier attempt with this number can be in it, but a
        // store must not be trusted to start empty either.
        remote.update(&format!("DROP SILENT GRAPH {}", self.graph))?;
        let failed: Mutex<Option<Error>> = Mutex::new(None);
        let stop = AtomicBool::new(false);
        let (sender, receiver) = mpsc::sync_channel::<Vec<u8>>(settings.push_connections);
        let receiver = Mutex::new(receiver);
        let sent = std::thread::scope(|scope| -> Result<(u64, Vec<Triple>), Error> {
            for _ in 0..settings.push_connections.max(1) {
                scope.spawn(|| {
                    loop {
                        let batch = {
                            let receiver = receiver.lock().unwrap_or_else(|e| e.into_inner());
                            receiver.recv()
                        };
                        let Ok(body) = batch else { return };
                        if stop.load(Ordering::SeqCst) {
                            continue;
                        }
                        if let Err(e) = remote.gsp(Method::POST, &self.graph, &body) {
                            stop.store(true, Ordering::SeqCst);
                            let e = self.name_refused(&body, e);
                            failed
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .get_or_insert(e);
                        }
                    }
                });
            }
            let result = self.batches(settings.push_batch.max(1), &mut |body| {
                if stop.load(Ordering::SeqCst) {
                    return false;
                }
                sender.send(body).is_ok()
            });
            drop(sender);
            result
        });
        if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(e);
        }
        let (mut sent, long) = sent?;
        for triple in &long {
            remote.update(&format!(
                "INSERT DATA {{ GRAPH {} {{ {triple} }} }}",
                self.graph
            ))?;
            sent += 1;
        }
        Ok((sent, remote.count(&self.graph)?))
    }

    /// A store that refuses a document says why, rarely for which triple (Virtuoso: "RDF box
    /// with a geometry RDF type and a non-geometry content"). The document is halved until the
    /// one line the store refuses is left — about 2 × 14 requests for 10,000 triples — so the
    /// data team sees the value to mend. The halves the store accepts land in the version
    /// graph, which a failed push never publishes.
    fn name_refused(&self, body: &[u8], error: Error) -> Error {
        let Error::Remote { endpoint, message } = error else {
            return error;
        };
        // Only a document the store answered with an error status: not a store gone away.
        if !message.starts_with("answered 4") && !message.starts_with("answered 5") {
            return Error::Remote { endpoint, message };
        }
        let refused = |lines: &[&[u8]]| {
            self.remote
                .gsp(Method::POST, &self.graph, &lines.join(&b'\n'))
                .is_err()
        };
        let mut lines: Vec<&[u8]> = body
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        while lines.len() > 1 {
            let (first, second) = lines.split_at(lines.len() / 2);
            lines = if refused(first) {
                first.to_vec()
            } else if refused(second) {
                second.to_vec()
            } else {
                // Refused together, accepted apart: nothing single to name.
                return Error::Remote { endpoint, message };
            };
        }
        let message = match lines.first() {
            Some(line) => format!(
                "{message} — the triple it refused: {}",
                String::from_utf8_lossy(line)
            ),
            None => message,
        };
        Error::Remote { endpoint, message }
    }

    /// Cuts the local version into N-Triples documents of about `size` triples and hands each
    /// to `send` (which says whether to go on). Returns how many triples went into documents,
    /// and the triples held back because of a long literal.
    fn batches(
        &self,
        size: usize,
        send: &mut dyn FnMut(Vec<u8>) -> bool,
    ) -> Result<(u64, Vec<Triple>), Error> {
        let mut batch: Vec<Triple> = Vec::with_capacity(size);
        let mut groups = Groups::default();
        let mut long = Vec::new();
        let mut total = 0;
        let flush = |batch: &mut Vec<Triple>, send: &mut dyn FnMut(Vec<u8>) -> bool| {
            let body = ntriples(batch.iter().map(Triple::as_ref))?;
            batch.clear();
            Ok::<bool, Error>(send(body))
        };
        for quad in
            self.local()
                .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
        {
            let triple = Triple::from(quad.map_err(storage)?);
            if is_long(&triple) {
                long.push(triple);
                continue;
            }
            total += 1;
            if groups.hold(&triple) {
                groups.add(triple);
                continue;
            }
            batch.push(triple);
            if batch.len() >= size && !flush(&mut batch, send)? {
                return Ok((total, long));
            }
        }
        for group in groups.into_groups() {
            if !batch.is_empty() && batch.len() + group.len() > size && !flush(&mut batch, send)? {
                return Ok((total, long));
            }
            batch.extend(group);
        }
        if !batch.is_empty() {
            flush(&mut batch, send)?;
        }
        Ok((total, long))
    }
}

/// Literals longer than this travel in a SPARQL Update of their own: Virtuoso fails a whole
/// Graph Store request holding a literal over 65,503 bytes ("unsupported type"), and takes
/// them through Update.
const LONG_LITERAL: usize = 32 * 1024;

/// A triple with a long literal and no blank node (a blank node is only itself within one
/// request, so those stay with their group).
fn is_long(triple: &Triple) -> bool {
    matches!(&triple.object, Term::Literal(l) if l.value().len() > LONG_LITERAL)
        && !triple.subject.is_blank_node()
}

impl Drop for RemoteStaging<'_> {
    fn drop(&mut self) {
        drop(self.local.take());
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// Triples that mention blank nodes, grouped so that triples sharing a blank node (directly or
/// through others) form one group (a union-find over blank node labels).
#[derive(Default)]
struct Groups {
    parent: FxHashMap<BlankNode, BlankNode>,
    triples: Vec<(BlankNode, Triple)>,
}

impl Groups {
    fn hold(&self, triple: &Triple) -> bool {
        triple.subject.is_blank_node() || matches!(triple.object, Term::BlankNode(_))
    }

    fn root(&mut self, node: &BlankNode) -> BlankNode {
        let mut current = node.clone();
        loop {
            let parent = self
                .parent
                .entry(current.clone())
                .or_insert_with(|| current.clone())
                .clone();
            if parent == current {
                break;
            }
            // Halve the path as it is walked.
            let grand = self.parent.get(&parent).cloned().unwrap_or(parent.clone());
            self.parent.insert(current, grand.clone());
            current = grand;
        }
        current
    }

    fn add(&mut self, triple: Triple) {
        let subject = match &triple.subject {
            oxigraph::model::NamedOrBlankNode::BlankNode(b) => Some(b.clone()),
            oxigraph::model::NamedOrBlankNode::NamedNode(_) => None,
        };
        let object = match &triple.object {
            Term::BlankNode(b) => Some(b.clone()),
            _ => None,
        };
        let anchor = match (subject, object) {
            (Some(s), Some(o)) => {
                let (a, b) = (self.root(&s), self.root(&o));
                if a != b {
                    self.parent.insert(a, b.clone());
                }
                b
            }
            (Some(one), None) | (None, Some(one)) => self.root(&one),
            (None, None) => return,
        };
        self.triples.push((anchor, triple));
    }

    fn into_groups(mut self) -> Vec<Vec<Triple>> {
        let mut index: FxHashMap<BlankNode, usize> = FxHashMap::default();
        let mut out: Vec<Vec<Triple>> = Vec::new();
        for (anchor, triple) in std::mem::take(&mut self.triples) {
            let root = self.root(&anchor);
            let i = *index.entry(root).or_insert_with(|| {
                out.push(Vec::new());
                out.len() - 1
            });
            out[i].push(triple);
        }
        out
    }
}

impl Staging for RemoteStaging<'_> {
    fn number(&self) -> u64 {
        self.number
    }

    fn load(&mut self, quads: &mut dyn Iterator<Item = Quad>) -> Result<(), Error> {
        staging::bulk_load(self.local(), &GraphName::DefaultGraph, quads)
    }

    fn remove(&mut self, quads: &[Quad]) -> Result<(), Error> {
        let mut transaction = self.local().start_transaction().map_err(storage)?;
        for q in quads {
            transaction.remove(QuadRef::new(
                &q.subject,
                &q.predicate,
                &q.object,
                GraphNameRef::DefaultGraph,
            ));
        }
        transaction.commit().map_err(storage)
    }

    fn len(&self) -> Result<u64, Error> {
        staging::count(self.local(), &GraphName::DefaultGraph)
    }

    fn validate(&self, shapes: &ShapesGraph) -> Result<ValidationReport, Error> {
        Ok(shapes.validate_store(self.local(), GraphNameRef::DefaultGraph)?)
    }

    /// Pushes the version, then switches the pointer in one update. If anything fails before
    /// the switch, the previous version stays published and this one is dropped later.
    fn publish(self: Box<Self>, metadata: Vec<Quad>) -> Result<(), Error> {
        self.push()?;
        self.remote.replace_metadata(&self.dataset, None, &metadata)
    }
}
