//! `Accept` negotiation (and `?format=`) on an item document, a SPARQL ASK and a CONSTRUCT,
//! through the whole HTTP application over the ingested demo: never a panic, never a 5xx; an
//! answer is 200 in one of the formats offered there, or 400 (an unknown format name) or 406.
//!
//! Input: line 1 the `Accept` header, line 2 (optional) the `format` parameter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::formats::{self, Format};

fn encode(text: &[u8]) -> String {
    text.iter().map(|b| format!("%{b:02X}")).collect()
}

fn check(path: &str, offered: &[Format], accept: &[u8]) {
    let site = vitrine::fuzzing::site();
    let Some(answer) = site.get(path, &[("accept", accept)]) else {
        return;
    };
    match answer.status {
        200 => {
            let content_type =
                String::from_utf8_lossy(answer.header("content-type").unwrap_or_default());
            let essence = content_type.split(';').next().unwrap_or_default().trim();
            assert!(
                offered.iter().any(|f| f.media_type == essence),
                "{path} answered {content_type}, not one of the formats offered"
            );
        }
        400 | 406 => {}
        status => panic!(
            "{path} with Accept {:?} answered {status}",
            String::from_utf8_lossy(accept)
        ),
    }
}

fuzz_target!(init: {
    // Ingesting the demo takes seconds: done before the first input, outside its timeout.
    vitrine::fuzzing::site();
}, |data: &[u8]| {
    let (head, _) = vitrine_fuzz::lines(data, 2);
    let (accept, format) = (head[0], head[1]);
    let query = if format.is_empty() {
        String::new()
    } else {
        format!("format={}&", encode(format))
    };
    let site = vitrine::fuzzing::site();
    let mut item = formats::GRAPHS.to_vec();
    item.push(formats::HTML);
    check(&format!("{}?{query}", site.item), &item, accept);
    let mut solutions = formats::SOLUTIONS.to_vec();
    solutions.push(formats::HTML);
    check(&format!("/sparql?{query}query=ASK%7B%7D"), &solutions, accept);
    check(
        &format!("/sparql?{query}query=CONSTRUCT%7B%3Fs%20%3Fp%20%3Fo%7DWHERE%7B%3Fs%20%3Fp%20%3Fo%7DLIMIT%201"),
        &item,
        accept,
    );
});
