//! N-Triples and N-Quads lines written by the mapping workers.
//!
//! The output is exactly what oxttl's serialisers write (oxrdf's `Display` of each term, then
//! ` .`), which the tests check. oxrdf escapes a literal character by character through
//! `fmt::Formatter`, which was a quarter of a mapping run's CPU; here IRIs and literals whose
//! only escapes are quotes and backslashes (nearly all text) are copied in runs, and every
//! other term (control characters, blank nodes, RDF 1.2 terms) still goes through oxrdf.

use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphNameRef, NamedOrBlankNodeRef, QuadRef, TermRef};
use std::fmt::Write as _;

/// Appends `quad` as one line: N-Quads when `format` holds datasets, else N-Triples.
pub fn write_line(out: &mut String, format: RdfFormat, quad: QuadRef<'_>) {
    write_subject(out, quad.subject);
    out.push(' ');
    write_iri(out, quad.predicate.as_str());
    out.push(' ');
    write_term(out, quad.object);
    if format.supports_datasets() {
        match quad.graph_name {
            GraphNameRef::DefaultGraph => {}
            GraphNameRef::NamedNode(n) => {
                out.push(' ');
                write_iri(out, n.as_str());
            }
            GraphNameRef::BlankNode(b) => {
                let _ = write!(out, " {b}");
            }
        }
    }
    out.push_str(" .\n");
}

fn write_iri(out: &mut String, iri: &str) {
    out.push('<');
    out.push_str(iri);
    out.push('>');
}

fn write_subject(out: &mut String, subject: NamedOrBlankNodeRef<'_>) {
    match subject {
        NamedOrBlankNodeRef::NamedNode(n) => write_iri(out, n.as_str()),
        // Writing to a String cannot fail.
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn write_term(out: &mut String, term: TermRef<'_>) {
    match term {
        TermRef::NamedNode(n) => write_iri(out, n.as_str()),
        TermRef::Literal(l) if is_common(l.value()) => {
            let datatype = l.datatype();
            match l.language() {
                None => {
                    write_quoted(out, l.value());
                    if datatype != xsd::STRING {
                        out.push_str("^^");
                        write_iri(out, datatype.as_str());
                    }
                }
                // A directional (RDF 1.2) string has another datatype: left to oxrdf.
                Some(language) if datatype == rdf::LANG_STRING => {
                    write_quoted(out, l.value());
                    out.push('@');
                    out.push_str(language);
                }
                Some(_) => {
                    let _ = write!(out, "{l}");
                }
            }
        }
        // Writing to a String cannot fail.
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Whether `value` holds nothing N-Triples escapes but `"` and `\`: no control character,
/// no U+FFFE or U+FFFF. Conservative: any byte that could start those two (0xEF) sends the
/// literal to oxrdf.
fn is_common(value: &str) -> bool {
    value.bytes().all(|b| b >= 0x20 && b != 0x7f && b != 0xef)
}

/// `value` between quotes, `"` and `\` escaped as oxrdf does; other characters are copied in
/// runs, not one by one.
fn write_quoted(out: &mut String, value: &str) {
    out.push('"');
    let mut rest = value;
    while let Some(i) = rest.find(['"', '\\']) {
        out.push_str(&rest[..i]);
        out.push('\\');
        out.push_str(&rest[i..=i]);
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::RdfSerializer;
    use oxigraph::model::{
        BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, TripleRef,
    };

    /// The lines must be byte for byte what oxttl's serialisers write for the same quads.
    #[test]
    fn lines_are_oxttl_lines() {
        let s = NamedNode::new_unchecked("http://e.org/s");
        let p = NamedNode::new_unchecked("http://e.org/p");
        let objects: Vec<Term> = vec![
            NamedNode::new_unchecked("http://e.org/é?q=1#f").into(),
            BlankNode::new_unchecked("b1").into(),
            Literal::new_simple_literal("plain, with ünïcode and 'quotes'").into(),
            Literal::new_simple_literal("").into(),
            Literal::new_simple_literal("\"quoted\" at the ends, a \\ backslash\\").into(),
            Literal::new_simple_literal("\\\"\"").into(),
            Literal::new_simple_literal("a \"b\" \\ \n\t\r\u{8}\u{c}\u{7}\u{7f}").into(),
            Literal::new_simple_literal("non-characters \u{fffe}\u{ffff} and \u{f000}").into(),
            Literal::new_language_tagged_literal_unchecked("été", "fr").into(),
            Literal::new_language_tagged_literal_unchecked("say \"hi\"", "en-GB").into(),
            Literal::new_typed_literal("1890", xsd::G_YEAR).into(),
            Literal::new_typed_literal("x\ny", xsd::TOKEN).into(),
            Literal::new_typed_literal("a \"b\"", xsd::TOKEN).into(),
        ];
        let graphs = [
            GraphName::DefaultGraph,
            NamedNode::new_unchecked("http://e.org/g").into(),
            BlankNode::new_unchecked("g1").into(),
        ];
        let subjects: [NamedOrBlankNode; 2] = [s.into(), BlankNode::new_unchecked("s1").into()];
        let mut quads = Vec::new();
        for subject in &subjects {
            for object in &objects {
                for graph in &graphs {
                    quads.push(Quad::new(
                        subject.clone(),
                        p.clone(),
                        object.clone(),
                        graph.clone(),
                    ));
                }
            }
        }
        for format in [RdfFormat::NTriples, RdfFormat::NQuads] {
            let mut expected = RdfSerializer::from_format(format).for_writer(Vec::new());
            let mut ours = String::new();
            for quad in &quads {
                if format.supports_datasets() {
                    expected.serialize_quad(quad).unwrap();
                } else {
                    expected
                        .serialize_triple(TripleRef::from(quad.as_ref()))
                        .unwrap();
                }
                write_line(&mut ours, format, quad.as_ref());
            }
            assert_eq!(ours, String::from_utf8(expected.finish().unwrap()).unwrap());
        }
    }
}
