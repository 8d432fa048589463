//! Dimension text → one measurement (value and unit) per kind.
//!
//! Catalogues write dimensions as text: Joconde's `DIMS` field says
//! `Hauteur en cm 1.64 ; Longueur en cm 6.6 ; Epaisseur en cm`, older notices and exports
//! `H. 81 ; L. 100` or `81 x 100`, and some exports split them into one plain number per column.
//! Linked Art wants one `E54_Dimension` per kind with a number (`P90_has_value`) and a unit
//! (`P91_has_unit`), so the mapping asks for one kind at a time.
//!
//! Conventions:
//! - `A x B [x C]` (also `×`) is height × width [× depth], the French museum convention;
//! - a bare number is the value of whatever kind is asked: the column already says which;
//! - the unit is written after `en` (`Hauteur en cm`) or after the number (`81 cm`); when none
//!   is written it is the centimetre, the unit of the French catalogues;
//! - a kind named without a number (`Epaisseur en cm`) has no value, which is not an error;
//! - text in which no measurement can be read is an error: it is reported, never guessed.

use regex::Regex;
use std::sync::LazyLock;

/// Kinds of measurement, with the words catalogues use for them (lower case, no accents
/// needed: the text is compared after folding the few accented letters of these words).
const KINDS: &[(&str, &[&str])] = &[
    ("height", &["height", "hauteur", "haut", "h"]),
    ("width", &["width", "largeur", "larg", "l", "la"]),
    ("length", &["length", "longueur", "long", "lo"]),
    ("depth", &["depth", "profondeur", "prof", "p", "pr"]),
    ("thickness", &["thickness", "epaisseur", "ep"]),
    ("diameter", &["diameter", "diametre", "diam", "d"]),
    ("weight", &["weight", "poids"]),
];

/// Units and their Getty AAT concepts, the vocabulary Linked Art uses for units.
const UNITS: &[(&str, &str)] = &[
    ("mm", "http://vocab.getty.edu/aat/300379097"),
    ("cm", "http://vocab.getty.edu/aat/300379098"),
    ("m", "http://vocab.getty.edu/aat/300379099"),
    ("g", "http://vocab.getty.edu/aat/300379225"),
    ("kg", "http://vocab.getty.edu/aat/300379226"),
];

/// One measurement read from the text.
#[derive(Debug, PartialEq)]
pub struct Measurement {
    /// The number as an `xsd:decimal` lexical form (`1.64`, never `1,64`).
    pub value: String,
    /// The AAT IRI of the unit.
    pub unit: &'static str,
}

/// The canonical name of `kind` (`hauteur` → `height`), or an error listing the known ones.
pub fn kind(kind: &str) -> Result<&'static str, String> {
    let folded = fold(kind.trim());
    KINDS
        .iter()
        .find(|(name, words)| *name == folded || words.contains(&folded.as_str()))
        .map(|(name, _)| *name)
        .ok_or_else(|| {
            let known: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
            format!(
                "\"{kind}\" is not a kind of dimension (kinds: {})",
                known.join(", ")
            )
        })
}

/// The measurement of `kind` in `text`: `Ok(None)` when the text has none of that kind.
pub fn measure(text: &str, kind: &str) -> Result<Option<Measurement>, String> {
    let wanted = self::kind(kind)?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let unreadable = || {
        format!(
            "cannot read \"{text}\" as dimensions (it reads e.g. 81, 81 x 100, \
             H. 81 ; L. 100, Hauteur en cm 1.64 ; Longueur en cm 6.6)"
        )
    };
    // Numbers are ASCII digits: `\d` is any Unicode digit (`۳`, `８`), which would make an
    // ill-typed `xsd:decimal` and an IRI no one links to; such text is not read.
    static BARE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?<n>[0-9]+(?:[.,][0-9]+)?)\s*(?<u>[a-z]+)?\.?$").expect("valid regex")
    });
    static CROSS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?<ns>[0-9]+(?:[.,][0-9]+)?(?:\s*[x×]\s*[0-9]+(?:[.,][0-9]+)?){1,2})\s*(?<u>[a-z]+)?\.?$")
            .expect("valid regex")
    });
    static PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?<k>[\p{L}]+)\.?(?:\s+en\s+(?<u1>[a-z]+))?\s*:?\s*(?:(?<n>[0-9]+(?:[.,][0-9]+)?)\s*(?<u2>[a-z]+)?\.?)?$",
        )
        .expect("valid regex")
    });
    let lower = text.to_lowercase();
    if let Some(c) = BARE.captures(&lower) {
        return found(&c["n"], c.name("u").map(|u| u.as_str()), text).map(Some);
    }
    if let Some(c) = CROSS.captures(&lower) {
        let numbers: Vec<&str> = c["ns"].split(['x', '×']).map(str::trim).collect();
        let position = ["height", "width", "depth"]
            .iter()
            .position(|k| *k == wanted);
        return match position.and_then(|i| numbers.get(i)) {
            Some(n) => found(n, c.name("u").map(|u| u.as_str()), text).map(Some),
            None => Ok(None),
        };
    }
    let mut any = false;
    for part in lower.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let c = PART.captures(part).ok_or_else(unreadable)?;
        let Ok(name) = self::kind(&c["k"]) else {
            return Err(unreadable());
        };
        any = true;
        if name != wanted {
            continue;
        }
        let Some(n) = c.name("n") else {
            return Ok(None);
        };
        let unit = c.name("u1").or(c.name("u2")).map(|u| u.as_str());
        return found(n.as_str(), unit, text).map(Some);
    }
    if any { Ok(None) } else { Err(unreadable()) }
}

fn found(number: &str, unit: Option<&str>, text: &str) -> Result<Measurement, String> {
    let unit = unit.unwrap_or("cm");
    let unit = UNITS
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|(_, iri)| *iri)
        .ok_or_else(|| {
            format!("unknown unit \"{unit}\" in \"{text}\" (units: mm, cm, m, g, kg)")
        })?;
    Ok(Measurement {
        value: number.replace(',', "."),
        unit,
    })
}

/// Lower case without the accents of the kind words (`épaisseur`, `diamètre`).
fn fold(word: &str) -> String {
    word.to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, kind: &str) -> Option<String> {
        measure(text, kind).unwrap().map(|m| m.value)
    }

    #[test]
    fn joconde_dims_field() {
        let dims = "Hauteur en cm 1.64 ; Longueur en cm 6.6 ; Epaisseur en cm";
        assert_eq!(value(dims, "height").as_deref(), Some("1.64"));
        assert_eq!(value(dims, "longueur").as_deref(), Some("6.6"));
        assert_eq!(value(dims, "thickness"), None, "named without a number");
        assert_eq!(value(dims, "width"), None, "not in the text");
        assert_eq!(
            measure("Hauteur en mm 12", "height").unwrap().unwrap().unit,
            "http://vocab.getty.edu/aat/300379097"
        );
        assert_eq!(value("H. 81 ; L. 100", "width").as_deref(), Some("100"));
        assert_eq!(
            value("Diamètre : 12,5 cm", "diameter").as_deref(),
            Some("12.5")
        );
    }

    #[test]
    fn crossed_and_bare_numbers() {
        assert_eq!(value("81 x 100", "height").as_deref(), Some("81"));
        assert_eq!(value("81 × 100 cm", "width").as_deref(), Some("100"));
        assert_eq!(value("81 x 100 x 4", "depth").as_deref(), Some("4"));
        assert_eq!(value("81 x 100", "depth"), None);
        assert_eq!(value("65", "width").as_deref(), Some("65"));
        assert_eq!(
            measure("65", "width").unwrap().unwrap().unit,
            "http://vocab.getty.edu/aat/300379098"
        );
        assert_eq!(value("  ", "width"), None);
    }

    /// Found by `fuzz/run.sh` (fn_dimension): `۳` was read as the number `۳`.
    #[test]
    fn numbers_in_other_scripts_are_not_read() {
        for text in ["۳", "８１ x １００", "H. ٨١", "Hauteur en cm ۱.۶"] {
            assert!(measure(text, "height").is_err(), "{text}");
        }
    }

    #[test]
    fn refusals() {
        assert!(
            measure("grand format", "height")
                .unwrap_err()
                .contains("cannot read")
        );
        assert!(
            measure("81 x 100 pouces", "height")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(measure("81", "couleur").unwrap_err().contains("not a kind"));
    }
}
