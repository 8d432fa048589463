"""Validates the IIIF manifest of every item with an image, as a IIIF client reads it.

Usage: iiif_validate.py http://127.0.0.1:PORT

Asks the SPARQL endpoint for the items with an image (foaf:depiction), follows each item's
`dcterms:hasFormat` link in its N-Triples document to its manifest, loads the manifest with the
Presentation 3.0 models of iiif-prezi3 (pydantic models generated from the IIIF JSON schema),
and checks the MUSTs of the specification those models let through (they fill defaults: a
manifest without items, a canvas without width or a label that is a plain string load
without complaint): ids are http(s) URIs, the canvas -> annotation page -> painting
annotation -> image chain, canvases with positive integer width and height, language maps of
lists of strings, navDate as an xsd:dateTime in UTC, and `rights` only from Creative Commons
or RightsStatements.org. Prints one `clients: …` line with the counts.
"""

import json
import re
import sys
import urllib.parse
import urllib.request

import iiif_prezi3
from importlib.metadata import version

SITE = sys.argv[1].rstrip("/")
BASE = "https://data.example.org/"
QUERY = """SELECT DISTINCT ?item WHERE {
  ?item <http://xmlns.com/foaf/0.1/depiction> ?image .
  FILTER(STRSTARTS(STR(?image), "http"))
} ORDER BY ?item"""
HAS_FORMAT = "<http://purl.org/dc/terms/hasFormat>"
NAV_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
RIGHTS = re.compile(
    r"^http://(creativecommons\.org/(licenses|publicdomain)/|rightsstatements\.org/vocab/)"
)


def get(path, accept):
    request = urllib.request.Request(SITE + path, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


def local(iri):
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE):]


def language_map(value, where):
    assert isinstance(value, dict) and value, f"{where}: not a language map: {value!r}"
    for lang, texts in value.items():
        assert isinstance(texts, list) and texts, f"{where}.{lang}: not a list"
        assert all(isinstance(t, str) for t in texts), f"{where}.{lang}: not strings"


def check(manifest, url):
    assert manifest["id"] == BASE + url.lstrip("/"), (manifest["id"], url)
    assert manifest["type"] == "Manifest"
    language_map(manifest["label"], "label")
    for entry in manifest.get("metadata", []):
        language_map(entry["label"], "metadata.label")
        language_map(entry["value"], "metadata.value")
    language_map(manifest["requiredStatement"]["value"], "requiredStatement")
    if "rights" in manifest:
        assert RIGHTS.match(manifest["rights"]), manifest["rights"]
    if "navDate" in manifest:
        assert NAV_DATE.match(manifest["navDate"]), manifest["navDate"]
    assert manifest["items"], "no canvas"
    for canvas in manifest["items"]:
        assert canvas["type"] == "Canvas"
        assert canvas["id"].startswith("https://")
        for side in ("width", "height"):
            assert isinstance(canvas[side], int) and canvas[side] > 0, canvas
        for page in canvas["items"]:
            assert page["type"] == "AnnotationPage"
            for annotation in page["items"]:
                assert annotation["type"] == "Annotation"
                assert annotation["motivation"] == "painting"
                assert annotation["target"] == canvas["id"]
                body = annotation["body"]
                assert body["type"] == "Image"
                assert body["id"].startswith(("https://", "http://")), body


def main():
    query = urllib.parse.urlencode({"query": QUERY})
    _, text = get(f"/sparql?{query}", "application/sparql-results+json")
    items = [b["item"]["value"] for b in json.loads(text)["results"]["bindings"]]
    assert items, "no item with an image"
    validated = 0
    failures = []
    for item in items:
        _, nt = get(local(item) + ".nt", "application/n-triples")
        links = [
            line.split(" ")[2]
            for line in nt.splitlines()
            if line.startswith(f"<{item}> {HAS_FORMAT} ")
        ]
        if len(links) != 1:
            failures.append(f"{item}: {len(links)} dcterms:hasFormat links")
            continue
        url = local(links[0].strip("<>"))
        content_type, text = get(url, "application/ld+json")
        try:
            assert content_type.startswith("application/ld+json"), content_type
            assert "http://iiif.io/api/presentation/3/context.json" in content_type
            iiif_prezi3.Manifest.model_validate_json(text)
            check(json.loads(text), url)
            validated += 1
        except Exception as e:  # noqa: BLE001 — every failure is reported, then the run fails
            failures.append(f"{url}: {e}")
    print(
        f"clients: iiif-prezi3 {version('iiif-prezi3')} validated {validated} of "
        f"{len(items)} manifests"
    )
    for failure in failures[:20]:
        print(f"  {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
