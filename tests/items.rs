//! Item documents: content negotiation, paged incoming links, validators and caching, the
//! page's readable CIDOC-CRM, sitemap and dataset pages. Through the router (no socket).

use crate::util::{Reply, demo, fresh_demo, get_through, jsonld, send};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Dataset, Graph, Quad};

const ITEM: &str = "/id/joconde/000PE000015";

fn get(path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    get_through(demo().state(), path, headers)
}

fn h(reply: &Reply, name: header::HeaderName) -> &str {
    reply.headers.get(name).map_or("", |v| v.to_str().unwrap())
}

fn quads(format: RdfFormat, body: &str) -> Vec<Quad> {
    RdfParser::from_format(format)
        .for_slice(body.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{body}"))
}

/// The graph a document states, canonicalised so that two serialisations compare equal.
fn graph(format: RdfFormat, body: &str) -> Graph {
    let mut g: Graph = quads(format, body)
        .into_iter()
        .map(oxigraph::model::Triple::from)
        .collect();
    g.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    g
}

fn every_format_by_accept_suffix_and_parameter_agrees() {
    let cases = [
        ("text/turtle", "ttl", RdfFormat::Turtle),
        ("application/ld+json", "jsonld", jsonld()),
        ("application/rdf+xml", "rdf", RdfFormat::RdfXml),
        ("application/n-triples", "nt", RdfFormat::NTriples),
        ("application/n-quads", "nq", RdfFormat::NQuads),
    ];
    let reference = graph(
        RdfFormat::Turtle,
        &get(ITEM, &[(header::ACCEPT, "text/turtle")]).body,
    );
    assert!(reference.len() > 40, "{} triples", reference.len());
    for (media_type, suffix, format) in cases {
        let by_accept = get(ITEM, &[(header::ACCEPT, media_type)]);
        let by_suffix = get(
            &format!("{ITEM}.{suffix}"),
            &[(header::ACCEPT, "text/html")],
        );
        let by_param = get(
            &format!("{ITEM}?format={suffix}"),
            &[(header::ACCEPT, "text/html")],
        );
        for reply in [&by_accept, &by_suffix, &by_param] {
            assert_eq!(reply.status, StatusCode::OK, "{media_type}");
            assert_eq!(
                h(reply, header::CONTENT_TYPE),
                format!("{media_type}; charset=utf-8")
            );
            assert_eq!(
                graph(format, &reply.body),
                reference,
                "{media_type} states the same graph as Turtle"
            );
        }
        assert_eq!(h(&by_accept, header::VARY), "Accept");
        assert_eq!(
            h(&by_accept, header::CONTENT_LOCATION),
            format!("{ITEM}.{suffix}")
        );
        assert!(
            h(&by_accept, header::LINK).contains(&format!(
                "<{ITEM}.{suffix}>; rel=\"describedby\"; type=\"{media_type}\""
            )),
            "{}",
            h(&by_accept, header::LINK)
        );
    }
    // N-Quads names the dataset each statement comes from.
    let nq = get(&format!("{ITEM}.nq"), &[]);
    let graph_name = format!("<{}graph/joconde>", demo().config.base_iri.as_str());
    assert!(
        quads(RdfFormat::NQuads, &nq.body)
            .iter()
            .any(|q| q.graph_name.to_string() == graph_name)
    );
    // q-values and wildcards.
    let preferred = get(
        ITEM,
        &[(
            header::ACCEPT,
            "text/turtle;q=0.4, application/n-triples;q=0.9, */*;q=0.1",
        )],
    );
    assert!(h(&preferred, header::CONTENT_TYPE).starts_with("application/n-triples"));
    let refused = get(ITEM, &[(header::ACCEPT, "image/png")]);
    assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
    assert!(
        refused.body.contains("application/n-quads"),
        "{}",
        refused.body
    );
}

fn the_description_closes_over_the_items_parts_and_names_its_links() {
    let base = demo().config.base_iri.as_str().to_owned();
    let turtle = get(ITEM, &[(header::ACCEPT, "text/turtle")]);
    let g = quads(RdfFormat::Turtle, &turtle.body);
    let has = |s: &str, p: &str| {
        g.iter()
            .any(|q| q.subject.to_string() == s && q.predicate.as_str() == p)
    };
    // The production (a node minted under the item) is described with it…
    let production = format!("<{base}id/joconde/000PE000015/production>");
    assert!(has(
        &production,
        "http://www.cidoc-crm.org/cidoc-crm/P14_carried_out_by"
    ));
    // …the artist it links to is labelled…
    assert!(has(
        &format!("<{base}id/agent/andre-albert>"),
        "http://www.w3.org/2000/01/rdf-schema#label"
    ));
    // …and the incoming links are counted, on their own document.
    assert!(has(
        &format!("<{base}id/joconde/000PE000015?inbound>"),
        "http://www.w3.org/ns/hydra/core#totalItems"
    ));
}

fn incoming_links_are_paged_with_next_and_previous() {
    let artist = "/id/agent/moreau-gustave";
    let first = get(
        &format!("{artist}?inbound"),
        &[(header::ACCEPT, "text/turtle")],
    );
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let q = quads(RdfFormat::Turtle, &first.body);
    let total: usize = q
        .iter()
        .find(|q| q.predicate.as_str() == "http://www.w3.org/ns/hydra/core#totalItems")
        .map(|q| match &q.object {
            oxigraph::model::Term::Literal(l) => l.value().parse().unwrap(),
            _ => 0,
        })
        .unwrap();
    assert!(total > 288, "{total} incoming links");
    let page_size = 100;
    let statements = |q: &[Quad]| {
        q.iter()
            .filter(|q| q.object.to_string().ends_with("id/agent/moreau-gustave>"))
            .count()
    };
    assert_eq!(statements(&q), page_size);
    assert!(h(&first, header::LINK).contains("page=2>; rel=\"next\""));
    let pages = total.div_ceil(page_size);
    let last = get(
        &format!("{artist}?inbound&page={pages}"),
        &[(header::ACCEPT, "text/turtle")],
    );
    let last_quads = quads(RdfFormat::Turtle, &last.body);
    assert_eq!(statements(&last_quads), total - (pages - 1) * page_size);
    assert!(h(&last, header::LINK).contains("rel=\"prev\""));
    assert!(!h(&last, header::LINK).contains("rel=\"next\""));
    // Every page together lists every incoming link once.
    let mut all = std::collections::HashSet::new();
    for page in 1..=pages {
        let reply = get(
            &format!("{artist}?inbound&page={page}"),
            &[(header::ACCEPT, "application/n-triples")],
        );
        for q in quads(RdfFormat::NTriples, &reply.body) {
            if q.object.to_string().ends_with("id/agent/moreau-gustave>") {
                all.insert(q.to_string());
            }
        }
    }
    assert_eq!(all.len(), total);
    // The page for people says there are more, and links to them.
    let html = get(artist, &[(header::ACCEPT, "text/html")]);
    assert!(html.body.contains("?inbound&amp;page=2"), "{}", html.body);
    let html2 = get(
        &format!("{artist}?inbound&page=2"),
        &[(header::ACCEPT, "text/html")],
    );
    assert_eq!(html2.status, StatusCode::OK);
    assert!(html2.body.contains("page 2 sur"), "{}", html2.body);
}

fn validators_answer_304_and_change_only_with_a_new_publication() {
    let d = fresh_demo().unwrap();
    let fetch = |headers: &[(header::HeaderName, &str)]| {
        let mut request = Request::get(ITEM).header(header::ACCEPT, "text/turtle");
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        send(
            vitrine::server::app(d.state()),
            request.body(Body::empty()).unwrap(),
        )
    };
    let first = fetch(&[]);
    let tag = h(&first, header::ETAG).to_owned();
    assert!(tag.starts_with('"'), "{tag}");
    assert!(h(&first, header::CACHE_CONTROL).contains("max-age="));
    let modified = h(&first, header::LAST_MODIFIED).to_owned();
    assert!(!modified.is_empty());
    // Same validator from another server over the same store (a restart).
    let again = fetch(&[]);
    assert_eq!(h(&again, header::ETAG), tag);
    let not_modified = fetch(&[(header::IF_NONE_MATCH, &tag)]);
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert!(not_modified.body.is_empty());
    assert_eq!(h(&not_modified, header::ETAG), tag);
    assert_eq!(
        fetch(&[(header::IF_MODIFIED_SINCE, &modified)]).status,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(
        fetch(&[(header::IF_NONE_MATCH, "\"something-else\"")]).status,
        StatusCode::OK
    );
    // A page in another format or language is another representation.
    let html = send(
        vitrine::server::app(d.state()),
        Request::get(ITEM)
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap(),
    );
    assert_ne!(h(&html, header::ETAG), tag);
    // Publishing again changes it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    vitrine::ingest::ingest(&d.config, &d.store, &d.config.datasets[0], &|_| {}).unwrap();
    let after = fetch(&[(header::IF_NONE_MATCH, &tag)]);
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(h(&after, header::ETAG), tag);
}

fn head_answers_the_same_headers_without_a_body() {
    let head = send(
        vitrine::server::app(demo().state()),
        Request::head(ITEM)
            .header(header::ACCEPT, "text/turtle")
            .body(Body::empty())
            .unwrap(),
    );
    let get_reply = get(ITEM, &[(header::ACCEPT, "text/turtle")]);
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    for name in [
        header::CONTENT_TYPE,
        header::ETAG,
        header::LINK,
        header::CONTENT_LOCATION,
        header::VARY,
    ] {
        assert_eq!(h(&head, name.clone()), h(&get_reply, name));
    }
}

fn see_other_style_redirects_things_to_their_documents() {
    let d = fresh_demo().unwrap();
    let mut config = d.config.clone();
    config.server.see_other = true;
    let state = vitrine::server::AppState::new(d.store.clone(), config);
    let thing = send(
        vitrine::server::app(state.clone()),
        Request::get(ITEM).body(Body::empty()).unwrap(),
    );
    assert_eq!(thing.status, StatusCode::SEE_OTHER);
    assert_eq!(h(&thing, header::LOCATION), "/doc/id/joconde/000PE000015");
    let doc = send(
        vitrine::server::app(state),
        Request::get("/doc/id/joconde/000PE000015")
            .header(header::ACCEPT, "application/n-triples")
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(
        h(&doc, header::CONTENT_LOCATION),
        "/doc/id/joconde/000PE000015.nt"
    );
    let ds: Dataset = quads(RdfFormat::NTriples, &doc.body).into_iter().collect();
    assert!(ds.len() > 40);
}

fn unknown_items_are_404_for_people_and_machines() {
    let page = get("/id/joconde/NOPE", &[(header::ACCEPT, "text/html")]);
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let rdf = get("/id/joconde/NOPE", &[(header::ACCEPT, "text/turtle")]);
    assert_eq!(rdf.status, StatusCode::NOT_FOUND);
    // An IRI no parser would accept is not looked up at all.
    assert_eq!(
        get("/id/joconde/a%20b%3Cc", &[]).status,
        StatusCode::NOT_FOUND
    );
}

fn a_painting_page_reads_its_production_and_tells_search_engines() {
    let page = get(
        ITEM,
        &[
            (header::ACCEPT, "text/html"),
            (header::ACCEPT_LANGUAGE, "en"),
        ],
    );
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(
        body.contains("<title>L&#x27;Escalier Daru, au Louvre"),
        "{body}"
    );
    // The artist and the date, read through the production, in the summary.
    assert!(body.contains("class=\"makers\""), "{body}");
    assert!(body.contains("ANDRE Albert"));
    assert!(body.contains("class=\"dates\">1890"), "{body}");
    // The production's own properties are shown inside it, labelled in English.
    assert!(body.contains("carried out by"), "{body}");
    // Embedded schema.org for search engines.
    let json = body
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(json["@type"], "VisualArtwork");
    assert_eq!(json["creator"][0]["name"], "ANDRE Albert");
    // Dataset, licence and the way to query it.
    assert!(
        body.contains("href=\"&#x2f;dataset&#x2f;joconde\"")
            || body.contains("href=\"/dataset/joconde\""),
        "{body}"
    );
    assert!(body.contains("rel=\"license\""));
    assert!(body.contains("&#x2f;sparql?query=") || body.contains("/sparql?query="));
}

fn sitemap_and_robots_list_every_item_page() {
    let robots = get("/robots.txt", &[]);
    assert!(robots.body.contains("Sitemap: https://"), "{}", robots.body);
    let sitemap = get("/sitemap.xml", &[]);
    assert_eq!(sitemap.status, StatusCode::OK);
    assert!(h(&sitemap, header::CONTENT_TYPE).starts_with("application/xml"));
    let urls = sitemap.body.matches("<url>").count();
    // Every painting, and no part of one (its production, its dimensions).
    assert!(urls >= 694, "{urls} URLs");
    assert!(sitemap.body.contains("id/joconde/000PE000015</loc>"));
    assert!(!sitemap.body.contains("000PE000015/production"));
    assert_eq!(get("/sitemap/2", &[]).status, StatusCode::NOT_FOUND);
}

fn a_dataset_page_counts_its_classes_and_shows_its_validation() {
    let page = get("/dataset/joconde", &[(header::ACCEPT, "text/html")]);
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("<span class=\"records\">694</span>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"classes\""));
    assert!(
        page.body.contains("&#x2f;id&#x2f;joconde&#x2f;"),
        "sample items link to pages"
    );
    assert!(page.body.contains("/validation/joconde"));
    let provenance = get("/dataset/joconde", &[(header::ACCEPT, "text/turtle")]);
    assert!(provenance.body.contains("prov:"), "{}", provenance.body);
    assert_eq!(get("/dataset/nope", &[]).status, StatusCode::NOT_FOUND);
}

fn search_folds_case_and_accents_ranks_and_pages() {
    let json = |query: &str| -> serde_json::Value {
        let reply = get(
            &format!("/search?{query}"),
            &[(header::ACCEPT, "application/json")],
        );
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    };
    // Case does not matter; the artist comes first (his name is his label), then his works
    // (found through their maker's name).
    let lower = json("q=monet");
    let upper = json("q=MONET");
    assert_eq!(lower["results"], upper["results"]);
    assert_eq!(lower["results"][0]["href"], "/id/agent/monet-claude");
    assert!(lower["total"].as_u64().unwrap() > 1, "{lower}");
    assert!(
        lower["kinds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["value"] == "object"),
        "{lower}"
    );
    // Accents: a query without them finds titles with them, and the other way round.
    let plain = json("q=dejeuner");
    let accented = json("q=d%C3%A9jeuner");
    assert!(plain["total"].as_u64().unwrap() >= 1, "{plain}");
    assert_eq!(plain["total"], accented["total"]);
    assert!(
        plain["results"][0]["label"]
            .as_str()
            .unwrap()
            .contains("Déjeuner"),
        "{plain}"
    );
    // A word in the middle of a title.
    let word = json("q=escalier");
    assert!(
        word["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["href"] == "/id/joconde/000PE000015"),
        "{word}"
    );
    // Facets filter; pages follow each other without overlap.
    let persons = json("q=monet&kind=person");
    assert_eq!(persons["total"], 1);
    let broad = json("q=portrait");
    let total = broad["total"].as_u64().unwrap() as usize;
    assert!(total > 20, "{broad}");
    let second = json("q=portrait&page=2");
    assert_eq!(second["page"], 2);
    assert_ne!(broad["results"][0], second["results"][0]);
    // The page for people.
    let page = get("/search?q=monet", &[(header::ACCEPT, "text/html")]);
    assert!(
        page.body
            .contains("href=\"&#x2f;id&#x2f;agent&#x2f;monet-claude\"")
            || page.body.contains("href=\"/id/agent/monet-claude\""),
        "{}",
        page.body
    );
    // Query syntax is not an error.
    assert_eq!(json("q=%22unclosed%20(")["total"], 0);
}

crate::backends::on_every_backend!(
    every_format_by_accept_suffix_and_parameter_agrees,
    the_description_closes_over_the_items_parts_and_names_its_links,
    incoming_links_are_paged_with_next_and_previous,
    validators_answer_304_and_change_only_with_a_new_publication,
    head_answers_the_same_headers_without_a_body,
    see_other_style_redirects_things_to_their_documents,
    unknown_items_are_404_for_people_and_machines,
    a_painting_page_reads_its_production_and_tells_search_engines,
    sitemap_and_robots_list_every_item_page,
    a_dataset_page_counts_its_classes_and_shows_its_validation,
    search_folds_case_and_accents_ranks_and_pages,
);
