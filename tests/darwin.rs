//! Darwin Core Archives and the natural-history profile: the demo herbarium published in full
//! (counts from the source files), one specimen in every layer, meta.xml deciding the layout (a
//! permuted, renamed, comma-separated copy gives the same graph), a `.zip` and its folder giving
//! the same graph, eml.xml filling the dataset, broken archives reported with file and record,
//! and `vitrine ingest` on a config naming a `.zip`.

use crate::profiles::{profiles, select};
use crate::util::{stderr, vitrine, write};
use oxigraph::model::{Dataset, Quad};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vitrine::mapping::{Executor, Mapping};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn demo_archive() -> PathBuf {
    repo("examples/demo/data/herbarium")
}

fn profile() -> PathBuf {
    repo("mappings/natural-history.yarrrml.yml")
}

/// The rows of a tab-separated archive file, by header name.
fn tsv(path: &Path) -> Vec<BTreeMap<String, String>> {
    crate::util::tsv(&std::fs::read_to_string(path).unwrap())
}

/// The profile run on `archive`: its quads and its record errors.
fn map(archive: &Path) -> (Vec<Quad>, Vec<String>) {
    let mapping = Mapping::from_path_with_sources(&profile(), &[archive.to_owned()]).unwrap();
    let mut quads = Vec::new();
    let mut errors = Vec::new();
    for item in Executor::new(&mapping, "https://data.example.org/")
        .run()
        .unwrap()
    {
        match item {
            Ok(record) => {
                quads.extend(record.quads().map(|q| q.into_owned()));
                errors.extend(record.errors.iter().map(ToString::to_string));
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    (quads, errors)
}

fn canonical(quads: Vec<Quad>) -> Dataset {
    let mut dataset: Dataset = quads.into_iter().collect();
    dataset.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    dataset
}

#[test]
fn the_demo_herbarium_is_published_in_full() {
    let p = profiles();
    let summary = &p.summaries["herbarium"];
    let occurrences = tsv(&demo_archive().join("occurrence.txt"));
    let media = tsv(&demo_archive().join("multimedia.txt"));
    assert_eq!(occurrences.len(), 300);
    assert_eq!(
        summary.records_read,
        (occurrences.len() + media.len()) as u64,
        "every core and extension row is a record"
    );
    assert_eq!(
        summary.records_published + summary.records_quarantined,
        summary.records_read
    );
    assert_eq!(summary.records_quarantined, 0, "{:?}", summary.errors);
    // The ED50 rows are published, each with its warning.
    let ed50 = occurrences
        .iter()
        .filter(|r| r["geodeticDatum"] == "ED50")
        .count();
    assert!(ed50 > 0);
    let validation = summary.validation.as_ref().unwrap();
    assert_eq!(validation.violations, 0);
    assert!(validation.warnings >= ed50, "{validation:?}");

    let count = |query: &str| -> usize { select(&p.store, query)[0]["n"].parse().unwrap() };
    assert_eq!(
        count(
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH <https://data.example.org/graph/herbarium> { \
             ?s a <http://www.cidoc-crm.org/cidoc-crm/E20_Biological_Object> } }"
        ),
        occurrences.len()
    );
    assert_eq!(
        count(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://xmlns.com/foaf/0.1/depiction> ?i ; \
             <http://rs.tdwg.org/dwc/terms/catalogNumber> ?c }"
        ),
        media.len()
    );
    assert_eq!(
        count(
            "SELECT (COUNT(*) AS ?n) WHERE { ?p a <http://www.cidoc-crm.org/cidoc-crm/E53_Place> ; \
             <http://rs.tdwg.org/dwc/terms/geodeticDatum> 'ED50' ; \
             <http://rs.tdwg.org/dwc/terms/decimalLatitude> ?lat \
             FILTER NOT EXISTS { ?p <http://www.cidoc-crm.org/cidoc-crm/P168_place_is_defined_by> ?w } }"
        ),
        ed50,
        "ED50 places keep their coordinates, without a point"
    );
}

#[test]
fn a_specimen_in_every_layer() {
    let p = profiles();
    let ask = |body: &str| {
        crate::util::ask(
            &p.store,
            &format!(
                "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
                 PREFIX crmsci: <http://www.cidoc-crm.org/extensions/crmsci/>
                 PREFIX dcterms: <http://purl.org/dc/terms/>
                 PREFIX dwc: <http://rs.tdwg.org/dwc/terms/>
                 PREFIX dwciri: <http://rs.tdwg.org/dwc/iri/>
                 PREFIX foaf: <http://xmlns.com/foaf/0.1/>
                 PREFIX geo: <http://www.opengis.net/ont/geosparql#>
                 PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
                 BASE <https://data.example.org/>
                 ASK {{ {body} }}"
            ),
        )
    };
    let checks = [
        // Dublin Core, as every item.
        "<id/herbarium/8528> dcterms:title 'Scytosiphon lomentaria — 8528' ; dcterms:identifier '8528' ;
           dcterms:isPartOf <dataset/herbarium> ; dcterms:date '1959-07-09'^^xsd:date ;
           foaf:depiction <https://www.unimus.no/felles/bilder/web_hent_bilde.php?id=15398780&type=jpeg>",
        // Darwin Core, the misspelt basis of record read as the standard class.
        "<id/herbarium/8528> a dwc:PreservedSpecimen ; dwc:basisOfRecord 'PreservedSpecimen' ;
           dwc:scientificName 'Scytosiphon lomentaria' ; dwc:eventDate '1959-07-09' ;
           dwciri:recordedBy <id/agent/erik-jaasund> ; dwciri:toTaxon ?taxon .
         ?taxon dwc:scientificNameAuthorship '(Lyngbye) Link'",
        // CIDOC-CRM: catalogue number, collecting (who, when, where), identification, image.
        "<id/herbarium/8528> a crm:E20_Biological_Object ;
           crm:P1_is_identified_by [ a crm:E42_Identifier ; crm:P190_has_symbolic_content '8528' ] ;
           crm:P12i_was_present_at ?c ; crm:P41i_was_classified_by ?i ; crm:P138i_has_representation ?img .
         ?c a crmsci:S19_Encounter_Event ; crm:P14_carried_out_by <id/agent/erik-jaasund> ;
           crm:P4_has_time-span <id/period/1959-07-09> ;
           crm:P7_took_place_at/crm:P168_place_is_defined_by 'POINT(29.3151 70.7141)'^^geo:wktLiteral .
         <id/period/1959-07-09> crm:P82a_begin_of_the_begin '1959-07-09T00:00:00'^^xsd:dateTime .
         ?i crm:P42_assigned ?taxon ; crm:P14_carried_out_by <id/agent/erik-jaasund> .
         ?img a crm:E36_Visual_Item ; dcterms:license <http://creativecommons.org/licenses/by-sa/4.0/>",
        // Several collectors: one agent each, each with its own name.
        "?s dwc:recordedBy 'Svein Tore Ystheim, Inger-Marie Stellander, Odd Stellander' ;
           dwciri:recordedBy <id/agent/svein-tore-ystheim>, <id/agent/inger-marie-stellander>, <id/agent/odd-stellander> .
         <id/agent/odd-stellander> a crm:E21_Person ; <http://www.w3.org/2000/01/rdf-schema#label> 'Odd Stellander'",
        // Initials stay part of the name's key.
        "<id/agent/g-sjostedt> <http://www.w3.org/2000/01/rdf-schema#label> 'G. Sjöstedt'",
    ];
    for body in checks {
        assert!(ask(body), "{body}");
    }
    // Every agent has exactly one name.
    let rows = select(
        &p.store,
        "SELECT ?a (COUNT(DISTINCT ?l) AS ?n) WHERE { ?s <http://rs.tdwg.org/dwc/iri/recordedBy> ?a . \
         ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l } GROUP BY ?a HAVING (COUNT(DISTINCT ?l) != 1)",
    );
    assert!(rows.is_empty(), "{rows:?}");
}

/// A copy of the demo archive whose core file has its columns permuted and renamed, is
/// comma-separated with quotes, and whose meta.xml says so.
fn reordered_copy(dir: &Path) -> PathBuf {
    let source = demo_archive();
    let out = dir.join("reordered");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(source.join("eml.xml"), out.join("eml.xml")).unwrap();
    std::fs::copy(source.join("multimedia.txt"), out.join("media.tsv")).unwrap();
    let text = std::fs::read_to_string(source.join("occurrence.txt")).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let width = rows[0].len();
    // New position of old column i: reversed, so the id ends up last.
    let order: Vec<usize> = (0..width).rev().collect();
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_path(out.join("specimens.csv"))
        .unwrap();
    writer
        .write_record((0..width).map(|i| format!("column {i}")))
        .unwrap();
    for row in &rows[1..] {
        writer.write_record(order.iter().map(|&i| row[i])).unwrap();
    }
    writer.flush().unwrap();
    // meta.xml: the same terms at their new indexes.
    let meta = std::fs::read_to_string(source.join("meta.xml")).unwrap();
    let field = regex::Regex::new(r#"<field index="(\d+)" term="([^"]+)"/>"#).unwrap();
    let core_end = meta.find("</core>").unwrap();
    let (core, rest) = meta.split_at(core_end);
    let core = field.replace_all(core, |c: &regex::Captures<'_>| {
        let old: usize = c[1].parse().unwrap();
        let new = order.iter().position(|&i| i == old).unwrap();
        format!(r#"<field index="{new}" term="{}"/>"#, &c[2])
    });
    let core = core
        .replace(
            r#"<id index="0" />"#,
            &format!(r#"<id index="{}" />"#, width - 1),
        )
        .replace(
            "<location>occurrence.txt</location>",
            "<location>specimens.csv</location>",
        )
        .replacen(
            r#"fieldsTerminatedBy="\t" linesTerminatedBy="\n" fieldsEnclosedBy="""#,
            r#"fieldsTerminatedBy="," linesTerminatedBy="\n" fieldsEnclosedBy='"'"#,
            1,
        );
    let rest = rest.replace(
        "<location>multimedia.txt</location>",
        "<location>media.tsv</location>",
    );
    // A term meta.xml gives with a default and no column: the same value on every row.
    let core = core.replace(
        "</files>",
        "</files>\n    <field term=\"http://rs.tdwg.org/dwc/terms/countryCode\" default=\"NO\"/>",
    );
    write(&out.join("meta.xml"), &format!("{core}{rest}"));
    out
}

#[test]
fn meta_xml_decides_the_layout_not_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let copy = reordered_copy(dir.path());
    let (original, errors) = map(&demo_archive());
    assert_eq!(errors, Vec::<String>::new());
    let (reordered, errors) = map(&copy);
    assert_eq!(errors, Vec::<String>::new());
    let country_code =
        oxigraph::model::NamedNode::new_unchecked("http://rs.tdwg.org/dwc/terms/countryCode");
    // The default gave every specimen its countryCode; without it the graphs are the same.
    let (defaults, reordered): (Vec<Quad>, Vec<Quad>) = reordered
        .into_iter()
        .partition(|q| q.predicate == country_code);
    assert_eq!(defaults.len(), 300);
    assert!(defaults.iter().all(|q| q.object.to_string() == "\"NO\""));
    assert_eq!(original.len(), reordered.len());
    assert!(
        canonical(original) == canonical(reordered),
        "the graphs differ"
    );
}

#[test]
fn a_zip_and_its_folder_give_the_same_graph() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("herbarium.zip");
    let status = std::process::Command::new("zip")
        .arg("-q")
        .arg("-j")
        .arg(&zip)
        .args(
            ["meta.xml", "eml.xml", "occurrence.txt", "multimedia.txt"]
                .map(|f| demo_archive().join(f)),
        )
        .status();
    let zip = match status {
        Ok(s) if s.success() => zip,
        // No `zip` tool: the bundled deflated copy of the same archive.
        _ => repo("tests/data/dwca/herbarium.zip"),
    };
    let (folder, errors) = map(&demo_archive());
    assert!(errors.is_empty());
    let (zipped, errors) = map(&zip);
    assert_eq!(errors, Vec::<String>::new());
    assert!(!zipped.is_empty());
    assert!(canonical(folder) == canonical(zipped));
    let bundled = map(&repo("tests/data/dwca/herbarium.zip")).0;
    assert!(canonical(bundled) == canonical(map(&demo_archive()).0));
}

#[test]
fn broken_archives_name_the_file_and_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let open = |archive: &Path| -> String {
        let mapping = Mapping::from_path_with_sources(&profile(), &[archive.to_owned()]).unwrap();
        match Executor::new(&mapping, "https://data.example.org/").run() {
            Ok(_) => String::new(),
            Err(e) => e.to_string(),
        }
    };
    // No meta.xml: not an archive at all.
    let empty = dir.path().join("empty.zip");
    std::fs::write(&empty, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").unwrap();
    let err = open(&empty);
    assert!(
        err.contains("empty.zip is not a Darwin Core Archive: it has no meta.xml"),
        "{err}"
    );

    // meta.xml names a core file the archive does not have.
    let missing = dir.path().join("missing");
    for f in ["meta.xml", "multimedia.txt"] {
        std::fs::create_dir_all(&missing).unwrap();
        std::fs::copy(demo_archive().join(f), missing.join(f)).unwrap();
    }
    let err = open(&missing);
    assert!(
        err.contains("occurrence.txt: the file meta.xml names (occurrence.txt) is missing"),
        "{err}"
    );

    // A row shorter than the columns meta.xml describes: a record error with its number.
    let short = dir.path().join("short");
    for f in ["meta.xml", "multimedia.txt"] {
        std::fs::create_dir_all(&short).unwrap();
        std::fs::copy(demo_archive().join(f), short.join(f)).unwrap();
    }
    let text = std::fs::read_to_string(demo_archive().join("occurrence.txt")).unwrap();
    let mut lines: Vec<String> = text.lines().take(4).map(str::to_owned).collect();
    lines[2] = lines[2].split('\t').take(20).collect::<Vec<_>>().join("\t");
    write(&short.join("occurrence.txt"), &(lines.join("\n") + "\n"));
    let (quads, errors) = map(&short);
    assert!(!quads.is_empty());
    let core_errors: Vec<&String> = errors
        .iter()
        .filter(|e| e.contains("occurrence.txt"))
        .collect();
    assert_eq!(core_errors.len(), 1, "{errors:?}");
    assert!(
        core_errors[0].contains("short/occurrence.txt record 2")
            && core_errors[0]
                .contains("the row has 20 fields, but meta.xml puts a term at column index 43"),
        "{}",
        core_errors[0]
    );

    // A reference that is no Darwin Core term.
    let typo = dir.path().join("typo.yml");
    write(
        &typo,
        "prefixes: {ex: http://example.org/}\nsources:\n  occ: {access: meta.xml, referenceFormulation: dwca}\n\
         mappings:\n  s:\n    sources: occ\n    s: ex:$(catalogNumber)\n    po: [[ex:name, $(scientificNam)]]\n",
    );
    let mapping = Mapping::from_path_with_sources(&typo, &[demo_archive()]).unwrap();
    let err = Executor::new(&mapping, "https://data.example.org/")
        .run()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("`scientificNam` is not a Darwin Core term") && err.contains("occurrence.txt"),
        "{err}"
    );
    // A Darwin Core term the export lacks is no error: it has no value.
    write(
        &typo,
        &std::fs::read_to_string(&typo)
            .unwrap()
            .replace("scientificNam)", "taxonID)"),
    );
    let mapping = Mapping::from_path_with_sources(&typo, &[demo_archive()]).unwrap();
    assert!(
        Executor::new(&mapping, "https://data.example.org/")
            .run()
            .is_ok()
    );
}

#[test]
fn eml_fills_what_the_config_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("vitrine.toml");
    write(
        &config,
        &format!(
            "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
             [[datasets]]\nid = \"herbarium\"\nmapping = \"{}\"\nsources = [\"{}\"]\n",
            profile().display(),
            demo_archive().display()
        ),
    );
    let config = vitrine::config::Config::load(&config).unwrap();
    let d = &config.datasets[0];
    assert_eq!(
        d.title.en.as_deref(),
        Some("Algae herbarium TROM, The Arctic University Museum of Norway")
    );
    assert!(
        d.description
            .en
            .as_deref()
            .unwrap()
            .starts_with("The Algae herbarium TROM")
    );
    assert_eq!(
        d.license.as_str(),
        "https://creativecommons.org/licenses/by/4.0/"
    );
}

#[test]
fn vitrine_ingest_reads_a_zip_named_in_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let zip = repo("tests/data/dwca/herbarium.zip");
    std::fs::copy(&zip, dir.path().join("herbarium.zip")).unwrap();
    write(
        &dir.path().join("vitrine.toml"),
        &format!(
            "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"M\"\n[store]\npath = \"store\"\n\
             [[datasets]]\nid = \"herbarium\"\nmapping = \"{}\"\nsources = [\"herbarium.zip\"]\nshapes = [\"{}\", \"{}\"]\n",
            profile().display(),
            repo("shapes/natural-history.shapes.ttl").display(),
            repo("shapes/agents.shapes.ttl").display()
        ),
    );
    let out = vitrine(dir.path(), &["ingest", "--config", "vitrine.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(
        text.contains("601 records read, 601 published, 0 quarantined"),
        "{text}"
    );
    let out = vitrine(
        dir.path(),
        &[
            "query",
            "--config",
            "vitrine.toml",
            "SELECT ?t WHERE { <https://data.example.org/id/herbarium/8528> <http://purl.org/dc/terms/title> ?t }",
        ],
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Scytosiphon lomentaria — 8528"),
        "{}",
        stderr(&out)
    );
}
