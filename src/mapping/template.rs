//! RML string templates: `http://ex.org/{id}` with `\{` and `\}` escaping literal braces.
//!
//! Values put into an IRI template are made IRI-safe the way R2RML defines it: every character
//! outside `iunreserved` is percent-encoded, so a name with spaces or slashes stays one path
//! segment, while accented letters stay readable.

use super::source::Values;
use iri_string::percent_encode::{PercentEncodedForIri, PercentEncodedForUri};
use smallvec::{SmallVec, smallvec};
use std::borrow::Cow;
use std::fmt::Write as _;

/// How values are written into a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// As they are: literals, blank-node labels and `rml:UnsafeIRI`.
    Verbatim,
    /// R2RML's IRI-safe form: everything outside `iunreserved` is percent-encoded.
    IriSafe,
    /// `rml:URI`: everything outside ASCII `unreserved` is percent-encoded (UTF-8 bytes).
    Uri,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    /// Whether every IRI-safe expansion is a valid IRI (see [`Template::always_valid_iri`]).
    valid_iri_shape: bool,
    /// Length of the constant text, to size an expansion once.
    text_len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Reference(String),
}

/// Why a template string is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unclosed `{{` in template `{0}`")]
    Unclosed(String),
    #[error("unmatched `}}` in template `{0}`")]
    Unmatched(String),
    #[error("empty `{{}}` in template `{0}`")]
    Empty(String),
}

impl Template {
    /// Parses a template.
    ///
    /// ```
    /// use vitrine::mapping::{Encoding, Template};
    /// let t = Template::parse("id/agent/{name}").unwrap();
    /// assert_eq!(t.references().collect::<Vec<_>>(), ["name"]);
    /// let iri = t.expand(|_| Some("ANDRÉ Albert/2".into()), Encoding::IriSafe);
    /// assert_eq!(iri.as_deref(), Some("id/agent/ANDRÉ%20Albert%2F2"));
    /// ```
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut current = String::new();
        let mut in_reference = false;
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(escaped) => current.push(escaped),
                    None => current.push('\\'),
                },
                '{' if !in_reference => {
                    if !current.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut current)));
                    }
                    in_reference = true;
                }
                '}' if in_reference => {
                    if current.is_empty() {
                        return Err(TemplateError::Empty(text.into()));
                    }
                    parts.push(Part::Reference(std::mem::take(&mut current)));
                    in_reference = false;
                }
                '{' => return Err(TemplateError::Unclosed(text.into())),
                '}' => return Err(TemplateError::Unmatched(text.into())),
                c => current.push(c),
            }
        }
        if in_reference {
            return Err(TemplateError::Unclosed(text.into()));
        }
        if !current.is_empty() {
            parts.push(Part::Text(current));
        }
        let valid_iri_shape = valid_iri_shape(&parts);
        let text_len = parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.len(),
                Part::Reference(_) => 0,
            })
            .sum();
        Ok(Self {
            parts,
            valid_iri_shape,
            text_len,
        })
    }

    /// Whether expanding this template with IRI-safe values always yields a valid IRI (once
    /// resolved against a valid base), so the result needs no validation per record.
    ///
    /// IRI-safe values only hold `iunreserved` characters and `%XX`, which are valid in every
    /// IRI component after the scheme; so if the template is valid with `x` in each hole and
    /// no hole comes before the scheme's `:`, every expansion is valid too.
    pub fn always_valid_iri(&self) -> bool {
        self.valid_iri_shape
    }

    /// The references, in order of appearance.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Reference(r) => Some(r.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Fills the template with the first value of each reference; `None` when a reference has
    /// no value (RML: no term is generated).
    pub fn expand<'a>(
        &self,
        mut value: impl FnMut(&str) -> Option<Cow<'a, str>>,
        encoding: Encoding,
    ) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Reference(r) => push_encoded(&mut out, &value(r)?, encoding),
            }
        }
        Some(out)
    }

    /// Fills the template with every combination of the values of its references (RML-Core: a
    /// multi-valued reference makes one term per value, and several make their cartesian
    /// product). Nothing when a reference has no value.
    pub fn expand_all<'a>(
        &self,
        mut values: impl FnMut(&str) -> Values<'a>,
        encoding: Encoding,
    ) -> SmallVec<[String; 1]> {
        let mut holes: SmallVec<[Values<'a>; 2]> = SmallVec::new();
        for r in self.references() {
            let v = values(r);
            if v.is_empty() {
                return SmallVec::new();
            }
            holes.push(v);
        }
        if holes.iter().all(|v| v.len() == 1) {
            // The usual case, one value per reference: no combinations to walk.
            let mut out = String::with_capacity(
                self.text_len + holes.iter().map(|v| v[0].len()).sum::<usize>(),
            );
            let mut values = holes.iter().map(|v| &v[0]);
            for part in &self.parts {
                match part {
                    Part::Text(t) => out.push_str(t),
                    Part::Reference(_) => {
                        if let Some(v) = values.next() {
                            push_encoded(&mut out, v, encoding);
                        }
                    }
                }
            }
            return smallvec![out];
        }
        let count: usize = holes.iter().map(|v| v.len()).product();
        let mut results = SmallVec::with_capacity(count);
        // An odometer over the holes' values: `choice[i]` is the value used for hole `i`.
        let mut choice = vec![0usize; holes.len()];
        for _ in 0..count {
            let mut out = String::new();
            let mut hole = 0;
            for part in &self.parts {
                match part {
                    Part::Text(t) => out.push_str(t),
                    Part::Reference(_) => {
                        push_encoded(&mut out, &holes[hole][choice[hole]], encoding);
                        hole += 1;
                    }
                }
            }
            results.push(out);
            for (i, c) in choice.iter_mut().enumerate().rev() {
                *c += 1;
                if *c < holes[i].len() {
                    break;
                }
                *c = 0;
            }
        }
        results
    }
}

fn push_encoded(out: &mut String, value: &str, encoding: Encoding) {
    // Writing to a String cannot fail.
    let _ = match encoding {
        Encoding::Verbatim => {
            out.push_str(value);
            Ok(())
        }
        // Most values (numbers, codes) need no encoding: copied whole, not char by char.
        Encoding::IriSafe | Encoding::Uri if value.bytes().all(is_ascii_unreserved) => {
            out.push_str(value);
            Ok(())
        }
        Encoding::IriSafe => write!(out, "{}", PercentEncodedForIri::unreserve(value)),
        Encoding::Uri => write!(out, "{}", PercentEncodedForUri::unreserve(value)),
    };
}

/// RFC 3986 `unreserved`, which both encodings leave as is (`iunreserved` adds non-ASCII).
fn is_ascii_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Whether `text` starts with an IRI scheme (`http:`, `urn:`…), i.e. is not a relative IRI.
pub(crate) fn has_scheme(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

fn valid_iri_shape(parts: &[Part]) -> bool {
    let sample: String = parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.as_str(),
            Part::Reference(_) => "x",
        })
        .collect();
    let before_first_hole: String = parts
        .iter()
        .map_while(|p| match p {
            Part::Text(t) => Some(t.as_str()),
            Part::Reference(_) => None,
        })
        .collect();
    let has_scheme = has_scheme(&sample);
    // A value before the scheme's `:` could make an invalid scheme.
    if has_scheme && !before_first_hole.contains(':') && before_first_hole.len() < sample.len() {
        return false;
    }
    // A relative template is resolved against the (valid, absolute) base IRI.
    let absolute = if has_scheme {
        sample
    } else {
        format!("http://example.org/{sample}")
    };
    oxigraph::model::NamedNode::new(absolute).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_errors() {
        let t = Template::parse(r"a\{b\}{c}").unwrap();
        assert_eq!(
            t.expand(|_| Some("x y".into()), Encoding::Verbatim)
                .unwrap(),
            "a{b}x y"
        );
        assert_eq!(
            Template::parse("a{b").unwrap_err(),
            TemplateError::Unclosed("a{b".into())
        );
        assert_eq!(
            Template::parse("a}b").unwrap_err(),
            TemplateError::Unmatched("a}b".into())
        );
        assert_eq!(
            Template::parse("{}").unwrap_err(),
            TemplateError::Empty("{}".into())
        );
    }

    #[test]
    fn iri_shapes() {
        let safe = |t: &str| Template::parse(t).unwrap().always_valid_iri();
        assert!(safe("http://ex.org/{a}/{b}"));
        assert!(safe("id/agent/{name}"));
        assert!(!safe("{scheme}://ex.org/"));
        assert!(!safe("http://ex.org:{port}/"));
        assert!(!safe("http://ex.org/a b/{x}"));
    }

    #[test]
    fn missing_value_yields_nothing() {
        let t = Template::parse("x/{a}/{b}").unwrap();
        assert_eq!(
            t.expand(|r| (r == "a").then(|| "1".into()), Encoding::IriSafe),
            None
        );
    }

    #[test]
    fn iri_safe_encodes_reserved_ascii_only() {
        let t = Template::parse("{v}").unwrap();
        let got = t
            .expand(|_| Some("l'été: 50%#".into()), Encoding::IriSafe)
            .unwrap();
        assert_eq!(got, "l%27été%3A%2050%25%23");
        let uri = t.expand(|_| Some("Zoë K/2".into()), Encoding::Uri).unwrap();
        assert_eq!(uri, "Zo%C3%AB%20K%2F2");
    }

    #[test]
    fn several_values_make_their_product() {
        let t = Template::parse("{a}-{b}").unwrap();
        let got = t.expand_all(
            |r| match r {
                "a" => smallvec!["1".into(), "2".into()],
                _ => smallvec!["x".into(), "y".into(), "z".into()],
            },
            Encoding::Verbatim,
        );
        assert_eq!(got.as_slice(), ["1-x", "1-y", "1-z", "2-x", "2-y", "2-z"]);
        assert!(
            t.expand_all(|_| Values::new(), Encoding::Verbatim)
                .is_empty()
        );
    }
}
