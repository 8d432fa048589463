//! `vfn:agentName`, `vfn:agentDates`, `vfn:agentRole`, `vfn:agentIri`, `vfn:personIri` on any
//! heading: never a panic, never an error; an IRI is a valid relative IRI under `id/agent/`;
//! dates, a role or an IRI only come with a name; a person's IRI is the agent's IRI.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::fuzzing::{BASE, call_functions};

const VFN: &str = "https://w3id.org/vitrine/fn#";

fuzz_target!(|data: &[u8]| {
    let value = vitrine_fuzz::text(data);
    let parameter = format!("{VFN}value");
    let inputs = [(parameter.as_str(), value.as_str())];
    let functions = [
        "agentName",
        "agentDates",
        "agentRole",
        "agentIri",
        "personIri",
    ]
    .map(|f| format!("{VFN}{f}"));
    let calls: Vec<_> = functions
        .iter()
        .map(|f| (f.as_str(), &inputs[..]))
        .collect();
    let runs = call_functions(&calls).expect("valid calls");
    let [name, dates, role, iri, person]: [Option<String>; 5] = runs
        .into_iter()
        .zip(&functions)
        .map(|(run, function)| {
            assert!(
                run.errors.is_empty(),
                "{function} is never an error: {run:?}"
            );
            assert!(run.values.len() <= 1);
            run.values.into_iter().next()
        })
        .collect::<Vec<_>>()
        .try_into()
        .expect("one run per call");
    if name.is_none() {
        assert!(
            dates.is_none() && role.is_none() && iri.is_none(),
            "parts without a name"
        );
    }
    if let Some(name) = &name {
        assert_eq!(name.trim(), name, "a name is trimmed");
    }
    if let Some(iri) = &iri {
        assert!(iri.starts_with("id/agent/"), "{iri}");
        assert!(
            vitrine_fuzz::is_iri(&format!("{BASE}{iri}")),
            "invalid agent IRI {iri}"
        );
    }
    if person.is_some() {
        assert_eq!(person, iri, "a person's IRI is its agent IRI");
    }
});
