//! The SPARQL 1.1 Protocol's request forms, read into one [`Request`].
//!
//! A query comes as `GET ?query=`, as a `POST` form, or as a `POST` body of type
//! `application/sparql-query` with the other parameters in the URL. `default-graph-uri` and
//! `named-graph-uri` may repeat; `query` may not. Clients name the answer's format in several
//! ways (`format`, and SPARQLWrapper's `output` and `results`, sometimes twice): every value is
//! kept, and the first one the endpoint knows wins.

use super::super::Error;
use crate::store::DatasetRequest;
use axum::body::Bytes;
use axum::http::{HeaderMap, Uri, header};
use oxigraph::model::NamedNode;

/// What a request asks of the endpoint.
#[derive(Debug, Default)]
pub(crate) struct Request {
    /// The query text; `None` when the request sent none (the service description or the page).
    pub query: Option<String>,
    /// An update was sent, in any form: it is refused.
    pub update: bool,
    /// Format names from `format`, `output` and `results`, in order.
    pub formats: Vec<String>,
    /// Graphs named by `default-graph-uri` and `named-graph-uri`.
    pub dataset: DatasetRequest,
}

impl Request {
    /// A `GET`: everything is in the query string.
    pub(crate) fn from_get(uri: &Uri) -> Result<Self, Error> {
        let mut request = Self::default();
        request.read_pairs(uri.query().unwrap_or("").as_bytes())?;
        Ok(request)
    }

    /// A `POST`: a form, or the query itself as the body.
    pub(crate) fn from_post(uri: &Uri, headers: &HeaderMap, body: &Bytes) -> Result<Self, Error> {
        let mut request = Self::default();
        request.read_pairs(uri.query().unwrap_or("").as_bytes())?;
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                Error::UnsupportedMediaType(
                    "a POST needs a Content-Type: application/x-www-form-urlencoded, application/sparql-query or application/sparql-update".into(),
                )
            })?;
        let mut parts = content_type.split(';');
        let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        for parameter in parts {
            if let Some((name, value)) = parameter.split_once('=') {
                let value = value.trim().trim_matches('"');
                if name.trim().eq_ignore_ascii_case("charset")
                    && !value.eq_ignore_ascii_case("utf-8")
                {
                    return Err(Error::UnsupportedMediaType(format!(
                        "charset {value} is not supported; send UTF-8"
                    )));
                }
            }
        }
        let text = || {
            String::from_utf8(body.to_vec())
                .map_err(|_| Error::BadRequest("the request body is not UTF-8".into()))
        };
        match essence.as_str() {
            "application/x-www-form-urlencoded" => {
                std::str::from_utf8(body)
                    .map_err(|_| Error::BadRequest("the form is not UTF-8".into()))?;
                request.read_pairs(body)?;
            }
            "application/sparql-query" => request.set_query(text()?)?,
            "application/sparql-update" => {
                text()?;
                request.update = true;
            }
            other => {
                return Err(Error::UnsupportedMediaType(format!(
                    "Content-Type `{other}` is not a SPARQL request; send application/x-www-form-urlencoded or application/sparql-query"
                )));
            }
        }
        if request.query.is_none() && !request.update {
            return Err(Error::BadRequest("the request has no `query`".into()));
        }
        Ok(request)
    }

    fn set_query(&mut self, query: String) -> Result<(), Error> {
        if self.query.is_some() {
            return Err(Error::BadRequest(
                "the request has more than one `query`".into(),
            ));
        }
        self.query = Some(query);
        Ok(())
    }

    fn read_pairs(&mut self, encoded: &[u8]) -> Result<(), Error> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded)
            .map_err(|e| Error::BadRequest(format!("malformed parameters: {e}")))?;
        let graph = |value: &str| {
            NamedNode::new(value)
                .map_err(|e| Error::BadRequest(format!("`{value}` is not an absolute IRI: {e}")))
        };
        for (name, value) in pairs {
            match name.as_str() {
                "query" => self.set_query(value)?,
                "update" => self.update = true,
                "format" | "output" | "results" => self.formats.push(value),
                "default-graph-uri" => self.dataset.default.push(graph(&value)?),
                "named-graph-uri" => self.dataset.named.push(graph(&value)?),
                "using-graph-uri" | "using-named-graph-uri" => self.update = true,
                _ => {}
            }
        }
        if self.query.is_some() && self.update {
            return Err(Error::BadRequest(
                "a request carries a query or an update, not both".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(content_type: Option<&str>, body: &'static str) -> Result<Request, Error> {
        let mut headers = HeaderMap::new();
        if let Some(t) = content_type {
            headers.insert(header::CONTENT_TYPE, t.parse().unwrap());
        }
        Request::from_post(&Uri::from_static("/sparql"), &headers, &Bytes::from(body))
    }

    #[test]
    fn request_forms() {
        let get = Request::from_get(&Uri::from_static(
            "/sparql?query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fa%2Fb&default-graph-uri=http%3A%2F%2Fa%2Fc&format=xml&output=xml",
        ))
        .unwrap();
        assert_eq!(get.query.as_deref(), Some("ASK{}"));
        assert_eq!(get.dataset.default.len(), 2);
        assert_eq!(get.formats, ["xml", "xml"]);
        assert!(matches!(
            Request::from_get(&Uri::from_static("/sparql?query=a&query=b")),
            Err(Error::BadRequest(_))
        ));
        assert!(post(Some("application/sparql-query"), "ASK {}").is_ok());
        assert!(matches!(
            post(None, "ASK {}"),
            Err(Error::UnsupportedMediaType(_))
        ));
        assert!(matches!(
            post(Some("text/plain"), "ASK {}"),
            Err(Error::UnsupportedMediaType(_))
        ));
        assert!(matches!(
            post(Some("application/sparql-query; charset=UTF-16"), "ASK {}"),
            Err(Error::UnsupportedMediaType(_))
        ));
        assert!(
            post(Some("application/sparql-update"), "CLEAR ALL")
                .unwrap()
                .update
        );
        assert!(
            post(
                Some("application/x-www-form-urlencoded"),
                "update=CLEAR+ALL"
            )
            .unwrap()
            .update
        );
    }
}
