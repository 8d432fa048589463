"""The clients researchers use, against a running vitrine: SPARQLWrapper 2 and rdflib.

Usage: python sparql_clients.py http://127.0.0.1:PORT
Prints one line per check and exits 1 if any failed. Run by tests/clients.rs.
"""
import sys

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED,
                           XML, SPARQLWrapper)

BASE = sys.argv[1].rstrip("/")
ENDPOINT = BASE + "/sparql"
OBJECTS = ("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE "
           "{ ?o a <http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object> }")
CONSTRUCT = ("CONSTRUCT { ?o <http://purl.org/dc/terms/title> ?t } WHERE "
             "{ ?o <http://purl.org/dc/terms/title> ?t } LIMIT 20")
JOCONDE = "https://data.example.org/graph/joconde"
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


def wrapper(query, fmt, method=None, request=None, default_graph=None):
    w = SPARQLWrapper(ENDPOINT)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    if method:
        w.setMethod(method)
    if request:
        w.setRequestMethod(request)
    if default_graph:
        w.addDefaultGraph(default_graph)
    return w.query()


def count_json(result):
    return int(result.convert()["results"]["bindings"][0]["n"]["value"])


# SELECT in each return format SPARQLWrapper offers, GET, POST form, POST direct.
for label, method, request in [("GET", None, None), ("POST form", POST, URLENCODED),
                               ("POST direct", POST, POSTDIRECTLY)]:
    try:
        n = count_json(wrapper(OBJECTS, JSON, method, request))
        check(f"SPARQLWrapper SELECT JSON, {label}", n == 694, n)
    except Exception as e:  # noqa: BLE001
        check(f"SPARQLWrapper SELECT JSON, {label}", False, repr(e))
for fmt, probe in [(XML, lambda r: r.convert().getElementsByTagName("literal")[0].firstChild.data == "694"),
                   (CSV, lambda r: r.convert().decode().splitlines()[1].strip() == "694"),
                   (TSV, lambda r: r.convert().decode().splitlines()[1].strip().startswith("694"))]:
    try:
        check(f"SPARQLWrapper SELECT {fmt}", probe(wrapper(OBJECTS, fmt)))
    except Exception as e:  # noqa: BLE001
        check(f"SPARQLWrapper SELECT {fmt}", False, repr(e))
try:
    r = wrapper("ASK { ?s ?p ?o }", JSON).convert()
    check("SPARQLWrapper ASK JSON", r["boolean"] is True, r)
except Exception as e:  # noqa: BLE001
    check("SPARQLWrapper ASK JSON", False, repr(e))
# Default graphs: the joconde dataset by its public graph, and one the publisher lacks.
try:
    n = count_json(wrapper(OBJECTS, JSON, default_graph=JOCONDE))
    none = count_json(wrapper(OBJECTS, JSON, default_graph="https://data.example.org/graph/none"))
    check("SPARQLWrapper default graph", (n, none) == (694, 0), (n, none))
except Exception as e:  # noqa: BLE001
    check("SPARQLWrapper default graph", False, repr(e))

# CONSTRUCT in each RDF format SPARQLWrapper offers.
for fmt, method in [(TURTLE, None), (N3, None), (RDFXML, None), (XML, None), (JSONLD, None),
                    (TURTLE, POST), (RDFXML, POST)]:
    name = f"SPARQLWrapper CONSTRUCT {fmt}" + (" POST" if method else "")
    try:
        result = wrapper(CONSTRUCT, fmt, method).convert()
        if isinstance(result, bytes):
            g = Graph().parse(data=result, format={"turtle": "turtle", "n3": "n3", "json-ld": "json-ld"}.get(fmt, "xml"))
        else:
            g = result
        check(name, len(g) == 20, len(g))
    except Exception as e:  # noqa: BLE001
        check(name, False, repr(e))

# rdflib: SPARQLStore over the endpoint, and Graph.parse of an item by content negotiation.
try:
    store = SPARQLStore(ENDPOINT, returnFormat="json")
    rows = list(store.query(OBJECTS))
    check("rdflib SPARQLStore SELECT", int(rows[0][0]) == 694, rows)
    g = Graph(store=store)
    titles = list(g.triples((URIRef("https://data.example.org/id/joconde/000PE000015"),
                             URIRef("http://purl.org/dc/terms/title"), None)))
    check("rdflib SPARQLStore triples()", len(titles) == 1, titles)
except Exception as e:  # noqa: BLE001
    check("rdflib SPARQLStore", False, repr(e))
try:
    g = Graph().parse(BASE + "/id/joconde/000PE000015")
    check("rdflib Graph.parse of an item", len(g) > 10, len(g))
    g = Graph().parse(BASE + "/id/joconde/000PE000015.jsonld", format="json-ld")
    check("rdflib Graph.parse of an item as JSON-LD", len(g) > 10, len(g))
except Exception as e:  # noqa: BLE001
    check("rdflib Graph.parse of an item", False, repr(e))

print(f"clients: {len(failures)} failed")
sys.exit(1 if failures else 0)
