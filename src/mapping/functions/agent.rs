//! Agent headings → name, life dates, role, and one IRI per agent across datasets.
//!
//! Library records write agents as authority headings, `Mislin, Jacques (1807-1878). Auteur du
//! texte`; museum exports as `SURNAME Given names` (`ANDRE Albert`); a programme as it likes.
//! The same person must be one resource whichever export names them, so the IRI is made from a
//! key that ignores case, punctuation, life dates and role: `Corm, Charles (1894-1963). Auteur`
//! and `CORM Charles` are both `id/agent/corm-charles`.
//!
//! "Anonyme", "Inconnu" and the like are not agents: 18 paintings by "Anonyme" are not the works
//! of one person, so such headings give no name and no IRI (the production then has no actor).

use regex::Regex;
use std::sync::LazyLock;

/// A heading split into its parts.
#[derive(Debug, PartialEq)]
pub struct Heading<'a> {
    pub name: String,
    pub dates: Option<&'a str>,
    pub role: Option<&'a str>,
}

/// Splits `Name (qualifiers; dates). Role`; `None` for an empty or anonymous heading.
pub fn parse(text: &str) -> Option<Heading<'_>> {
    static DATES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d{3,4}\??\s*-\s*(?:\d{3,4}\??)?|\d{3,4}\??\s*-").expect("valid regex")
    });
    let text = text.trim();
    // The role is what follows the last ". " after the last parenthesis, when there is one.
    let after_parens = text.rfind(')').map_or(0, |i| i + 1);
    let (head, role) = match text[after_parens..].rfind(". ") {
        Some(i) => {
            let i = after_parens + i;
            (&text[..i], Some(text[i + 2..].trim()))
        }
        None => (text.trim_end_matches('.'), None),
    };
    let mut name = String::new();
    let mut dates = None;
    let mut rest = head;
    // Parenthesised qualifiers are not part of the name; life dates are kept apart.
    while let Some(open) = rest.find('(') {
        name.push_str(&rest[..open]);
        let (inner, after) = match matching(rest, open) {
            Some(close) => (&rest[open + 1..close], &rest[close + 1..]),
            // An unclosed parenthesis (`Dupont (`) qualifies the rest of the heading.
            None => (&rest[open + 1..], ""),
        };
        if let Some(m) = DATES.find(inner) {
            dates = Some(m.as_str().trim());
        }
        rest = after;
    }
    name.push_str(rest);
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.replace(" .", ".").replace(" ,", ",");
    let name = name.trim_end_matches(['.', ',']).trim().to_owned();
    if name.is_empty() || is_anonymous(&name) {
        return None;
    }
    let role = role.filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("Fonction indéterminée"));
    Some(Heading { name, dates, role })
}

/// The index of the parenthesis closing the one at `open`.
fn matching(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Placeholders for an unknown maker, as catalogues write them.
fn is_anonymous(name: &str) -> bool {
    let lower = name.to_lowercase();
    let lower = lower.trim_matches(|c: char| !c.is_alphanumeric());
    [
        "anonym",
        "inconnu",
        "unknown",
        "auteur inconnu",
        "artiste inconnu",
        "non renseign",
        "x",
    ]
    .iter()
    .any(|p| lower == *p || (p.len() > 1 && lower.starts_with(p)))
}

/// The relative IRI `id/agent/{key}`: the name's words in lower case joined by `-`, Latin
/// letters without their accents, other scripts as they are. Museum exports write surnames in
/// capitals without accents (`ANDRE Albert`) where libraries write `André, Albert`, so the key
/// must not depend on accents; the IRI then needs no escaping for Latin names.
pub fn iri(text: &str) -> Option<String> {
    key_iri(&parse(text)?.name)
}

/// The IRI of a plain name, not a heading: Darwin Core's `recordedBy` writes initials
/// (`G. Sjöstedt`, `A.M. Grønlie`) that a heading would read as a name and a role.
pub fn plain_iri(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() || is_anonymous(name) {
        return None;
    }
    key_iri(name)
}

fn key_iri(name: &str) -> Option<String> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().map(unaccent).collect())
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("id/agent/{}", words.join("-")))
}

/// A lower-case Latin letter without its diacritic (`é` → `e`, `œ` → `oe`); other characters
/// unchanged.
fn unaccent(c: char) -> String {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđ", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşšș", "s"),
        ("ţťŧț", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("ß", "ss"),
    ];
    TABLE
        .iter()
        .find(|(from, _)| from.contains(c))
        .map_or_else(|| c.to_string(), |(_, to)| (*to).to_owned())
}

/// Whether the heading names a person rather than an organisation: `Surname, Given` or life
/// dates. Corporate headings (`Université de Lyon. Faculté de droit`) have neither.
pub fn is_person(text: &str) -> bool {
    parse(text).is_some_and(|h| h.dates.is_some() || h.name.contains(", "))
}

#[cfg(test)]
mod tests {

    #[test]
    fn unbalanced_and_odd_headings_do_not_panic() {
        assert_eq!(parse("Dupont (").map(|h| h.name), Some("Dupont".into()));
        assert_eq!(
            parse("Dupont (1801-1870").map(|h| (h.name, h.dates)),
            Some(("Dupont".into(), Some("1801-1870")))
        );
        for text in [
            "(",
            ")",
            ")(",
            "((",
            "a (b (c",
            "a ) b (",
            "é (",
            " (",
            "(((())",
            "x. (y",
            ". ",
            "Dupont (\u{202e}RTL",
            "Marie\u{301} (",
            "(1801-1870)",
            "a (b) c (d",
        ] {
            let _ = parse(text);
            let _ = iri(text);
        }
    }

    use super::*;

    #[test]
    fn library_headings() {
        let h = parse("Mislin, Jacques (1807-1878). Fonction indéterminée").unwrap();
        assert_eq!(h.name, "Mislin, Jacques");
        assert_eq!(h.dates, Some("1807-1878"));
        assert_eq!(h.role, None, "an undetermined role is no role");
        let h = parse("Corancez, Louis-Alexandre-Olivier de (1770-1832). Auteur du texte").unwrap();
        assert_eq!(h.role, Some("Auteur du texte"));
        let h = parse("Hobeika, Pierre (Mgr ; 1874-1956). Fonction indéterminée").unwrap();
        assert_eq!(
            (h.name.as_str(), h.dates),
            ("Hobeika, Pierre", Some("1874-1956"))
        );
        let h =
            parse("Bartlett, W. H. (William Henry) (1809-1854). Fonction indéterminée").unwrap();
        assert_eq!(h.name, "Bartlett, W. H", "a trailing dot is punctuation");
        let h = parse("Université de Lyon. Faculté de droit. Fonction indéterminée").unwrap();
        assert_eq!(h.name, "Université de Lyon. Faculté de droit");
        assert!(!is_person(
            "Université de Lyon. Faculté de droit. Fonction indéterminée"
        ));
        assert!(is_person(
            "Kergolay Jean de (1860-1923). Fonction indéterminée"
        ));
    }

    #[test]
    fn one_key_whichever_export_names_the_agent() {
        assert_eq!(
            iri("Corm, Charles (1894-1963). Fonction indéterminée").as_deref(),
            Some("id/agent/corm-charles")
        );
        assert_eq!(
            iri("CORM Charles").as_deref(),
            Some("id/agent/corm-charles")
        );
        assert_eq!(
            iri("ANDRE Albert").as_deref(),
            Some("id/agent/andre-albert")
        );
        assert_eq!(
            iri("Bahā Allāh (1817-1892)").as_deref(),
            Some("id/agent/baha-allah")
        );
    }

    #[test]
    fn anonymous_makers_are_nobody() {
        for nobody in [
            "Anonyme",
            "anonyme",
            "Anonymous",
            "Inconnu",
            "anonymesss",
            "",
            "  ",
            "Non renseigné",
        ] {
            assert_eq!(parse(nobody), None, "{nobody:?}");
            assert_eq!(iri(nobody), None, "{nobody:?}");
        }
        assert!(iri("Xenakis, Iannis").is_some());
    }
}
