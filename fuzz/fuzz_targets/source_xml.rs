//! XML logical sources (streamed simple paths and whole documents with XPath): never a panic
//! or a hang, every record counted once in order.
//!
//! Input: line 1 the iterator, line 2 the references and line 3 the namespaces
//! (`prefix=IRI`), tab-separated, then the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::fuzzing::{CsvDialect, Formulation, SourceSpec, read_source};

fuzz_target!(init: vitrine_fuzz::handled_panics_are_not_crashes(), |data: &[u8]| {
    let (head, file) = vitrine_fuzz::lines(data, 3);
    let iterator = vitrine_fuzz::text(head[0]);
    let names = vitrine_fuzz::fields(head[1]);
    let references: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    let namespaces: Vec<(String, String)> = vitrine_fuzz::fields(head[2])
        .into_iter()
        .filter_map(|n| {
            let (prefix, iri) = n.split_once('=')?;
            Some((prefix.to_owned(), iri.to_owned()))
        })
        .collect();
    let spec = SourceSpec {
        formulation: Formulation::XPath,
        file_name: "data.xml",
        iterator: (!iterator.is_empty()).then_some(iterator.as_str()),
        references: &references,
        dialect: CsvDialect::default(),
        nulls: vec!["-".into()],
        namespaces,
    };
    if let Ok(run) = read_source(&spec, file) {
        vitrine_fuzz::check_source_run(&run);
    }
});
