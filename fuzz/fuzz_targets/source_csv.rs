//! CSV logical sources under every dialect vitrine reads: never a panic, every row counted once
//! as mapped or unreadable, in order.
//!
//! Input: one byte of dialect options, then the file. The references are the names of the
//! header row as a naive split sees them; when the reader disagrees the file is read again
//! without references, so the rows are still read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::fuzzing::{CsvDialect, Formulation, SourceSpec, read_source};

const DELIMITERS: [u8; 4] = *b",;\t|";
const ENCODINGS: [&str; 4] = ["utf-8", "windows-1252", "utf-16le", "iso-8859-15"];

fuzz_target!(|data: &[u8]| {
    let Some((&options, file)) = data.split_first() else {
        return;
    };
    let mut dialect = CsvDialect {
        delimiter: DELIMITERS[usize::from(options & 3)],
        quote: if options & 4 == 0 { b'"' } else { b'\'' },
        trim: options & 8 != 0,
        comment: (options & 16 != 0).then_some(b'#'),
        ..CsvDialect::default()
    };
    dialect
        .set("encoding", ENCODINGS[usize::from(options >> 5 & 3)])
        .expect("a known encoding");
    let header = vitrine_fuzz::text(vitrine_fuzz::lines(file, 1).0[0]);
    let mut names: Vec<String> = header
        .trim_start_matches('\u{feff}')
        .trim_end_matches('\r')
        .split(char::from(dialect.delimiter))
        .map(|n| {
            let n = n.trim_matches(char::from(dialect.quote));
            if dialect.trim { n.trim() } else { n }.to_owned()
        })
        .take(8)
        .collect();
    names.sort();
    names.dedup();
    let references: Vec<&str> = names.iter().map(String::as_str).collect();
    let spec = |references| SourceSpec {
        formulation: Formulation::Csv,
        file_name: "data.csv",
        iterator: None,
        references,
        dialect,
        nulls: vec!["-".into()],
        namespaces: Vec::new(),
    };
    let run = match read_source(&spec(&references), file) {
        Ok(run) => run,
        Err(_) => match read_source(&spec(&[]), file) {
            Ok(run) => run,
            Err(_) => return,
        },
    };
    vitrine_fuzz::check_source_run(&run);
    // CSV rows are numbered one by one, unreadable ones included.
    for (i, p) in run.positions.iter().enumerate() {
        assert_eq!(
            *p,
            i as u64 + 1,
            "CSV rows are numbered from 1 without gaps"
        );
    }
    for quad in &run.quads {
        if let vitrine::fuzzing::Term::Literal(l) = &quad.object {
            assert!(!l.value().is_empty(), "an empty cell is no value");
            assert!(l.value() != "-", "a null value is no value");
        }
    }
});
