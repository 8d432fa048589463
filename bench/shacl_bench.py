#!/usr/bin/env python3
"""SHACL benchmark and cross-check: `vitrine validate` vs pySHACL 0.40.1, side by side.

    python3 bench/shacl_bench.py [TRIPLES ...]      (default: 100000 1000000)

For each size it generates persons data with ../shared/bench/gen_persons_ttl.py (5 triples per
person, 1% of them with a violation) and validates it against ../shared/bench/persons.shapes.ttl,
in the same session, each under /usr/bin/time -v:
  1. pySHACL 0.40.1 (PyPI, venv bench/.venv-shacl), as ../shared/bench/pyshacl_validate.py does
     (rdflib parse, then pyshacl.validate, no inference), writing its results as TSV;
  2. `vitrine validate --format turtle`, whose report is read back with rdflib (not timed).
It checks that the two result sets (focus node, result path, constraint component, severity) are
identical, printing the difference otherwise, then prints wall time, peak RSS and the ratios.
Then it cross-checks the official DCAT-AP 3.0.1 shapes on their examples
(../shared/conformance/dcat-ap/3.0.1) the same way: same result sets, or why not.
Work files go to bench/out/ (git-ignored).
"""
import os, re, subprocess, sys
from pathlib import Path

from common import OUT, ROOT, SHARED, VITRINE, timed, venv

SHAPES = SHARED / "persons.shapes.ttl"

# Both engines' reports become TSV rows (focus, path, component, severity); a complex result
# path (a blank node) is written out as text so that the two can be compared.
ROW = r'''
from rdflib import BNode, Namespace, RDF
from rdflib.collection import Collection
SH = Namespace("http://www.w3.org/ns/shacl#")
def path_text(g, p):
    if isinstance(p, BNode):
        if g.value(p, RDF.first) is not None:
            return "(" + "/".join(path_text(g, x) for x in Collection(g, p)) + ")"
        for k in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
            v = g.value(p, SH[k])
            if v is not None:
                return k + "(" + path_text(g, v) + ")"
    return str(p) if p is not None else ""
def write_rows(rg, path):
    with open(path, "w") as out:
        for r in rg.subjects(RDF.type, SH.ValidationResult):
            cells = [str(rg.value(r, SH.focusNode)), path_text(rg, rg.value(r, SH.resultPath)),
                     str(rg.value(r, SH.sourceConstraintComponent)), str(rg.value(r, SH.resultSeverity))]
            out.write("\t".join(cells) + "\n")
'''

# Runs inside the pySHACL venv: timings on stdout, results as TSV in argv[3].
PYSHACL = ROW + r'''
import sys, time, pyshacl
from rdflib import Graph
t0 = time.perf_counter(); g = Graph().parse(sys.argv[1], format="turtle"); t1 = time.perf_counter()
s = Graph().parse(sys.argv[2], format="turtle")
conforms, rg, _ = pyshacl.validate(g, shacl_graph=s, inference="none", abort_on_first=False, meta_shacl=False)
t2 = time.perf_counter()
write_rows(rg, sys.argv[3])
print(f"parse_s={t1-t0:.2f} validate_s={t2-t1:.2f} conforms={conforms}")
'''

# Runs inside the venv too: reads vitrine's Turtle report into the same TSV form.
READ_REPORT = ROW + r'''
import sys
from rdflib import Graph
write_rows(Graph().parse(sys.argv[1], format="turtle"), sys.argv[2])
'''


def python_with_pyshacl():
    """The venv's Python, with the helper scripts it runs written to bench/out."""
    python = venv(".venv-shacl", ["pyshacl==0.40.1"]) / "python"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "pyshacl_run.py").write_text(PYSHACL)
    (OUT / "read_report.py").write_text(READ_REPORT)
    return python


def print_difference(a, b, limit):
    """The result rows only one engine gave, `limit` of each at most."""
    for line in sorted(set(a) - set(b))[:limit]:
        print(f"    only pySHACL: {line}")
    for line in sorted(set(b) - set(a))[:limit]:
        print(f"    only vitrine: {line}")


def rows(path):
    return sorted(Path(path).read_text().splitlines())


def crosscheck_dcat(python):
    """Same result sets on the DCAT-AP 3.0.1 examples, or the reason why not."""
    folder = ROOT.parent / "shared" / "conformance" / "dcat-ap" / "3.0.1"
    shapes = folder / "dcat-ap-SHACL.ttl"
    same = 0
    examples = sorted((folder / "examples").glob("*.ttl"))
    print(f"== DCAT-AP 3.0.1 shapes on their {len(examples)} examples")
    for example in examples:
        py_tsv, vi_tsv, report = OUT / "dcat-py.tsv", OUT / "dcat-vi.tsv", OUT / "dcat-vi.ttl"
        py = subprocess.run([str(python), str(OUT / "pyshacl_run.py"), str(example), str(shapes), str(py_tsv)],
                            capture_output=True, text=True)
        with open(report, "w") as f:
            vi = subprocess.run([str(VITRINE), "validate", "--format", "turtle", "-s", str(shapes), "-d", str(example)],
                                stdout=f, stderr=subprocess.PIPE, text=True)
        if py.returncode != 0 or vi.returncode not in (0, 1):
            why_py = (py.stderr.strip().splitlines() or ["ok"])[-1][:150] if py.returncode else "ok"
            why_vi = (vi.stderr.strip().splitlines() or ["ok"])[-1][:150] if vi.returncode not in (0, 1) else "ok"
            print(f"  {example.name}: not compared: pySHACL: {why_py} | vitrine: {why_vi}")
            continue
        subprocess.run([str(python), str(OUT / "read_report.py"), str(report), str(vi_tsv)], check=True)
        a, b = rows(py_tsv), rows(vi_tsv)
        if a == b:
            same += 1
        else:
            print(f"  {example.name}: RESULT SETS DIFFER (pySHACL {len(a)}, vitrine {len(b)})")
            print_difference(a, b, 10)
    print(f"  identical result sets on {same} of {len(examples)} examples")


def compare(name, python, data, shapes):
    """Validates `data` with both engines; prints whether the result sets are identical."""
    py_tsv, vi_tsv, report = OUT / f"{name}-py.tsv", OUT / f"{name}-vi.tsv", OUT / f"{name}-vi.ttl"
    subprocess.run([str(python), str(OUT / "pyshacl_run.py"), str(data), str(shapes), str(py_tsv)],
                   check=True, capture_output=True)
    with open(report, "w") as f:
        vi = subprocess.run([str(VITRINE), "validate", "--format", "turtle", "-s", str(shapes), "-d", str(data)],
                            stdout=f, stderr=subprocess.PIPE, text=True)
    if vi.returncode not in (0, 1):
        sys.exit(f"vitrine validate failed on {data}: {vi.stderr[-500:]}")
    subprocess.run([str(python), str(OUT / "read_report.py"), str(report), str(vi_tsv)], check=True)
    a, b = rows(py_tsv), rows(vi_tsv)
    violations = sum(1 for r in a if r.endswith("#Violation"))
    if a == b:
        print(f"  {name}: result sets identical: {len(a)} results ({violations} violations)")
    else:
        print(f"  {name}: RESULT SETS DIFFER: pySHACL {len(a)}, vitrine {len(b)}")
        print_difference(a, b, 10)
    return a == b


LABELS = ("<http://purl.org/dc/terms/title>", "<http://www.w3.org/2000/01/rdf-schema#label>")


def plant(lines):
    """Violations planted in the demo data: titles and labels of 5 items removed, 5 time-span
    beginnings made plain strings, one image made a literal."""
    out, dropped, dated, imaged = [], set(), 0, False
    for line in lines:
        s, p, rest = line.split(" ", 2)
        if p in LABELS and "/id/agent/" not in s and len(dropped) < 5:
            dropped.add(s)
        if s in dropped and p in LABELS:
            continue
        if p == "<http://www.cidoc-crm.org/cidoc-crm/P82a_begin_of_the_begin>" and dated < 5:
            dated += 1
            rest = re.sub(r'"\^\^<[^>]+>', '"', rest)
        if p == "<http://xmlns.com/foaf/0.1/depiction>" and not imaged:
            imaged = True
            rest = '"not an IRI" .'
        out.append(f"{s} {p} {rest}")
    return out


def crosscheck_profiles(python):
    """Each demo dataset with the shapes its vitrine.toml lists (what ingest validates), as
    published and with planted violations."""
    import tomllib
    print("== profile shapes on the demo datasets")
    demo = OUT / "demo"
    if demo.exists():
        subprocess.run(["rm", "-rf", str(demo)], check=True)
    subprocess.run([str(VITRINE), "init", str(demo)], check=True, capture_output=True)
    subprocess.run([str(VITRINE), "ingest"], cwd=demo, check=True, capture_output=True)
    config = tomllib.loads((demo / "vitrine.toml").read_text())
    same = []
    for dataset in config["datasets"]:
        id = dataset["id"]
        data = OUT / f"demo-{id}.nt"
        query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{config['base_iri']}graph/metadata> "
                 f"{{ <{config['base_iri']}dataset/{id}> <https://w3id.org/vitrine#currentGraph> ?g }} "
                 f"GRAPH ?g {{ ?s ?p ?o }} }}")
        with open(data, "w") as f:
            subprocess.run([str(VITRINE), "query", "--format", "nt", query], cwd=demo, stdout=f, check=True)
        # Turtle allows prefixes to be declared again anywhere, so the shapes files concatenate.
        shapes = OUT / f"demo-{id}-shapes.ttl"
        shapes.write_text("\n".join((demo / f).read_text() for f in dataset["shapes"]))
        planted = OUT / f"demo-{id}-planted.nt"
        planted.write_text("\n".join(plant(data.read_text().splitlines())) + "\n")
        same.append(compare(f"{id}", python, data, shapes))
        same.append(compare(f"{id} planted", python, planted, shapes))
    print(f"  identical on {sum(same)} of {len(same)}")


def main():
    if sys.argv[1:] == ["--profiles"]:
        crosscheck_profiles(python_with_pyshacl())
        return
    sizes = [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]
    if not VITRINE.exists():
        sys.exit(f"no vitrine binary at {VITRINE}; build with `cargo build --release` or set VITRINE_BIN")
    python = python_with_pyshacl()
    crosscheck_dcat(python)
    crosscheck_profiles(python)
    table = []
    for triples in sizes:
        persons = triples // 5
        data = OUT / f"persons-{triples}.ttl"
        if not data.exists():
            subprocess.run([sys.executable, str(SHARED / "gen_persons_ttl.py"), str(persons), str(data)], check=True)
        print(f"== {triples} triples ({persons} persons)")
        py_tsv = OUT / f"pyshacl-{triples}.tsv"
        py_wall, py_rss, _, py_out = timed([python, OUT / "pyshacl_run.py", data, SHAPES, py_tsv], OUT / f"pyshacl-{triples}.log")
        py_validate = float(re.search(r"validate_s=([\d.]+)", py_out).group(1))
        py_parse = float(re.search(r"parse_s=([\d.]+)", py_out).group(1))
        report = OUT / f"vitrine-{triples}.report.ttl"
        env = dict(os.environ, RUST_LOG="vitrine::validate=debug", NO_COLOR="1")
        # Exit 1 = does not conform, which is expected here.
        vi_wall, vi_rss, _, vi_out = timed(["sh", "-c", f'"{VITRINE}" validate --format turtle -s "{SHAPES}" -d "{data}" > "{report}"'],
                                        OUT / f"vitrine-{triples}.log", ok=(0, 1), env=env)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", vi_out)
        def seconds(event):
            value, unit = re.search(rf"{event} elapsed=([\d.]+)(m?s)", plain).groups()
            return float(value) / 1000 if unit == "ms" else float(value)
        vi_validate = seconds("validated") - seconds("data indexed")
        vi_tsv = OUT / f"vitrine-{triples}.tsv"
        subprocess.run([str(python), str(OUT / "read_report.py"), str(report), str(vi_tsv)], check=True)
        a, b = rows(py_tsv), rows(vi_tsv)
        if a == b:
            print(f"  result sets identical: {len(a)} results (focus, path, component, severity)")
        else:
            print(f"  RESULT SETS DIFFER: pySHACL {len(a)}, vitrine {len(b)}")
            print_difference(a, b, 20)
        table.append((triples, py_wall, py_parse, py_validate, py_rss, vi_wall, vi_validate, vi_rss, len(a), len(b), a == b))
    print()
    print("| triples | pySHACL wall | (parse + validate) | pySHACL RSS | vitrine wall | (validate) | vitrine RSS | wall ratio | validate ratio | RSS ratio | same results |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for (n, pw, pp, pv, pr, vw, vv, vr, na, nb, same) in table:
        print(f"| {n:,} | {pw:.1f} s | {pp:.1f} + {pv:.1f} s | {pr:.0f} MiB | {vw:.2f} s | {vv:.2f} s | {vr:.0f} MiB "
              f"| {pw / vw:.0f}× | {pv / vv:.0f}× | {pr / vr:.1f}× less | {'yes' if same else f'NO ({na} vs {nb})'} |")


if __name__ == "__main__":
    main()
