//! Darwin Core values that need more than a template: the collecting date from `year`, `month`
//! and `day` (exports without `eventDate`), and a point from `decimalLatitude`,
//! `decimalLongitude` and `geodeticDatum`.

/// The ISO 8601 date of `year`, `month`, `day` (month and day may be empty): `1959-07-09`,
/// `1959-07` or `1959`. With `precision` (`day`, `month`, `year`) the date is given only when it
/// has that precision, so that a mapping can type each kind (xsd:date, xsd:gYearMonth,
/// xsd:gYear) with a constant datatype. Impossible dates are errors (the record is quarantined).
pub fn date(year: &str, month: &str, day: &str, precision: &str) -> Result<Option<String>, String> {
    let (year, month, day) = (year.trim(), month.trim(), day.trim());
    let y: i32 = year
        .parse()
        .ok()
        .filter(|y| (1..=9999).contains(y))
        .ok_or_else(|| format!("vfn:dwcDate: year \"{year}\" is not a year"))?;
    let (iso, kind) = match (month, day) {
        ("", "") => (format!("{y:04}"), "year"),
        ("", d) => {
            return Err(format!(
                "vfn:dwcDate: day \"{d}\" is given without a month (year {y})"
            ));
        }
        (m, d) => {
            let m: u32 = m
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| format!("vfn:dwcDate: month \"{m}\" is not a month (1–12)"))?;
            if d.is_empty() {
                (format!("{y:04}-{m:02}"), "month")
            } else {
                let days = days_in_month(y, m);
                let d: u32 = d
                    .parse()
                    .ok()
                    .filter(|d| (1..=days).contains(d))
                    .ok_or_else(|| {
                        format!("vfn:dwcDate: day \"{d}\" is not a day of {y:04}-{m:02}")
                    })?;
                (format!("{y:04}-{m:02}-{d:02}"), "day")
            }
        }
    };
    match precision.trim() {
        "" => Ok(Some(iso)),
        p if p == kind => Ok(Some(iso)),
        "day" | "month" | "year" => Ok(None),
        other => Err(format!(
            "vfn:dwcDate: precision \"{other}\" must be day, month or year"
        )),
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The GeoSPARQL WKT point of decimal coordinates, by their `geodeticDatum`:
///
/// - WGS84 (or no datum: Darwin Core's recommended default), and EUREF89/ETRS89, which stayed
///   within a metre of WGS84 (the ETRS89 frame moves with Europe; about 0.8 m apart by 2025, far
///   below the coordinates' uncertainty): `POINT(longitude latitude)`, the GeoSPARQL default CRS84.
/// - ED50: **no point** (`None`). Converting it right needs a grid or a local Helmert
///   transformation (the shift is 100–200 m in Norway); GeoSPARQL could carry it in its own
///   reference system (`<http://www.opengis.net/def/crs/EPSG/0/4230> POINT(…)`), but Virtuoso
///   refuses any WKT with a CRS IRI ("RDF box with a geometry RDF type and a non-geometry
///   content") and the whole push with it, and a map client would read it as WGS84. The place
///   keeps the coordinates as given with their `dwc:geodeticDatum`; the shapes warn.
/// - Any other datum is an error: the record is quarantined rather than placed wrongly.
pub fn wkt_point(latitude: &str, longitude: &str, datum: &str) -> Result<Option<String>, String> {
    let (latitude, longitude) = (latitude.trim(), longitude.trim());
    let number = |text: &str, what: &str, limit: f64| {
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .map(|_| ())
            .ok_or_else(|| format!("vfn:wktPoint: {what} \"{text}\" is not a decimal {what}"))
    };
    number(latitude, "latitude", 90.0)?;
    number(longitude, "longitude", 180.0)?;
    let key: String = datum
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ':')
        .collect::<String>()
        .to_ascii_uppercase();
    match key.as_str() {
        "" | "WGS84" | "EPSG:4326" | "EUREF89" | "ETRS89" | "EPSG:4258" | "EPSG:4936" => {
            Ok(Some(format!("POINT({longitude} {latitude})")))
        }
        "ED50" | "EPSG:4230" => Ok(None),
        _ => Err(format!(
            "vfn:wktPoint: geodeticDatum \"{}\" is not one vitrine places (WGS84, EUREF89/ETRS89, \
             ED50)",
            datum.trim()
        )),
    }
}

/// The standard Darwin Core values of `basisOfRecord`, with whether the record is of a
/// physical specimen (a CIDOC-CRM E20 Biological Object).
const BASES: &[(&str, bool)] = &[
    ("PreservedSpecimen", true),
    ("FossilSpecimen", true),
    ("LivingSpecimen", true),
    ("MaterialSample", true),
    ("MaterialEntity", true),
    ("HumanObservation", false),
    ("MachineObservation", false),
    ("MaterialCitation", false),
    ("Occurrence", false),
    ("Event", false),
    ("Taxon", false),
];

/// The class of a `basisOfRecord`, read case-insensitively (exports write "Preservedspecimen"):
/// `as` = `dwc` gives the Darwin Core class (`http://rs.tdwg.org/dwc/terms/PreservedSpecimen`);
/// `crm` gives `crm:E20_Biological_Object` for a physical specimen, nothing for an observation.
/// A value that is not a basis of record is an error.
pub fn basis_of_record(value: &str, kind: &str) -> Result<Option<String>, String> {
    let key: String = value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let Some((name, physical)) = BASES.iter().find(|(n, _)| n.to_lowercase() == key) else {
        return Err(format!(
            "vfn:basisOfRecord: \"{value}\" is not a Darwin Core basis of record ({})",
            BASES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
        ));
    };
    match kind.trim() {
        "dwc" => Ok(Some(format!("http://rs.tdwg.org/dwc/terms/{name}"))),
        "crm" => {
            Ok(physical
                .then(|| "http://www.cidoc-crm.org/cidoc-crm/E20_Biological_Object".to_owned()))
        }
        other => Err(format!(
            "vfn:basisOfRecord: vfn:as \"{other}\" must be dwc or crm"
        )),
    }
}

/// The parts of a list-valued Darwin Core term (`recordedBy`, `associatedMedia`…): split on
/// ` | ` as the standard recommends, else on `;`, else on `,` (many exports, this one
/// included, write "Svein Tore Ystheim, Inger-Marie Stellander"); trimmed, empty parts dropped.
pub fn list(value: &str) -> Vec<String> {
    let separator = ['|', ';', ',']
        .into_iter()
        .find(|s| value.contains(*s))
        .unwrap_or('|');
    value
        .split(separator)
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_parts() {
        assert_eq!(date("1959", "7", "9", "").unwrap().unwrap(), "1959-07-09");
        assert_eq!(date("1959", "7", "", "").unwrap().unwrap(), "1959-07");
        assert_eq!(date("1959", "", "", "year").unwrap().unwrap(), "1959");
        assert_eq!(date("1959", "7", "9", "year").unwrap(), None);
        assert!(date("1959", "2", "30", "").is_err());
        assert!(date("1959", "", "3", "").is_err());
        assert!(date("19x", "", "", "").is_err());
    }

    #[test]
    fn bases_and_lists() {
        assert_eq!(
            basis_of_record("Preservedspecimen", "dwc")
                .unwrap()
                .unwrap(),
            "http://rs.tdwg.org/dwc/terms/PreservedSpecimen"
        );
        assert!(
            basis_of_record("HumanObservation", "crm")
                .unwrap()
                .is_none()
        );
        assert!(basis_of_record("Herbarium sheet", "dwc").is_err());
        assert_eq!(list("A B, C  D"), ["A B", "C D"]);
        assert_eq!(list("Doe, J. | Roe, K."), ["Doe, J.", "Roe, K."]);
    }

    #[test]
    fn points_by_datum() {
        assert_eq!(
            wkt_point("70.7141", "29.3151", "WGS84").unwrap().unwrap(),
            "POINT(29.3151 70.7141)"
        );
        assert_eq!(
            wkt_point("70.7", "29.3", "EUREF89").unwrap().unwrap(),
            "POINT(29.3 70.7)"
        );
        assert_eq!(wkt_point("70.7", "29.3", "ED50").unwrap(), None);
        assert!(wkt_point("70.7", "29.3", "NAD27").is_err());
        assert!(wkt_point("95", "29.3", "").is_err());
    }
}
