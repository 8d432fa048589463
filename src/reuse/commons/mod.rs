//! `vitrine export commons DATASET`: an upload sheet for Wikimedia Commons, one row per image,
//! in the column names of Pattypan's `Artwork` template (so that the sheet, saved as `.xls`
//! with Pattypan's template in its second tab, loads as is) and with a `wikitext` column holding
//! the whole `{{Artwork}}` template for OpenRefine or a hand upload.
//!
//! The values are wikitext already: language templates around titles, `{{Creator|Wikidata=…}}`
//! and `{{Institution|wikidata=…}}` for makers and keepers Wikidata knows, `{{Size|…}}` for
//! dimensions, and everything from the data escaped ([`wikitext::escape`]).
//!
//! An image that is already a Commons file (a `Special:FilePath`, `File:` or
//! `upload.wikimedia.org` URL) is not uploaded again: its row names that file in
//! `already_on_commons` and in `name`, so Pattypan, which skips a name that exists, passes it
//! over, and OpenRefine can match the file to improve its page with `wikitext`. Its `license`
//! and `permission` stay empty: the file page has them.
//!
//! The data states the licence of the record, not of the photograph. For a new file the sheet
//! proposes the Commons template of the record's licence when it is a Creative Commons one,
//! and leaves `license` empty otherwise, for a person to fill: vitrine does not guess a
//! photograph's licence.

mod wikitext;

use super::Error;
use super::artwork::{self, Artwork, DimensionKind, commons_file, image_format};
use crate::store::Store;

/// The sheet's columns, in order: Pattypan's names for what it knows, then `already_on_commons`
/// and `wikitext`.
pub const COLUMNS: &[&str] = &[
    "path",
    "name",
    "already_on_commons",
    "artist",
    "title",
    "description",
    "date",
    "medium",
    "dimensions",
    "institution",
    "credit_line",
    "accession_number",
    "source",
    "permission",
    "wikidata",
    "license",
    "wikitext",
];

/// One image's row, in [`COLUMNS`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    pub path: String,
    pub name: String,
    pub already_on_commons: String,
    pub artist: String,
    pub title: String,
    pub description: String,
    pub date: String,
    pub medium: String,
    pub dimensions: String,
    pub institution: String,
    pub credit_line: String,
    pub accession_number: String,
    pub source: String,
    pub permission: String,
    pub wikidata: String,
    pub license: String,
    pub wikitext: String,
}

impl Row {
    fn values(&self) -> [&str; 17] {
        [
            &self.path,
            &self.name,
            &self.already_on_commons,
            &self.artist,
            &self.title,
            &self.description,
            &self.date,
            &self.medium,
            &self.dimensions,
            &self.institution,
            &self.credit_line,
            &self.accession_number,
            &self.source,
            &self.permission,
            &self.wikidata,
            &self.license,
            &self.wikitext,
        ]
    }
}

/// The sheet and what a person should know before uploading it.
#[derive(Debug, Default)]
pub struct Sheet {
    pub rows: Vec<Row>,
    /// Items with at least one image.
    pub items: usize,
    /// Rows whose image is a Commons file already.
    pub on_commons: usize,
    /// New files without a licence template.
    pub without_license: usize,
    /// New files whose URL names no image format: their `name` has no extension, which
    /// Pattypan refuses for an upload from a URL.
    pub without_extension: usize,
}

impl Sheet {
    /// The sheet as CSV (UTF-8, a header row, RFC 4180 quoting).
    pub fn to_csv(&self) -> Result<String, Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(COLUMNS)?;
        for row in &self.rows {
            writer.write_record(row.values())?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| Error::Csv(e.into_error().into()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The upload sheet of `dataset`'s images; refused when the dataset has none.
pub fn export(store: &Store, dataset: &str) -> Result<Sheet, Error> {
    let items = artwork::read(store, dataset)?;
    let mut sheet = Sheet::default();
    for item in &items {
        let images: Vec<&String> = item
            .images
            .iter()
            .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            .collect();
        if images.is_empty() {
            continue;
        }
        sheet.items += 1;
        for (i, url) in images.iter().enumerate() {
            let row = row(item, url, i);
            if !row.already_on_commons.is_empty() {
                sheet.on_commons += 1;
            } else {
                if row.license.is_empty() {
                    sheet.without_license += 1;
                }
                if image_format(url).is_none() {
                    sheet.without_extension += 1;
                }
            }
            sheet.rows.push(row);
        }
    }
    if sheet.rows.is_empty() {
        return Err(Error::NoImages {
            dataset: dataset.to_owned(),
        });
    }
    Ok(sheet)
}

/// The row of the `index`-th image (from 0) of `item`.
fn row(item: &Artwork, url: &str, index: usize) -> Row {
    use wikitext::escape;
    let existing = commons_file(url);
    let plain_title = item.title("fr").unwrap_or(&item.iri);
    let creators: Vec<&str> = item
        .creators
        .iter()
        .filter_map(|c| c.name.as_deref())
        .collect();
    let keeper = item.keeper.as_ref().and_then(|k| k.name.as_deref());
    let name = match &existing {
        Some(file) => file.clone(),
        None => wikitext::file_title(
            &[
                plain_title,
                &creators.join(", "),
                keeper.unwrap_or(""),
                item.identifier.as_deref().unwrap_or(""),
            ],
            &if index == 0 {
                String::new()
            } else {
                format!(" ({})", index + 1)
            },
            image_format(url).map(|(e, _)| e),
        ),
    };
    let new = existing.is_none();
    let mut row = Row {
        path: url.to_owned(),
        name,
        already_on_commons: existing.unwrap_or_default(),
        artist: item
            .creators
            .iter()
            .filter_map(|c| match (&c.wikidata, &c.name) {
                (Some(q), _) => Some(format!("{{{{Creator|Wikidata={q}}}}}")),
                (None, Some(name)) => Some(escape(name)),
                (None, None) => None,
            })
            .collect::<Vec<_>>()
            .join(" "),
        title: item
            .titles
            .iter()
            .map(|(t, l)| wikitext::in_language(t, l.as_deref()))
            .collect::<Vec<_>>()
            .join(" "),
        description: item
            .descriptions
            .iter()
            .map(|(t, l)| wikitext::in_language(t, l.as_deref()))
            .collect::<Vec<_>>()
            .join(" "),
        date: item.date.as_deref().map(escape).unwrap_or_default(),
        medium: escape(&item.media.join(", ")),
        dimensions: size(item),
        institution: item
            .keeper
            .as_ref()
            .and_then(|k| match (&k.wikidata, &k.name) {
                (Some(q), _) => Some(format!("{{{{Institution|wikidata={q}}}}}")),
                (None, Some(name)) => Some(escape(name)),
                (None, None) => None,
            })
            .unwrap_or_default(),
        credit_line: item.rights.as_deref().map(escape).unwrap_or_default(),
        accession_number: item.identifier.as_deref().map(escape).unwrap_or_default(),
        source: escape(&item.iri),
        wikidata: item.wikidata().unwrap_or_default().to_owned(),
        ..Row::default()
    };
    if new {
        row.permission = item.license.as_deref().map(escape).unwrap_or_default();
        row.license = item
            .license
            .as_deref()
            .and_then(license_template)
            .unwrap_or_default();
    }
    row.wikitext = artwork_template(&row);
    row
}

/// `{{Size|unit=cm|height=75|width=68}}`, in the unit the measurements share, else in
/// centimetres.
fn size(item: &Artwork) -> String {
    let measured: Vec<(&str, &artwork::Dimension)> = [
        ("height", DimensionKind::Height),
        ("width", DimensionKind::Width),
        ("depth", DimensionKind::Depth),
    ]
    .into_iter()
    .filter_map(|(name, kind)| Some((name, item.dimension(kind)?)))
    .collect();
    let Some((_, first)) = measured.first() else {
        return String::new();
    };
    let same = measured.iter().all(|(_, d)| d.unit == first.unit);
    let unit = if same { first.unit.symbol() } else { "cm" };
    let mut out = format!("{{{{Size|unit={unit}");
    for (name, d) in &measured {
        let value = if same {
            d.amount()
        } else {
            artwork::amount(d.centimetres())
        };
        out.push_str(&format!("|{name}={value}"));
    }
    out.push_str("}}");
    out
}

/// The Commons licence template of a Creative Commons licence IRI (`{{Cc-by-sa-4.0}}`,
/// `{{Cc-zero}}`); `None` for any other licence.
fn license_template(license: &str) -> Option<String> {
    let bare = license
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    if bare == "creativecommons.org/publicdomain/zero/1.0" {
        return Some("{{Cc-zero}}".into());
    }
    let (kind, version) = bare
        .strip_prefix("creativecommons.org/licenses/")?
        .split_once('/')?;
    let known = ["by", "by-sa"].contains(&kind)
        && !version.is_empty()
        && version.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    known.then(|| format!("{{{{Cc-{kind}-{version}}}}}"))
}

/// The `{{Artwork}}` template of a row, its values already wikitext.
fn artwork_template(row: &Row) -> String {
    let mut out = String::from("{{Artwork\n");
    for (parameter, value) in [
        ("artist", &row.artist),
        ("title", &row.title),
        ("description", &row.description),
        ("date", &row.date),
        ("medium", &row.medium),
        ("dimensions", &row.dimensions),
        ("institution", &row.institution),
        ("credit line", &row.credit_line),
        ("accession number", &row.accession_number),
        ("source", &row.source),
        ("permission", &row.permission),
        ("wikidata", &row.wikidata),
    ] {
        if parameter == "wikidata" && value.is_empty() {
            continue;
        }
        out.push_str(&format!(" |{parameter} = {value}\n"));
    }
    out.push_str("}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reuse::artwork::{Agent, Dimension, Unit};

    #[test]
    fn licence_templates_are_named_only_for_creative_commons() {
        assert_eq!(
            license_template("https://creativecommons.org/licenses/by-sa/4.0/").as_deref(),
            Some("{{Cc-by-sa-4.0}}")
        );
        assert_eq!(
            license_template("http://creativecommons.org/publicdomain/zero/1.0/").as_deref(),
            Some("{{Cc-zero}}")
        );
        assert_eq!(
            license_template("https://creativecommons.org/licenses/by-nc/4.0/"),
            None
        );
        assert_eq!(
            license_template("https://www.etalab.gouv.fr/licence-ouverte-open-licence"),
            None
        );
    }

    #[test]
    fn a_new_image_gets_a_name_a_licence_and_a_template() {
        let item = Artwork {
            iri: "https://data.example.org/id/x/1".into(),
            titles: vec![("La Seine | au {{soir}}".into(), Some("fr".into()))],
            creators: vec![Agent {
                name: Some("MONET Claude".into()),
                wikidata: Some("Q296".into()),
                ..Agent::default()
            }],
            keeper: Some(Agent {
                name: Some("Musée d'Orsay".into()),
                ..Agent::default()
            }),
            identifier: Some("RF 1".into()),
            dimensions: vec![
                Dimension {
                    kind: DimensionKind::Height,
                    value: 1.0,
                    unit: Unit::Metre,
                },
                Dimension {
                    kind: DimensionKind::Width,
                    value: 81.5,
                    unit: Unit::Centimetre,
                },
            ],
            license: Some("https://creativecommons.org/licenses/by/4.0/".into()),
            ..Artwork::default()
        };
        let row = row(&item, "https://example.org/img/seine.PNG", 1);
        assert_eq!(
            row.name,
            "La Seine - au -soir- - MONET Claude - Musée d'Orsay - RF 1 (2).png"
        );
        assert_eq!(row.already_on_commons, "");
        assert_eq!(row.artist, "{{Creator|Wikidata=Q296}}");
        assert_eq!(
            row.title,
            "{{fr|1=La Seine &#124; au &#123;&#123;soir&#125;&#125;}}"
        );
        assert_eq!(row.dimensions, "{{Size|unit=cm|height=100|width=81.5}}");
        assert_eq!(row.license, "{{Cc-by-4.0}}");
        assert!(
            row.wikitext
                .starts_with("{{Artwork\n |artist = {{Creator|Wikidata=Q296}}\n")
        );
        assert!(!row.wikitext.contains("|wikidata"), "{}", row.wikitext);
        assert!(row.wikitext.ends_with("\n}}"));
    }
}
