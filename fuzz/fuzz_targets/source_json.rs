//! JSON logical sources (a whole document, a streamed array, JSON Lines): never a panic or a
//! hang, every record counted once in order, JSON numbers and booleans typed by valid lexical
//! forms.
//!
//! Input: line 1 `json|jsonl <iterator>`, line 2 the references (tab-separated), then the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::str::FromStr;
use vitrine::fuzzing::{CsvDialect, Formulation, SourceSpec, Term, read_source};

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

fuzz_target!(|data: &[u8]| {
    let (head, file) = vitrine_fuzz::lines(data, 2);
    let first = vitrine_fuzz::text(head[0]);
    let (kind, iterator) = first.split_once(' ').unwrap_or((first.as_str(), ""));
    let file_name = if kind == "jsonl" {
        "data.jsonl"
    } else {
        "data.json"
    };
    let names = vitrine_fuzz::fields(head[1]);
    let references: Vec<&str> = names.iter().take(8).map(String::as_str).collect();
    let spec = SourceSpec {
        formulation: Formulation::JsonPath,
        file_name,
        iterator: (!iterator.is_empty()).then_some(iterator),
        references: &references,
        dialect: CsvDialect::default(),
        nulls: vec!["N/A".into()],
        namespaces: Vec::new(),
    };
    let Ok(run) = read_source(&spec, file) else {
        return;
    };
    vitrine_fuzz::check_source_run(&run);
    for quad in &run.quads {
        let Term::Literal(l) = &quad.object else {
            continue;
        };
        let value = l.value();
        assert!(
            !value.is_empty() && value != "N/A",
            "null values are no values"
        );
        match l.datatype().as_str().strip_prefix(XSD) {
            Some("integer") => assert!(
                value
                    .strip_prefix('-')
                    .unwrap_or(value)
                    .bytes()
                    .all(|b| b.is_ascii_digit()),
                "invalid xsd:integer {value}"
            ),
            Some("double") => assert!(
                oxsdatatypes::Double::from_str(value).is_ok(),
                "invalid xsd:double {value}"
            ),
            Some("boolean") => assert!(value == "true" || value == "false"),
            _ => {}
        }
    }
});
