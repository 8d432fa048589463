//! Vocabulary labels: every term the bundled mappings and the published demo use has a French
//! and an English label and definition; the CRM labels are the official ones; pages show them.

use crate::util::{demo, send};
use axum::body::Body;
use axum::http::{Request, header};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use vitrine::labels::{Labels, Lang};

/// Namespaces whose terms the tables must cover (not value vocabularies such as AAT, nor
/// function or mapping-language namespaces).
const LABELLED: &[(&str, &str)] = &[
    ("crm", "http://www.cidoc-crm.org/cidoc-crm/"),
    ("lrmoo", "http://iflastandards.info/ns/lrm/lrmoo/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("dcmitype", "http://purl.org/dc/dcmitype/"),
    ("edm", "http://www.europeana.eu/schemas/edm/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("spdx", "http://spdx.org/rdf/terms#"),
    ("vitrine", "https://w3id.org/vitrine#"),
    ("dwc", "http://rs.tdwg.org/dwc/terms/"),
    ("dwciri", "http://rs.tdwg.org/dwc/iri/"),
    ("crmsci", "http://www.cidoc-crm.org/extensions/crmsci/"),
    ("audience", "https://w3id.org/vitrine/audience#"),
];

fn labelled(iri: &str) -> bool {
    LABELLED.iter().any(|(_, ns)| iri.starts_with(ns))
}

/// The terms of `iris` that lack a label or a definition in either language.
fn unlabelled(labels: &Labels, iris: &BTreeSet<String>) -> Vec<String> {
    iris.iter()
        .filter(|iri| {
            labels.get(iri).is_none_or(|t| {
                Lang::ALL
                    .iter()
                    .any(|&l| t.label(l).is_none() || t.definition(l).is_none())
            })
        })
        .cloned()
        .collect()
}

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn files(dir: &str, suffix: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(repo(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    found.sort();
    found
}

#[test]
fn every_predicate_and_class_of_the_published_demo_is_labelled() {
    let d = demo();
    let rows = crate::util::select(
        &d.store,
        "SELECT DISTINCT ?t WHERE {
           { ?s ?t ?o } UNION { ?s a ?t }
           UNION { GRAPH ?g { ?s ?t ?o } } UNION { GRAPH ?g { ?s a ?t } } }",
    );
    let mut used = BTreeSet::new();
    for row in rows {
        if let Some(Term::NamedNode(n)) = row.get("t") {
            used.insert(n.as_str().to_owned());
        }
    }
    assert!(
        used.contains("http://www.cidoc-crm.org/cidoc-crm/P108i_was_produced_by"),
        "{used:?}"
    );
    let labels = Labels::embedded().unwrap();
    assert_eq!(unlabelled(&labels, &used), Vec::<String>::new());
}

#[test]
fn every_vocabulary_term_of_the_bundled_mappings_is_labelled() {
    let labels = Labels::embedded().unwrap();
    let mut used = BTreeSet::new();

    // RML mappings (mappings/ and the demo's): every IRI of a labelled namespace, wherever it appears.
    let mapping_files = |suffix| {
        let mut found = files("mappings", suffix);
        found.extend(files("examples/demo/mappings", suffix));
        found
    };
    let rml = mapping_files(".ttl");
    assert!(!rml.is_empty());
    for path in &rml {
        let text = std::fs::read(path).unwrap();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
            let quad = quad.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let terms = [Term::from(quad.subject), quad.predicate.into(), quad.object];
            for term in terms {
                match term {
                    Term::NamedNode(n) if labelled(n.as_str()) => {
                        used.insert(n.into_string());
                    }
                    _ => {}
                }
            }
        }
    }

    // YARRRML profiles: every `prefix:Name` scalar with a labelled namespace, using the file's
    // own prefixes over the usual ones.
    let yarrrml = mapping_files(".yml");
    assert!(!yarrrml.is_empty());
    let name = regex::Regex::new(r"^([A-Za-z][\w-]*):([A-Za-z][\w.-]*)(~iri)?$").unwrap();
    for path in &yarrrml {
        let text = std::fs::read_to_string(path).unwrap();
        let docs = yaml_rust2::YamlLoader::load_from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut prefixes: BTreeMap<String, String> = LABELLED
            .iter()
            .map(|(p, ns)| ((*p).to_owned(), (*ns).to_owned()))
            .collect();
        if let Some(own) = docs[0]["prefixes"].as_hash() {
            for (p, ns) in own {
                if let (Some(p), Some(ns)) = (p.as_str(), ns.as_str()) {
                    prefixes.insert(p.to_owned(), ns.to_owned());
                }
            }
        }
        let mut scalars = Vec::new();
        collect_strings(&docs[0], &mut scalars);
        for s in scalars {
            if s == "a" {
                used.insert("http://www.w3.org/1999/02/22-rdf-syntax-ns#type".to_owned());
            }
            let Some(c) = name.captures(&s) else { continue };
            if let Some(ns) = prefixes.get(&c[1]) {
                let iri = format!("{ns}{}", &c[2]);
                if labelled(&iri) {
                    used.insert(iri);
                }
            }
        }
    }
    assert!(
        used.contains("http://www.cidoc-crm.org/cidoc-crm/P50_has_current_keeper"),
        "{used:?}"
    );
    assert!(used.len() > 30, "{used:?}");
    assert_eq!(unlabelled(&labels, &used), Vec::<String>::new());
}

fn collect_strings(yaml: &yaml_rust2::Yaml, out: &mut Vec<String>) {
    match yaml {
        yaml_rust2::Yaml::String(s) => out.push(s.clone()),
        yaml_rust2::Yaml::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        yaml_rust2::Yaml::Hash(map) => map.iter().for_each(|(k, v)| {
            collect_strings(k, out);
            collect_strings(v, out);
        }),
        _ => {}
    }
}

/// `rdfs:label`s by term and language in an official RDF/XML ontology file, whitespace folded.
fn official_labels(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (this test needs ../shared/ontologies)",
            path.display()
        )
    });
    let mut labels: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for quad in RdfParser::from_format(RdfFormat::RdfXml).for_slice(&text) {
        let quad = quad.unwrap();
        if quad.predicate != vitrine::vocab::rdfs::LABEL {
            continue;
        }
        let Term::Literal(l) = &quad.object else {
            continue;
        };
        if let Some(lang) = l.language() {
            let folded = l.value().split_whitespace().collect::<Vec<_>>().join(" ");
            labels
                .entry(quad.subject.to_string().trim_matches(['<', '>']).to_owned())
                .or_default()
                .insert(lang.to_owned(), folded);
        }
    }
    labels
}

#[test]
#[ignore = "needs ../shared/ontologies (official CIDOC-CRM and LRMoo RDFS)"]
fn labels_are_the_official_ones() {
    let shared = repo("../shared/ontologies");
    let labels = Labels::embedded().unwrap();
    // The PC14 property-class pattern lives in the CRM's separate PC file, not in ../shared.
    let ours_only = ["PC14_carried_out_by", "P01_has_domain", "P02_has_range"];
    for (file, ns, check_fr) in [
        (
            "cidoc_crm_v7.1.3.rdf",
            "http://www.cidoc-crm.org/cidoc-crm/",
            true,
        ),
        (
            "LRMoo_v1.1.1.rdf",
            "http://iflastandards.info/ns/lrm/lrmoo/",
            false,
        ),
    ] {
        let official = official_labels(&shared.join(file));
        let (mut terms, mut french, mut ours) = (0, 0, Vec::new());
        let mut mismatches = Vec::new();
        for (iri, text) in labels.iter().filter(|(i, _)| i.as_str().starts_with(ns)) {
            let local = &iri.as_str()[ns.len()..];
            let Some(theirs) = official.get(iri.as_str()) else {
                assert!(
                    ours_only.contains(&local) || local.starts_with("P14.1"),
                    "{iri} is not in {file}"
                );
                continue;
            };
            terms += 1;
            for (lang, check) in [(Lang::En, true), (Lang::Fr, check_fr)] {
                match theirs.get(lang.code()) {
                    Some(label) if check => {
                        if text.label(lang) != Some(label.as_str()) {
                            mismatches.push(format!(
                                "{iri}@{}: ours {:?}, official {label:?}",
                                lang.code(),
                                text.label(lang)
                            ));
                        } else if lang == Lang::Fr {
                            french += 1;
                        }
                    }
                    None if lang == Lang::Fr => ours.push(local.to_owned()),
                    _ => {}
                }
            }
        }
        assert_eq!(mismatches, Vec::<String>::new());
        ours.sort();
        let ours = if check_fr {
            format!("{ours:?}")
        } else {
            format!("all {} (the file has no French)", ours.len())
        };
        println!(
            "conformance labels {file}: {terms} terms, all match the official English labels, \
             {french} match the official French ones; French ours: {ours}"
        );
        assert!(terms > 20);
    }
}

fn page(uri: &str, accept_language: Option<&str>) -> String {
    let (body, _) = fetch(uri, accept_language);
    body
}

fn vary(uri: &str) -> String {
    let (_, headers) = fetch(uri, None);
    headers
        .get(header::VARY)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// An HTML GET through the router: body and headers.
fn fetch(uri: &str, accept_language: Option<&str>) -> (String, axum::http::HeaderMap) {
    let mut request = Request::get(uri).header(header::ACCEPT, "text/html");
    if let Some(lang) = accept_language {
        request = request.header(header::ACCEPT_LANGUAGE, lang);
    }
    let reply = send(
        vitrine::server::app(demo().state()),
        request.body(Body::empty()).unwrap(),
    );
    assert!(reply.status.is_success(), "{uri}: {}", reply.status);
    (reply.body, reply.headers)
}

#[test]
fn item_page_shows_property_and_class_labels_in_the_asked_language() {
    let french = page("/id/joconde/000PE000015", Some("fr-FR,fr;q=0.9,en;q=0.5"));
    assert!(
        french.contains(" lang=\"fr\">a été produit par</a><code class=\"detail\">crm:P108i_was_produced_by</code>"),
        "{french}"
    );
    assert!(
        french.contains(">Objet élaboré par l’humain</a>"),
        "{french}"
    );
    assert!(!french.contains(">was produced by<"), "{french}");
    assert_eq!(french, page("/id/joconde/000PE000015", None));
    assert_eq!(
        vary("/id/joconde/000PE000015"),
        "Accept, Accept-Language",
        "the page depends on both headers"
    );

    let english = page("/id/joconde/000PE000015", Some("en-GB,en;q=0.8,fr;q=0.5"));
    assert!(
        english.contains("title=\"Points from an object to the production event that made it. (crm:P108i_was_produced_by)\" lang=\"en\">was produced by</a>"),
        "{english}"
    );
    assert!(english.contains(">Human-Made Object</a>"), "{english}");
    assert!(!english.contains("a été produit par"), "{english}");
}

#[test]
fn sparql_result_table_shows_labels_of_vocabulary_terms() {
    let query =
        "SELECT DISTINCT ?p WHERE { <https://data.example.org/id/joconde/000PE000015> ?p ?o }";
    let uri = format!(
        "/sparql?format=html&query={}",
        query
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    let french = page(&uri, None);
    assert!(french.contains(">a été produit par</a>"), "{french}");
    assert!(
        french.contains(">crm:P108i_was_produced_by</code>"),
        "{french}"
    );
    assert_eq!(vary(&uri), "Accept, Accept-Language");
    let english = page(&uri, Some("en"));
    assert!(english.contains(">was produced by</a>"), "{english}");
}
