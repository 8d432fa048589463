//! `vitrine export commons` through the binary: the demo's sheet read back with the csv crate
//! and checked row by row for known paintings, the escaping of a hostile record, and the
//! refusals.

use crate::util::{ingested_demo, stderr, vitrine, write};
use std::collections::HashMap;

/// A dataset of one record written to break wikitext and file names, with a new image under a
/// Creative Commons licence.
const HOSTILE: &str = r#"@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://data.example.org/id/hostile/1> dcterms:isPartOf <https://data.example.org/dataset/hostile> ;
  dcterms:title "Paysage | {{Delete}} [[Category:X]]\nsecond line ~~~~"@fr ;
  dcterms:creator <https://data.example.org/id/agent/hostile> ;
  dcterms:identifier "A/1#2" ;
  dcterms:date "1890" ;
  dcterms:license <https://creativecommons.org/licenses/by-sa/4.0/> ;
  foaf:depiction <https://example.org/images/paysage.PNG> .
<https://data.example.org/id/agent/hostile> rdfs:label "Jean <b>}}</b>" .
"#;

const HOSTILE_DATASET: &str = r#"
[[datasets]]
id = "hostile"
title = { fr = "Valeurs hostiles", en = "Hostile values" }
description = { fr = "Une notice écrite pour casser le wikitexte.", en = "One record written to break wikitext." }
license = "https://creativecommons.org/licenses/by-sa/4.0/"
sources = ["data/hostile.ttl"]
"#;

/// The sheet's rows as column → value maps, keyed by `source` (the item's URI); checks the
/// header on the way.
fn sheet(text: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, vitrine::reuse::commons::COLUMNS, "{text}");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn row<'a>(rows: &'a [HashMap<String, String>], item: &str) -> &'a HashMap<String, String> {
    let source = format!("https://data.example.org/id/{item}");
    rows.iter()
        .find(|r| r["source"] == source)
        .unwrap_or_else(|| panic!("no row for {source}"))
}

#[test]
fn the_sheet_has_a_row_per_image_with_its_artwork_template() {
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = ingested_demo(dir.path(), |config| {
        std::fs::create_dir_all(dir.path().join("pub/data")).unwrap();
        write(&dir.path().join("pub/data/hostile.ttl"), HOSTILE);
        config + HOSTILE_DATASET
    });
    let out = vitrine(
        &publisher,
        &["export", "commons", "joconde", "-o", "joconde.csv"],
    );
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{log}");
    let text = std::fs::read_to_string(publisher.join("joconde.csv")).unwrap();
    let rows = sheet(&text);
    assert_eq!(rows.len(), 321, "one row per image");
    assert!(
        log.contains("321 images of 321 items; 321 already on Commons"),
        "{log}"
    );

    // Marat: already on Commons, so kept under its file name, with nothing to license.
    let marat = row(&rows, "joconde/11040000343");
    let expected = [
        (
            "path",
            "http://commons.wikimedia.org/wiki/Special:FilePath/Jean-Paul%20Marat%20portre.jpg",
        ),
        ("name", "Jean-Paul Marat portre.jpg"),
        ("already_on_commons", "Jean-Paul Marat portre.jpg"),
        ("artist", "BOZE Joseph"),
        (
            "title",
            "{{fr|1=Portrait de Jean-Paul Marat (1743-1793), homme politique}}",
        ),
        ("description", ""),
        ("date", "1793"),
        ("medium", "peinture à l'huile"),
        ("dimensions", "{{Size|unit=cm|height=75|width=68}}"),
        ("institution", "musée Carnavalet – histoire de Paris"),
        (
            "credit_line",
            "Notice : Ministère de la Culture, base Joconde, Licence Ouverte 2.0 ; compléments : Wikidata, CC0.",
        ),
        ("accession_number", "11040000343"),
        ("source", "https://data.example.org/id/joconde/11040000343"),
        ("permission", ""),
        ("wikidata", ""),
        ("license", ""),
    ];
    for (column, value) in expected {
        assert_eq!(marat[column], value, "{column}");
    }
    assert_eq!(
        marat["wikitext"],
        "{{Artwork
 |artist = BOZE Joseph
 |title = {{fr|1=Portrait de Jean-Paul Marat (1743-1793), homme politique}}
 |description = 
 |date = 1793
 |medium = peinture à l'huile
 |dimensions = {{Size|unit=cm|height=75|width=68}}
 |institution = musée Carnavalet – histoire de Paris
 |credit line = Notice : Ministère de la Culture, base Joconde, Licence Ouverte 2.0 ; compléments : Wikidata, CC0.
 |accession number = 11040000343
 |source = https://data.example.org/id/joconde/11040000343
 |permission = 
}}"
    );
    // A painting without a known maker and a file name with accents.
    let parmigianino = row(&rows, "joconde/10500001865");
    assert_eq!(parmigianino["already_on_commons"], "Parmigianino 024.jpg");
    assert_eq!(parmigianino["artist"], "");
    assert_eq!(
        parmigianino["dimensions"],
        "{{Size|unit=cm|height=108|width=80}}"
    );
    assert_eq!(parmigianino["date"], "1524");

    // Gallica's scans are not on Commons: named from the record, without licence or extension
    // (the URLs name no format), and said so.
    let out = vitrine(&publisher, &["export", "commons", "gallica"]);
    let log = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{log}");
    let rows = sheet(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows.len(), 66);
    assert!(rows.iter().all(|r| r["already_on_commons"].is_empty()));
    assert!(
        log.contains("66 new images have no licence template"),
        "{log}"
    );
    assert!(
        log.contains("66 new images have URLs naming no image format"),
        "{log}"
    );
    let book = row(&rows, "gallica/bpt6k91057780");
    assert!(
        book["name"].starts_with("Beyrout et le Liban - relation d'un séjour"),
        "{}",
        book["name"]
    );
    assert!(
        book["name"].ends_with(" - ark-12148-bpt6k91057780"),
        "{}",
        book["name"]
    );
    assert_eq!(book["credit_line"], "domaine public");

    // Values that would break the page or the name are escaped.
    let out = vitrine(&publisher, &["export", "commons", "hostile"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = sheet(&String::from_utf8_lossy(&out.stdout));
    let hostile = row(&rows, "hostile/1");
    assert_eq!(
        hostile["title"],
        "{{fr|1=Paysage &#124; &#123;&#123;Delete&#125;&#125; &#91;&#91;Category:X&#93;&#93; \
         second line &#126;&#126;&#126;&#126;}}"
    );
    assert_eq!(hostile["artist"], "Jean &lt;b&gt;&#125;&#125;&lt;/b&gt;");
    assert_eq!(hostile["accession_number"], "A/1#2");
    assert_eq!(
        hostile["name"],
        "Paysage - -Delete- -Category-X- second line ~~ - Jean -b-b- - A-1-2.png"
    );
    assert_eq!(hostile["license"], "{{Cc-by-sa-4.0}}");
    assert_eq!(
        hostile["permission"],
        "https://creativecommons.org/licenses/by-sa/4.0/"
    );
    let wikitext = &hostile["wikitext"];
    let lines: Vec<&str> = wikitext.lines().collect();
    assert_eq!(lines.first(), Some(&"{{Artwork"));
    assert_eq!(lines.last(), Some(&"}}"));
    assert_eq!(lines.len(), 13, "{wikitext}");
    for line in &lines[1..lines.len() - 1] {
        let value = line.strip_prefix(" |").expect("one parameter per line");
        // The only pipe, brace or bracket left is the language template the export writes.
        let value = value.replacen("{{fr|1=", "", 1).replacen(
            "}}",
            "",
            usize::from(line.contains("{{fr|1=")),
        );
        assert!(
            !value.contains(['|', '{', '}', '[', ']', '<', '~']),
            "{line}"
        );
    }
}

#[test]
fn a_dataset_without_images_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = ingested_demo(dir.path(), |config| config);
    let out = vitrine(&publisher, &["export", "commons", "events"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("dataset `events` has no images"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    let out = vitrine(&publisher, &["export", "commons"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(
        "name the dataset to export (one of: joconde, gallica, events, herbarium, documents)"
    ));
    let out = vitrine(&publisher, &["export", "commons", "louvre"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no dataset `louvre`"),
        "{}",
        stderr(&out)
    );
}
