//! Which representation to send: a `?format=` parameter wins, then a file suffix (`.ttl`…),
//! then the `Accept` header (q-values and specificity per RFC 9110, via `headers-accept`).

use super::Error;
use axum::http::HeaderMap;
use headers_accept::Accept;
use mediatype::MediaType;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use std::str::FromStr;

/// A representation of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Html,
    Rdf(RdfFormat),
}

/// The formats a resource is offered in, in our order of preference for `*/*`.
pub(super) const RESOURCE_FORMATS: [Format; 5] = [
    Format::Rdf(RdfFormat::Turtle),
    Format::Html,
    Format::Rdf(RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    }),
    Format::Rdf(RdfFormat::NTriples),
    Format::Rdf(RdfFormat::RdfXml),
];

impl Format {
    pub(super) fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html",
            Format::Rdf(f) => f.media_type(),
        }
    }

    pub(super) fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Rdf(f) => f.file_extension(),
        }
    }

    /// The format named by a suffix or a `?format=` value.
    pub(super) fn from_name(name: &str) -> Option<Self> {
        match name {
            "html" | "htm" => Some(Format::Html),
            "ttl" | "turtle" => Some(Format::Rdf(RdfFormat::Turtle)),
            "jsonld" | "json-ld" | "json" => Some(RESOURCE_FORMATS[2]),
            "nt" | "ntriples" | "n-triples" => Some(Format::Rdf(RdfFormat::NTriples)),
            "rdf" | "xml" | "rdfxml" => Some(Format::Rdf(RdfFormat::RdfXml)),
            _ => None,
        }
    }
}

/// Picks from `available` (media types, in our preference order) what the `Accept` header
/// prefers. A missing or unparsable header accepts anything.
pub(super) fn choose<'a>(headers: &HeaderMap, available: &[&'a str]) -> Result<&'a str, Error> {
    let Some(accept) = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(available[0]);
    };
    let Ok(accept) = Accept::from_str(accept) else {
        return Ok(available[0]);
    };
    let parsed: Vec<MediaType<'_>> = available
        .iter()
        .filter_map(|m| MediaType::parse(m).ok())
        .collect();
    let chosen = accept
        .negotiate(parsed.iter())
        .ok_or_else(|| Error::NotAcceptable(available.join(", ")))?;
    let essence = chosen.essence().to_string();
    Ok(available
        .iter()
        .find(|m| **m == essence)
        .copied()
        .unwrap_or(available[0]))
}

/// The resource format for a request: `?format=`, else the `Accept` header.
pub(super) fn resource_format(
    headers: &HeaderMap,
    format_param: Option<&str>,
) -> Result<Format, Error> {
    if let Some(name) = format_param {
        return Format::from_name(name).ok_or_else(|| {
            Error::BadRequest(format!(
                "unknown format `{name}`; use html, ttl, jsonld, nt or rdf"
            ))
        });
    }
    let available: Vec<&str> = RESOURCE_FORMATS.iter().map(|f| f.media_type()).collect();
    let chosen = choose(headers, &available)?;
    Ok(RESOURCE_FORMATS
        .into_iter()
        .find(|f| f.media_type() == chosen)
        .unwrap_or(RESOURCE_FORMATS[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(axum::http::header::ACCEPT, value.parse().unwrap());
        h
    }

    #[test]
    fn browsers_get_html_and_tools_get_turtle() {
        let browser = accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assert_eq!(resource_format(&browser, None).unwrap(), Format::Html);
        assert_eq!(
            resource_format(&accept("*/*"), None).unwrap(),
            RESOURCE_FORMATS[0]
        );
        assert_eq!(
            resource_format(&HeaderMap::new(), None).unwrap(),
            RESOURCE_FORMATS[0]
        );
        assert_eq!(
            resource_format(&accept("application/ld+json"), None).unwrap(),
            RESOURCE_FORMATS[2]
        );
        assert_eq!(
            resource_format(&accept("text/turtle;q=0.5, application/n-triples"), None).unwrap(),
            Format::Rdf(RdfFormat::NTriples)
        );
        assert!(matches!(
            resource_format(&accept("image/png"), None),
            Err(Error::NotAcceptable(_))
        ));
        assert_eq!(
            resource_format(&accept("text/html"), Some("ttl")).unwrap(),
            RESOURCE_FORMATS[0]
        );
    }
}
