//! The research questions in `queries/`: each has a title and a description, parses, and —
//! unless it is federated — gives on the demo the answer the source files say it should.

use crate::profiles::{Profiles, profiles, select};
use crate::util::tsv;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Rows = Vec<BTreeMap<String, String>>;

struct Query {
    file: String,
    text: String,
    federated: bool,
}

fn queries() -> Vec<Query> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut out: Vec<Query> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let federated = text.lines().any(|l| l.trim() == "# federated: true");
            Query {
                file: p.file_name().unwrap().to_string_lossy().into_owned(),
                text,
                federated,
            }
        })
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

#[test]
fn every_query_is_documented_and_parses() {
    let all = queries();
    assert!(all.len() >= 12, "{}", all.len());
    for q in &all {
        for key in ["# title: ", "# description: "] {
            assert!(
                q.text
                    .lines()
                    .any(|l| l.starts_with(key) && l.len() > key.len() + 10),
                "{} lacks a `{key}` line",
                q.file
            );
        }
        let _parsed = oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(&q.text)
            .unwrap_or_else(|e| panic!("{}: {e}", q.file));
    }
    let federated: Vec<_> = all.iter().filter(|q| q.federated).collect();
    assert_eq!(federated.len(), 1);
    assert!(federated[0].text.contains("SERVICE <"));
}

/// The query page offers every research question of `queries/` (they are compiled in).
#[test]
fn the_query_page_offers_every_query() {
    let page = crate::util::send(
        vitrine::server::app(crate::util::demo().state()),
        axum::http::Request::get("/sparql")
            .header(axum::http::header::ACCEPT, "text/html")
            .body(axum::body::Body::empty())
            .unwrap(),
    );
    for q in queries() {
        let title = q
            .text
            .lines()
            .find_map(|l| l.strip_prefix("# title: "))
            .unwrap();
        let escaped = title.replace('\'', "&#x27;").replace('"', "&quot;");
        assert!(
            page.body.contains(title) || page.body.contains(&escaped),
            "{}: {title}",
            q.file
        );
    }
}

/// What the answer to each query must be, computed from the source files where it can be.
fn check(file: &str, rows: &Rows, p: &Profiles) {
    let joconde = p.csv("joconde.csv");
    let events = p.csv("events.csv");
    let column = |name: &str| -> Vec<&str> { rows.iter().map(|r| r[name].as_str()).collect() };
    let year = |s: &str| s.parse::<i32>().ok();
    match file {
        "01-works-by-artist-over-a-period.rq" => {
            let expected = joconde
                .iter()
                .filter(|r| r["Auteurs"] == "MOREAU Gustave")
                .filter(|r| year(&r["anneecreation"]).is_some_and(|y| (1870..=1879).contains(&y)))
                .count();
            assert!(expected > 10);
            assert_eq!(rows.len(), expected);
        }
        "02-acquisitions-per-decade-and-mode.rq" => {
            let expected = joconde
                .iter()
                .filter(|r| r["Mode_acquisition"] == "legs")
                .filter(|r| {
                    year(&r["Date_acquisition"]).is_some_and(|y| (1890..=1899).contains(&y))
                })
                .count();
            let row = rows
                .iter()
                .find(|r| r["decade"] == "1890" && r["mode"] == "legs")
                .expect("bequests of the 1890s");
            assert_eq!(row["works"], expected.to_string());
        }
        "03-objects-per-material.rq" => {
            let wood = joconde.iter().filter(|r| r["support"] == "bois").count();
            assert_eq!(
                (rows[0]["material"].as_str(), rows[0]["objects"].clone()),
                ("bois", wood.to_string())
            );
        }
        "04-artists-born-in-a-place.rq" => {
            let expected: BTreeSet<&str> = joconde
                .iter()
                .filter(|r| r["lieunaissance"] == "Lyon")
                .map(|r| r["Auteurs"].as_str())
                .collect();
            assert_eq!(
                column("name").into_iter().collect::<BTreeSet<_>>(),
                expected
            );
            assert!(
                rows.iter()
                    .any(|r| r["name"] == "ANDRE Albert" && r["born"] == "1869-05-24")
            );
        }
        "05-books-by-language.rq" => {
            let xml = p.data("bnf-bo.xml");
            let french = xml
                .split("<srw:record>")
                .filter(|r| r.contains("<dc:language>fre</dc:language>"))
                .count();
            assert_eq!(
                rows[0]["language"],
                "http://id.loc.gov/vocabulary/iso639-2/fre"
            );
            assert_eq!(rows[0]["documents"], french.to_string());
            assert!(rows.iter().any(|r| r["language"].ends_with("/ara")));
        }
        "06-works-with-an-image-and-no-date.rq" => {
            let expected = joconde
                .iter()
                .filter(|r| !r["image"].is_empty() && r["anneecreation"].is_empty())
                .count();
            assert!(expected > 0);
            assert_eq!(rows.len(), expected);
        }
        "07-links-to-wikidata.rq" => {
            let re = regex::Regex::new(r"^Q[1-9]\d*$").unwrap();
            let expected: BTreeSet<String> = events
                .iter()
                .filter(|r| re.is_match(&r["author_wikidata"]))
                .map(|r| r["work_author"].split(" (").next().unwrap().to_owned())
                .collect();
            let names: BTreeSet<String> = column("name").into_iter().map(str::to_owned).collect();
            assert_eq!(names, expected);
            assert!(
                !names.iter().any(|n| n.starts_with("Debussy")),
                "Q47OO is refused"
            );
        }
        "08-agents-in-two-datasets.rq" => {
            // Corm and Gautier across the library, museum and season; and the performers of
            // the season who also wrote dossiers (both sheets name them "Name, First").
            let performers: BTreeSet<String> = p
                .csv("participations.csv")
                .into_iter()
                .map(|r| r["agent"].clone())
                .collect();
            let mut expected: BTreeSet<String> = p
                .csv("dossiers.csv")
                .iter()
                .filter(|d| performers.contains(&d["author"]))
                .map(|d| {
                    let (last, first) = d["author"].split_once(", ").unwrap();
                    format!(
                        "https://data.example.org/id/agent/{}-{}",
                        last.to_lowercase(),
                        first.to_lowercase()
                    )
                })
                .collect();
            assert_eq!(expected.len(), 3, "{expected:?}");
            expected.insert("https://data.example.org/id/agent/corm-charles".into());
            expected.insert("https://data.example.org/id/agent/gautier-theophile".into());
            let got: BTreeSet<String> = column("agent").into_iter().map(str::to_owned).collect();
            assert_eq!(got, expected);
        }
        "09-library-authors-performed-on-stage.rq" => {
            assert_eq!(rows.len(), 1);
            assert_eq!(
                rows[0]["agent"],
                "https://data.example.org/id/agent/corm-charles"
            );
            assert_eq!(rows[0]["event"], "https://data.example.org/id/events/E06");
            assert!(rows[0]["documentTitle"].starts_with("La Montagne inspirée"));
        }
        "10-painters-whose-texts-are-performed.rq" => {
            let paintings = joconde
                .iter()
                .filter(|r| r["Auteurs"] == "GAUTIER Théophile")
                .count();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0]["paintings"], paintings.to_string());
            assert_eq!(rows[0]["events"], "Lecture : Émaux et Camées");
        }
        "11-works-performed-by-author.rq" => {
            let expected: Vec<String> = events
                .iter()
                .filter(|r| r["author_wikidata"] == "Q687")
                .map(|r| format!("https://data.example.org/id/events/{}", r["id"]))
                .collect();
            assert_eq!(expected.len(), 4);
            assert_eq!(column("event"), expected);
        }
        "12-roles-of-a-performer.rq" => {
            let parts = p.csv("participations.csv");
            let expected = parts
                .iter()
                .filter(|r| r["agent"] == "Benali, Karim")
                .count();
            assert_eq!(rows.len(), expected);
            assert_eq!(rows[0]["role"], "comédien (Alceste)");
        }
        "13-events-per-venue-and-type.rq" => {
            let total: usize = rows
                .iter()
                .map(|r| r["events"].parse::<usize>().unwrap())
                .sum();
            assert_eq!(total, events.len());
            let plays = events
                .iter()
                .filter(|r| {
                    r["venue"] == "Théâtre municipal - grande salle" && r["type"] == "spectacle"
                })
                .count();
            assert!(
                rows.iter()
                    .any(|r| r["venue"] == "Théâtre municipal - grande salle"
                        && r["type"] == "spectacle"
                        && r["events"] == plays.to_string())
            );
        }
        "14-works-per-museum.rq" => {
            let mut per: BTreeMap<&str, usize> = BTreeMap::new();
            for r in &joconde {
                *per.entry(r["Identifiant_Museofile"].as_str()).or_default() += 1;
            }
            let (top, n) = per.iter().max_by_key(|(_, n)| **n).unwrap();
            assert_eq!(
                (rows[0]["museofile"].as_str(), rows[0]["works"].clone()),
                (*top, n.to_string())
            );
            assert_eq!(rows[0]["city"], "Paris");
        }
        "16-specimens-per-collector.rq" => {
            let mut per: BTreeMap<String, usize> = BTreeMap::new();
            for r in herbarium(p) {
                for name in names(&r["recordedBy"]) {
                    *per.entry(name).or_default() += 1;
                }
            }
            let got: BTreeMap<String, usize> = rows
                .iter()
                .map(|r| (r["name"].clone(), r["specimens"].parse().unwrap()))
                .collect();
            assert_eq!(got, per);
            assert_eq!(rows[0]["name"], "Erik Jaasund");
            assert_eq!(
                rows[0]["collector"],
                "https://data.example.org/id/agent/erik-jaasund"
            );
        }
        "17-specimens-per-decade.rq" => {
            let mut per: BTreeMap<String, usize> = BTreeMap::new();
            for r in herbarium(p) {
                if let Some(y) = year(&r["year"]) {
                    *per.entry((y / 10 * 10).to_string()).or_default() += 1;
                }
            }
            let got: BTreeMap<String, usize> = rows
                .iter()
                .map(|r| (r["decade"].clone(), r["specimens"].parse().unwrap()))
                .collect();
            assert_eq!(got, per);
        }
        "18-specimens-per-taxon.rq" => {
            let mut per: BTreeMap<(String, String), usize> = BTreeMap::new();
            for r in herbarium(p) {
                let rank = match r["taxonRank"].as_str() {
                    "" => "species".to_owned(),
                    rank => rank.to_owned(),
                };
                *per.entry((r["scientificName"].clone(), rank)).or_default() += 1;
            }
            let got: BTreeMap<(String, String), usize> = rows
                .iter()
                .map(|r| {
                    (
                        (r["name"].clone(), r["rank"].clone()),
                        r["specimens"].parse().unwrap(),
                    )
                })
                .collect();
            assert_eq!(got, per);
        }
        "19-specimens-with-an-image-and-no-coordinates.rq" => {
            let media: BTreeSet<String> = tsv(&p.data("herbarium/multimedia.txt"))
                .into_iter()
                .map(|r| r["id"].clone())
                .collect();
            let expected = herbarium(p)
                .iter()
                .filter(|r| media.contains(&r["id"]) && r["decimalLatitude"].is_empty())
                .count();
            assert_eq!(rows[0]["specimens"], expected.to_string());
        }
        "20-specimens-in-another-datum.rq" => {
            let expected: BTreeSet<(String, String)> = herbarium(p)
                .into_iter()
                .filter(|r| !r["geodeticDatum"].is_empty() && r["geodeticDatum"] != "WGS84")
                .map(|r| {
                    (
                        format!(
                            "https://data.example.org/id/herbarium/{}",
                            r["catalogNumber"]
                        ),
                        r["geodeticDatum"].clone(),
                    )
                })
                .collect();
            assert!(expected.len() >= 5);
            let got: BTreeSet<(String, String)> = rows
                .iter()
                .map(|r| (r["specimen"].clone(), r["datum"].clone()))
                .collect();
            assert_eq!(got, expected);
            for r in rows {
                // ED50 places have no point; the others have theirs, in WGS84 axis order.
                let point = r.get("point").filter(|p| !p.is_empty());
                if r["datum"] == "ED50" {
                    assert_eq!(point, None, "{r:?}");
                } else {
                    let expected = format!("POINT({} {})", r["longitude"], r["latitude"]);
                    assert_eq!(point, Some(&expected), "{r:?}");
                }
            }
        }
        "21-dossiers-on-19th-century-painting-for-a-level.rq" => {
            // From the sources: the dossiers for the collège level, and the Joconde works they
            // refer to whose creation year is in the 19th century.
            let years: BTreeMap<String, i32> = joconde
                .iter()
                .filter_map(|r| {
                    Some((
                        format!("id/joconde/{}", r["Référence"]),
                        year(&r["anneecreation"])?,
                    ))
                })
                .collect();
            let mut expected: BTreeSet<(String, String)> = BTreeSet::new();
            for d in p.csv("dossiers.csv") {
                if !d["audience"].split('|').any(|a| a == "college") {
                    continue;
                }
                for work in d["refers_to"].split('|') {
                    if years.get(work).is_some_and(|y| (1800..=1899).contains(y)) {
                        expected.insert((
                            format!("https://data.example.org/id/documents/{}", d["id"]),
                            format!("https://data.example.org/{work}"),
                        ));
                    }
                }
            }
            let got: BTreeSet<(String, String)> = rows
                .iter()
                .map(|r| (r["dossier"].clone(), r["work"].clone()))
                .collect();
            assert!(expected.len() >= 6, "{expected:?}");
            assert_eq!(got, expected);
            // The catalogue of the Courbet exhibition is not for the collège level.
            assert!(!column("dossier").iter().any(|d| d.ends_with("/D03")));
        }
        other => panic!("{other}: no expected answer written for this query"),
    }
}

/// The demo herbarium's occurrences, by their header names (which are the terms' local names).
fn herbarium(p: &Profiles) -> Rows {
    tsv(&p.data("herbarium/occurrence.txt"))
}

/// The people a `recordedBy` lists: this export separates them with commas.
fn names(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn every_query_answers_on_the_demo() {
    let p = profiles();
    for q in queries().iter().filter(|q| !q.federated) {
        let rows = select(&p.store, &q.text);
        assert!(!rows.is_empty(), "{} gives no answer", q.file);
        check(&q.file, &rows, p);
    }
}
