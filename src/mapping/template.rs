//! RML string templates: `http://ex.org/{id}` with `\{` and `\}` escaping literal braces.
//!
//! Values put into an IRI template are made IRI-safe the way R2RML defines it: every character
//! outside `iunreserved` is percent-encoded, so a name with spaces or slashes stays one path
//! segment, while accented letters stay readable.

use iri_string::percent_encode::PercentEncodedForIri;
use std::fmt::Write as _;

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
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
    /// use vitrine::mapping::Template;
    /// let t = Template::parse("id/agent/{name}").unwrap();
    /// assert_eq!(t.references().collect::<Vec<_>>(), ["name"]);
    /// let iri = t.expand(|_| Some("ANDRÉ Albert/2".into()), true);
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
        Ok(Self { parts })
    }

    /// The references, in order of appearance.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Reference(r) => Some(r.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Fills the template; `None` when a reference has no value (RML: no term is generated).
    /// With `iri_safe`, values are percent-encoded as R2RML's IRI-safe form.
    pub fn expand<'a>(
        &self,
        mut value: impl FnMut(&str) -> Option<std::borrow::Cow<'a, str>>,
        iri_safe: bool,
    ) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Reference(r) => {
                    let v = value(r)?;
                    if iri_safe {
                        // Writing to a String cannot fail.
                        let _ = write!(out, "{}", PercentEncodedForIri::unreserve(&*v));
                    } else {
                        out.push_str(&v);
                    }
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_errors() {
        let t = Template::parse(r"a\{b\}{c}").unwrap();
        assert_eq!(t.expand(|_| Some("x y".into()), false).unwrap(), "a{b}x y");
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
    fn missing_value_yields_nothing() {
        let t = Template::parse("x/{a}/{b}").unwrap();
        assert_eq!(t.expand(|r| (r == "a").then(|| "1".into()), true), None);
    }

    #[test]
    fn iri_safe_encodes_reserved_ascii_only() {
        let t = Template::parse("{v}").unwrap();
        let got = t.expand(|_| Some("l'été: 50%#".into()), true).unwrap();
        assert_eq!(got, "l%27été%3A%2050%25%23");
    }
}
