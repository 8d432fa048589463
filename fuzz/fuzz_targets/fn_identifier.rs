//! `vfn:wikidata`, `vfn:idref`, `vfn:ark`, `vfn:arkName`, `vfn:language`,
//! `vfn:identifierProblem` on any text: never a panic; a link is a valid IRI of the documented
//! shape (ASCII digits only); a problem is reported exactly when the identifier is refused.
//!
//! Input: one byte choosing the scheme for `identifierProblem`, then the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitrine::fuzzing::call_functions;

const VFN: &str = "https://w3id.org/vitrine/fn#";
const SCHEMES: [&str; 4] = ["wikidata", "idref", "ark", "isbn"];
const LINKS: [&str; 5] = ["wikidata", "idref", "ark", "arkName", "language"];

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, text)) = data.split_first() else {
        return;
    };
    let value = vitrine_fuzz::text(text);
    let scheme = SCHEMES[usize::from(choice) % SCHEMES.len()];
    let (v, s) = (format!("{VFN}value"), format!("{VFN}scheme"));
    let one = [(v.as_str(), value.as_str())];
    let two = [(v.as_str(), value.as_str()), (s.as_str(), scheme)];
    let functions = LINKS.map(|f| format!("{VFN}{f}"));
    let problem_function = format!("{VFN}identifierProblem");
    let mut calls: Vec<_> = functions.iter().map(|f| (f.as_str(), &one[..])).collect();
    calls.push((problem_function.as_str(), &two[..]));
    let mut runs = call_functions(&calls).expect("valid calls");
    let problem = runs.pop().expect("the problem's run");
    let links: Vec<Option<String>> = runs
        .into_iter()
        .zip(LINKS)
        .map(|(run, function)| {
            assert!(
                run.errors.is_empty(),
                "{function} is never an error: {run:?}"
            );
            assert!(run.values.len() <= 1);
            let link = run.values.into_iter().next();
            if let Some(link) = &link
                && function != "arkName"
            {
                assert!(
                    vitrine_fuzz::is_iri(link),
                    "{function} gave the invalid IRI {link}"
                );
            }
            link
        })
        .collect();
    let [wikidata, idref, ark, name, _language]: [Option<String>; 5] =
        links.try_into().expect("one run per call");
    if let Some(w) = &wikidata {
        let id = w
            .strip_prefix("http://www.wikidata.org/entity/Q")
            .expect("an entity IRI");
        assert!(digits(id) && !id.starts_with('0'), "wikidata gave {w}");
    }
    if let Some(i) = &idref {
        let ppn = i
            .strip_prefix("https://www.idref.fr/")
            .and_then(|p| p.strip_suffix("/id"))
            .expect("an IdRef IRI");
        assert!(
            ppn.len() == 9
                && ppn.is_ascii()
                && digits(&ppn[..8])
                && (digits(&ppn[8..]) || &ppn[8..] == "X"),
            "idref gave {i}"
        );
    }
    if let Some(a) = &ark {
        let (naan, rest) = a
            .strip_prefix("ark:/")
            .and_then(|r| r.split_once('/'))
            .expect("ark:/NAAN/name");
        assert!(naan.len() == 5 && digits(naan), "ark gave {a}");
        assert_eq!(name.as_deref(), Some(rest), "arkName is the ARK's name");
    } else {
        assert!(name.is_none(), "arkName without an ARK");
    }
    let accepted = match scheme {
        "wikidata" => wikidata.is_some(),
        "idref" => idref.is_some(),
        "ark" => ark.is_some(),
        _ => {
            if !value.is_empty() {
                assert_eq!(problem.errors.len(), 1, "an unknown scheme is an error");
            }
            return;
        }
    };
    assert!(problem.errors.is_empty(), "{problem:?}");
    let refused = !value.trim().is_empty() && !accepted;
    assert_eq!(
        !problem.values.is_empty(),
        refused,
        "{scheme} {value:?}: a problem exactly when refused: {problem:?}"
    );
});
