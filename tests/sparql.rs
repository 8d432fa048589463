//! The SPARQL endpoint: every protocol form and format, the service description, and the
//! limits that keep it up in public (deadline, slots, result limit, body size), through the
//! router and through the real binary.

use crate::util::{Reply, Server, demo, http, server_settings, stderr, urlencode, vitrine};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use oxigraph::io::{RdfFormat, RdfParser};
use std::time::{Duration, Instant};

const OBJECTS: &str = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a <http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object> }";
const TITLES: &str = "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?o ?t WHERE { ?o dcterms:title ?t } ORDER BY ?o ?t LIMIT 50";
const CONSTRUCT: &str = "PREFIX dcterms: <http://purl.org/dc/terms/> CONSTRUCT { ?o dcterms:title ?t } WHERE { ?o dcterms:title ?t } ORDER BY ?o LIMIT 50";
/// Every pair of triples of the demo: far more rows than any limit, and slow to count.
const CROSS: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y }";

fn send(request: Request<Body>) -> Reply {
    crate::util::send(vitrine::server::app(demo().state()), request)
}

fn get(uri: &str, accept: Option<&str>) -> Reply {
    let mut request = Request::get(uri);
    if let Some(a) = accept {
        request = request.header(header::ACCEPT, a);
    }
    send(request.body(Body::empty()).unwrap())
}

fn post(uri: &str, content_type: Option<&str>, body: &str) -> Reply {
    let mut request = Request::post(uri);
    if let Some(t) = content_type {
        request = request.header(header::CONTENT_TYPE, t);
    }
    send(request.body(Body::from(body.to_owned())).unwrap())
}

fn header<'r>(reply: &'r Reply, name: &str) -> &'r str {
    reply
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
}

fn query(q: &str) -> String {
    format!("/sparql?query={}", urlencode(q))
}

fn graph(format: RdfFormat, body: &str) -> usize {
    RdfParser::from_format(format)
        .for_slice(body.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{body}"))
        .len()
}

fn every_request_form() {
    let form = post(
        "/sparql",
        Some("application/x-www-form-urlencoded"),
        &format!("query={}", urlencode(OBJECTS)),
    );
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("\"694\""), "{}", form.body);
    let direct = post("/sparql", Some("application/sparql-query"), OBJECTS);
    assert_eq!(direct.body, form.body);
    assert_eq!(get(&query(OBJECTS), None).body, form.body);
    // Faults are the client's, with a message.
    for (reply, status) in [
        (
            get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None),
            StatusCode::BAD_REQUEST,
        ),
        (
            post("/sparql", None, OBJECTS),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            post("/sparql", Some("text/plain"), OBJECTS),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            post(
                "/sparql",
                Some("application/sparql-query; charset=UTF-16"),
                OBJECTS,
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (get("/sparql?query=SELEKT", None), StatusCode::BAD_REQUEST),
        (
            get("/sparql?query=ASK%7B%7D&format=pdf", None),
            StatusCode::BAD_REQUEST,
        ),
        (
            get(&query(OBJECTS), Some("image/png")),
            StatusCode::NOT_ACCEPTABLE,
        ),
    ] {
        assert_eq!(reply.status, status, "{}", reply.body);
        assert!(!reply.body.trim().is_empty());
    }
    let put = send(Request::put(query(OBJECTS)).body(Body::empty()).unwrap());
    assert_eq!(put.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(header(&put, "allow").contains("GET") && header(&put, "allow").contains("POST"));
}

fn updates_are_refused_in_every_form_and_change_nothing() {
    for reply in [
        get("/sparql?update=CLEAR%20ALL", None),
        post(
            "/sparql",
            Some("application/x-www-form-urlencoded"),
            "update=CLEAR+ALL",
        ),
        post("/sparql", Some("application/sparql-update"), "CLEAR ALL"),
        post(
            "/sparql?using-graph-uri=http%3A%2F%2Fexample.org%2Fg",
            Some("application/sparql-update"),
            "INSERT DATA { <a:a> <a:b> <a:c> }",
        ),
    ] {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }
    assert!(get(&query(OBJECTS), None).body.contains("\"694\""));
}

fn solutions_in_every_format() {
    for (accept, format, media_type, check) in [
        (
            Some("application/sparql-results+json"),
            None,
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            Some("application/json"),
            None,
            "application/sparql-results+json",
            "\"bindings\"",
        ),
        (
            Some("application/sparql-results+xml"),
            None,
            "application/sparql-results+xml",
            "<sparql",
        ),
        (
            None,
            Some("xml"),
            "application/sparql-results+xml",
            "<sparql",
        ),
        (Some("text/csv"), None, "text/csv", "o,t\r\n"),
        (None, Some("tsv"), "text/tab-separated-values", "?o\t?t\n"),
        (
            Some("text/html"),
            None,
            "text/html",
            "<table class=\"results\">",
        ),
        (
            None,
            None,
            "application/sparql-results+json",
            "\"bindings\"",
        ),
    ] {
        let uri = match format {
            Some(f) => format!("{}&format={f}", query(TITLES)),
            None => query(TITLES),
        };
        let reply = get(&uri, accept);
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{accept:?} {format:?}: {}",
            reply.body
        );
        assert!(
            header(&reply, "content-type").starts_with(media_type),
            "{accept:?} {format:?}: {}",
            header(&reply, "content-type")
        );
        assert!(
            reply.body.contains(check),
            "{accept:?} {format:?}: {}",
            &reply.body[..reply.body.len().min(300)]
        );
        assert_eq!(header(&reply, "vitrine-result-limit"), "100000");
    }
    let ask = get(&query("ASK { ?s ?p ?o }"), Some("text/csv"));
    assert_eq!(ask.body, "true");
}

fn graphs_in_every_format() {
    for (accept, format, media_type, syntax) in [
        (Some("text/turtle"), None, "text/turtle", RdfFormat::Turtle),
        (Some("text/rdf+n3"), None, "text/turtle", RdfFormat::Turtle),
        (
            Some("application/n-triples"),
            None,
            "application/n-triples",
            RdfFormat::NTriples,
        ),
        (None, Some("nq"), "application/n-quads", RdfFormat::NQuads),
        (
            Some("application/rdf+xml"),
            None,
            "application/rdf+xml",
            RdfFormat::RdfXml,
        ),
        (
            None,
            Some("json-ld"),
            "application/ld+json",
            crate::util::jsonld(),
        ),
        (None, None, "text/turtle", RdfFormat::Turtle),
    ] {
        let uri = match format {
            Some(f) => format!("{}&format={f}", query(CONSTRUCT)),
            None => query(CONSTRUCT),
        };
        let reply = get(&uri, accept);
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(
            header(&reply, "content-type").starts_with(media_type),
            "{accept:?} {format:?}"
        );
        assert_eq!(graph(syntax, &reply.body), 50, "{accept:?} {format:?}");
    }
    // SPARQLWrapper names the format three ways, twice: `xml` is RDF/XML for a graph.
    let wrapper = get(
        &format!(
            "{}&format=xml&format=xml&output=xml&results=xml",
            query(CONSTRUCT)
        ),
        Some("application/rdf+xml"),
    );
    assert!(header(&wrapper, "content-type").starts_with("application/rdf+xml"));
    let json = get(&format!("{}&format=json", query(CONSTRUCT)), None);
    assert!(header(&json, "content-type").starts_with("application/ld+json"));
}

fn the_service_description() {
    let reply = get("/sparql", Some("text/turtle"));
    assert_eq!(reply.status, StatusCode::OK);
    let store = oxigraph::store::Store::new().unwrap();
    store
        .load_from_slice(RdfFormat::Turtle, reply.body.as_bytes())
        .unwrap();
    let ask = |q: &str| {
        let oxigraph::sparql::QueryResults::Boolean(b) = oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(&format!(
                "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> {q}"
            ))
            .unwrap()
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            panic!()
        };
        b
    };
    // The three checks of the W3C service description tests, and a read-only language list.
    assert!(ask(
        "ASK { ?s sd:endpoint ?e FILTER(STRENDS(STR(?e), '/sparql')) }"
    ));
    assert!(!ask(
        "ASK { ?g a sd:NamedGraph FILTER NOT EXISTS { ?g sd:name ?n } }"
    ));
    assert!(ask(&format!(
        "ASK {{ ?g a sd:NamedGraph ; sd:name <{}graph/joconde> }}",
        demo().config.base_iri.as_str()
    )));
    assert!(ask("ASK { ?s sd:supportedLanguage sd:SPARQL11Query }"));
    assert!(!ask("ASK { ?s sd:supportedLanguage sd:SPARQL11Update }"));
    assert!(ask(
        "ASK { ?s sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_CSV> }"
    ));
    for (accept, syntax) in [
        ("application/ld+json", crate::util::jsonld()),
        ("application/rdf+xml", RdfFormat::RdfXml),
    ] {
        let reply = get("/sparql", Some(accept));
        assert!(graph(syntax, &reply.body) > 10, "{accept}");
    }
    // A browser gets the query page, with the example questions.
    let page = get("/sparql", Some("text/html,*/*;q=0.8"));
    assert!(header(&page, "content-type").starts_with("text/html"));
    assert!(
        page.body.contains("Questions de recherche"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Works by an artist over a period"));
}

#[test]
fn federation_is_off_unless_allowed() {
    let reply = get(
        &query(
            "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } } LIMIT 1",
        ),
        None,
    );
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(reply.body.contains("federation"), "{}", reply.body);
}

/// A demo publisher for the binary, with `settings` in its `[server]` table.
fn publisher(settings: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(dir.path(), &["init", "pub"]).status.success());
    let publisher = dir.path().join("pub");
    server_settings(&publisher, settings);
    let ingest = vitrine(&publisher, &["ingest"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    (dir, publisher)
}

#[test]
fn the_result_limit_is_said_never_silent() {
    let (_dir, publisher) = publisher("result_limit = 10\nmax_body_bytes = 2000");
    let server = Server::start(&publisher);
    let at = |accept: &str, q: &str| {
        http(&server.addr, "GET", &query(q), &[("Accept", accept)], b"").unwrap()
    };
    let json = at("application/sparql-results+json", TITLES);
    assert_eq!(json.header("vitrine-result-limit"), Some("10"));
    let value: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(value["results"]["bindings"].as_array().unwrap().len(), 10);
    assert_eq!(value["vitrine:truncated"], true);
    let xml = at("application/sparql-results+xml", TITLES).text();
    assert!(xml.trim_end().ends_with("-->"), "{xml}");
    assert!(xml.contains("truncated at the result limit of 10"));
    let csv = at("text/csv", TITLES);
    assert_eq!(csv.header("vitrine-result-truncated"), Some("true"));
    assert_eq!(csv.text().lines().count(), 11);
    let turtle = at("text/turtle", CONSTRUCT).text();
    assert!(turtle.contains("# vitrine: answer truncated"), "{turtle}");
    assert_eq!(graph(RdfFormat::Turtle, &turtle), 10);
    // Within the limit: no marker.
    let small = at("application/sparql-results+json", OBJECTS);
    let value: serde_json::Value = serde_json::from_slice(&small.body).unwrap();
    assert!(value.get("vitrine:truncated").is_none());
    assert!(small.header("vitrine-result-truncated").is_none());
    // A body over the limit: 413.
    let big = format!(
        "query={}",
        urlencode(&format!("{OBJECTS} #{}", "x".repeat(3000)))
    );
    let reply = http(
        &server.addr,
        "POST",
        "/sparql",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        big.as_bytes(),
    )
    .unwrap();
    assert_eq!(reply.status, 413);
}

#[test]
fn a_query_past_its_deadline_is_stopped_and_others_are_served() {
    let (_dir, publisher) =
        publisher("query_timeout = \"1s\"\nmax_concurrent_queries = 1\nqueue_timeout = \"200ms\"");
    let server = Server::start(&publisher);
    let addr = server.addr.clone();
    let started = Instant::now();
    let slow = std::thread::spawn(move || http(&addr, "GET", &query(CROSS), &[], b"").unwrap());
    std::thread::sleep(Duration::from_millis(300));
    // The only slot is busy: a second query waits 200 ms, then is told when to come back.
    let busy = http(&server.addr, "GET", &query(OBJECTS), &[], b"").unwrap();
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.header("retry-after"), Some("1"));
    // Pages and health do not wait for query slots.
    for path in ["/health", "/id/joconde/000PE000015", "/"] {
        assert_eq!(
            http(&server.addr, "GET", path, &[], b"").unwrap().status,
            200,
            "{path}"
        );
    }
    let slow = slow.join().unwrap();
    let elapsed = started.elapsed();
    assert_eq!(slow.status, 503, "{}", slow.text());
    assert!(slow.text().contains("time limit"), "{}", slow.text());
    assert!(
        elapsed < Duration::from_secs(5),
        "stopped after {elapsed:?}"
    );
    // The thread was given back: the next query is answered at once.
    let next = http(&server.addr, "GET", &query(OBJECTS), &[], b"").unwrap();
    assert_eq!(next.status, 200, "{}", next.text());
}

/// Every pair of triples, each pair tested with a regular expression compiled for it: the
/// engine reads nothing from the store for tens of seconds at a time.
const CROSS_REGEX: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y \
     FILTER(REGEX(STR(?x), CONCAT(SUBSTR(STR(?y), 1, 0), \"(a|b|c|d|e|f|g|h){1,30}(x{1,50}){1,20}z\"))) }";

#[test]
fn a_filter_over_a_cross_product_is_stopped_at_its_deadline() {
    let (_dir, publisher) =
        publisher("query_timeout = \"1s\"\nmax_concurrent_queries = 1\nqueue_timeout = \"10s\"");
    let server = Server::start(&publisher);
    let slow = http(&server.addr, "GET", &query(CROSS_REGEX), &[], b"").unwrap();
    assert_eq!(slow.status, 503, "{}", slow.text());
    // The only slot is given back when the evaluation has stopped, not when the answer left:
    // the next query waits for it.
    let started = Instant::now();
    let next = http(&server.addr, "GET", &query(OBJECTS), &[], b"").unwrap();
    assert_eq!(next.status, 200, "{}", next.text());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the evaluation went on for {:?} after its deadline",
        started.elapsed()
    );
}

#[test]
fn a_client_that_hangs_up_frees_its_query() {
    use std::io::{Read, Write};
    let (_dir, publisher) = publisher(
        "query_timeout = \"60s\"\nmax_concurrent_queries = 1\nqueue_timeout = \"5s\"\nresult_limit = 100000000",
    );
    let server = Server::start(&publisher);
    // A streamed cross product: read the first bytes, then hang up.
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n",
        query("SELECT * WHERE { ?a ?p ?x . ?b ?q ?y }")
    )
    .unwrap();
    let mut first = [0; 1024];
    let started = Instant::now();
    let n = stream.read(&mut first).unwrap();
    assert!(n > 0);
    drop(stream);
    // With one slot, the next query is answered only once the first one has stopped.
    let next = http(&server.addr, "GET", &query(OBJECTS), &[], b"").unwrap();
    assert_eq!(next.status, 200, "{}", next.text());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn answers_stream_and_repeated_ones_come_from_the_cache() {
    use std::io::{BufRead, BufReader, Write};
    let (_dir, publisher) = publisher("result_limit = 1000000\nquery_timeout = \"120s\"");
    let server = Server::start(&publisher);
    // 38,949² rows, cut at a million: the first bytes leave long before the last.
    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "GET {} HTTP/1.0\r\nHost: x\r\nAccept: application/sparql-results+json\r\n\r\n",
        query("SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?q ?y }")
    )
    .unwrap();
    let started = Instant::now();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let first = started.elapsed();
    assert!(line.contains(" 200 "), "{line}");
    // Streamed: the head leaves before the length is known.
    let mut head = String::new();
    while line.trim() != "" {
        line.clear();
        reader.read_line(&mut line).unwrap();
        head.push_str(&line);
    }
    assert!(
        !head.to_ascii_lowercase().contains("content-length"),
        "{head}"
    );
    let mut rest = Vec::new();
    std::io::Read::read_to_end(&mut reader, &mut rest).unwrap();
    let total = started.elapsed();
    assert!(rest.len() > 10_000_000, "{} bytes", rest.len());
    // A loose bound (the machine may be busy with other tests): most of the time is after the
    // first byte.
    assert!(
        first * 3 < total,
        "first byte after {first:?}, last after {total:?}"
    );
    // The same question twice: the second answer comes from the cache.
    let ask = || {
        http(
            &server.addr,
            "GET",
            &query(TITLES),
            &[("Accept", "text/csv")],
            b"",
        )
        .unwrap()
    };
    let first = ask();
    let second = ask();
    assert_eq!(first.header("vitrine-cache"), None);
    assert_eq!(second.header("vitrine-cache"), Some("hit"));
    assert_eq!(first.body, second.body);
    // A publication empties it.
    let ingest = vitrine(&publisher, &["ingest", "events"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    assert_eq!(ask().header("vitrine-cache"), None);
}

/// `SERVICE` reaches the endpoints the publisher lists, and only those: here a second vitrine
/// on loopback.
#[test]
fn federation_reaches_allowed_endpoints_only() {
    let (_remote_dir, remote) = publisher("");
    let remote = Server::start(&remote);
    let endpoint = format!("http://{}/sparql", remote.addr);
    let (_dir, publisher) = publisher(&format!(
        "federation = [\"{endpoint}\"]\nfederation_timeout = \"10s\""
    ));
    let server = Server::start(&publisher);
    let federated = format!(
        "SELECT (COUNT(?o) AS ?n) WHERE {{ SERVICE <{endpoint}> {{ ?o a <http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object> }} }}"
    );
    let reply = http(
        &server.addr,
        "GET",
        &query(&federated),
        &[("Accept", "text/csv")],
        b"",
    )
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.text(), "n\r\n694\r\n");
    let elsewhere = http(
        &server.addr,
        "GET",
        &query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
        &[],
        b"",
    )
    .unwrap();
    assert_eq!(elsewhere.status, 400, "{}", elsewhere.text());
    assert!(
        elsewhere.text().contains("not allowed"),
        "{}",
        elsewhere.text()
    );
    // The service description says it federates.
    let description = http(
        &server.addr,
        "GET",
        "/sparql",
        &[("Accept", "text/turtle")],
        b"",
    )
    .unwrap();
    assert!(description.text().contains("BasicFederatedQuery"));
}

/// Compressed answers end properly (the compression layer polls a body once more after its
/// end; a stream that panicked then left browsers waiting for the rest of the page).
fn compressed_answers_end() {
    for accept in ["application/sparql-results+json", "text/html", "text/csv"] {
        let reply = send(
            Request::get(query(TITLES))
                .header(header::ACCEPT, accept)
                .header(header::ACCEPT_ENCODING, "gzip")
                .body(Body::empty())
                .unwrap(),
        );
        assert_eq!(reply.status, StatusCode::OK, "{accept}");
        assert_eq!(header(&reply, "content-encoding"), "gzip", "{accept}");
    }
}

crate::backends::on_every_backend!(
    every_request_form,
    updates_are_refused_in_every_form_and_change_nothing,
    solutions_in_every_format,
    graphs_in_every_format,
    the_service_description,
    compressed_answers_end,
);
