//! `vfn:dimensionValue`, `vfn:dimensionUnit` on any text and kind: never a panic; a measure
//! read is a valid `xsd:decimal` with one of the known units; value and unit come together.
//!
//! Input: one byte choosing the kind, then the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::fuzzing::call_functions;

const VFN: &str = "https://w3id.org/vitrine/fn#";
const KINDS: [&str; 8] = [
    "height",
    "width",
    "depth",
    "length",
    "thickness",
    "diameter",
    "weight",
    "hauteur",
];
const UNITS: [&str; 5] = [
    "http://vocab.getty.edu/aat/300379097",
    "http://vocab.getty.edu/aat/300379098",
    "http://vocab.getty.edu/aat/300379099",
    "http://vocab.getty.edu/aat/300379225",
    "http://vocab.getty.edu/aat/300379226",
];

/// `xsd:decimal`'s lexical space without sign (the text has none): digits, optionally a
/// point and more digits.
fn is_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, text)) = data.split_first() else {
        return;
    };
    let kind = if choice < 0xF0 {
        KINDS[usize::from(choice) % KINDS.len()].to_owned()
    } else {
        // Now and then a kind of its own, from the text's first line.
        let (head, _) = vitrine_fuzz::lines(text, 1);
        vitrine_fuzz::text(head[0])
    };
    let value = vitrine_fuzz::text(text);
    let (v, k) = (format!("{VFN}value"), format!("{VFN}kind"));
    let inputs = [(v.as_str(), value.as_str()), (k.as_str(), kind.as_str())];
    let functions = ["dimensionValue", "dimensionUnit"].map(|f| format!("{VFN}{f}"));
    let calls: Vec<_> = functions
        .iter()
        .map(|f| (f.as_str(), &inputs[..]))
        .collect();
    let [number, unit]: [_; 2] = call_functions(&calls)
        .expect("valid calls")
        .try_into()
        .expect("one run per call");
    assert_eq!(
        number.values.len(),
        unit.values.len(),
        "{number:?} {unit:?}"
    );
    assert_eq!(number.errors.len(), unit.errors.len());
    assert!(number.values.len() <= 1);
    for n in &number.values {
        assert!(
            is_decimal(n),
            "{value:?} gave the invalid xsd:decimal {n:?}"
        );
    }
    for u in &unit.values {
        assert!(UNITS.contains(&u.as_str()), "unknown unit {u}");
    }
});
