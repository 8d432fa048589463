//! What the fuzz targets share: how an input is cut into fields, and the checks every mapping
//! run must pass whatever it read.
//!
//! Inputs are text with the parameters on their first lines and the data after them, so that a
//! seed is readable and libFuzzer's mutations of one part leave the others alone.

use vitrine::fuzzing::{BlankNode, GraphName, Literal, Quad, SourceRun, Term};

/// The first `n` lines of `data` (without their `\n`; missing ones are empty) and the rest.
pub fn lines(data: &[u8], n: usize) -> (Vec<&[u8]>, &[u8]) {
    let mut rest = data;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + 1..];
            }
            None => {
                out.push(rest);
                rest = &[];
            }
        }
    }
    (out, rest)
}

/// Text as a lossy reader of bytes would see it.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Tab-separated fields of a parameter line, empty ones dropped.
pub fn fields(line: &[u8]) -> Vec<String> {
    text(line)
        .split('\t')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

/// libFuzzer's panic hook aborts on every panic, even one vitrine catches on purpose. The XML
/// reader catches sxd-xpath's panic on a prefix nothing declares (`node_test.rs`, "No namespace
/// for prefix") and makes it the record's error: that one panic is let through to the reader;
/// any other still aborts.
pub fn handled_panics_are_not_crashes() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let handled = info
            .location()
            .is_some_and(|l| l.file().contains("sxd-xpath") && l.file().ends_with("node_test.rs"))
            && info
                .payload_as_str()
                .is_some_and(|m| m.contains("No namespace for prefix"));
        if !handled {
            abort(info);
        }
    }));
}

/// Whether `iri` is an absolute IRI by RFC 3987, checked by a parser other than the one that
/// made it when it was made unchecked.
pub fn is_iri(iri: &str) -> bool {
    oxiri::Iri::parse(iri).is_ok()
}

/// [`check_run`], and each mapped record makes at least its class quad: the subject of
/// [`vitrine::fuzzing::read_source`] is a new blank node, which cannot fail.
pub fn check_source_run(run: &SourceRun) {
    check_run(run);
    assert_eq!(
        run.without_quads, 0,
        "every mapped record has its class quad"
    );
}

/// Whether `text` starts with an IRI scheme, by the rule the executor resolves relative IRIs
/// with (`mapping::template::has_scheme`, crate-internal).
pub fn has_scheme(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// The promises of every run over a logical source: each record is counted once, records are
/// numbered in increasing order, and every term is well formed.
pub fn check_run(run: &SourceRun) {
    assert_eq!(
        run.mapped + run.unreadable,
        run.positions.len(),
        "every record is mapped or unreadable, once"
    );
    assert!(
        run.positions.windows(2).all(|w| w[0] < w[1]),
        "records are numbered in increasing order: {:?}",
        run.positions
    );
    assert!(
        run.positions.first().is_none_or(|&p| p >= 1),
        "records are numbered from 1: {:?}",
        run.positions
    );
    check_quads(&run.quads);
}

/// Every IRI parses, every blank node has a valid label, every language tag is well formed.
pub fn check_quads(quads: &[Quad]) {
    for quad in quads {
        let terms = [
            Term::from(quad.subject.clone()),
            Term::from(quad.predicate.clone()),
            quad.object.clone(),
        ];
        for term in terms {
            match term {
                Term::NamedNode(n) => assert!(is_iri(n.as_str()), "invalid IRI {n}"),
                Term::BlankNode(b) => assert!(
                    BlankNode::new(b.as_str()).is_ok(),
                    "invalid blank node label {b}"
                ),
                Term::Literal(l) => {
                    if let Some(tag) = l.language() {
                        assert!(
                            Literal::new_language_tagged_literal("", tag).is_ok(),
                            "invalid language tag {tag}"
                        );
                    }
                }
            }
        }
        if let GraphName::NamedNode(g) = &quad.graph_name {
            assert!(is_iri(g.as_str()), "invalid graph IRI {g}");
        }
    }
}
