//! The bundled demo goes through mapping and the store: counts and shape of the published graph.

use crate::util::{PREFIXES, count, demo};
use std::collections::HashSet;

#[test]
fn one_object_per_row() {
    let d = demo();
    let rows = d.rows().len() as u64;
    assert_eq!(rows, 694);
    assert_eq!(d.summary.records_read, rows);
    assert_eq!(
        d.summary.records_published + d.summary.records_quarantined,
        d.summary.records_read
    );
    assert_eq!(d.summary.records_quarantined, 0, "{:?}", d.summary.errors);
    let objects = count(
        &d.store,
        &format!(
            "{PREFIXES} SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a crm:E22_Human-Made_Object }}"
        ),
    );
    assert_eq!(objects, rows);
}

#[test]
fn every_object_has_a_production_and_titles_match_the_source() {
    let d = demo();
    let without_production = count(
        &d.store,
        &format!(
            "{PREFIXES} SELECT (COUNT(?o) AS ?n) WHERE {{ ?o a crm:E22_Human-Made_Object
               FILTER NOT EXISTS {{ ?o crm:P108i_was_produced_by/a crm:E12_Production }} }}"
        ),
    );
    assert_eq!(without_production, 0);
    // "Non renseigné" is the export's placeholder for "no value" (rml:null in the mapping):
    // exactly the rows with a real title get one.
    let title = d.column("titre");
    let titled_rows = d
        .rows()
        .iter()
        .filter(|r| !r[title].is_empty() && &r[title] != "Non renseigné")
        .count() as u64;
    assert!(titled_rows >= 690, "{titled_rows}");
    let titled = count(
        &d.store,
        &format!(
            "{PREFIXES} SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a crm:E22_Human-Made_Object ;
               dcterms:title ?t ; rdfs:label ?t FILTER(lang(?t) = 'fr') }}"
        ),
    );
    assert_eq!(titled, titled_rows);
}

#[test]
fn artists_are_deduplicated_by_uri() {
    let d = demo();
    let author = d.column("Auteurs");
    // "Anonyme" is no one: its 18 works have no maker rather than one shared person.
    let names: HashSet<String> = d
        .rows()
        .iter()
        .map(|r| r[author].to_owned())
        .filter(|a| a != "Anonyme")
        .collect();
    assert_eq!(names.len(), 238);
    let persons = count(
        &d.store,
        &format!("{PREFIXES} SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a crm:E21_Person }}"),
    );
    assert_eq!(persons, names.len() as u64);
    let labels = count(
        &d.store,
        &format!(
            "{PREFIXES} SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE {{ ?p a crm:E21_Person ; rdfs:label ?l }}"
        ),
    );
    assert_eq!(
        labels, persons,
        "one label per person, one person per label"
    );
    // Gustave Moreau painted 288 of the works: one person, 288 productions.
    let moreau = count(
        &d.store,
        &format!(
            "{PREFIXES} SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{
               ?o crm:P108i_was_produced_by/crm:P14_carried_out_by ?p . ?p rdfs:label 'MOREAU Gustave' }}"
        ),
    );
    assert_eq!(moreau, 288);
}

#[test]
fn both_vocabulary_layers_and_linked_art_patterns() {
    let d = demo();
    let q = |body: &str| {
        count(
            &d.store,
            &format!("{PREFIXES} SELECT (COUNT(*) AS ?n) WHERE {{ {body} }}"),
        )
    };
    let base = d.config.base_iri.as_str();
    let painting = format!("<{base}id/joconde/000PE000015>");
    assert_eq!(
        q(&format!("{painting} dcterms:identifier '000PE000015'")),
        1
    );
    assert_eq!(
        q(&format!(
            "{painting} dcterms:creator <{base}id/agent/andre-albert>"
        )),
        1
    );
    assert_eq!(
        q(&format!(
            "{painting} crm:P108i_was_produced_by/crm:P4_has_time-span ?ts .
             ?ts crm:P82a_begin_of_the_begin '1890-01-01T00:00:00'^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
                 crm:P82b_end_of_the_end '1890-12-31T23:59:59'^^<http://www.w3.org/2001/XMLSchema#dateTime>"
        )),
        1
    );
    assert_eq!(
        q(&format!(
            "{painting} crm:P43_has_dimension ?d . ?d crm:P90_has_value ?v ; crm:P91_has_unit ?u"
        )),
        2
    );
    assert_eq!(
        q(&format!(
            "{painting} crm:P50_has_current_keeper ?m . ?m a crm:E74_Group ; rdfs:label 'musée du Louvre'@fr"
        )),
        1
    );
    // Images are E36 visual items named by their Commons URL, never re-encoded.
    let image = d.column("image");
    let with_image = d.rows().iter().filter(|r| !r[image].is_empty()).count() as u64;
    assert_eq!(
        q("?o crm:P138i_has_representation ?i . ?i a crm:E36_Visual_Item"),
        with_image
    );
    assert_eq!(
        q(
            "?i a crm:E36_Visual_Item FILTER(STRSTARTS(STR(?i), 'http://commons.wikimedia.org/wiki/Special:FilePath/'))"
        ),
        with_image
    );
}

#[test]
fn provenance_records_the_files_and_counts() {
    let d = demo();
    let published = d.store.published();
    assert_eq!(published.datasets().len(), 1);
    let status = &published.datasets()[0];
    assert_eq!(status.id, "joconde");
    assert_eq!(status.counts.records_read, 694);
    assert_eq!(status.counts.triples, d.summary.triples);
    let checksums = d
        .store
        .provenance("joconde")
        .unwrap()
        .into_iter()
        .filter(|t| {
            t.predicate.as_str() == "http://spdx.org/rdf/terms#checksumValue"
                && matches!(&t.object, oxigraph::model::Term::Literal(l) if l.value().len() == 64)
        })
        .count();
    assert_eq!(checksums, 2, "the mapping and the CSV");
    // Provenance is the store's own business: no public query reaches it.
    let visible = count(
        &d.store,
        "PREFIX spdx: <http://spdx.org/rdf/terms#>
         SELECT (COUNT(?v) AS ?n) WHERE { { ?c spdx:checksumValue ?v } UNION { GRAPH ?g { ?c spdx:checksumValue ?v } } }",
    );
    assert_eq!(visible, 0);
}

#[test]
fn reingest_switches_versions_atomically() {
    let d = crate::util::fresh_demo().unwrap();
    let first = d.store.published().datasets()[0].version.clone();
    let again =
        vitrine::ingest::ingest(&d.config, &d.store, &d.config.datasets[0], &|_| {}).unwrap();
    assert_eq!(again.triples, d.summary.triples);
    let second = d.store.published().datasets()[0].version.clone();
    assert_eq!(second.number, first.number + 1, "a new version");
    let objects = count(
        &d.store,
        &format!("{PREFIXES} SELECT (COUNT(*) AS ?n) WHERE {{ ?o a crm:E22_Human-Made_Object }}"),
    );
    assert_eq!(objects, 694, "queries see one version, not both");
    // Superseded versions are dropped once nobody reads them: only the current one is left.
    vitrine::ingest::ingest(&d.config, &d.store, &d.config.datasets[0], &|_| {}).unwrap();
    d.store.wait_for_drops(&|_| {});
    assert_eq!(
        d.store.versions_stored().unwrap(),
        [("joconde".to_owned(), first.number + 2)]
    );
}
