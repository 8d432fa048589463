//! `/oai`, the OAI-PMH 2.0 repository, through the router on the demo with its three datasets:
//! each verb, each error the protocol names, paging with resumption tokens, `from`/`until`,
//! `set`, GET and POST, and the EDM records read back as RDF/XML. The protocol's XML schema is
//! not fetched (no network): the assertions follow its text.

use crate::util::{self, Demo, send};
use axum::body::Body;
use axum::http::{Request, header};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNodeRef, TermRef};
use regex::Regex;
use std::sync::OnceLock;
use vitrine::store::items;

/// The demo with all three datasets published (joconde, gallica, events).
fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let demo = util::fresh_demo().expect("the demo ingests");
        for dataset in &demo.config.datasets[1..] {
            vitrine::ingest::ingest(&demo.config, &demo.store, dataset, &|_| {}).unwrap();
        }
        demo
    })
}

fn get(query: &str) -> String {
    let reply = send(
        vitrine::server::app(demo().state()),
        Request::get(format!("/oai?{query}"))
            .header(header::HOST, "oai.test")
            .body(Body::empty())
            .unwrap(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "text/xml; charset=utf-8"
    );
    reply.body
}

/// The text of every `<name>` element.
fn all(xml: &str, name: &str) -> Vec<String> {
    Regex::new(&format!("<{name}(?: [^>]*)?>([^<]*)</{name}>"))
        .unwrap()
        .captures_iter(xml)
        .map(|c| quick_xml::escape::unescape(&c[1]).unwrap().into_owned())
        .collect()
}

fn one(xml: &str, name: &str) -> String {
    let found = all(xml, name);
    assert_eq!(found.len(), 1, "{name} in {xml}");
    found[0].clone()
}

/// The error code of an answer, if it is an error.
fn error_code(xml: &str) -> Option<String> {
    Regex::new(r#"<error code="([A-Za-z]+)">"#)
        .unwrap()
        .captures(xml)
        .map(|c| c[1].to_owned())
}

/// The `<resumptionToken …>` of an answer: (token, completeListSize, cursor).
fn token(xml: &str) -> Option<(String, usize, usize)> {
    let c = Regex::new(
        r#"<resumptionToken completeListSize="(\d+)" cursor="(\d+)"(?:/>|>([^<]*)</resumptionToken>)"#,
    )
    .unwrap()
    .captures(xml)?;
    Some((
        c.get(3).map_or("", |m| m.as_str()).to_owned(),
        c[1].parse().unwrap(),
        c[2].parse().unwrap(),
    ))
}

fn records_of(dataset: &str) -> Vec<String> {
    let demo = demo();
    let all = items::list(&demo.store).unwrap();
    items::of_dataset(&all, demo.store.names(), dataset)
        .iter()
        .map(|n| n.as_str().to_owned())
        .collect()
}

/// Every identifier of a list, following its tokens; checks each page's token.
fn harvest(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut xml = get(query);
    let verb = if query.contains("ListRecords") {
        "ListRecords"
    } else {
        "ListIdentifiers"
    };
    // Each record's identifier as its header gives it (a record's metadata names it too).
    let header = Regex::new(r"<header><identifier>([^<]*)</identifier>").unwrap();
    loop {
        assert_eq!(error_code(&xml), None, "{xml}");
        let headers: Vec<String> = header
            .captures_iter(&xml)
            .map(|c| quick_xml::escape::unescape(&c[1]).unwrap().into_owned())
            .collect();
        assert!(headers.len() <= 100);
        let cursor_before = out.len();
        out.extend(headers);
        match token(&xml) {
            Some((t, size, cursor)) => {
                assert_eq!(cursor, cursor_before);
                if t.is_empty() {
                    assert_eq!(size, out.len());
                    return out;
                }
                xml = get(&format!(
                    "verb={verb}&resumptionToken={}",
                    util::urlencode(&t)
                ));
            }
            None => return out,
        }
    }
}

#[test]
fn identify_names_the_repository() {
    let xml = get("verb=Identify");
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(xml.contains(r#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/""#));
    assert!(xml.contains(
        "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    ));
    assert_eq!(one(&xml, "repositoryName"), demo().config.publisher.name);
    assert_eq!(one(&xml, "baseURL"), "http://oai.test/oai");
    assert_eq!(one(&xml, "protocolVersion"), "2.0");
    assert_eq!(one(&xml, "adminEmail"), "opendata@example.org");
    assert_eq!(one(&xml, "deletedRecord"), "no");
    assert_eq!(one(&xml, "granularity"), "YYYY-MM-DDThh:mm:ssZ");
    let earliest = one(&xml, "earliestDatestamp");
    assert!(
        Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            .unwrap()
            .is_match(&earliest),
        "{earliest}"
    );
    assert!(
        Regex::new(r#"<request verb="Identify">http://oai.test/oai</request>"#)
            .unwrap()
            .is_match(&xml)
    );
}

#[test]
fn formats_and_sets() {
    let xml = get("verb=ListMetadataFormats");
    assert_eq!(all(&xml, "metadataPrefix"), ["oai_dc", "edm"]);
    assert!(xml.contains("<schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"));
    let painting = &records_of("joconde")[0];
    let xml = get(&format!(
        "verb=ListMetadataFormats&identifier={}",
        util::urlencode(painting)
    ));
    assert_eq!(all(&xml, "metadataPrefix"), ["oai_dc", "edm"]);
    // A performance is no object Europeana aggregates: Dublin Core only.
    let event = &records_of("events")[0];
    let xml = get(&format!(
        "verb=ListMetadataFormats&identifier={}",
        util::urlencode(event)
    ));
    assert_eq!(all(&xml, "metadataPrefix"), ["oai_dc"]);
    let xml = get(
        "verb=ListMetadataFormats&identifier=https%3A%2F%2Fdata.example.org%2Fid%2Fjoconde%2Fnone",
    );
    assert_eq!(error_code(&xml).as_deref(), Some("idDoesNotExist"));

    let xml = get("verb=ListSets");
    assert_eq!(
        all(&xml, "setSpec"),
        ["documents", "events", "gallica", "herbarium", "joconde"]
    );
    assert!(
        all(&xml, "setName")
            .contains(&"Peintures des musées de France (extrait Joconde)".to_owned())
    );
}

#[test]
fn lists_page_through_every_record_of_every_set() {
    let mut everything = Vec::new();
    for set in ["documents", "events", "gallica", "herbarium", "joconde"] {
        let expected = records_of(set);
        assert!(!expected.is_empty());
        let listed = harvest(&format!(
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set={set}"
        ));
        assert_eq!(listed, expected, "{set}");
        everything.extend(expected);
    }
    // No parts of items (`…/production`), no shared agents or places.
    assert!(
        everything
            .iter()
            .all(|i| !i.contains("/production") && !i.contains("/id/agent/"))
    );
    let joconde = get("verb=ListIdentifiers&metadataPrefix=oai_dc&set=joconde");
    let (first, size, cursor) = token(&joconde).expect("694 records make pages");
    assert_eq!((size, cursor), (records_of("joconde").len(), 0));
    assert!(!first.is_empty());
    assert_eq!(all(&joconde, "identifier").len(), 100);
    // The whole repository, and the same through ListRecords.
    let whole = harvest("verb=ListIdentifiers&metadataPrefix=oai_dc");
    assert_eq!(whole, everything);
    let records = harvest("verb=ListRecords&metadataPrefix=oai_dc&set=gallica");
    assert_eq!(records, records_of("gallica"));
    // EDM: the records that have one; the events have none.
    let edm = harvest("verb=ListIdentifiers&metadataPrefix=edm");
    let eligible = vitrine::reuse::edm::eligible(&demo().store, &demo().config).unwrap();
    assert_eq!(edm.len(), eligible.len());
    assert!(edm.len() > 700, "{}", edm.len());
    let xml = get("verb=ListRecords&metadataPrefix=edm&set=events");
    assert_eq!(error_code(&xml).as_deref(), Some("noRecordsMatch"));
}

#[test]
fn from_and_until_select_on_publication_times() {
    let xml = get("verb=ListIdentifiers&metadataPrefix=oai_dc&set=gallica");
    let stamp = all(&xml, "datestamp")[0].clone();
    let view = demo().store.published();
    let published = view.get("gallica").unwrap().published_at().unwrap();
    assert_eq!(
        stamp,
        humantime::format_rfc3339_seconds(published).to_string()
    );
    let shift = |secs: i64| {
        let t = if secs < 0 {
            published - std::time::Duration::from_secs(secs.unsigned_abs())
        } else {
            published + std::time::Duration::from_secs(secs as u64)
        };
        humantime::format_rfc3339_seconds(t).to_string()
    };
    let count = |query: &str| harvest(query).len();
    let gallica = records_of("gallica").len();
    assert_eq!(
        count(&format!(
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=gallica&from={stamp}&until={stamp}"
        )),
        gallica
    );
    for query in [
        format!(
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=gallica&from={}",
            shift(1)
        ),
        format!(
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=gallica&until={}",
            shift(-1)
        ),
        "verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01".to_owned(),
    ] {
        assert_eq!(
            error_code(&get(&query)).as_deref(),
            Some("noRecordsMatch"),
            "{query}"
        );
    }
    let day = &stamp[..10];
    assert_eq!(
        count(&format!(
            "verb=ListIdentifiers&metadataPrefix=oai_dc&set=gallica&from={day}&until={day}"
        )),
        gallica
    );
}

#[test]
fn errors_are_the_ones_the_protocol_names() {
    for (query, code) in [
        ("", "badVerb"),
        ("verb=Harvest", "badVerb"),
        ("verb=Identify&verb=Identify", "badVerb"),
        ("verb=Identify&set=x", "badArgument"),
        ("verb=ListRecords", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=edm",
            "badArgument",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
            "badArgument",
        ),
        ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=urn%3Ax",
            "idDoesNotExist",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=nope",
            "noRecordsMatch",
        ),
        (
            "verb=ListRecords&resumptionToken=bm90IGEgdG9rZW4",
            "badResumptionToken",
        ),
        ("verb=ListSets&resumptionToken=x", "badResumptionToken"),
        ("verb=Identify&%FF%FE=%C3%28", "badArgument"),
    ] {
        let xml = get(query);
        assert_eq!(error_code(&xml).as_deref(), Some(code), "{query}: {xml}");
        if matches!(code, "badVerb" | "badArgument") {
            // The request element then carries no attribute (section 3.6).
            assert!(
                xml.contains("<request>http://oai.test/oai</request>"),
                "{xml}"
            );
        }
    }
    let event = &records_of("events")[0];
    let xml = get(&format!(
        "verb=GetRecord&metadataPrefix=edm&identifier={}",
        util::urlencode(event)
    ));
    assert_eq!(error_code(&xml).as_deref(), Some("cannotDisseminateFormat"));
    // Arguments are escaped where they are echoed.
    let xml = get("verb=ListRecords&metadataPrefix=%3Cx%20a%3D%22%26%22%3E");
    assert!(
        xml.contains(r#"metadataPrefix="&lt;x a=&quot;&amp;&quot;&gt;""#),
        "{xml}"
    );
}

#[test]
fn post_takes_the_same_arguments_as_a_form() {
    let painting = &records_of("joconde")[0];
    let form = format!(
        "verb=GetRecord&metadataPrefix=oai_dc&identifier={}",
        util::urlencode(painting)
    );
    let reply = send(
        vitrine::server::app(demo().state()),
        Request::post("/oai")
            .header(header::HOST, "oai.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.clone()))
            .unwrap(),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(error_code(&reply.body), None, "{}", reply.body);
    // Same record as by GET (the response date aside).
    let strip = |x: &str| {
        Regex::new("<responseDate>[^<]*</responseDate>")
            .unwrap()
            .replace(x, "")
            .into_owned()
    };
    assert_eq!(strip(&reply.body), strip(&get(&form)));
    assert!(reply.body.contains("<oai_dc:dc "));
    assert!(all(&reply.body, "dc:identifier").contains(painting));
    assert!(!all(&reply.body, "dc:title").is_empty());
}

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const EDM: &str = "http://www.europeana.eu/schemas/edm/";
const ORE: &str = "http://www.openarchives.org/ore/terms/";

/// The EDM record in a GetRecord answer, parsed as RDF/XML.
fn edm_record(item: &str) -> Graph {
    let xml = get(&format!(
        "verb=GetRecord&metadataPrefix=edm&identifier={}",
        util::urlencode(item)
    ));
    assert_eq!(error_code(&xml), None, "{xml}");
    let start = xml.find("<rdf:RDF").expect("an rdf:RDF element");
    let end = xml.find("</rdf:RDF>").unwrap() + "</rdf:RDF>".len();
    RdfParser::from_format(RdfFormat::RdfXml)
        .for_slice(&xml.as_bytes()[start..end])
        .map(|q| q.map(oxigraph::model::Triple::from))
        .collect::<Result<Graph, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

fn objects<'a>(g: &'a Graph, s: &str, p: &str) -> Vec<TermRef<'a>> {
    g.objects_for_subject_predicate(NamedNodeRef::new(s).unwrap(), NamedNodeRef::new(p).unwrap())
        .collect()
}

fn has_type(g: &Graph, s: &str, class: &str) -> bool {
    objects(g, s, RDF_TYPE).contains(&TermRef::NamedNode(NamedNodeRef::new(class).unwrap()))
}

fn literal(t: &TermRef<'_>) -> String {
    match t {
        TermRef::Literal(l) => l.value().to_owned(),
        other => panic!("{other} is not a literal"),
    }
}

#[test]
fn edm_records_are_a_cho_an_aggregation_and_a_web_resource() {
    // The painting of ARCHITECTURE's example: an image, a keeper, a licence.
    let painting = "https://data.example.org/id/joconde/11040000343";
    let g = edm_record(painting);
    assert!(has_type(&g, painting, &format!("{EDM}ProvidedCHO")));
    let aggregation = format!("{painting}#aggregation");
    assert!(has_type(&g, &aggregation, &format!("{ORE}Aggregation")));
    let cho = objects(&g, &aggregation, &format!("{EDM}aggregatedCHO"));
    assert_eq!(
        cho,
        [TermRef::NamedNode(NamedNodeRef::new(painting).unwrap())]
    );
    assert_eq!(
        objects(&g, &aggregation, &format!("{EDM}isShownAt")),
        [TermRef::NamedNode(NamedNodeRef::new(painting).unwrap())]
    );
    let rights = objects(&g, &aggregation, &format!("{EDM}rights"));
    assert_eq!(rights.len(), 1);
    assert_eq!(
        rights[0].to_string(),
        "<http://creativecommons.org/licenses/by/4.0/>",
        "the Licence Ouverte becomes CC BY 4.0, http and trailing slash"
    );
    let TermRef::NamedNode(image) = objects(&g, &aggregation, &format!("{EDM}isShownBy"))[0] else {
        panic!("isShownBy is not an IRI")
    };
    assert!(
        image.as_str().starts_with("http://commons.wikimedia.org/"),
        "{image}"
    );
    assert!(has_type(&g, image.as_str(), &format!("{EDM}WebResource")));
    assert_eq!(objects(&g, image.as_str(), &format!("{EDM}rights")), rights);
    let kind: Vec<String> = objects(&g, painting, &format!("{EDM}type"))
        .iter()
        .map(literal)
        .collect();
    assert_eq!(kind, ["IMAGE"]);
    let dc = "http://purl.org/dc/elements/1.1/";
    assert_eq!(
        objects(&g, painting, &format!("{dc}title"))
            .iter()
            .map(literal)
            .collect::<Vec<_>>(),
        ["Portrait de Jean-Paul Marat (1743-1793), homme politique"]
    );
    assert_eq!(
        objects(&g, painting, &format!("{dc}creator"))
            .iter()
            .map(literal)
            .collect::<Vec<_>>(),
        ["BOZE Joseph"]
    );
    assert_eq!(
        objects(&g, &aggregation, &format!("{EDM}dataProvider"))
            .iter()
            .map(literal)
            .collect::<Vec<_>>(),
        ["musée Carnavalet – histoire de Paris"]
    );
    assert_eq!(
        objects(&g, &aggregation, &format!("{EDM}provider"))
            .iter()
            .map(literal)
            .collect::<Vec<_>>(),
        [demo().config.publisher.name.clone()]
    );

    // A book: TEXT, with its language as an ISO 639 code.
    let book = &records_of("gallica")[0];
    let g = edm_record(book);
    assert!(has_type(&g, book, &format!("{EDM}ProvidedCHO")));
    assert_eq!(
        objects(&g, book, &format!("{EDM}type"))
            .iter()
            .map(literal)
            .collect::<Vec<_>>(),
        ["TEXT"]
    );
    let languages: Vec<String> = objects(&g, book, &format!("{dc}language"))
        .iter()
        .map(literal)
        .collect();
    assert!(!languages.is_empty());
    assert!(
        languages
            .iter()
            .all(|l| l.len() == 3 && l.chars().all(|c| c.is_ascii_lowercase())),
        "{languages:?}"
    );
}

#[test]
fn a_token_from_an_older_publication_is_refused() {
    let demo = util::fresh_demo().unwrap();
    let app = || vitrine::server::app(demo.state());
    let ask = |query: &str| {
        send(
            app(),
            Request::get(format!("/oai?{query}"))
                .body(Body::empty())
                .unwrap(),
        )
        .body
    };
    let first = ask("verb=ListIdentifiers&metadataPrefix=oai_dc");
    let (t, _, _) = token(&first).unwrap();
    let resume = format!(
        "verb=ListIdentifiers&resumptionToken={}",
        util::urlencode(&t)
    );
    assert_eq!(error_code(&ask(&resume)), None);
    vitrine::ingest::ingest(&demo.config, &demo.store, &demo.config.datasets[0], &|_| {}).unwrap();
    assert_eq!(
        error_code(&ask(&resume)).as_deref(),
        Some("badResumptionToken")
    );
}
