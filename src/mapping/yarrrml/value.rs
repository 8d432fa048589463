//! YARRRML value strings — `ex:$(id)`, `$(name)~iri`, `en~lang` — turned into model values.
//!
//! YARRRML writes a reference as `$(ref)` inside plain text, where RML has `{ref}` templates, so
//! the text around references is escaped when a template is built, and a string without `$(` is
//! a constant.

use super::super::model::{FunctionCall, TermMap, TermType, Value};
use super::super::rml::is_language_tag;
use super::super::template::Template;
use oxigraph::model::{Literal, NamedNode, Term};

/// A piece of a YARRRML value: plain text or a `$(reference)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Text(String),
    Reference(String),
}

/// Splits `text` into text and `$(…)` references. Parentheses nest inside a reference
/// (`$(concat(a,b))`); `\` escapes the next `$`, `(`, `)` or `\`.
pub(super) fn pieces(text: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('$' | '(' | ')' | '\\')) => {
                current.extend(chars.next());
            }
            '$' if chars.peek() == Some(&'(') => {
                chars.next();
                if !current.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut current)));
                }
                let mut depth = 0usize;
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' if matches!(chars.peek(), Some('(' | ')' | '\\')) => {
                            current.extend(chars.next());
                        }
                        '(' => {
                            depth += 1;
                            current.push(c);
                        }
                        ')' if depth == 0 => {
                            closed = true;
                            break;
                        }
                        ')' => {
                            depth -= 1;
                            current.push(c);
                        }
                        c => current.push(c),
                    }
                }
                if !closed {
                    return Err(format!("unclosed `$(` in `{text}`"));
                }
                if current.is_empty() {
                    return Err(format!("empty `$()` in `{text}`"));
                }
                out.push(Piece::Reference(std::mem::take(&mut current)));
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() || out.is_empty() {
        out.push(Piece::Text(current));
    }
    Ok(out)
}

/// The value a string stands for: a constant string, one reference, or a template.
pub(super) enum Parsed {
    Constant(String),
    Value(Value),
}

/// Parses a YARRRML value string.
pub(super) fn parse(text: &str) -> Result<Parsed, String> {
    let pieces = pieces(text)?;
    Ok(match pieces.as_slice() {
        [Piece::Text(t)] => Parsed::Constant(t.clone()),
        [Piece::Reference(r)] => Parsed::Value(Value::Reference(r.clone())),
        _ => Parsed::Value(Value::Template(template(&pieces)?)),
    })
}

/// Builds the RML template of `pieces`, escaping braces and backslashes RML would read.
pub(super) fn template(pieces: &[Piece]) -> Result<Template, String> {
    let escape = |s: &str| {
        s.chars().fold(String::new(), |mut out, c| {
            if matches!(c, '{' | '}' | '\\') {
                out.push('\\');
            }
            out.push(c);
            out
        })
    };
    let text: String = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => escape(t),
            Piece::Reference(r) => format!("{{{}}}", escape(r)),
        })
        .collect();
    Template::parse(&text).map_err(|e| e.to_string())
}

/// Splits a `~type` suffix off `text` when it is one of `known`: `$(x)~iri` → (`$(x)`, `iri`).
/// Other tildes (`http://ex.org/~user`) are part of the value.
pub(super) fn split_suffix<'a>(text: &'a str, known: &[&str]) -> (&'a str, Option<&'a str>) {
    match text.rsplit_once('~') {
        Some((value, suffix)) if known.contains(&suffix) => (value, Some(suffix)),
        _ => (text, None),
    }
}

pub(super) use crate::mapping::template::has_scheme;

/// Where a term map is used: decides its default term type and what it may produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Position {
    Subject,
    Predicate,
    Object,
    Graph,
}

/// What a term map needs besides its value string.
pub(super) struct Spec<'a> {
    pub position: Position,
    /// `~iri`, `type: literal`…; `None` takes the position's default.
    pub term_type: Option<TermType>,
    pub language: Option<&'a str>,
    pub datatype: Option<&'a str>,
}

/// Turns a value string into a checked [`TermMap`]; `expand` resolves prefixed names.
/// Relative IRIs stay relative: the executor resolves them against the document's `base`.
pub(super) fn term_map(
    raw: &str,
    spec: &Spec<'_>,
    expand: &dyn Fn(&str) -> String,
) -> Result<TermMap, String> {
    build(Raw::Text(raw), spec, expand)
}

/// Turns a function call into a checked [`TermMap`], like [`term_map`] a value string.
pub(super) fn function_term_map(
    call: FunctionCall,
    spec: &Spec<'_>,
    expand: &dyn Fn(&str) -> String,
) -> Result<TermMap, String> {
    build(Raw::Function(call), spec, expand)
}

/// What a term map takes its value from.
enum Raw<'a> {
    Text(&'a str),
    Function(FunctionCall),
}

fn build(
    raw: Raw<'_>,
    spec: &Spec<'_>,
    expand: &dyn Fn(&str) -> String,
) -> Result<TermMap, String> {
    let term_type = spec.term_type.unwrap_or(match spec.position {
        Position::Object => TermType::Literal,
        _ => TermType::Iri,
    });
    let language = spec.language.map(language_value).transpose()?;
    let datatype = spec
        .datatype
        .map(|d| datatype_value(&expand(d)))
        .transpose()?;
    if term_type != TermType::Literal && (language.is_some() || datatype.is_some()) {
        return Err("a language or datatype applies only to literals, not to IRIs".into());
    }
    if language.is_some() && datatype.is_some() {
        return Err("has both a language and a datatype".into());
    }
    let value = match raw {
        Raw::Text(raw) => {
            let text = match term_type {
                TermType::Iri => expand(raw),
                _ => raw.to_owned(),
            };
            match parse(&text)? {
                Parsed::Value(v) => v,
                Parsed::Constant(c) => {
                    constant(c, term_type, language.as_ref(), datatype.as_ref())?
                }
            }
        }
        Raw::Function(call) => Value::Function(Box::new(call)),
    };
    let allowed = match spec.position {
        Position::Subject => term_type != TermType::Literal,
        Position::Predicate | Position::Graph => term_type == TermType::Iri,
        Position::Object => true,
    };
    if !allowed {
        return Err(format!(
            "a {} cannot be a {}",
            format!("{:?}", spec.position).to_lowercase(),
            match term_type {
                TermType::Iri | TermType::Uri | TermType::UnsafeIri => "IRI",
                TermType::BlankNode => "blank node",
                TermType::Literal => "literal",
            }
        ));
    }
    Ok(TermMap {
        value,
        term_type,
        language,
        datatype,
    })
}

/// A constant: an RDF term when it is complete; else a template without references, so that
/// the executor resolves a relative IRI against the base IRI, names a blank node the way it
/// names every blank node, or tags a literal with a language or datatype read from the record.
fn constant(
    text: String,
    term_type: TermType,
    language: Option<&Value>,
    datatype: Option<&Value>,
) -> Result<Value, String> {
    let term: Option<Term> = match (term_type, language, datatype) {
        (TermType::Iri, ..) if has_scheme(&text) => Some(
            NamedNode::new(&text)
                .map_err(|e| format!("<{text}> is not a valid IRI: {e}"))?
                .into(),
        ),
        (TermType::Literal, None, None) => Some(Literal::new_simple_literal(&text).into()),
        (TermType::Literal, Some(Value::Constant(Term::Literal(tag))), None) => Some(
            Literal::new_language_tagged_literal(&text, tag.value())
                .map_err(|e| e.to_string())?
                .into(),
        ),
        (TermType::Literal, None, Some(Value::Constant(Term::NamedNode(dt)))) => {
            Some(Literal::new_typed_literal(&text, dt.clone()).into())
        }
        _ => None,
    };
    match term {
        Some(term) => Ok(Value::Constant(term)),
        None => Ok(Value::Template(template(&[Piece::Text(text)])?)),
    }
}

/// A language tag: a checked constant, or a reference/template read from the record.
fn language_value(text: &str) -> Result<Value, String> {
    match parse(text)? {
        Parsed::Constant(tag) => {
            if !is_language_tag(&tag) {
                return Err(format!("\"{tag}\" is not a valid language tag"));
            }
            Ok(Value::Constant(Literal::new_simple_literal(tag).into()))
        }
        Parsed::Value(v) => Ok(v),
    }
}

/// A datatype IRI, already prefix-expanded: a checked constant, or read from the record.
fn datatype_value(text: &str) -> Result<Value, String> {
    match parse(text)? {
        Parsed::Constant(iri) => NamedNode::new(&iri)
            .map(|n| Value::Constant(n.into()))
            .map_err(|e| format!("datatype <{iri}> is not a valid IRI: {e}")),
        Parsed::Value(v) => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_nest_and_escape() {
        assert_eq!(
            pieces("POINT($(lon) $(f(a)))").unwrap(),
            [
                Piece::Text("POINT(".into()),
                Piece::Reference("lon".into()),
                Piece::Text(" ".into()),
                Piece::Reference("f(a)".into()),
                Piece::Text(")".into()),
            ]
        );
        assert_eq!(pieces(r"a\$(b)").unwrap(), [Piece::Text("a$(b)".into())]);
        assert!(pieces("x$(a").unwrap_err().contains("unclosed"));
        assert!(pieces("$()").unwrap_err().contains("empty"));
        assert_eq!(pieces("").unwrap(), [Piece::Text(String::new())]);
    }

    #[test]
    fn templates_escape_braces() {
        let Parsed::Value(Value::Template(t)) = parse("{x}/$(a)").unwrap() else {
            panic!()
        };
        assert_eq!(
            t.expand(|_| Some("1".into()), crate::mapping::Encoding::Verbatim)
                .unwrap(),
            "{x}/1"
        );
    }

    #[test]
    fn suffixes_are_only_known_ones() {
        assert_eq!(split_suffix("$(x)~iri", &["iri"]), ("$(x)", Some("iri")));
        assert_eq!(
            split_suffix("http://ex.org/~me", &["iri"]),
            ("http://ex.org/~me", None)
        );
    }
}
