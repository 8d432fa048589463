"""Validate a running vitrine's whole DCAT catalogue with pySHACL against DCAT-AP 3.0.1 and 2.1.1.

Usage: ~/.cache/vitrine-pyshacl/bin/python dcat_ap_pyshacl.py BASE_URL SHAPES_DIR_3_0_1 SHAPES_DIR_2_1_1
  e.g. BASE_URL http://127.0.0.1:PORT, SHAPES_DIR_* /work/shared/conformance/dcat-ap/{3.0.1,2.1.1}

All pages of /catalog.ttl (for 3.0.1) and of /catalog.ttl?profile=dcat-ap-2 (for 2.1.1: the
versions contradict each other on three points, see vitrine's catalog::dcat::Profile) are harvested with the walk of harvest_udata.py (hydra:next, no
redirects), merged into one graph, and validated with pySHACL (inference='none': the shapes see
exactly the triples served; allow_warnings=True). No file uses SHACL-AF (sh:sparql, sh:rule,
SPARQL targets), so advanced mode stays off; no owl:imports is followed, so nothing leaves loopback.
Prints "pyshacl: DCAT-AP <version>: V violations, W warnings, I infos" per version, then the first
30 violations of each (focus node, path, value, message). Exit 0 when neither version has a
violation (and the walk met no problem).

Shape files, chosen as the EU interoperability test bed's DCAT-AP validator
(ISAITB/validator-resources-dcat-ap, resources/config.properties) combines them:

DCAT-AP 3.0.1: dcat-ap-SHACL.ttl, the validator's "3.0.1 Full (individual constraints)" (that
  type loads this one file; ranges are separate validation types there, never merged into it).
  It holds every constraint: cardinalities, node kinds and ranges; ranges.ttl repeats its
  83 sh:class and 6 sh:datatype under the same property-shape IRIs and cannot stand alone (it
  points at ~200 property shapes only dcat-ap-SHACL.ttl defines). ranges.ttl is NOT loaded: all
  it would add is sh:class rdfs:Resource on dcat:endpointURL and dcat:endpointDescription, the
  kind of constraint 3.0.1 dropped everywhere else (SEMICeu/DCAT-AP issue #412, accessURL), met
  with inference='none' only by an explicit "a rdfs:Resource" on the endpoint.
  Both files have dangling links, which pySHACL refuses ("exists but is not a well-formed SHACL
  PropertyShape") as soon as a focus node reaches them: dcat-ap-SHACL.ttl's DataServiceShape
  lists the two range shapes (…/dc08f4dc…, …/eb3ac4e4…) that only ranges.ttl defines (and
  ranges.ttl five more that neither defines). So an sh:property link to a shape with no sh:path
  in the loaded files is dropped, and printed as a note; nothing the files define is relaxed.

DCAT-AP 2.1.1: shapes + range + shapes_recommended + deprecateduris, the files of the
  validator's "2.1.1 Full" minus its imports file. Left out:
  * dcat-ap_2.1.1_shacl_imports.ttl: no shapes, only owl:imports of remote ontologies (DCAT,
    DCTerms, FOAF, ...) used as background knowledge; fetching them leaves loopback. Without them
    a range (sh:class) is met only by an explicit rdf:type on the value, as in 3.0.1's file.
  * dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl and its mdr_imports.ttl: they require values to
    be concepts of the EU Publications Office authority tables (skos:inScheme <.../authority/...>),
    checkable only with those vocabularies loaded into the data graph. A catalogue that does not
    ship the EU vocabularies would fail them on every dct:language, dct:format, dcat:theme, ...
  shapes_recommended (sh:Warning) and deprecateduris (sh:Warning) only add warnings.
"""
import os
import sys

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF, SH

from harvest_udata import walk  # same directory

SHAPE_FILES = {
    "3.0.1": ["dcat-ap-SHACL.ttl"],
    "2.1.1": ["dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_range.ttl",
              "dcat-ap_2.1.1_shacl_shapes_recommended.ttl", "dcat-ap_2.1.1_shacl_deprecateduris.ttl"],
}
SHOWN = 30


def run(version, data, shapes_dir):
    shapes = Graph()
    for name in SHAPE_FILES[version]:
        shapes.parse(os.path.join(shapes_dir, name), format="turtle")
    shapes.bind("dct", DCTERMS, override=True, replace=True)  # the 3.0.1 file calls it dc:
    for node, prop in list(shapes.subject_objects(SH.property)):
        if (prop, SH.path, None) not in shapes:  # undefined here: see the docstring
            shapes.remove((node, SH.property, prop))
            print(f"note: DCAT-AP {version}: dropped the link to {prop}, defined in no loaded file")
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False,
                            allow_warnings=True, allow_infos=True)
    counts = {SH.Violation: 0, SH.Warning: 0, SH.Info: 0}
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        counts[severity] = counts.get(severity, 0) + 1
        if severity == SH.Violation:
            path, value = report.value(result, SH.resultPath), report.value(result, SH.value)
            violations.append((str(report.value(result, SH.focusNode)),
                               path.n3(shapes.namespace_manager) if path is not None else "-",
                               f" ({value})" if value is not None else "",
                               str(report.value(result, SH.resultMessage))))
    print(f"pyshacl: DCAT-AP {version}: {counts[SH.Violation]} violations, "
          f"{counts[SH.Warning]} warnings, {counts[SH.Info]} infos")
    return sorted(violations)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    base, dir_3_0_1, dir_2_1_1 = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    problems = []
    results = {}
    # The two versions contradict each other on byteSize's datatype, the checksum algorithm and
    # locn:geometry, so vitrine serves each its own profile of the same catalogue.
    for version, url, shapes_dir in (("3.0.1", "/catalog.ttl", dir_3_0_1),
                                     ("2.1.1", "/catalog.ttl?profile=dcat-ap-2", dir_2_1_1)):
        data = Graph()
        pages = walk(base + url, "turtle", problems)
        for _, _, page in pages:
            data += page
        print(f"harvested {url}: {len(pages)} pages, {len(data)} triples")
        if not pages:
            problems.append(f"{url}: no page harvested")
        results[version] = run(version, data, shapes_dir)
    for problem in problems:
        print(problem)
    for version, violations in results.items():
        for focus, path, value, message in violations[:SHOWN]:
            print(f"{version} violation: {focus} {path}{value}: {message}")
        if len(violations) > SHOWN:
            print(f"{version}: ... {len(violations) - SHOWN} more violations")
    return 1 if any(results.values()) or problems else 0


if __name__ == "__main__":
    sys.exit(main())
