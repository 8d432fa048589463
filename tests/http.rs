//! The HTTP application, driven through its router (no socket).

use crate::util::{PREFIXES, Reply, demo, urlencode};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};

fn get(uri: &str, accept: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    send(request.body(Body::empty()).unwrap())
}

fn send(request: Request<Body>) -> Reply {
    crate::util::send(vitrine::server::app(demo().state()), request)
}

fn header(reply: &Reply, name: header::HeaderName) -> &str {
    reply
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

fn triples(format: RdfFormat, body: &str) -> Vec<oxigraph::model::Quad> {
    RdfParser::from_format(format)
        .for_slice(body.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap()
}

const COUNT_OBJECTS: &str =
    "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a crm:E22_Human-Made_Object }";

fn json_count(body: &str) -> u64 {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn sparql_get_returns_the_store_count() {
    let query = format!("{PREFIXES}{COUNT_OBJECTS}");
    let uri = format!("/sparql?query={}", urlencode(&query));
    let reply = get(&uri, Some("application/sparql-results+json"));
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(header(&reply, header::CONTENT_TYPE).starts_with("application/sparql-results+json"));
    assert_eq!(json_count(&reply.body), 694);
}

#[test]
fn sparql_post_forms_and_xml_results() {
    let query = format!("{PREFIXES}{COUNT_OBJECTS}");
    let direct = send(
        Request::post("/sparql")
            .header(header::CONTENT_TYPE, "application/sparql-query")
            .body(Body::from(query.clone()))
            .unwrap(),
    );
    assert_eq!(json_count(&direct.body), 694);
    let form = send(
        Request::post("/sparql")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/sparql-results+xml")
            .body(Body::from(format!("query={}", urlencode(&query))))
            .unwrap(),
    );
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(header(&form, header::CONTENT_TYPE).starts_with("application/sparql-results+xml"));
    assert!(form.body.contains(">694</literal>"), "{}", form.body);
}

#[test]
fn sparql_construct_is_turtle_and_updates_are_refused() {
    let query = format!(
        "{PREFIXES} CONSTRUCT {{ ?o a crm:E22_Human-Made_Object }} WHERE {{ ?o a crm:E22_Human-Made_Object }}"
    );
    let reply = get(&format!("/sparql?query={}", urlencode(&query)), None);
    assert_eq!(reply.status, StatusCode::OK);
    assert!(header(&reply, header::CONTENT_TYPE).starts_with("text/turtle"));
    assert_eq!(triples(RdfFormat::Turtle, &reply.body).len(), 694);

    let update = send(
        Request::post("/sparql")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("update=CLEAR%20ALL"))
            .unwrap(),
    );
    assert_eq!(update.status, StatusCode::FORBIDDEN);
    let bad = get("/sparql?query=SELEKT", None);
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("syntax"), "{}", bad.body);
}

#[test]
fn item_dereferences_in_each_format() {
    let path = "/id/joconde/000PE000015";
    let turtle = get(path, Some("text/turtle"));
    assert_eq!(turtle.status, StatusCode::OK);
    assert_eq!(
        header(&turtle, header::CONTENT_TYPE),
        "text/turtle; charset=utf-8"
    );
    assert_eq!(header(&turtle, header::VARY), "Accept");
    assert_eq!(
        header(&turtle, header::CONTENT_LOCATION),
        "/id/joconde/000PE000015.ttl"
    );
    assert!(header(&turtle, header::LINK).contains(
        "</id/joconde/000PE000015.jsonld>; rel=\"alternate\"; type=\"application/ld+json\""
    ));
    let parsed = triples(RdfFormat::Turtle, &turtle.body);
    let subject = format!("{}id/joconde/000PE000015", demo().config.base_iri.as_str());
    assert!(
        parsed
            .iter()
            .any(|q| q.subject.to_string() == format!("<{subject}>")
                && q.object.to_string()
                    == "<http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object>")
    );

    let jsonld = get(path, Some("application/ld+json"));
    assert_eq!(jsonld.status, StatusCode::OK);
    assert_eq!(
        header(&jsonld, header::CONTENT_TYPE),
        "application/ld+json; charset=utf-8"
    );
    assert_eq!(header(&jsonld, header::VARY), "Accept");
    let from_jsonld = triples(
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        &jsonld.body,
    );
    assert_eq!(from_jsonld.len(), parsed.len());

    let html = get(
        path,
        Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    );
    assert_eq!(html.status, StatusCode::OK);
    assert_eq!(
        header(&html, header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    assert_eq!(header(&html, header::VARY), "Accept, Accept-Language");
    assert!(html.body.contains("Escalier Daru"), "{}", html.body);
    // minijinja escapes `/` as `&#x2f;` in attributes; browsers read it back as `/`.
    assert!(
        html.body
            .contains("href=\"&#x2f;id&#x2f;agent&#x2f;andre-albert\""),
        "links stay on this server: {}",
        html.body
    );

    let nt = get(&format!("{path}.nt"), Some("text/html"));
    assert_eq!(
        header(&nt, header::CONTENT_TYPE),
        "application/n-triples; charset=utf-8"
    );
    assert_eq!(triples(RdfFormat::NTriples, &nt.body).len(), parsed.len());
    let by_param = get(&format!("{path}?format=ttl"), Some("text/html"));
    assert_eq!(
        header(&by_param, header::CONTENT_TYPE),
        "text/turtle; charset=utf-8"
    );
}

#[test]
fn non_ascii_names_dereference_from_browser_paths() {
    // Minted as id/place/Besançon; a browser sends the ç as %C3%A7.
    let reply = get("/id/place/Besan%C3%A7on", Some("text/html"));
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("Liens entrants"),
        "the place page lists the museum that resides there"
    );
}

#[test]
fn unknown_items_are_404_and_unknown_formats_406() {
    assert_eq!(get("/id/joconde/NOPE", None).status, StatusCode::NOT_FOUND);
    assert_eq!(
        get("/id/joconde/000PE000015", Some("image/png")).status,
        StatusCode::NOT_ACCEPTABLE
    );
    assert_eq!(get("/nothing-here", None).status, StatusCode::NOT_FOUND);
}

#[test]
fn home_lists_datasets_with_counts_and_health_is_ok() {
    let home = get("/", Some("text/html"));
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Peintures des musées de France"));
    assert!(
        home.body.contains("<span class=\"records\">694</span>"),
        "{}",
        home.body
    );
    let health = get("/health", None);
    assert_eq!(health.status, StatusCode::OK);
    assert!(health.body.contains("\"datasets\":1"), "{}", health.body);
}

/// An item page costs a small, fixed number of store calls, however many links it has: its
/// description, a page of the statements pointing at it, and the labels of everything either
/// names, in one call (an artist with 288 works used to cost a call per work).
#[test]
fn an_item_page_makes_a_bounded_number_of_store_calls() {
    let d = crate::util::fresh_demo().unwrap();
    let app = || vitrine::server::app(d.state());
    for (path, links) in [
        ("/id/joconde/000PE000015", 10),
        ("/id/agent/moreau-gustave", 288),
    ] {
        let before = d.store.backend_calls();
        let reply = crate::util::send(
            app(),
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        );
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let calls = d.store.backend_calls() - before;
        assert!(calls <= 3, "{path}: {calls} store calls for {links}+ links");
    }
}

/// The protocol's `default-graph-uri` and `named-graph-uri` (repeatable) name datasets by their
/// stable graph IRI; a graph the publisher does not have is empty.
#[test]
fn protocol_graphs_name_datasets_by_their_stable_graph() {
    let graph = format!("{}graph/joconde", demo().config.base_iri.as_str());
    let count = |graphs: &str| {
        let query = format!("{PREFIXES}{COUNT_OBJECTS}");
        let reply = get(
            &format!("/sparql?query={}{graphs}", urlencode(&query)),
            Some("application/sparql-results+json"),
        );
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        json_count(&reply.body)
    };
    assert_eq!(
        count(&format!("&default-graph-uri={}", urlencode(&graph))),
        694
    );
    assert_eq!(
        count("&default-graph-uri=https%3A%2F%2Fdata.example.org%2Fgraph%2Fnope"),
        0
    );
    let names = get(
        &format!(
            "/sparql?query={}&named-graph-uri={}&named-graph-uri=https%3A%2F%2Fexample.org%2Fnope",
            urlencode("SELECT ?g WHERE { GRAPH ?g {} }"),
            urlencode(&graph)
        ),
        Some("text/csv"),
    );
    assert_eq!(names.body, format!("g\r\n{graph}\r\n"));
    let bad = get(
        &format!(
            "/sparql?query={}&default-graph-uri=not%20an%20iri",
            urlencode("ASK {}")
        ),
        None,
    );
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
