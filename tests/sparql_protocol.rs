//! The W3C SPARQL 1.1 Protocol and Service Description tests, run against the real binary over
//! HTTP on loopback, from `../shared/conformance/sparql-protocol/` (skipped cleanly without it).
//!
//! The suite's data, `data1.nt`–`data3.nt`, is published as three datasets given as RDF files
//! that keep the suite's graph names (`graph = "http://kasei.us/2009/09/sparql/data/dataN.rdf"`),
//! so the manifest's requests run unchanged (their `/sparql/` paths go to `/sparql`).
//!
//! The endpoint is read-only: the seven valid-update tests must be refused with a 4xx, and
//! their own follow-up `ASK` (which expects `true` after the update) must then answer `false`,
//! showing that nothing changed; `CLEAR ALL` tests are followed by a check that the data is
//! still there.

use crate::backends::{Kind, unique_base};
use crate::util::{Exchange, Server, http, shared_conformance, stderr, vitrine, write};
use serde_json::Value;

/// What one request of the suite expects, met or not.
fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "StatusCode2xx",
        300..=399 => "StatusCode3xx",
        400..=499 => "StatusCode4xx",
        _ => "StatusCode5xx",
    }
}

fn send(addr: &str, request: &Value) -> Exchange {
    let method = request["method"].as_str().unwrap();
    let path = request["path"]
        .as_str()
        .unwrap()
        .replacen("/sparql/", "/sparql", 1);
    let headers: Vec<(String, String)> = request["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let body = request["body"].as_str().unwrap_or("");
    let bytes: Vec<u8> = match request["body_encoding"].as_str() {
        Some("UTF-16") => body.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
        _ => body.as_bytes().to_vec(),
    };
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    http(addr, method, &path, &headers, &bytes).unwrap()
}

/// The boolean of an ASK answer in SPARQL JSON (the endpoint's default for ASK).
fn boolean(reply: &Exchange) -> Option<bool> {
    let json: Value = serde_json::from_slice(&reply.body).ok()?;
    json["boolean"].as_bool()
}

/// Whether a 2xx answer has the expected format.
fn format_ok(reply: &Exchange, format: &str) -> bool {
    let content_type = reply.header("content-type").unwrap_or("");
    match format {
        "boolean" => boolean(reply).is_some(),
        "tabular" => {
            serde_json::from_slice::<Value>(&reply.body).is_ok_and(|j| j["head"]["vars"].is_array())
        }
        "RDF" => {
            let Some(format) = oxigraph::io::RdfFormat::from_media_type(content_type) else {
                return false;
            };
            oxigraph::io::RdfParser::from_format(format)
                .for_slice(&reply.body)
                .all(|q| q.is_ok())
        }
        _ => true,
    }
}

#[test]
#[ignore = "needs ../shared/conformance; .ci/run runs it"]
fn sparql_protocol_conformance() {
    protocol_suite(None);
}

#[test]
#[ignore = "needs ../shared/conformance and Virtuoso; .ci/run runs it"]
fn sparql_protocol_conformance_on_virtuoso() {
    protocol_suite(Some(Kind::Virtuoso));
}

#[test]
#[ignore = "needs ../shared/conformance and `oxigraph serve`; .ci/run runs it"]
fn sparql_protocol_conformance_on_oxigraph_server() {
    protocol_suite(Some(Kind::Oxigraph));
}

/// The suite through vitrine, its datasets in the embedded store or in a remote one.
fn protocol_suite(backend: Option<Kind>) {
    let label = match backend {
        None => "",
        Some(Kind::Virtuoso) => " (on Virtuoso)",
        Some(Kind::Oxigraph) => " (on oxigraph serve)",
    };
    let suite = shared_conformance().join("sparql-protocol");
    let Ok(json) = std::fs::read_to_string(suite.join("protocol-tests.json")) else {
        println!(
            "conformance sparql-protocol: skipped (no {})",
            suite.display()
        );
        return;
    };
    let tests: Value = serde_json::from_str(&json).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = match backend {
        None => String::from(
            "base_iri = \"https://data.example.org/\"\n[publisher]\nname = \"W3C protocol tests\"\n[store]\npath = \"store\"\n",
        ),
        Some(kind) => format!(
            "base_iri = \"{}\"\n[publisher]\nname = \"W3C protocol tests\"\n{}",
            unique_base(),
            kind.store_table()
        ),
    };
    for n in 1..=3 {
        let data = suite.join(format!("sparql/sparql11/protocol/data{n}.nt"));
        std::fs::copy(&data, dir.path().join(format!("data{n}.nt"))).unwrap();
        config.push_str(&format!(
            "[[datasets]]\nid = \"data{n}\"\ntitle = {{ en = \"data{n}\" }}\nlicense = \"https://www.w3.org/copyright/software-license-2023/\"\n\
             sources = [\"data{n}.nt\"]\ngraph = \"http://kasei.us/2009/09/sparql/data/data{n}.rdf\"\n"
        ));
    }
    write(&dir.path().join("vitrine.toml"), &config);
    let ingest = vitrine(dir.path(), &["ingest"]);
    assert_eq!(ingest.status.code(), Some(0), "{}", stderr(&ingest));
    let server = Server::start(dir.path());
    let still_there = || {
        let reply = http(
            &server.addr,
            "GET",
            "/sparql?query=ASK%20%7B%20GRAPH%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
            &[],
            b"",
        )
        .unwrap();
        boolean(&reply) == Some(true)
    };
    let (mut queries, mut queries_passed, mut updates, mut updates_refused) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for test in tests["tests"].as_array().unwrap() {
        let id = test["id"].as_str().unwrap();
        let requests = test["requests"].as_array().unwrap();
        // A valid update: its first request is an update the suite expects to succeed.
        let first = &requests[0];
        let is_update = |r: &Value| {
            r["headers"]["content-type"].as_str() == Some("application/sparql-update")
                || r["body"].as_str().is_some_and(|b| b.starts_with("update="))
        };
        let valid_update = is_update(first)
            && first["expect"]["status"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "StatusCode2xx");
        if valid_update {
            updates += 1;
            let mut ok = true;
            for request in requests {
                let reply = send(&server.addr, request);
                if is_update(request) {
                    ok &= (400..500).contains(&reply.status);
                } else if request["expect"]["boolean"].as_bool() == Some(true) {
                    // The follow-up ASK: what the update would have made is not there.
                    ok &= boolean(&reply) == Some(false);
                }
            }
            ok &= still_there();
            if ok {
                updates_refused += 1;
            } else {
                failures.push(format!("{id} (update not refused cleanly)"));
            }
            continue;
        }
        queries += 1;
        let mut ok = true;
        for request in requests {
            let reply = send(&server.addr, request);
            let expect = &request["expect"];
            let class = status_class(reply.status);
            let statuses = expect["status"].as_array().unwrap();
            if !statuses.iter().any(|s| s == class) {
                ok = false;
                failures.push(format!(
                    "{id}: status {} ({})",
                    reply.status,
                    reply.text().trim()
                ));
                continue;
            }
            if reply.status >= 300 {
                continue;
            }
            if let Some(format) = expect["format"].as_str() {
                if !format_ok(&reply, format) {
                    ok = false;
                    failures.push(format!(
                        "{id}: not {format}: {} {}",
                        reply.header("content-type").unwrap_or(""),
                        reply.text()
                    ));
                }
            }
            if let Some(expected) = expect["boolean"].as_bool() {
                if boolean(&reply) != Some(expected) {
                    ok = false;
                    failures.push(format!("{id}: expected {expected}: {}", reply.text()));
                }
            }
        }
        if ok {
            queries_passed += 1;
        }
    }
    // The service description checks: RDF on GET, the endpoint named, named graphs named.
    let description = http(&server.addr, "GET", "/sparql", &[], b"").unwrap();
    let store = oxigraph::store::Store::new().unwrap();
    let sd_checks = [
        ("returns RDF", format_ok(&description, "RDF")),
        ("names its endpoint", {
            let format = oxigraph::io::RdfFormat::from_media_type(
                description.header("content-type").unwrap_or(""),
            )
            .unwrap_or(oxigraph::io::RdfFormat::Turtle);
            store.load_from_slice(format, &description.body).is_ok()
                && ask(
                    &store,
                    &format!("ASK {{ ?s sd:endpoint <http://{}/sparql> }}", server.addr),
                )
        }),
        (
            "names every named graph",
            !ask(
                &store,
                "ASK { ?g a sd:NamedGraph FILTER NOT EXISTS { ?g sd:name ?n } }",
            ) && ask(
                &store,
                "ASK { ?g a sd:NamedGraph ; sd:name <http://kasei.us/2009/09/sparql/data/data1.rdf> }",
            ),
        ),
    ];
    let sd_passed = sd_checks.iter().filter(|(_, ok)| *ok).count();
    for (name, ok) in &sd_checks {
        if !ok {
            failures.push(format!("service description: {name}"));
        }
    }
    println!(
        "conformance sparql-protocol{label}: {queries_passed}/{queries} query and malformed-request tests passed; \
         {updates_refused}/{updates} valid-update tests refused with a 4xx, nothing changed"
    );
    println!("conformance sparql-service-description{label}: {sd_passed}/3 checks passed");
    assert!(failures.is_empty(), "{failures:#?}");
}

fn ask(store: &oxigraph::store::Store, query: &str) -> bool {
    let query = format!("PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> {query}");
    matches!(
        oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(&query)
            .unwrap()
            .on_store(store)
            .execute()
            .unwrap(),
        oxigraph::sparql::QueryResults::Boolean(true)
    )
}
