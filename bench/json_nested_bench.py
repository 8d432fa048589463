#!/usr/bin/env python3
"""Memory of `vitrine map` on a large JSON export whose records are nested in its records.

    python3 bench/json_nested_bench.py [WORKS]      (default: 400000, a ~130 MB document)

Museum APIs export works with their contributors inside (`{"records": [{..., "contributors":
[...]}]}`), and a mapping of the contributors iterates `$.records[*].contributors[*]`. The
script writes such a document, then runs `vitrine map` three times under /usr/bin/time -v:
  1. the works, iterator `$.records[*]` (streamed since the start),
  2. the contributors, iterator `$.records[*].contributors[*]` (streamed: the works one by one,
     the rest of the path per work),
  3. the same contributors through an iterator with a filter, `$.records[?@.id].contributors[*]`,
     which only the whole document can answer (read whole: what every nested iterator cost
     before),
checks that 2 and 3 give the same number of triples, and prints wall time, peak RSS and the
ratio to the document's size. Work files go to bench/out/ (git-ignored).
"""
import json, random, sys
from pathlib import Path

from common import OUT, VITRINE, timed

MAPPING = """prefixes:
  ex: http://example.org/
  dct: http://purl.org/dc/terms/
  rdfs: http://www.w3.org/2000/01/rdf-schema#
mappings:
  {name}:
    sources:
      - [works.json~jsonpath, "{iterator}"]
    s: ex:{kind}/$({key})
    po:
{po}
"""
WORK_PO = """      - [dct:title, $(title)]
      - [dct:date, $(date)]
      - [dct:description, $(description)]"""
CONTRIBUTOR_PO = """      - [rdfs:label, $(name)]
      - [dct:type, $(role)]"""

ROLES = ["peintre", "graveur", "éditeur", "photographe", "sculpteur", "donateur"]


def write_document(path, works):
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"source": "bench", "count": %d, "records": [\n' % works)
        for i in range(works):
            contributors = [
                {"id": f"p{i}-{j}", "name": f"Personne {rng.randrange(10**6)} ({1800 + j})", "role": rng.choice(ROLES)}
                for j in range(rng.randrange(1, 5))
            ]
            work = {
                "id": i, "title": f"Œuvre numéro {i}", "date": str(1700 + i % 300),
                "description": "Huile sur toile, " + "détail " * rng.randrange(5, 25),
                "contributors": contributors,
            }
            f.write(("," if i else "") + json.dumps(work, ensure_ascii=False) + "\n")
        f.write("]}\n")


def main():
    works = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
    folder = OUT / "json-nested"
    folder.mkdir(parents=True, exist_ok=True)
    document = folder / "works.json"
    if not document.exists() or document.stat().st_size == 0 or f'"count": {works},' not in document.open().read(100):
        write_document(document, works)
    size = document.stat().st_size / 2**20
    print(f"document: {works} works, {size:.0f} MiB")
    runs = [
        ("works, $.records[*]", "works", "$.records[*]", "work", "id", WORK_PO),
        ("contributors, $.records[*].contributors[*] (streamed)", "contributors", "$.records[*].contributors[*]", "person", "id", CONTRIBUTOR_PO),
        ("contributors, filter (read whole)", "contributors", "$.records[?@.id].contributors[*]", "person", "id", CONTRIBUTOR_PO),
    ]
    triples = {}
    print(f"{'run':58} {'wall s':>7} {'RSS MiB':>8} {'RSS/doc':>8} {'triples':>9}")
    for label, name, iterator, kind, key, po in runs:
        mapping = folder / f"{name}-{len(triples)}.yml"
        mapping.write_text(MAPPING.format(name=name, iterator=iterator, kind=kind, key=key, po=po))
        output = folder / "out.nt"
        run = timed([VITRINE, "map", "--mapping", mapping, "--output", output], folder / "map.log")
        with open(output, "rb") as f:
            count = sum(1 for _ in f)
        triples[label] = count
        print(f"{label:58} {run.wall:7.1f} {run.rss:8.0f} {run.rss / size:8.2f} {count:9}")
    streamed, whole = list(triples.values())[1:]
    if streamed != whole:
        sys.exit(f"the streamed and whole-document runs differ: {streamed} vs {whole} triples")
    print("streamed and whole-document contributors: same triples")


if __name__ == "__main__":
    main()
