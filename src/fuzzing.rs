//! Entry points for the fuzz targets in `fuzz/`, compiled only when `cargo fuzz` sets
//! `--cfg fuzzing`: normal builds never see this module.
//!
//! The pieces worth fuzzing (the logical-source readers, IRI building, the functions, content
//! negotiation, request paths) are private to their stage. Rather than widen their visibility,
//! each target reaches them the way production does — a mapping run over a file, the HTTP
//! application answering a request — so what is fuzzed is what ingest and the server run,
//! wired as they wire it. The readers take paths, not buffers, so inputs go through files in a
//! scratch folder of the process.

use crate::config::Config;
use crate::mapping::model::{
    FunctionCall, LogicalSource, ObjectMap, PredicateObjectMap, SubjectMap, TermMap, TermType,
    TriplesMap, Value,
};
use crate::mapping::{Error, Executor, Mapping, RecordError};
use crate::server::{AppState, app};
use crate::store::{Names, Store};
use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request};
use oxigraph::model::NamedNode;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tower::ServiceExt;

pub use crate::labels::Lang;
pub use crate::mapping::model::Formulation;
pub use crate::mapping::{CsvDialect, Template};
pub use oxigraph::model::{BlankNode, GraphName, Literal, Quad, Term};

/// The base IRI relative IRIs are resolved against in the mapping targets.
pub const BASE: &str = "https://data.example.org/";

/// The class every record of [`read_source`] is typed with, so each mapped record makes at
/// least one quad whatever its values.
pub const RECORD_CLASS: &str = "https://data.example.org/fuzz/Record";

/// A folder of this process for the files the readers need.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("vitrine-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder for the fuzz inputs");
        dir
    })
}

fn write(name: &str, data: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, data).expect("the scratch folder is writable");
    path
}

/// Parses an RML mapping in Turtle (`yarrrml` false) or a YARRRML one, as `vitrine` reads a
/// mapping file. The mapping is only parsed: running it would read whatever files it names.
pub fn parse_mapping(text: &str, yarrrml: bool) -> Result<Mapping, Error> {
    let name = if yarrrml {
        "mapping.yml"
    } else {
        "mapping.ttl"
    };
    Mapping::from_path(&write(name, text.as_bytes()))
}

/// How to read a fuzzed file as a logical source.
pub struct SourceSpec<'a> {
    pub formulation: Formulation,
    /// The file's name, whose extension matters (`.jsonl` is read line by line).
    pub file_name: &'a str,
    pub iterator: Option<&'a str>,
    pub references: &'a [&'a str],
    pub dialect: CsvDialect,
    pub nulls: Vec<String>,
    pub namespaces: Vec<(String, String)>,
}

/// What a mapping run over one logical source gave.
#[derive(Debug, Default)]
pub struct SourceRun {
    /// Records read and mapped.
    pub mapped: usize,
    /// Records that could not be read at all, one error each.
    pub unreadable: usize,
    /// Mapped records that made no quad (each should make at least its class quad).
    pub without_quads: usize,
    /// Values of mapped records that could not become terms.
    pub value_errors: Vec<RecordError>,
    /// Every record's number, in the order the run gave them.
    pub positions: Vec<u64>,
    /// Every quad made.
    pub quads: Vec<Quad>,
}

fn constant_iri(iri: &str) -> TermMap {
    TermMap {
        value: Value::Constant(NamedNode::new_unchecked(iri).into()),
        term_type: TermType::Iri,
        language: None,
        datatype: None,
    }
}

fn triples_map(source: LogicalSource, subject: TermMap, objects: Vec<TermMap>) -> TriplesMap {
    TriplesMap {
        name: "fuzz".into(),
        source,
        subject: SubjectMap {
            term: subject,
            classes: vec![NamedNode::new_unchecked(RECORD_CLASS)],
            graphs: Vec::new(),
        },
        predicate_objects: objects
            .into_iter()
            .enumerate()
            .map(|(i, object)| PredicateObjectMap {
                predicates: vec![constant_iri(&format!("{BASE}fuzz/p{i}"))],
                objects: vec![ObjectMap::Term(object)],
                graphs: Vec::new(),
            })
            .collect(),
        base_iri: None,
    }
}

/// Runs `mapping` to its end, sequentially.
fn run(mapping: &Mapping) -> Result<SourceRun, Error> {
    let mut out = SourceRun::default();
    for item in Executor::new(mapping, BASE).run()? {
        match item {
            Ok(record) => {
                // The executor turns a panic while mapping a record into that record's error;
                // a fuzz target must see it as the crash it is.
                if let Some(e) = record
                    .errors
                    .iter()
                    .find(|e| e.message.starts_with("vitrine failed on this record"))
                {
                    panic!("{}", e.message);
                }
                out.mapped += 1;
                out.positions.push(record.position.record);
                out.value_errors.extend(record.errors.iter().cloned());
                if record.is_empty() {
                    out.without_quads += 1;
                }
                out.quads.extend(record.into_quads());
            }
            Err(e) => {
                out.unreadable += 1;
                out.positions.push(e.position.record);
            }
        }
    }
    Ok(out)
}

/// Maps `data`, read as the logical source `spec` describes, with one blank-node subject per
/// record and one literal object per reference: the reader's every path is taken, as ingest
/// takes it.
pub fn read_source(spec: &SourceSpec<'_>, data: &[u8]) -> Result<SourceRun, Error> {
    let source = LogicalSource {
        path: write(spec.file_name, data),
        formulation: spec.formulation,
        iterator: spec.iterator.map(str::to_owned),
        nulls: spec.nulls.clone(),
        namespaces: spec.namespaces.clone(),
        dialect: spec.dialect,
    };
    let subject = TermMap {
        value: Value::Fresh,
        term_type: TermType::BlankNode,
        language: None,
        datatype: None,
    };
    let objects = spec
        .references
        .iter()
        .map(|r| TermMap {
            value: Value::Reference((*r).to_owned()),
            term_type: TermType::Literal,
            language: None,
            datatype: None,
        })
        .collect();
    let mapping = Mapping {
        triples_maps: vec![triples_map(source, subject, objects)],
        base_iri: None,
    };
    run(&mapping)
}

/// Writes one record with `columns` (name, value) and maps it with one triples map per subject
/// term map, each with the same objects. A CSV record when the names are arbitrary (template
/// references: only a CSV header takes any name as it is), else a JSON one, which is much
/// cheaper to open under coverage instrumentation than a CSV reader and its DFA.
fn map_row(
    columns: &[(String, String)],
    subjects: Vec<TermMap>,
    objects: &[TermMap],
    formulation: Formulation,
) -> Result<SourceRun, Error> {
    let (name, data) = match formulation {
        Formulation::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let written = writer
                .write_record(columns.iter().map(|(name, _)| name))
                .and_then(|()| writer.write_record(columns.iter().map(|(_, value)| value)));
            written.expect("a CSV record is written to memory");
            let data = writer
                .into_inner()
                .expect("a CSV record is written to memory");
            ("row.csv", data)
        }
        _ => {
            let object: serde_json::Map<String, serde_json::Value> = columns
                .iter()
                .map(|(name, value)| (name.clone(), value.clone().into()))
                .collect();
            (
                "row.json",
                serde_json::to_vec(&object).expect("JSON is written to memory"),
            )
        }
    };
    let source = LogicalSource {
        path: write(name, &data),
        formulation: if formulation == Formulation::Csv {
            Formulation::Csv
        } else {
            Formulation::JsonPath
        },
        iterator: None,
        nulls: Vec::new(),
        namespaces: Vec::new(),
        dialect: CsvDialect::default(),
    };
    let mapping = Mapping {
        triples_maps: subjects
            .into_iter()
            .map(|subject| triples_map(source.clone(), subject, objects.to_vec()))
            .collect(),
        base_iri: None,
    };
    run(&mapping)
}

/// Expands `template` over one record whose fields are `columns`, as a subject of each IRI
/// term type (`rml:IRI`, `rml:URI`, `rml:UnsafeIRI`) and as a literal and a blank-node object:
/// the terms made are in the run's quads, the values refused in its errors.
pub fn map_template(template: &Template, columns: &[(String, String)]) -> Result<SourceRun, Error> {
    let term = |term_type| TermMap {
        value: Value::Template(template.clone()),
        term_type,
        language: None,
        datatype: None,
    };
    let subjects = [TermType::Iri, TermType::Uri, TermType::UnsafeIri]
        .into_iter()
        .map(term)
        .collect();
    map_row(
        columns,
        subjects,
        &[term(TermType::Literal), term(TermType::BlankNode)],
        Formulation::Csv,
    )
}

/// What a function gave for one record.
#[derive(Debug, Default)]
pub struct FunctionRun {
    /// The values, as the literals the run made of them.
    pub values: Vec<String>,
    /// Why a value could not be computed (the record's errors).
    pub errors: Vec<String>,
}

/// A call of a built-in: its IRI, and (parameter IRI, value) for each input given.
pub type Call<'a> = (&'a str, &'a [(&'a str, &'a str)]);

/// Calls built-ins on one record, each as an object map of one triples map, through a
/// mapping run as ingest makes it: one file and one run for all, as several functions read the
/// same field in a real mapping. `Err` when a call itself is refused when the mapping is read
/// (an unknown function or parameter).
pub fn call_functions(calls: &[Call<'_>]) -> Result<Vec<FunctionRun>, String> {
    let mut columns = Vec::new();
    let mut objects = Vec::new();
    for (k, (function, inputs)) in calls.iter().enumerate() {
        let mut given = Vec::new();
        for (i, (parameter, value)) in inputs.iter().enumerate() {
            let column = format!("c{k}_{i}");
            columns.push((column.clone(), (*value).to_owned()));
            let parameter = NamedNode::new(*parameter).map_err(|e| e.to_string())?;
            given.push((parameter, Value::Reference(column)));
        }
        objects.push(TermMap {
            value: Value::Function(Box::new(FunctionCall::new(function, given)?)),
            term_type: TermType::Literal,
            language: None,
            datatype: None,
        });
    }
    let subject = TermMap {
        value: Value::Constant(NamedNode::new_unchecked(format!("{BASE}fuzz/s")).into()),
        term_type: TermType::Iri,
        language: None,
        datatype: None,
    };
    let run = map_row(&columns, vec![subject], &objects, Formulation::JsonPath)
        .map_err(|e| e.to_string())?;
    let mut out: Vec<FunctionRun> = calls.iter().map(|_| FunctionRun::default()).collect();
    for quad in &run.quads {
        let k = quad
            .predicate
            .as_str()
            .strip_prefix(BASE)
            .and_then(|p| p.strip_prefix("fuzz/p"))
            .and_then(|k| k.parse::<usize>().ok());
        if let (Some(k), Term::Literal(l)) = (k, &quad.object) {
            out[k].values.push(l.value().to_owned());
        }
    }
    // A call's errors name its first input's field.
    for error in &run.value_errors {
        let k = error.field.as_deref().and_then(|f| {
            f.strip_prefix('c')?
                .split_once('_')?
                .0
                .parse::<usize>()
                .ok()
        });
        match k {
            Some(k) if k < out.len() => out[k].errors.push(error.message.clone()),
            _ => panic!("an error of no call: {error:?}"),
        }
    }
    Ok(out)
}

/// Calls one built-in on one record (see [`call_functions`]).
pub fn call_function(function: &str, inputs: &[(&str, &str)]) -> Result<FunctionRun, String> {
    Ok(call_functions(&[(function, inputs)])?.remove(0))
}

/// The demo publisher ingested into an in-memory store, served by the whole HTTP application.
pub struct Site {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    /// An item the demo publishes (its path).
    pub item: &'static str,
}

/// An answer of the site.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

/// The site, ingested once per process (a few seconds; every request after that is served
/// from memory).
pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = scratch().join("site");
        std::fs::create_dir_all(&dir).expect("a folder for the demo");
        let config_path = match crate::scaffold::init(&dir) {
            Ok(path) => path,
            // A previous call in this process got as far as writing it.
            Err(_) => dir.join("vitrine.toml"),
        };
        let config = Config::load(&config_path).expect("the demo configuration loads");
        let store =
            Store::in_memory(Names::new(&config.base_iri)).expect("an in-memory store opens");
        crate::ingest::ingest(&config, &store, &config.datasets[0], &|_| {})
            .expect("the demo ingests");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        Site {
            runtime,
            app: app(AppState::new(store, config)),
            item: "/id/joconde/000PE000015",
        }
    })
}

impl Site {
    /// `GET path_and_query` with `headers`; `None` when no HTTP client could send it (an
    /// invalid URI or header value never reaches a server).
    pub fn get(&self, path_and_query: &str, headers: &[(&str, &[u8])]) -> Option<Answer> {
        let mut request = Request::get(path_and_query);
        for (name, value) in headers {
            request = request.header(
                HeaderName::from_bytes(name.as_bytes()).ok()?,
                HeaderValue::from_bytes(value).ok()?,
            );
        }
        let request = request.body(Body::empty()).ok()?;
        let app = self.app.clone();
        Some(self.runtime.block_on(async move {
            let response = app
                .oneshot(request)
                .await
                .expect("the router is infallible");
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                .collect();
            let body = axum::body::to_bytes(response.into_body(), 64 << 20)
                .await
                .expect("the body is read")
                .to_vec();
            Answer {
                status,
                headers,
                body,
            }
        }))
    }
}
