//! IIIF manifests: their structure on the demo through the router (ids, types, language maps,
//! the canvas → annotation page → painting annotation → image chain, rights), the 404s, the
//! validators, and the links from the item page and the item's RDF; and, ignored, every demo
//! manifest validated by iiif-prezi3 against the real binary.

use crate::util::{Reply, Server, demo, get_through, ingested_demo};
use axum::http::{StatusCode, header};
use serde_json::Value;

const MARAT: &str = "/id/joconde/11040000343";
const MANIFEST: &str = "/iiif/joconde/11040000343/manifest.json";
/// A painting of the demo without an image.
const DARU: &str = "/id/joconde/000PE000015";

fn get(path: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    get_through(demo().state(), path, headers)
}

fn manifest() -> Value {
    let reply = get(MANIFEST, &[]);
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[test]
fn an_item_with_an_image_has_a_presentation_3_manifest() {
    let reply = get(MANIFEST, &[(header::ORIGIN, "https://viewer.example")]);
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let h = |name| reply.headers.get(name).map_or("", |v| v.to_str().unwrap());
    assert_eq!(
        h(header::CONTENT_TYPE),
        "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\""
    );
    // Viewers on other sites fetch it.
    assert_eq!(h(header::ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(h(header::CACHE_CONTROL).starts_with("public, max-age="));
    let m: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        m["@context"],
        "http://iiif.io/api/presentation/3/context.json"
    );
    assert_eq!(
        m["id"],
        "https://data.example.org/iiif/joconde/11040000343/manifest.json"
    );
    assert_eq!(m["type"], "Manifest");
    assert_eq!(
        m["label"],
        serde_json::json!({ "fr": ["Portrait de Jean-Paul Marat (1743-1793), homme politique"] })
    );
    let canvases = m["items"].as_array().unwrap();
    assert_eq!(canvases.len(), 1);
    let canvas = &canvases[0];
    let stem = "https://data.example.org/iiif/joconde/11040000343";
    assert_eq!(canvas["id"], format!("{stem}/canvas/1"));
    assert_eq!(canvas["type"], "Canvas");
    // 75 × 68 cm: the canvas has the painting's proportions.
    assert_eq!(canvas["height"], 1000);
    assert_eq!(canvas["width"], 907);
    let page = &canvas["items"][0];
    assert_eq!(page["type"], "AnnotationPage");
    assert_eq!(page["id"], format!("{stem}/page/1"));
    let annotation = &page["items"][0];
    assert_eq!(annotation["type"], "Annotation");
    assert_eq!(annotation["id"], format!("{stem}/annotation/1"));
    assert_eq!(annotation["motivation"], "painting");
    assert_eq!(annotation["target"], canvas["id"]);
    let body = &annotation["body"];
    assert_eq!(body["type"], "Image");
    assert_eq!(body["format"], "image/jpeg");
    assert_eq!(
        body["id"],
        "https://commons.wikimedia.org/wiki/Special:FilePath/Jean-Paul%20Marat%20portre.jpg"
    );
    assert_eq!(
        m["homepage"][0]["id"],
        "https://data.example.org/id/joconde/11040000343.html"
    );
    assert_eq!(m["homepage"][0]["type"], "Text");
    assert_eq!(m["homepage"][0]["format"], "text/html");
    assert_eq!(
        m["seeAlso"][0]["id"],
        "https://data.example.org/id/joconde/11040000343.ttl"
    );
    assert_eq!(m["seeAlso"][0]["format"], "text/turtle");
    assert_eq!(m["provider"][0]["type"], "Agent");
    assert_eq!(
        m["provider"][0]["label"]["none"][0],
        "Musées de la Ville — démonstration"
    );
    assert_eq!(m["navDate"], "1793-01-01T00:00:00Z");
}

#[test]
fn metadata_attribution_and_rights_follow_the_record() {
    let m = manifest();
    let value = |en: &str| -> Value {
        m["metadata"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"]["en"][0] == en)
            .unwrap_or_else(|| panic!("no {en} in {m}"))["value"]
            .clone()
    };
    assert_eq!(value("Creator")["none"][0], "BOZE Joseph");
    assert_eq!(value("Date")["none"][0], "1793");
    assert_eq!(value("Medium")["none"][0], "peinture à l'huile");
    assert_eq!(value("Dimensions")["en"][0], "H. 75 cm × W. 68 cm");
    assert_eq!(value("Dimensions")["fr"][0], "H. 75 cm × L. 68 cm");
    assert_eq!(
        value("Held by")["none"][0],
        "musée Carnavalet – histoire de Paris"
    );
    assert_eq!(value("Inventory number")["none"][0], "11040000343");
    // Licence Ouverte is neither Creative Commons nor RightsStatements.org: not in `rights`.
    assert!(m.get("rights").is_none());
    assert_eq!(
        value("Licence")["none"][0],
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    );
    assert_eq!(m["requiredStatement"]["label"]["fr"][0], "Attribution");
    assert_eq!(
        m["requiredStatement"]["value"]["none"][0],
        "Notice : Ministère de la Culture, base Joconde, Licence Ouverte 2.0 ; compléments : Wikidata, CC0."
    );
    for entry in m["metadata"].as_array().unwrap() {
        for side in ["label", "value"] {
            let map = entry[side].as_object().unwrap();
            assert!(!map.is_empty());
            assert!(
                map.values()
                    .all(|v| v.as_array().is_some_and(|l| l.iter().all(Value::is_string)))
            );
        }
    }
}

#[test]
fn no_image_no_manifest() {
    for path in [
        // An item without an image.
        "/iiif/joconde/000PE000015/manifest.json",
        "/iiif/joconde/nothing-here/manifest.json",
        // Datasets not published in the shared demo.
        "/iiif/events/11040000343/manifest.json",
        "/iiif/gallica/11040000343/manifest.json",
        "/iiif/joconde/11040000343",
        "/iiif/joconde/11040000343/manifest.jsonx",
        "/iiif/joconde/id/joconde/11040000343/manifest.json",
        "/iiif/joconde/%3E%20%7D/manifest.json",
    ] {
        let reply = get(path, &[]);
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.body
        );
    }
    // What the route reads: an item of the dataset named, and no other.
    let store = &demo().store;
    let marat = "https://data.example.org/id/joconde/11040000343";
    let read = |dataset| vitrine::reuse::artwork::read_one(store, dataset, marat).unwrap();
    assert_eq!(read("joconde").map(|a| a.images.len()), Some(1));
    assert_eq!(read("events"), None);
    assert_eq!(
        vitrine::reuse::artwork::read_one(store, "joconde", "https://x/> } <y").unwrap(),
        None
    );
}

#[test]
fn a_manifest_is_revalidated_like_an_item_page() {
    let first = get(MANIFEST, &[]);
    let tag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = get(MANIFEST, &[(header::IF_NONE_MATCH, &tag)]);
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let other = get(MANIFEST, &[(header::IF_NONE_MATCH, "\"0\"")]);
    assert_eq!(other.status, StatusCode::OK);
    assert_eq!(other.body, first.body);
}

#[test]
fn item_pages_and_descriptions_link_to_their_manifest() {
    let page = get(&format!("{MARAT}.html"), &[(header::ACCEPT_LANGUAGE, "fr")]);
    assert_eq!(page.status, StatusCode::OK);
    // minijinja escapes `/` in attributes.
    let href = MANIFEST.replace('/', "&#x2f;");
    assert!(
        page.body.contains(&format!(
            "<link rel=\"alternate\" type=\"application/ld+json;profile=&quot;http://iiif.io/api/presentation/3/context.json&quot;\" href=\"{href}\""
        )),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("<a href=\"{href}\" rel=\"alternate\""))
    );
    assert!(page.body.contains(">IIIF manifest</a>"));
    let turtle = get(&format!("{MARAT}.nt"), &[]);
    let manifest = "https://data.example.org/iiif/joconde/11040000343/manifest.json";
    assert!(
        turtle.body.contains(&format!(
            "<https://data.example.org/id/joconde/11040000343> <http://purl.org/dc/terms/hasFormat> <{manifest}> ."
        )),
        "{}",
        turtle.body
    );
    assert!(turtle.body.contains(&format!(
        "<{manifest}> <http://purl.org/dc/terms/conformsTo> <http://iiif.io/api/presentation/3/context.json> ."
    )));

    // Without an image, neither links.
    let page = get(&format!("{DARU}.html"), &[]);
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("iiif"), "{}", page.body);
    let rdf = get(&format!("{DARU}.nt"), &[]);
    assert_eq!(rdf.status, StatusCode::OK);
    assert!(!rdf.body.contains("hasFormat"), "{}", rdf.body);
}

#[test]
#[ignore = "needs a Python with iiif-prezi3 in VITRINE_IIIF_PYTHON; .ci/run makes one"]
fn iiif_prezi3_validates_every_demo_manifest() {
    let python = std::env::var("VITRINE_IIIF_PYTHON")
        .expect("VITRINE_IIIF_PYTHON must name a Python with iiif-prezi3 (.ci/run makes one)");
    let dir = tempfile::tempdir().unwrap();
    let (publisher, _) = ingested_demo(dir.path(), |config| config);
    let server = Server::start(&publisher);
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/iiif_validate.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(format!("http://{}", server.addr))
        .output()
        .expect("the validation script runs");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every painting, book and specimen of the demo with an image: 321 + 66 + 295.
    assert!(text.contains("validated 682 of 682 manifests"), "{text}");
}
