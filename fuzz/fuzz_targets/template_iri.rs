//! RML templates and the IRIs built from them: never a panic; a template said to always
//! expand to a valid IRI does so for any value; `rml:URI` expansions are ASCII; several values
//! make their product; every term a mapping run makes from the template is well formed (an
//! invalid IRI is the record's error, never an unchecked term).
//!
//! Input: line 1 the template, then one value per line; reference `k` of the template takes
//! the lines `k`, `k + n`, `k + 2n`… (n references), at most three values each.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::borrow::Cow;
use vitrine::fuzzing::{BASE, Template, map_template};
use vitrine::mapping::Encoding;

fuzz_target!(|data: &[u8]| {
    let (head, rest) = vitrine_fuzz::lines(data, 1);
    let Ok(template) = Template::parse(&vitrine_fuzz::text(head[0])) else {
        return;
    };
    let mut references: Vec<&str> = template.references().collect();
    references.sort_unstable();
    references.dedup();
    if references.len() > 8 {
        return;
    }
    let lines: Vec<String> = rest
        .split(|&b| b == b'\n')
        .map(vitrine_fuzz::text)
        .collect();
    let values = |r: &str| -> Vec<String> {
        let Some(k) = references.iter().position(|x| *x == r) else {
            return Vec::new();
        };
        lines
            .iter()
            .skip(k)
            .step_by(references.len().max(1))
            .take(3)
            .filter(|v| !v.is_empty())
            .cloned()
            .collect()
    };
    let first = |r: &str| values(r).into_iter().next().map(Cow::Owned);
    for encoding in [Encoding::IriSafe, Encoding::Uri, Encoding::Verbatim] {
        let Some(expanded) = template.expand(first, encoding) else {
            continue;
        };
        if encoding != Encoding::Verbatim && template.always_valid_iri() {
            let absolute = if vitrine_fuzz::has_scheme(&expanded) {
                expanded.clone()
            } else {
                format!("{BASE}{expanded}")
            };
            assert!(
                vitrine_fuzz::is_iri(&absolute),
                "a template said to be always valid made {absolute}"
            );
        }
        if encoding == Encoding::Uri {
            let text = template
                .expand(|_| Some(Cow::Borrowed("")), Encoding::Verbatim)
                .unwrap_or_default();
            assert!(
                !text.is_ascii() || expanded.is_ascii(),
                "an rml:URI expansion is ASCII: {expanded}"
            );
        }
        let all = template.expand_all(
            |r| values(r).into_iter().map(Cow::Owned).collect(),
            encoding,
        );
        // Each hole takes each value, a reference written twice included.
        let expected: usize = template.references().map(|r| values(r).len()).product();
        assert_eq!(
            all.len(),
            expected,
            "one expansion per combination of values"
        );
        if expected > 0 {
            assert_eq!(
                all[0], expanded,
                "the first combination takes the first values"
            );
        }
    }
    let columns: Vec<(String, String)> = references
        .iter()
        .map(|r| {
            (
                (*r).to_owned(),
                values(r).into_iter().next().unwrap_or_default(),
            )
        })
        .collect();
    if let Ok(run) = map_template(&template, &columns) {
        vitrine_fuzz::check_run(&run);
    }
});
