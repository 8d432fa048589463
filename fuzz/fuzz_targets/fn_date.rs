//! `vfn:dateBegin`, `vfn:dateEnd`, `vfn:dateLabel` on any text: never a panic; a date read
//! gives one valid `xsd:dateTime` for each bound, the begin not after the end; a date not read
//! (blank text included) is the record's error for both bounds alike.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oxsdatatypes::DateTime;
use std::str::FromStr;
use vitrine::fuzzing::call_functions;

const VFN: &str = "https://w3id.org/vitrine/fn#";

fuzz_target!(|data: &[u8]| {
    let value = vitrine_fuzz::text(data);
    let parameter = format!("{VFN}value");
    let inputs = [(parameter.as_str(), value.as_str())];
    let functions = ["dateBegin", "dateEnd", "dateLabel"].map(|f| format!("{VFN}{f}"));
    let calls: Vec<_> = functions
        .iter()
        .map(|f| (f.as_str(), &inputs[..]))
        .collect();
    let [begin, end, label]: [_; 3] = call_functions(&calls)
        .expect("valid calls")
        .try_into()
        .expect("one run per call");
    assert!(label.errors.is_empty(), "a label is never an error");
    assert!(begin.values.len() <= 1 && end.values.len() <= 1);
    assert_eq!(
        begin.values.len(),
        end.values.len(),
        "both bounds or neither: {begin:?} {end:?}"
    );
    assert_eq!(begin.errors.len(), end.errors.len());
    if value.is_empty() {
        // An empty field is no value: no call, no error.
        assert!(begin.values.is_empty() && begin.errors.is_empty());
        return;
    }
    // Blank text is not read (an error), and its label is no value.
    let label_expected: Vec<&str> = Some(value.trim())
        .filter(|l| !l.is_empty())
        .into_iter()
        .collect();
    assert_eq!(
        label.values, label_expected,
        "the label is the trimmed text"
    );
    if let (Some(b), Some(e)) = (begin.values.first(), end.values.first()) {
        let b = DateTime::from_str(b).unwrap_or_else(|_| panic!("invalid xsd:dateTime {b}"));
        let e = DateTime::from_str(e).unwrap_or_else(|_| panic!("invalid xsd:dateTime {e}"));
        assert!(b <= e, "{value:?} begins at {b} after it ends at {e}");
    } else {
        assert_eq!(begin.errors.len(), 1, "a text not read is one error");
    }
});
