//! Which representation to send: a format name (`?format=`, a file suffix) wins, then the
//! `Accept` header (q-values and specificity per RFC 9110, via `headers-accept`). The formats
//! and their names come from [`crate::formats`], shared with the CLI.

use super::Error;
use crate::formats::{self, Format};
use axum::http::HeaderMap;
use headers_accept::Accept;
use mediatype::MediaType;
use std::str::FromStr;

/// What an item's document is offered in, in our order of preference for `*/*`.
pub(super) const RESOURCE_FORMATS: [Format; 6] = [
    formats::TURTLE,
    formats::HTML,
    formats::JSON_LD,
    formats::NTRIPLES,
    formats::NQUADS,
    formats::RDF_XML,
];

/// Picks from `offered` what the request asks for: the first of `names` that names an offered
/// format, else the `Accept` header. A missing or unparsable header accepts anything.
pub(super) fn choose(
    headers: &HeaderMap,
    names: &[String],
    offered: &[Format],
) -> Result<Format, Error> {
    if !names.is_empty() {
        return names
            .iter()
            .find_map(|n| Format::named(n, offered))
            .ok_or_else(|| {
                Error::BadRequest(format!(
                    "unknown format `{}`; use {}",
                    names.join("`, `"),
                    Format::listed(offered)
                ))
            });
    }
    let Some(accept) = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(offered[0]);
    };
    // Scripts usually name one type exactly: no need to parse anything then.
    if let Some(f) = offered.iter().find(|f| {
        f.media_types()
            .any(|m| m.eq_ignore_ascii_case(accept.trim()))
    }) {
        return Ok(*f);
    }
    let Ok(accept) = Accept::from_str(accept) else {
        return Ok(offered[0]);
    };
    let candidates: Vec<(MediaType<'_>, Format)> = offered
        .iter()
        .flat_map(|f| f.media_types().map(move |m| (m, *f)))
        .filter_map(|(m, f)| Some((MediaType::parse(m).ok()?, f)))
        .collect();
    let chosen = accept
        .negotiate(candidates.iter().map(|(m, _)| m))
        .ok_or_else(|| {
            let types: Vec<&str> = offered.iter().map(|f| f.media_type).collect();
            Error::NotAcceptable(types.join(", "))
        })?;
    Ok(candidates
        .iter()
        .find(|(m, _)| m == chosen)
        .map_or(offered[0], |(_, f)| *f))
}

/// The format of an item document: `?format=`, else the `Accept` header.
pub(super) fn resource_format(
    headers: &HeaderMap,
    format_param: Option<&str>,
) -> Result<Format, Error> {
    let names: Vec<String> = format_param.map(str::to_owned).into_iter().collect();
    choose(headers, &names, &RESOURCE_FORMATS)
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
        assert_eq!(resource_format(&browser, None).unwrap(), formats::HTML);
        assert_eq!(
            resource_format(&accept("*/*"), None).unwrap(),
            formats::TURTLE
        );
        assert_eq!(
            resource_format(&HeaderMap::new(), None).unwrap(),
            formats::TURTLE
        );
        assert_eq!(
            resource_format(&accept("application/ld+json"), None).unwrap(),
            formats::JSON_LD
        );
        assert_eq!(
            resource_format(&accept("text/turtle;q=0.5, application/n-triples"), None).unwrap(),
            formats::NTRIPLES
        );
        assert!(matches!(
            resource_format(&accept("image/png"), None),
            Err(Error::NotAcceptable(_))
        ));
        assert_eq!(
            resource_format(&accept("text/html"), Some("ttl")).unwrap(),
            formats::TURTLE
        );
        // N3 is asked for by clients that read Turtle.
        assert_eq!(
            choose(&accept("text/rdf+n3"), &[], &formats::GRAPHS).unwrap(),
            formats::TURTLE
        );
        // SPARQLWrapper sends its format several times, and `output=` too.
        assert_eq!(
            choose(
                &HeaderMap::new(),
                &["xml".into(), "xml".into()],
                &formats::GRAPHS
            )
            .unwrap(),
            formats::RDF_XML
        );
    }
}
