//! From a request path to the IRI it names, and back.
//!
//! Browsers send URIs: a name minted as `id/agent/ANDRÉ%20Albert` arrives as
//! `/id/agent/ANDR%C3%89%20Albert`. RFC 3987 §3.2 maps it back by decoding the percent-encoded
//! UTF-8 of non-ASCII characters only, keeping `%20`, `%2F`… as they are, since decoding those
//! would name another resource.

use iri_string::types::IriStr;

/// The IRI named by `path` (raw, as received) under `base`, or `None` if it is not a valid IRI.
pub(super) fn from_request_path(base: &str, path: &str) -> Option<String> {
    let iri = format!("{base}{}", uri_to_iri(path.trim_start_matches('/')));
    IriStr::new(&iri).ok()?;
    Some(iri)
}

/// The local path (`/id/…`) of an IRI minted under `base`, as a URI usable in `href` and
/// headers; `None` for IRIs of other sites.
pub(super) fn local_path(base: &str, iri: &str) -> Option<String> {
    iri.strip_prefix(base)?;
    let iri = IriStr::new(iri).ok()?;
    let uri = iri.encode_to_uri().to_string();
    let base_uri = IriStr::new(base).ok()?.encode_to_uri().to_string();
    Some(format!("/{}", uri.strip_prefix(&base_uri)?))
}

fn uri_to_iri(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            // Collect a run of percent-encoded octets and decode the valid non-ASCII UTF-8 in it.
            let mut run = Vec::new();
            let mut j = i;
            while j + 2 < bytes.len() && bytes[j] == b'%' {
                match u8::from_str_radix(&path[j + 1..j + 3], 16) {
                    Ok(b) => run.push((b, &path[j..j + 3])),
                    Err(_) => break,
                }
                j += 3;
            }
            if run.is_empty() {
                out.push(b'%');
                i += 1;
                continue;
            }
            let mut k = 0;
            while k < run.len() {
                let len = match run[k].0 {
                    0xC2..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    0xF0..=0xF4 => 4,
                    _ => 1,
                };
                let decoded = (len > 1 && k + len <= run.len())
                    .then(|| {
                        let octets: Vec<u8> = run[k..k + len].iter().map(|(b, _)| *b).collect();
                        String::from_utf8(octets).ok()
                    })
                    .flatten();
                match decoded {
                    Some(s) => {
                        out.extend_from_slice(s.as_bytes());
                        k += len;
                    }
                    None => {
                        out.extend_from_slice(run[k].1.as_bytes());
                        k += 1;
                    }
                }
            }
            i = j;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_only_non_ascii() {
        assert_eq!(
            uri_to_iri("id/agent/ANDR%C3%89%20Albert"),
            "id/agent/ANDRÉ%20Albert"
        );
        assert_eq!(uri_to_iri("a%2Fb%ZZ%C3"), "a%2Fb%ZZ%C3");
    }

    #[test]
    fn round_trip_through_local_path() {
        let base = "https://data.example.org/";
        let iri = "https://data.example.org/id/agent/ANDRÉ%20Albert";
        let path = local_path(base, iri).unwrap();
        assert_eq!(path, "/id/agent/ANDR%C3%89%20Albert");
        assert_eq!(from_request_path(base, &path).unwrap(), iri);
        assert_eq!(local_path(base, "http://other.org/x"), None);
        assert_eq!(from_request_path(base, "/id/a b"), None);
    }
}
