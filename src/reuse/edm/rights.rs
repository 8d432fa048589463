//! `edm:rights`: the licence of an item (or of its dataset) as one of the statements Europeana
//! accepts, written as Europeana wants them: `http://`, with a trailing slash.
//!
//! Europeana takes only the Creative Commons licences and marks and the rightsstatements.org
//! statements. The Licence Ouverte / Open Licence of Etalab (1.0 and 2.0), which most French
//! public data uses, is not among them; vitrine maps it to **CC BY 4.0**: the Licence Ouverte
//! asks only for attribution and says itself (version 2.0, "Compatibilité") that it is compatible
//! with Creative Commons Attribution, so CC BY 4.0 asks a reuser for nothing the publisher did
//! not already ask. Any other licence (ODbL, a publisher's own terms…) is refused: the item gets
//! no Europeana record rather than a statement its publisher never made.

/// The Creative Commons licences (and their versions) Europeana accepts.
const CC_LICENCES: &[&str] = &["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"];
const CC_VERSIONS: &[&str] = &["1.0", "2.0", "2.5", "3.0", "4.0"];

/// The rightsstatements.org statements Europeana accepts.
const RIGHTS_STATEMENTS: &[&str] = &["InC", "InC-EDU", "InC-OW-EU", "NoC-NC", "NoC-OKLR", "CNE"];

/// The Licence Ouverte / Open Licence, under the addresses it is published at.
const LICENCE_OUVERTE: &[&str] = &[
    "www.etalab.gouv.fr/licence-ouverte-open-licence",
    "www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
    "www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf",
    "www.data.gouv.fr/fr/licences/lov2",
    "spdx.org/licenses/etalab-2.0",
    "spdx.org/licenses/etalab-2.0.html",
];

/// What the Licence Ouverte becomes (see the module documentation).
pub const LICENCE_OUVERTE_AS: &str = "http://creativecommons.org/licenses/by/4.0/";

/// The Europeana rights statement for licence `iri`, or `None` when Europeana has none for it.
pub fn europeana_rights(iri: &str) -> Option<String> {
    let rest = iri
        .strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))?;
    let path = rest.trim_end_matches('/');
    if LICENCE_OUVERTE.contains(&path) {
        return Some(LICENCE_OUVERTE_AS.to_owned());
    }
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [
            "creativecommons.org",
            "publicdomain",
            mark @ ("zero" | "mark"),
            "1.0",
        ] => Some(format!(
            "http://creativecommons.org/publicdomain/{mark}/1.0/"
        )),
        ["creativecommons.org", "licenses", licence, version]
            if CC_LICENCES.contains(licence) && CC_VERSIONS.contains(version) =>
        {
            Some(format!(
                "http://creativecommons.org/licenses/{licence}/{version}/"
            ))
        }
        ["rightsstatements.org", "vocab" | "page", statement, "1.0"]
            if RIGHTS_STATEMENTS.contains(statement) =>
        {
            Some(format!(
                "http://rightsstatements.org/vocab/{statement}/1.0/"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::europeana_rights;

    #[test]
    fn accepted_statements_come_out_as_europeana_spells_them() {
        for (given, expected) in [
            (
                "https://creativecommons.org/publicdomain/zero/1.0/",
                "http://creativecommons.org/publicdomain/zero/1.0/",
            ),
            (
                "https://creativecommons.org/licenses/by-sa/4.0",
                "http://creativecommons.org/licenses/by-sa/4.0/",
            ),
            (
                "https://rightsstatements.org/page/InC/1.0/",
                "http://rightsstatements.org/vocab/InC/1.0/",
            ),
            (
                "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                "http://creativecommons.org/licenses/by/4.0/",
            ),
            (
                "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
                "http://creativecommons.org/licenses/by/4.0/",
            ),
        ] {
            assert_eq!(
                europeana_rights(given).as_deref(),
                Some(expected),
                "{given}"
            );
        }
    }

    #[test]
    fn other_licences_are_refused() {
        for refused in [
            "https://opendatacommons.org/licenses/odbl/1-0/",
            "https://creativecommons.org/licenses/by/5.0/",
            "https://creativecommons.org/licenses/sampling/1.0/",
            "https://example.org/licence",
            "urn:x:creativecommons.org/licenses/by/4.0/",
            "",
        ] {
            assert_eq!(europeana_rights(refused), None, "{refused}");
        }
    }
}
