//! Request paths → the IRIs they name and the documents of those (`/id/…`, `/doc/…`, any path
//! the fallback takes), through the whole HTTP application over the ingested demo: never a
//! panic, never a 5xx, never the path echoed unescaped into HTML; a 200 says where its
//! document lives.
//!
//! Input: one byte choosing the prefix and the `Accept` header, then the path; bytes a URI
//! cannot hold are percent-encoded, so the fuzzer's own `%XX` reach the server as written.
#![no_main]

use libfuzzer_sys::fuzz_target;

const PREFIXES: [&str; 4] = ["/id/", "/doc/id/", "/", "/id/joconde/"];
const ACCEPTS: [&[u8]; 4] = [b"text/html", b"text/turtle", b"application/ld+json", b"*/*"];

fn uri_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%?".contains(&b)
}

fuzz_target!(init: {
    // Ingesting the demo takes seconds: done before the first input, outside its timeout.
    vitrine::fuzzing::site();
}, |data: &[u8]| {
    let Some((&choice, path)) = data.split_first() else {
        return;
    };
    let mut uri = PREFIXES[usize::from(choice & 3)].to_owned();
    for &b in path {
        if uri_byte(b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    let accept = ACCEPTS[usize::from(choice >> 2 & 3)];
    let Some(answer) = vitrine::fuzzing::site().get(&uri, &[("accept", accept)]) else {
        return;
    };
    assert!(answer.status < 500, "{uri} answered {}", answer.status);
    if answer.status == 200 {
        assert!(
            answer.header("content-type").is_some(),
            "{uri}: a document has a type"
        );
    }
    let html = answer
        .header("content-type")
        .is_some_and(|t| t.starts_with(b"text/html"));
    let raw = decode(&uri);
    if html && raw.contains('<') && raw.len() > 3 {
        let body = String::from_utf8_lossy(&answer.body);
        assert!(!body.contains(&raw), "{uri}: the path is echoed unescaped");
    }
});

/// The path with every `%XX` decoded, as a careless server would echo it.
fn decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
