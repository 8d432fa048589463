//! The three bundled profiles (museum, library, performing arts) on the demo's three datasets:
//! records read and published, key paths on known records in both layers, agents shared across
//! datasets, checked identifiers, and that the shapes and their fixtures parse.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use vitrine::config::Config;
use vitrine::ingest::Summary;
use vitrine::store::Store;

/// The demo publisher with every dataset ingested into one store.
pub struct Profiles {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub summaries: BTreeMap<String, Summary>,
}

pub fn profiles() -> &'static Profiles {
    static PROFILES: OnceLock<Profiles> = OnceLock::new();
    PROFILES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let config_path = vitrine::scaffold::init(dir.path()).unwrap();
        let config = Config::load(&config_path).unwrap();
        let store = crate::util::open(&config);
        let summaries = config
            .datasets
            .iter()
            .map(|d| {
                let summary = vitrine::ingest::ingest(&config, &store, d, &|_| {})
                    .unwrap_or_else(|e| panic!("{}: {e}", d.id));
                (d.id.clone(), summary)
            })
            .collect();
        Profiles {
            dir,
            store,
            summaries,
        }
    })
}

impl Profiles {
    pub fn data(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("data").join(file)).unwrap()
    }

    pub fn csv(&self, file: &str) -> Vec<BTreeMap<String, String>> {
        let mut reader = csv::Reader::from_path(self.dir.path().join("data").join(file)).unwrap();
        let headers = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, v)| (h.to_owned(), v.to_owned()))
                    .collect()
            })
            .collect()
    }
}

/// The rows of a SELECT, each variable bound to its term's value (IRI or lexical form).
pub fn select(store: &Store, query: &str) -> Vec<BTreeMap<String, String>> {
    crate::util::select(store, query)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(v, t)| {
                    let value = match t {
                        Term::NamedNode(n) => n.as_str().to_owned(),
                        Term::Literal(l) => l.value().to_owned(),
                        Term::BlankNode(b) => b.to_string(),
                    };
                    (v, value)
                })
                .collect()
        })
        .collect()
}

const PREFIXES: &str = "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX vitrine: <https://w3id.org/vitrine#>
BASE <https://data.example.org/>
";

/// Whether the graph pattern `body` has a solution.
fn ask(body: &str) -> bool {
    let query = format!("{PREFIXES} ASK {{ {body} }}");
    crate::util::ask(&profiles().store, &query)
}

fn count(body: &str) -> usize {
    let rows = select(
        &profiles().store,
        &format!("{PREFIXES} SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}"),
    );
    rows[0]["n"].parse().unwrap()
}

fn all_published(id: &str) -> &'static Summary {
    let s = &profiles().summaries[id];
    assert_eq!(s.records_quarantined, 0, "{id}: {:?}", s.errors);
    assert_eq!(s.records_published, s.records_read);
    s
}

#[test]
fn museum_profile() {
    let p = profiles();
    let rows = p.csv("joconde.csv");
    let s = all_published("joconde");
    assert_eq!(s.records_read, rows.len() as u64);
    assert_eq!(count("?o a crm:E22_Human-Made_Object"), rows.len());
    let o = "<id/joconde/000PE000015>";
    // Dublin Core layer.
    assert!(ask(&format!(
        "{o} dcterms:title \"L'Escalier Daru, au Louvre\"@fr ; dcterms:identifier '000PE000015' ;
            dcterms:creator <id/agent/andre-albert> ; dcterms:medium \"peinture à l'huile\"@fr"
    )));
    // CIDOC-CRM: production by the artist, born in Lyon, within the year 1890.
    assert!(ask(&format!(
        "{o} crm:P108i_was_produced_by ?p . ?p crm:P14_carried_out_by <id/agent/andre-albert> ;
            crm:P4_has_time-span [ crm:P82a_begin_of_the_begin '1890-01-01T00:00:00'^^xsd:dateTime ;
                                   crm:P82b_end_of_the_end '1890-12-31T23:59:59'^^xsd:dateTime ] .
         <id/agent/andre-albert> a crm:E21_Person ;
            crm:P98i_was_born/crm:P7_took_place_at <id/place/Lyon>"
    )));
    // Acquisition: a gift of 1951 to the Louvre, whose Muséofile code is an E42.
    assert!(ask(&format!(
        "?a a crm:E8_Acquisition ; crm:P24_transferred_title_of {o} ;
            crm:P22_transferred_title_to <id/museum/M5031> ;
            crm:P2_has_type/rdfs:label 'don'@fr ;
            crm:P4_has_time-span/crm:P82a_begin_of_the_begin '1951-01-01T00:00:00'^^xsd:dateTime .
         {o} crm:P24i_changed_ownership_through ?a .
         <id/museum/M5031> crm:P1_is_identified_by/crm:P190_has_symbolic_content 'M5031'"
    )));
    // Dimensions parsed from the cells: 81 wide, 100 high, in centimetres.
    for (kind, value) in [("300055647", "81"), ("300055644", "100")] {
        assert!(ask(&format!(
            "{o} crm:P43_has_dimension [ crm:P2_has_type <http://vocab.getty.edu/aat/{kind}> ;
                crm:P90_has_value '{value}'^^xsd:decimal ;
                crm:P91_has_unit <http://vocab.getty.edu/aat/300379098> ]"
        )));
    }
    // One acquisition per work; modes only when the export knows them.
    assert_eq!(count("?a a crm:E8_Acquisition"), rows.len());
    let known_mode = rows
        .iter()
        .filter(|r| r["Mode_acquisition"] != "mode d'acquisition inconnu")
        .count();
    assert_eq!(
        count("?a a crm:E8_Acquisition ; crm:P2_has_type ?m"),
        known_mode
    );
}

#[test]
fn anonymous_makers_are_not_one_person() {
    let p = profiles();
    let rows = p.csv("joconde.csv");
    let anonymous: Vec<_> = rows.iter().filter(|r| r["Auteurs"] == "Anonyme").collect();
    assert_eq!(anonymous.len(), 18);
    for r in &anonymous {
        let o = format!("<id/joconde/{}>", r["Référence"]);
        assert!(ask(&format!("{o} crm:P108i_was_produced_by ?p")));
        assert!(!ask(&format!(
            "{{ {o} crm:P108i_was_produced_by/crm:P14_carried_out_by ?who }} UNION {{ {o} dcterms:creator ?who }}"
        )));
    }
    assert!(!ask("?p rdfs:label 'Anonyme'"));
    // Every other maker is one person, named as the export names them.
    let makers: HashSet<&str> = rows
        .iter()
        .map(|r| r["Auteurs"].as_str())
        .filter(|a| *a != "Anonyme")
        .collect();
    let persons = select(
        &p.store,
        &format!(
            "{PREFIXES} SELECT DISTINCT ?name WHERE {{ GRAPH ?g {{ ?o a crm:E22_Human-Made_Object ;
               crm:P108i_was_produced_by/crm:P14_carried_out_by ?p . ?p a crm:E21_Person ; rdfs:label ?name }} }}"
        ),
    );
    let named: HashSet<&str> = persons.iter().map(|r| r["name"].as_str()).collect();
    assert_eq!(named, makers);
}

#[test]
fn library_profile() {
    let p = profiles();
    let xml = p.data("bnf-bo.xml");
    let documents = xml.matches("<srw:record>").count();
    let headings = xml.matches("<dc:creator>").count() + xml.matches("<dc:contributor>").count();
    assert_eq!(documents, 66);
    assert!(count("?d a dcterms:BibliographicResource ; dcterms:creator ?a") > 0);
    let s = all_published("gallica");
    // One source record per document and one per agent heading (see the mapping's sources).
    assert_eq!(s.records_read, (documents + headings) as u64);
    assert_eq!(count("?d a dcterms:BibliographicResource"), documents);
    let d = "<id/gallica/bpt6k91072621>";
    assert!(ask(&format!(
        "{d} a crm:E73_Information_Object ; dcterms:identifier 'ark:/12148/bpt6k91072621' ;
            dcterms:date '1896' ; dcterms:publisher 'Imprimerie Vaticane (Rome)' ;
            dcterms:language <http://id.loc.gov/vocabulary/iso639-2/fre> ;
            dcterms:extent 'VIII, 366 p. ; 24 cm'@fr ; dcterms:type 'monographie imprimée' ;
            dcterms:rights 'domaine public' ;
            dcterms:relation <http://catalogue.bnf.fr/ark:/12148/cb445887232> ;
            foaf:page <https://gallica.bnf.fr/ark:/12148/bpt6k91072621> ;
            foaf:depiction <https://gallica.bnf.fr/ark:/12148/bpt6k91072621.thumbnail> ;
            crm:P1_is_identified_by/crm:P190_has_symbolic_content 'ark:/12148/bpt6k91072621' ;
            crm:P72_has_language <http://id.loc.gov/vocabulary/iso639-2/fre> ;
            crm:P94i_was_created_by/crm:P4_has_time-span/crm:P82b_end_of_the_end '1896-12-31T23:59:59'^^xsd:dateTime .
         <https://gallica.bnf.fr/ark:/12148/bpt6k91072621.thumbnail> a crm:E36_Visual_Item .
         <http://id.loc.gov/vocabulary/iso639-2/fre> a crm:E56_Language"
    )));
    // "fre" and "français" are one language IRI; every document has one.
    assert_eq!(
        count("?d a dcterms:BibliographicResource ; dcterms:language ?l"),
        documents
    );
    assert!(!ask("?d dcterms:language ?l FILTER(isLiteral(?l))"));
    // "Mislin, Jacques (1807-1878). Fonction indéterminée": a person, named without dates or role.
    assert!(ask(
        "<id/gallica/btv1b10101785g> dcterms:contributor <id/agent/mislin-jacques> .
         <id/agent/mislin-jacques> a crm:E21_Person ; rdfs:label 'Mislin, Jacques'"
    ));
    // Corporate headings stay actors, not persons.
    assert!(ask(
        "?a rdfs:label 'Université de Lyon. Faculté de droit' ; a crm:E39_Actor
         FILTER NOT EXISTS { ?a a crm:E21_Person }"
    ));
    // Every creator of a document is also the actor of its creation.
    assert_eq!(
        count(
            "?d a dcterms:BibliographicResource ; dcterms:creator ?a
             FILTER NOT EXISTS { ?d crm:P94i_was_created_by/crm:P14_carried_out_by ?a }"
        ),
        0
    );
}

#[test]
fn events_profile() {
    let p = profiles();
    let events = p.csv("events.csv");
    let parts = p.csv("participations.csv");
    assert_eq!(events.len(), 30);
    let s = all_published("events");
    assert_eq!(s.records_read, (events.len() + parts.len()) as u64);
    assert_eq!(
        // In its graph: the herbarium's collectings are activities with a place too.
        count(
            "GRAPH <https://data.example.org/graph/events> { ?e a crm:E7_Activity ; crm:P7_took_place_at ?place }"
        ),
        events.len()
    );
    // E01: Le Misanthrope at the theatre, in Lyon, with its time-span, work and author.
    assert!(ask(
        "<id/events/E01> a crm:E7_Activity ; dcterms:title 'Le Misanthrope'@fr ;
            dcterms:date '2025-09-26T20:00:00'^^xsd:dateTime ; dcterms:type 'spectacle'@fr ;
            crm:P4_has_time-span [ crm:P82a_begin_of_the_begin '2025-09-26T20:00:00'^^xsd:dateTime ;
                                   crm:P82b_end_of_the_end '2025-09-26T22:20:00'^^xsd:dateTime ] ;
            crm:P7_took_place_at ?venue ;
            crm:P16_used_specific_object ?work ;
            dcterms:contributor <id/agent/lefort-claire> .
         ?venue a crm:E53_Place ; crm:P89_falls_within <id/place/Lyon> .
         ?work a crm:E73_Information_Object ; dcterms:creator <id/agent/moliere> ;
            crm:P94i_was_created_by/crm:P14_carried_out_by <id/agent/moliere> .
         <id/agent/moliere> owl:sameAs <http://www.wikidata.org/entity/Q687>"
    ));
    // Roles as Linked Art part-activities: one per participation row.
    assert!(ask("<id/events/E01> crm:P9_consists_of ?part .
         ?part crm:P9i_forms_part_of <id/events/E01> ;
            crm:P14_carried_out_by <id/agent/benali-karim> ;
            crm:P2_has_type/rdfs:label 'comédien (Alceste)'@fr .
         <id/agent/benali-karim> a crm:E21_Person"));
    assert_eq!(count("?e crm:P9_consists_of ?part"), parts.len());
    // The kind column types groups as E74, not as persons.
    assert!(ask(
        "<id/agent/orchestre-symphonique-du-conservatoire> a crm:E74_Group
         FILTER NOT EXISTS { <id/agent/orchestre-symphonique-du-conservatoire> a crm:E21_Person }"
    ));
}

#[test]
fn identifiers_are_checked_before_they_link() {
    // Valid Wikidata and IdRef identifiers become links…
    assert!(ask(
        "<id/agent/hugo-victor> owl:sameAs <http://www.wikidata.org/entity/Q535>, <https://www.idref.fr/026927608/id>"
    ));
    // …a malformed one ("Q47OO", letter O) gives no link but a warning, and the events that
    // name the author are still published.
    assert!(!ask("<id/agent/debussy-claude> owl:sameAs ?x"));
    assert!(ask(
        "<id/agent/debussy-claude> vitrine:identifierWarning ?w FILTER(CONTAINS(?w, 'Q47OO'))"
    ));
    assert!(ask(
        "<id/events/E29> crm:P16_used_specific_object/dcterms:creator <id/agent/debussy-claude>"
    ));
    assert_eq!(count("?a vitrine:identifierWarning ?w"), 1);
    // Every published sameAs has the syntax the shapes expect.
    assert!(!ask(
        "?a owl:sameAs ?x FILTER(!REGEX(STR(?x), '^(http://www.wikidata.org/entity/Q[1-9][0-9]*|https://www.idref.fr/[0-9]{8}[0-9X]/id)$'))"
    ));
}

#[test]
fn agents_are_shared_across_datasets() {
    // Charles Corm: a contributor in the library records and the author of a work read on
    // stage; Théophile Gautier: a painter in the museum records and an author read on stage.
    for (agent, graphs) in [
        ("corm-charles", ["gallica", "events"]),
        ("gautier-theophile", ["joconde", "events"]),
    ] {
        let rows = select(
            &profiles().store,
            &format!(
                "{PREFIXES} SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p <id/agent/{agent}> }} }} ORDER BY ?g"
            ),
        );
        let found: Vec<&str> = rows.iter().map(|r| r["g"].as_str()).collect();
        assert_eq!(found.len(), 2, "{agent}: {found:?}");
        // Results name each dataset by its stable public graph, never by a version.
        let mut expected: Vec<String> = graphs
            .iter()
            .map(|d| format!("https://data.example.org/graph/{d}"))
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{agent}");
    }
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The subjects typed sh:NodeShape in a Turtle file, which must parse.
fn node_shapes(path: &Path) -> Vec<String> {
    let text = std::fs::read(path).unwrap();
    let mut shapes = Vec::new();
    for triple in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
        let quad = triple.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if quad.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
            && quad.object.to_string() == "<http://www.w3.org/ns/shacl#NodeShape>"
        {
            shapes.push(quad.subject.to_string());
        }
    }
    shapes
}

#[test]
fn shapes_parse_and_every_shape_has_two_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shapes_files = files(&root.join("shapes"), "ttl");
    assert_eq!(shapes_files.len(), 6, "{shapes_files:?}");
    let fixtures = root.join("tests/data/shapes");
    let mut total = 0;
    for file in &shapes_files {
        let profile = file
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .trim_end_matches(".shapes.ttl");
        let shapes = node_shapes(file);
        assert!(!shapes.is_empty(), "{}", file.display());
        for shape in shapes {
            let local = shape
                .trim_end_matches('>')
                .rsplit('#')
                .next()
                .unwrap()
                .to_owned();
            for outcome in ["conforms", "violates"] {
                let fixture = fixtures
                    .join(profile)
                    .join(format!("{local}.{outcome}.ttl"));
                let text = std::fs::read(&fixture)
                    .unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
                let triples = RdfParser::from_format(RdfFormat::Turtle)
                    .for_slice(&text)
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
                assert!(!triples.is_empty(), "{}", fixture.display());
                total += 1;
            }
        }
    }
    assert!(total >= 18, "{total}");
}
