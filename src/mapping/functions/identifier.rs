//! Authority identifiers checked before they become links, and language codes as IRIs.
//!
//! An `owl:sameAs` to the wrong Wikidata item or IdRef record merges two people for every
//! consumer of the data, so an identifier becomes a link only when its syntax and check
//! character are right. These functions give the link or nothing; [`problem`] says why an
//! identifier was refused, so a mapping can publish the reason on the record (a SHACL warning
//! then reports it) instead of dropping it silently or quarantining the whole record for an
//! optional field.

use regex::Regex;
use std::sync::LazyLock;

// The patterns below spell digits `[0-9]`: `\d` is any Unicode digit, so `Q1٣` or a PPN in
// Arabic-Indic digits would become a link to nothing (and the check sums read their bytes).

/// The identifier schemes these functions know, as a mapping names them.
pub const SCHEMES: &[&str] = &["wikidata", "idref", "ark"];

/// `Q42`, `wd:Q42` or a Wikidata entity/page URL → the entity IRI.
pub fn wikidata(text: &str) -> Option<String> {
    static QID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:wd:|https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/)?(Q[1-9][0-9]{0,11})$",
        )
        .expect("valid regex")
    });
    let c = QID.captures(text.trim())?;
    Some(format!("http://www.wikidata.org/entity/{}", &c[1]))
}

/// A PPN (8 digits and a mod-11 check character, `X` for 10), bare or in an IdRef URL → the
/// IdRef IRI of the person or organisation.
pub fn idref(text: &str) -> Option<String> {
    static PPN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:https?://(?:www\.)?idref\.fr/)?([0-9]{8}[0-9Xx])(?:/id)?$")
            .expect("valid regex")
    });
    let ppn = PPN.captures(text.trim())?.get(1)?.as_str().to_uppercase();
    let sum: u32 = ppn
        .bytes()
        .take(8)
        .zip((2..=9).rev())
        .map(|(b, weight)| u32::from(b - b'0') * weight)
        .sum();
    let check = match (11 - sum % 11) % 11 {
        10 => 'X',
        n => char::from_digit(n, 10)?,
    };
    ppn.ends_with(check)
        .then(|| format!("https://www.idref.fr/{ppn}/id"))
}

/// The NOID alphabet: digits and consonants without `l`, 29 characters.
const NOID: &[u8] = b"0123456789bcdfghjkmnpqrstvwxz";

/// `ark:/NAAN/name`, found anywhere in the text (a resolver URL, `Notice du catalogue : …`),
/// when its check character is right → `ark:/NAAN/name` (any qualifier after it dropped).
///
/// The check character is the NOID one: the sum of each character's alphabet position times
/// its rank, modulo 29. NOID computes it over `NAAN/name`; the BnF (NAAN 12148) over the name
/// alone — every one of the 132 ARKs of the Gallica sample checks that way and none the other.
pub fn ark(text: &str) -> Option<String> {
    static ARK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"ark:/([0-9]{5})/([0-9a-z]+)").expect("valid regex"));
    let c = ARK.captures(text)?;
    let (naan, name) = (&c[1], &c[2]);
    let (body, check) = name.split_at(name.len() - 1);
    let checked = if naan == "12148" {
        body.to_owned()
    } else {
        format!("{naan}/{body}")
    };
    let sum: usize = checked
        .bytes()
        .enumerate()
        .map(|(i, b)| (i + 1) * NOID.iter().position(|&n| n == b).unwrap_or(0))
        .sum();
    (NOID[sum % 29] == check.as_bytes()[0]).then(|| format!("ark:/{naan}/{name}"))
}

/// The name part of a checked ARK (`bpt6k91072621`), to mint local IRIs from it.
pub fn ark_name(text: &str) -> Option<String> {
    ark(text).and_then(|a| a.rsplit('/').next().map(str::to_owned))
}

/// Why `text` is refused as a `scheme` identifier; `None` when it is accepted or empty.
pub fn problem(text: &str, scheme: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    let (accepted, expected) = match scheme {
        "wikidata" => (wikidata(text).is_some(), "Q followed by digits"),
        "idref" => (
            idref(text).is_some(),
            "8 digits and a mod-11 check digit or X",
        ),
        "ark" => (
            ark(text).is_some(),
            "ark:/NAAN/name with a NOID check character",
        ),
        other => {
            return Err(format!(
                "\"{other}\" is not an identifier scheme (schemes: {})",
                SCHEMES.join(", ")
            ));
        }
    };
    Ok((!text.is_empty() && !accepted)
        .then(|| format!("{scheme} identifier \"{text}\" refused: expected {expected}")))
}

/// ISO 639-2 bibliographic codes for the language names French catalogues write out.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("français", "fre"),
    ("anglais", "eng"),
    ("allemand", "ger"),
    ("arabe", "ara"),
    ("italien", "ita"),
    ("espagnol", "spa"),
    ("latin", "lat"),
    ("grec", "gre"),
    ("hébreu", "heb"),
    ("turc", "tur"),
    ("persan", "per"),
    ("arménien", "arm"),
    ("syriaque", "syr"),
    ("néerlandais", "dut"),
    ("occitan", "oci"),
];

/// A language code (`fre`) or French name (`français`) → its ISO 639-2 IRI at the Library of
/// Congress; `None` for anything else.
pub fn language(text: &str) -> Option<String> {
    let text = text.trim().to_lowercase();
    let code = if text.len() == 3 && text.bytes().all(|b| b.is_ascii_lowercase()) {
        text.as_str()
    } else {
        LANGUAGE_NAMES.iter().find(|(n, _)| *n == text)?.1
    };
    Some(format!("http://id.loc.gov/vocabulary/iso639-2/{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wikidata_ids() {
        let hugo = Some("http://www.wikidata.org/entity/Q535".to_owned());
        assert_eq!(wikidata("Q535"), hugo);
        assert_eq!(wikidata(" https://www.wikidata.org/wiki/Q535 "), hugo);
        assert_eq!(wikidata("wd:Q535"), hugo);
        for refused in ["Q", "Q0535", "q535", "Q53x", "P31", "535"] {
            assert_eq!(wikidata(refused), None, "{refused}");
        }
    }

    #[test]
    fn idref_check_digit() {
        assert_eq!(
            idref("026927608").as_deref(),
            Some("https://www.idref.fr/026927608/id")
        );
        assert_eq!(
            idref("https://www.idref.fr/026927608").as_deref(),
            Some("https://www.idref.fr/026927608/id")
        );
        // 0+2·8+6·7+9·6+2·5+7·4+6·3+0·2 = 168, 168 mod 11 = 3, 11-3 = 8: any other digit fails.
        assert_eq!(idref("026927609"), None);
        assert_eq!(idref("02692760"), None);
        // 6·2 = 12, 12 mod 11 = 1, 11-1 = 10: the check character is X.
        assert_eq!(
            idref("00000006x").as_deref(),
            Some("https://www.idref.fr/00000006X/id")
        );
        assert_eq!(idref("000000060"), None);
    }

    #[test]
    fn ark_check_character() {
        assert_eq!(
            ark("https://gallica.bnf.fr/ark:/12148/bpt6k91072621").as_deref(),
            Some("ark:/12148/bpt6k91072621")
        );
        assert_eq!(
            ark("Notice du catalogue : http://catalogue.bnf.fr/ark:/12148/cb445887232").as_deref(),
            Some("ark:/12148/cb445887232")
        );
        assert_eq!(
            ark_name("ark:/12148/btv1b10101785g").as_deref(),
            Some("btv1b10101785g")
        );
        // NOID's own example, over NAAN/name.
        assert_eq!(
            ark("ark:/13030/xf93gt2q").as_deref(),
            Some("ark:/13030/xf93gt2q")
        );
        assert_eq!(
            ark("ark:/12148/bpt6k91072622"),
            None,
            "wrong check character"
        );
        assert_eq!(ark("ark:/13030/xf93gt2r"), None);
        assert_eq!(ark("https://gallica.bnf.fr/"), None);
    }

    /// Found by the fn_identifier fuzz target: identifiers written with other digits than
    /// ASCII were made links (the check sums summed their UTF-8 bytes).
    #[test]
    fn identifiers_in_other_scripts_are_refused() {
        assert_eq!(wikidata("Q1\u{663}"), None);
        assert_eq!(idref("0000000\u{660}3"), None);
        assert_eq!(ark("ark:/\u{661}\u{662}\u{661}\u{664}\u{668}/b4"), None);
        assert!(problem("Q1\u{663}", "wikidata").unwrap().is_some());
    }

    #[test]
    fn problems_name_the_scheme() {
        assert_eq!(problem("Q535", "wikidata").unwrap(), None);
        assert_eq!(problem("", "idref").unwrap(), None);
        let p = problem("Q53x", "wikidata").unwrap().unwrap();
        assert!(p.contains("wikidata identifier \"Q53x\" refused"), "{p}");
        assert!(
            problem("x", "viaf")
                .unwrap_err()
                .contains("not an identifier scheme")
        );
    }

    #[test]
    fn languages() {
        let fre = Some("http://id.loc.gov/vocabulary/iso639-2/fre".to_owned());
        assert_eq!(language("fre"), fre);
        assert_eq!(language("Français"), fre);
        assert_eq!(language("klingon"), None);
        assert_eq!(language("fr"), None);
    }
}
