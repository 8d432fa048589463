//! IIIF Presentation 3.0 manifests: one per published item with images, so that Mirador,
//! Universal Viewer and every other IIIF viewer can show a work next to its metadata, and
//! aggregators can harvest the images with their attribution.
//!
//! The manifest is built here from an [`Artwork`], without a server, so that what it says can
//! be tested on its own; `server::iiif` serves it at `/iiif/{dataset}/{local}/manifest.json`.
//!
//! Two things the data cannot say are decided here:
//!
//! - **Canvas size.** IIIF requires every canvas to have a width and a height, and the images
//!   are plain files (Commons `Special:FilePath` links) whose pixel size is not in the data and
//!   is not worth a request per image. The canvas takes the proportions of the work instead —
//!   its measured height and width, the longer side [`CANVAS_LONG_SIDE`] units — which is what
//!   a photograph of a painting shows; a work without both measurements gets a square canvas.
//!   Viewers place the image inside the canvas keeping its own aspect ratio, so a wrong guess
//!   leaves margins, never distortion. The image bodies carry no width or height.
//! - **Rights.** The specification allows only Creative Commons and RightsStatements.org URIs in
//!   `rights`; any other licence (Licence Ouverte, a museum's terms) goes into `metadata`.

use super::artwork::{Artwork, DimensionKind, commons_file, image_format};
use serde_json::{Map, Value, json};

/// The JSON-LD context of Presentation 3.0 (also the profile of its media type).
pub const CONTEXT: &str = "http://iiif.io/api/presentation/3/context.json";

/// The media type a manifest is served with, as the specification recommends.
pub const MEDIA_TYPE: &str =
    "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"";

/// The longer side of a canvas, in canvas units (see the module documentation).
pub const CANVAS_LONG_SIDE: u32 = 1000;

/// Where the manifest lives and who publishes it: what the item itself does not say.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The base IRI (ends with `/`): every `id` of the manifest is built on it.
    pub base: &'a str,
    /// What documents' paths start with: nothing, or `/doc` when things answer `303`.
    pub documents: &'a str,
    pub publisher: &'a str,
    pub publisher_homepage: Option<&'a str>,
}

/// The path of the manifest of `item` in `dataset`, relative to the base IRI
/// (`iiif/joconde/11040000343/manifest.json`): the item's name under `id/{dataset}/`, or else
/// under the base. `None` for an item minted elsewhere.
pub fn manifest_path(base: &str, dataset: &str, item: &str) -> Option<String> {
    let local = item
        .strip_prefix(&format!("{base}id/{dataset}/"))
        .or_else(|| item.strip_prefix(base))
        .filter(|l| !l.is_empty())?;
    Some(format!("iiif/{dataset}/{local}/manifest.json"))
}

/// The items a manifest path's `{local}` may name, in the order [`manifest_path`] prefers:
/// `{base}id/{dataset}/{local}`, then `{base}{local}` unless that is also of the first form
/// (so that each manifest has one address).
pub fn item_candidates(base: &str, dataset: &str, local: &str) -> Vec<String> {
    let mut out = vec![format!("{base}id/{dataset}/{local}")];
    if !local.starts_with(&format!("id/{dataset}/")) {
        out.push(format!("{base}{local}"));
    }
    out
}

/// The manifest of `item`, or `None` when it has no image to show (no `foaf:depiction` with an
/// http(s) URL) or is minted outside the base.
pub fn manifest(item: &Artwork, dataset: &str, site: &Site) -> Option<Value> {
    let images: Vec<&str> = item
        .images
        .iter()
        .map(String::as_str)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .collect();
    if images.is_empty() {
        return None;
    }
    let id = uri(&format!(
        "{}{}",
        site.base,
        manifest_path(site.base, dataset, &item.iri)?
    ));
    let stem = id.strip_suffix("/manifest.json").unwrap_or(&id).to_owned();
    let label = match language_map(&item.titles) {
        Some(map) => map,
        None => json!({ "none": [item.iri] }),
    };
    let document = documents_url(site, &item.iri).unwrap_or_else(|| uri(&item.iri));
    let mut manifest = Map::new();
    manifest.insert("@context".into(), CONTEXT.into());
    manifest.insert("id".into(), id.clone().into());
    manifest.insert("type".into(), "Manifest".into());
    manifest.insert("label".into(), label.clone());
    manifest.insert("metadata".into(), metadata(item).into());
    if let Some(summary) = language_map(&item.descriptions) {
        manifest.insert("summary".into(), summary);
    }
    let attribution = item
        .rights
        .as_ref()
        .map(|r| json!({ "none": [r] }))
        .or_else(|| {
            let keeper = item.keeper.as_ref()?.name.as_ref()?;
            Some(json!({ "none": [keeper] }))
        })
        .unwrap_or_else(|| json!({ "none": [site.publisher] }));
    manifest.insert(
        "requiredStatement".into(),
        json!({ "label": both("Attribution", "Attribution"), "value": attribution }),
    );
    if let Some(rights) = item.license.as_deref().and_then(rights) {
        manifest.insert("rights".into(), rights.into());
    }
    if let Some(date) = item.year().filter(|y| (1..=9999).contains(y)) {
        manifest.insert(
            "navDate".into(),
            format!("{date:04}-01-01T00:00:00Z").into(),
        );
    }
    manifest.insert(
        "homepage".into(),
        json!([{
            "id": format!("{document}.html"),
            "type": "Text",
            "label": label,
            "format": "text/html",
        }]),
    );
    manifest.insert(
        "seeAlso".into(),
        json!([{
            "id": format!("{document}.ttl"),
            "type": "Dataset",
            "label": both("Description en RDF (Turtle)", "RDF description (Turtle)"),
            "format": "text/turtle",
        }]),
    );
    let publisher_home = site.publisher_homepage.unwrap_or(site.base);
    manifest.insert(
        "provider".into(),
        json!([{
            "id": uri(publisher_home),
            "type": "Agent",
            "label": { "none": [site.publisher] },
            "homepage": [{
                "id": uri(publisher_home),
                "type": "Text",
                "label": { "none": [site.publisher] },
                "format": "text/html",
            }],
        }]),
    );
    let (width, height) = canvas_size(item);
    let canvases: Vec<Value> = images
        .iter()
        .enumerate()
        .map(|(i, url)| canvas(&stem, i + 1, url, width, height))
        .collect();
    manifest.insert("items".into(), canvases.into());
    Some(Value::Object(manifest))
}

/// The item's own document (without format suffix) on the base, where `homepage` and `seeAlso`
/// point: `{base}id/…`, or `{base}doc/id/…` when things answer `303`.
fn documents_url(site: &Site, item: &str) -> Option<String> {
    let local = item.strip_prefix(site.base)?;
    let documents = site.documents.trim_matches('/');
    Some(uri(&if documents.is_empty() {
        format!("{}{local}", site.base)
    } else {
        format!("{}{documents}/{local}", site.base)
    }))
}

/// One canvas painted with one image, its annotation page and annotation numbered after it.
fn canvas(stem: &str, n: usize, url: &str, width: u32, height: u32) -> Value {
    let canvas = format!("{stem}/canvas/{n}");
    let mut body = Map::new();
    body.insert("id".into(), uri(&secure(url)).into());
    body.insert("type".into(), "Image".into());
    if let Some((_, media_type)) = image_format(url) {
        body.insert("format".into(), media_type.into());
    }
    json!({
        "id": canvas,
        "type": "Canvas",
        "label": both(&format!("Vue {n}"), &format!("View {n}")),
        "width": width,
        "height": height,
        "items": [{
            "id": format!("{stem}/page/{n}"),
            "type": "AnnotationPage",
            "items": [{
                "id": format!("{stem}/annotation/{n}"),
                "type": "Annotation",
                "motivation": "painting",
                "body": body,
                "target": canvas,
            }],
        }],
    })
}

/// Width and height of the canvases: the work's proportions, or a square (see the module
/// documentation).
pub fn canvas_size(item: &Artwork) -> (u32, u32) {
    let measured = |kind| {
        item.dimension(kind)
            .map(|d| d.centimetres())
            .filter(|v| v.is_finite() && *v > 0.0)
    };
    let (Some(height), Some(width)) = (
        measured(DimensionKind::Height),
        measured(DimensionKind::Width),
    ) else {
        return (CANVAS_LONG_SIDE, CANVAS_LONG_SIDE);
    };
    let long = f64::from(CANVAS_LONG_SIDE);
    let short = |a: f64, b: f64| ((long * a / b).round() as u32).max(1);
    if width >= height {
        (CANVAS_LONG_SIDE, short(height, width))
    } else {
        (short(width, height), CANVAS_LONG_SIDE)
    }
}

/// The `rights` value for a licence IRI: Creative Commons and RightsStatements.org only, in
/// the `http://…/` form their specifications define (which is what viewers compare with).
pub fn rights(license: &str) -> Option<String> {
    let bare = license
        .strip_prefix("https://")
        .or_else(|| license.strip_prefix("http://"))?;
    let allowed = [
        "creativecommons.org/licenses/",
        "creativecommons.org/publicdomain/",
        "rightsstatements.org/vocab/",
    ];
    if !allowed
        .iter()
        .any(|p| bare.starts_with(p) && bare.len() > p.len())
    {
        return None;
    }
    let bare = bare.split(['?', '#']).next().unwrap_or(bare);
    let slash = if bare.ends_with('/') { "" } else { "/" };
    Some(format!("http://{bare}{slash}"))
}

/// The facts a viewer shows beside the image, labelled in French and English.
fn metadata(item: &Artwork) -> Vec<Value> {
    let mut out = Vec::new();
    let mut add = |fr: &str, en: &str, value: Value| {
        out.push(json!({ "label": both(fr, en), "value": value }));
    };
    let names: Vec<&str> = item
        .creators
        .iter()
        .filter_map(|c| c.name.as_deref())
        .collect();
    if !names.is_empty() {
        add("Auteur", "Creator", json!({ "none": [names.join(", ")] }));
    }
    if let Some(date) = &item.date {
        add("Date", "Date", json!({ "none": [date] }));
    }
    if !item.media.is_empty() {
        add(
            "Technique",
            "Medium",
            json!({ "none": [item.media.join(", ")] }),
        );
    }
    if let Some((fr, en)) = dimensions(item) {
        add(
            "Dimensions",
            "Dimensions",
            json!({ "fr": [fr], "en": [en] }),
        );
    }
    if let Some(keeper) = item.keeper.as_ref().and_then(|k| k.name.as_ref()) {
        add("Conservé par", "Held by", json!({ "none": [keeper] }));
    }
    if let Some(id) = &item.identifier {
        add(
            "Numéro d'inventaire",
            "Inventory number",
            json!({ "none": [id] }),
        );
    }
    if let Some(license) = &item.license
        && rights(license).is_none()
    {
        add("Licence", "Licence", json!({ "none": [license] }));
    }
    out
}

/// `H. 75 cm × L. 68 cm` and `H. 75 cm × W. 68 cm`, in the order height, width, depth.
fn dimensions(item: &Artwork) -> Option<(String, String)> {
    let mut fr = Vec::new();
    let mut en = Vec::new();
    for (kind, f, e) in [
        (DimensionKind::Height, "H.", "H."),
        (DimensionKind::Width, "L.", "W."),
        (DimensionKind::Depth, "P.", "D."),
    ] {
        if let Some(d) = item.dimension(kind) {
            let value = format!("{} {}", d.amount(), d.unit.symbol());
            fr.push(format!("{f} {value}"));
            en.push(format!("{e} {value}"));
        }
    }
    (!fr.is_empty()).then(|| (fr.join(" × "), en.join(" × ")))
}

/// A IIIF language map of literals: `none` for those without a language tag.
fn language_map(values: &[(String, Option<String>)]) -> Option<Value> {
    let mut map = Map::new();
    for (text, lang) in values {
        let key = lang.as_deref().unwrap_or("none");
        let entry = map
            .entry(key.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(text.as_str().into());
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

fn both(fr: &str, en: &str) -> Value {
    json!({ "fr": [fr], "en": [en] })
}

/// Commons serves its files over https; an `http://` link in the data would be blocked as
/// mixed content in a viewer served over https.
fn secure(url: &str) -> String {
    match url.strip_prefix("http://") {
        Some(rest) if commons_file(url).is_some() => format!("https://{rest}"),
        _ => url.to_owned(),
    }
}

/// An IRI as a URI (non-ASCII characters percent-encoded): IIIF ids are URIs.
fn uri(iri: &str) -> String {
    iri_string::types::IriStr::new(iri)
        .map(|i| i.encode_to_uri().to_string())
        .unwrap_or_else(|_| iri.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reuse::artwork::{Agent, Dimension, Unit};

    const SITE: Site = Site {
        base: "https://data.example.org/",
        documents: "",
        publisher: "Musées",
        publisher_homepage: None,
    };

    fn marat() -> Artwork {
        Artwork {
            iri: "https://data.example.org/id/joconde/11040000343".into(),
            titles: vec![
                ("Portrait de Marat".into(), Some("fr".into())),
                ("Portrait of Marat".into(), Some("en".into())),
                ("Marat".into(), None),
            ],
            creators: vec![Agent {
                iri: "https://data.example.org/id/agent/boze-joseph".into(),
                name: Some("BOZE Joseph".into()),
                ..Agent::default()
            }],
            date: Some("1793".into()),
            dimensions: vec![
                Dimension {
                    kind: DimensionKind::Height,
                    value: 75.0,
                    unit: Unit::Centimetre,
                },
                Dimension {
                    kind: DimensionKind::Width,
                    value: 680.0,
                    unit: Unit::Millimetre,
                },
            ],
            images: vec![
                "http://commons.wikimedia.org/wiki/Special:FilePath/Jean-Paul%20Marat%20portre.jpg"
                    .into(),
                "https://example.org/back.png".into(),
            ],
            license: Some("https://www.etalab.gouv.fr/licence-ouverte-open-licence/".into()),
            ..Artwork::default()
        }
    }

    #[test]
    fn a_manifest_paints_each_image_on_a_canvas() {
        let m = manifest(&marat(), "joconde", &SITE).unwrap();
        let id = "https://data.example.org/iiif/joconde/11040000343/manifest.json";
        assert_eq!(m["@context"], CONTEXT);
        assert_eq!(m["id"], id);
        assert_eq!(m["type"], "Manifest");
        assert_eq!(m["label"]["fr"][0], "Portrait de Marat");
        assert_eq!(m["label"]["en"][0], "Portrait of Marat");
        assert_eq!(m["label"]["none"][0], "Marat");
        let canvases = m["items"].as_array().unwrap();
        assert_eq!(canvases.len(), 2);
        let stem = "https://data.example.org/iiif/joconde/11040000343";
        for (i, canvas) in canvases.iter().enumerate() {
            let n = i + 1;
            assert_eq!(canvas["id"], format!("{stem}/canvas/{n}"));
            assert_eq!(canvas["type"], "Canvas");
            // 75 cm high, 68 cm wide.
            assert_eq!(
                (canvas["width"].clone(), canvas["height"].clone()),
                (json!(907), json!(1000))
            );
            let page = &canvas["items"][0];
            assert_eq!(page["type"], "AnnotationPage");
            assert_eq!(page["id"], format!("{stem}/page/{n}"));
            let annotation = &page["items"][0];
            assert_eq!(annotation["type"], "Annotation");
            assert_eq!(annotation["motivation"], "painting");
            assert_eq!(annotation["target"], canvas["id"]);
            assert_eq!(annotation["body"]["type"], "Image");
        }
        let first = &canvases[0]["items"][0]["items"][0]["body"];
        assert_eq!(
            first["id"],
            "https://commons.wikimedia.org/wiki/Special:FilePath/Jean-Paul%20Marat%20portre.jpg"
        );
        assert_eq!(first["format"], "image/jpeg");
        assert_eq!(
            canvases[1]["items"][0]["items"][0]["body"]["format"],
            "image/png"
        );
        assert_eq!(
            m["homepage"][0]["id"],
            "https://data.example.org/id/joconde/11040000343.html"
        );
        assert_eq!(
            m["seeAlso"][0]["id"],
            "https://data.example.org/id/joconde/11040000343.ttl"
        );
        assert_eq!(m["seeAlso"][0]["format"], "text/turtle");
        assert_eq!(m["provider"][0]["label"]["none"][0], "Musées");
        assert_eq!(m["navDate"], "1793-01-01T00:00:00Z");
        // No credit line, no keeper: the publisher is credited.
        assert_eq!(m["requiredStatement"]["value"]["none"][0], "Musées");
        assert_eq!(m["requiredStatement"]["label"]["en"][0], "Attribution");
    }

    #[test]
    fn rights_only_names_what_iiif_allows() {
        let m = manifest(&marat(), "joconde", &SITE).unwrap();
        assert!(m.get("rights").is_none(), "{m}");
        let licence = m["metadata"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["label"]["en"][0] == "Licence")
            .expect("the licence in metadata");
        assert_eq!(
            licence["value"]["none"][0],
            "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        );
        let mut cc = marat();
        cc.license = Some("https://creativecommons.org/licenses/by/4.0".into());
        let m = manifest(&cc, "joconde", &SITE).unwrap();
        assert_eq!(m["rights"], "http://creativecommons.org/licenses/by/4.0/");
        assert!(
            !m["metadata"].to_string().contains("creativecommons"),
            "{m}"
        );
        assert_eq!(
            rights("http://rightsstatements.org/vocab/InC/1.0/").as_deref(),
            Some("http://rightsstatements.org/vocab/InC/1.0/")
        );
        assert_eq!(rights("https://creativecommons.org/"), None);
        assert_eq!(
            rights("https://example.org/creativecommons.org/licenses/by/4.0/"),
            None
        );
    }

    #[test]
    fn metadata_and_attribution_come_from_the_record() {
        let mut item = marat();
        item.rights = Some("Musée Carnavalet, CC0".into());
        item.keeper = Some(Agent {
            name: Some("Musée Carnavalet".into()),
            ..Agent::default()
        });
        item.identifier = Some("P2361".into());
        item.media = vec!["huile sur toile".into()];
        item.descriptions = vec![("Un portrait".into(), Some("fr".into()))];
        let m = manifest(&item, "joconde", &SITE).unwrap();
        assert_eq!(
            m["requiredStatement"]["value"]["none"][0],
            "Musée Carnavalet, CC0"
        );
        assert_eq!(m["summary"]["fr"][0], "Un portrait");
        let value = |en: &str| {
            m["metadata"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["label"]["en"][0] == en)
                .map(|e| e["value"].clone())
                .unwrap_or_else(|| panic!("no {en} in {m}"))
        };
        assert_eq!(value("Creator")["none"][0], "BOZE Joseph");
        assert_eq!(value("Date")["none"][0], "1793");
        assert_eq!(value("Medium")["none"][0], "huile sur toile");
        assert_eq!(value("Dimensions")["en"][0], "H. 75 cm × W. 680 mm");
        assert_eq!(value("Dimensions")["fr"][0], "H. 75 cm × L. 680 mm");
        assert_eq!(value("Held by")["none"][0], "Musée Carnavalet");
        assert_eq!(value("Inventory number")["none"][0], "P2361");
        for entry in m["metadata"].as_array().unwrap() {
            assert!(entry["label"]["fr"][0].is_string() && entry["label"]["en"][0].is_string());
        }
        // Without a credit line, the keeper.
        item.rights = None;
        let m = manifest(&item, "joconde", &SITE).unwrap();
        assert_eq!(
            m["requiredStatement"]["value"]["none"][0],
            "Musée Carnavalet"
        );
    }

    #[test]
    fn no_images_no_manifest_and_unmeasured_works_are_square() {
        let mut item = marat();
        item.dimensions.clear();
        assert_eq!(canvas_size(&item), (CANVAS_LONG_SIDE, CANVAS_LONG_SIDE));
        item.images = vec!["urn:x-image:1".into()];
        assert!(manifest(&item, "joconde", &SITE).is_none());
        item.images.clear();
        assert!(manifest(&item, "joconde", &SITE).is_none());
    }

    #[test]
    fn manifest_paths_and_items_name_each_other() {
        let base = "https://data.example.org/";
        let item = "https://data.example.org/id/joconde/11040000343";
        let path = manifest_path(base, "joconde", item).unwrap();
        assert_eq!(path, "iiif/joconde/11040000343/manifest.json");
        assert_eq!(item_candidates(base, "joconde", "11040000343")[0], item);
        // An item minted elsewhere under the base keeps its path.
        let object = "https://data.example.org/object/42";
        assert_eq!(
            manifest_path(base, "joconde", object).unwrap(),
            "iiif/joconde/object/42/manifest.json"
        );
        assert_eq!(item_candidates(base, "joconde", "object/42")[1], object);
        // The long form of an `id/{dataset}/` item is not a second address.
        assert_eq!(item_candidates(base, "joconde", "id/joconde/1").len(), 1);
        assert_eq!(
            manifest_path(base, "joconde", "https://other.example/x"),
            None
        );
        let with_doc = Site {
            documents: "/doc",
            ..SITE
        };
        let m = manifest(&marat(), "joconde", &with_doc).unwrap();
        assert_eq!(
            m["homepage"][0]["id"],
            "https://data.example.org/doc/id/joconde/11040000343.html"
        );
    }
}
