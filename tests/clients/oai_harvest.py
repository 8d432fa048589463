"""Harvests every record of every set of a vitrine repository in both formats with Sickle (the
OAI-PMH client from PyPI), following resumption tokens, and checks the counts and the records.

Usage: oai_harvest.py http://host:port EXPECTED_JSON
EXPECTED_JSON maps each set to {"oai_dc": n, "edm": m}. Prints one "clients: …" line per count.
"""

import json
import sys
from xml.etree import ElementTree

from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, CannotDisseminateFormat, NoRecordsMatch

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
EDM = "{http://www.europeana.eu/schemas/edm/}"
ORE = "{http://www.openarchives.org/ore/terms/}"
DC = "{http://purl.org/dc/elements/1.1/}"

base, expected = sys.argv[1], json.loads(sys.argv[2])
oai = Sickle(base + "/oai", max_retries=0)

identify = oai.Identify()
assert identify.protocolVersion == "2.0", identify.protocolVersion
assert identify.baseURL == base + "/oai", identify.baseURL
assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"

prefixes = {f.metadataPrefix for f in oai.ListMetadataFormats()}
assert prefixes == {"oai_dc", "edm"}, prefixes

sets = {s.setSpec: s.setName for s in oai.ListSets()}
assert set(sets) == set(expected), (sets, expected)

failures = []
for spec in sorted(expected):
    for prefix in ("oai_dc", "edm"):
        want = expected[spec][prefix]
        seen = set()
        try:
            for record in oai.ListRecords(metadataPrefix=prefix, set=spec):
                header = record.header
                assert spec in header.setSpecs, header.setSpecs
                assert header.identifier not in seen, header.identifier
                seen.add(header.identifier)
                root = record.xml
                if prefix == "edm":
                    rdf = root.find(".//" + RDF + "RDF")
                    cho = rdf.find(EDM + "ProvidedCHO")
                    agg = rdf.find(ORE + "Aggregation")
                    assert cho.get(RDF + "about") == header.identifier
                    assert agg.find(EDM + "aggregatedCHO").get(RDF + "resource") == header.identifier
                    rights = agg.find(EDM + "rights").get(RDF + "resource")
                    assert rights.startswith("http://") and rights.endswith("/"), rights
                    kind = cho.find(EDM + "type").text
                    assert kind in {"IMAGE", "TEXT", "SOUND", "VIDEO", "3D"}, kind
                    if kind == "TEXT":
                        assert cho.find(DC + "language") is not None
                else:
                    identifiers = record.metadata.get("identifier", [])
                    assert header.identifier in identifiers, header.identifier
        except NoRecordsMatch:
            pass
        print(f"clients: sickle harvested {len(seen)} {prefix} records of set {spec} (expected {want})")
        if len(seen) != want:
            failures.append((spec, prefix, len(seen), want))

# A whole harvest without a set, in pages, and GetRecord on one of its identifiers.
headers = list(oai.ListIdentifiers(metadataPrefix="oai_dc"))
total = sum(v["oai_dc"] for v in expected.values())
print(f"clients: sickle listed {len(headers)} oai_dc identifiers in all (expected {total})")
if len(headers) != total:
    failures.append(("*", "oai_dc", len(headers), total))
first = headers[0].identifier
record = oai.GetRecord(identifier=first, metadataPrefix="oai_dc")
assert record.header.identifier == first

try:
    oai.ListRecords(resumptionToken="not-a-token")
    failures.append("a made-up token was accepted")
except BadResumptionToken:
    pass
try:
    oai.ListRecords(metadataPrefix="marc21")
    failures.append("an unknown format was accepted")
except CannotDisseminateFormat:
    pass

if failures:
    print("failures:", failures)
    sys.exit(1)
