#!/usr/bin/env python3
"""Writes a publisher whose exports mix hostile records into good ones, and what must happen to
each record.

    python3 tests/hostile/make_corpus.py DIR [--good N] [--bad N]

DIR gets `vitrine.toml`, four datasets (the same works as CSV, a JSON document, JSON Lines and
XML, each with its YARRRML mapping), SHACL shapes, and `expected.json`: for every dataset, the
records vitrine must read, in order, each with its identifier, the kind of hostility, and
whether it must be published or quarantined. Records are numbered as vitrine numbers them
(1-based, the CSV header is not a record). `tests/hostile.rs` ingests DIR with the real binary
and checks every record against this list; run by hand:

    python3 tests/hostile/make_corpus.py /tmp/hostile && cd /tmp/hostile && vitrine ingest

The kinds (`KINDS`) are what museum exports really contain: truncated rows, wrong column
counts, invalid UTF-8, unbalanced quotes, broken XML, invalid JSON lines, values that make
invalid IRIs, impossible dates, duplicated identifiers, 10 MB cells, control characters,
headings with an unclosed parenthesis, right-to-left and combining characters. Hostile is not
always wrong: a right-to-left title or a 10 MB description is valid data and must be published
intact; what cannot be published must be quarantined and listed, never dropped in silence.
"""
import argparse, json, random
from pathlib import Path

FORMATS = ["csv", "json", "jsonl", "xml"]
HUGE = 10 * 1024 * 1024

# kind → (formats it applies to, outcome). "published": valid if odd, must come out intact;
# "quarantined": must be listed in reports/{dataset}.quarantine.csv with its record number.
KINDS = {
    "rtl": (FORMATS, "published"),
    "combining": (FORMATS, "published"),
    "control": (FORMATS, "published"),
    "unclosed_parenthesis": (FORMATS, "published"),
    "inner_quote": (["csv"], "published"),
    "invalid_iri": (FORMATS, "quarantined"),
    "impossible_date": (FORMATS, "quarantined"),
    "duplicate_id": (FORMATS, "quarantined"),
    "invalid_utf8": (["csv", "jsonl", "xml"], "quarantined"),
    "too_many_fields": (["csv"], "quarantined"),
    "too_few_fields": (["csv"], "quarantined"),
    "truncated_row": (["csv"], "quarantined"),
    "invalid_json_line": (["jsonl"], "quarantined"),
    "object_for_string": (["json", "jsonl"], "quarantined"),
    "mismatched_tag": (["xml"], "quarantined"),
    "undefined_entity": (["xml"], "quarantined"),
    "bare_ampersand": (["xml"], "quarantined"),
}
# Once per format: 10 MB cells (published), and how the file ends (the last record).
HUGE_KIND = "huge_cell"
ENDINGS = {"csv": "unterminated_quote", "json": "truncated_document", "jsonl": "truncated_line", "xml": "truncated_document"}

MAPPING = """prefixes:
  dct: http://purl.org/dc/terms/
  rdfs: http://www.w3.org/2000/01/rdf-schema#
  crm: http://www.cidoc-crm.org/cidoc-crm/
  vfn: https://w3id.org/vitrine/fn#
mappings:
  work:
    sources:
      - {source}
    s: id/work/$(id)
    po:
      - [a, crm:E22_Human-Made_Object]
      - [dct:identifier, $(id)]
      - [dct:title, $(title), fr~lang]
      - [dct:description, $(description)]
      - [dct:source, $(url)~iri]
      - p: dct:creator
        o:
          function: vfn:agentName
          parameters: [[vfn:value, $(artist)]]
      - p: crm:P82a_begin_of_the_begin
        o:
          function: vfn:dateBegin
          parameters: [[vfn:value, $(date)]]
          datatype: xsd:dateTime
"""
SOURCES = {
    "csv": "[works.csv~csv]",
    "json": "[works.json~jsonpath, \"$.records[*]\"]",
    "jsonl": "[works.jsonl~jsonpath, \"$\"]",
    "xml": "[works.xml~xpath, /export/work]",
}

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
@prefix : <https://data.example.org/shapes#> .

# One work, one title: two records claiming the same identifier make two titles.
:Work a sh:NodeShape ; sh:targetClass crm:E22_Human-Made_Object ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:maxCount 1 ] .
"""

FIELDS = ["id", "title", "artist", "date", "url", "description"]


def good(fmt, n, rng):
    return {
        "id": f"{fmt}-{n}",
        "title": f"Nature morte n° {n}",
        "artist": rng.choice(["Monet, Claude (1840-1926)", "Morisot, Berthe", "DUPONT Jean", "Vigée Le Brun, Élisabeth"]),
        "date": str(rng.randrange(1600, 1950)),
        "url": f"https://collections.example.org/notice/{n}",
        "description": "Huile sur toile.",
    }


def hostile(kind, fmt, record, rng):
    """The record's fields, and raw text replacing the whole serialised record (for the kinds
    that break the syntax), or None."""
    r = dict(record)
    raw = None
    if kind == "rtl":
        r["title"] = "لوحة زيتية \u202eمقلوب\u202c שלום"
    elif kind == "combining":
        r["title"] = "Cafe\u0301 de\u0301cor Z\u0351\u0352a\u0300\u0301l\u0489go"
    elif kind == "control":
        r["title"] = "Titre\u0001avec\u0007des\u001bcontrôles\u007f"
    elif kind == "unclosed_parenthesis":
        r["artist"] = rng.choice(["Dupont (", "Dupont (1850", "(", "Martin, Jean (18"])
    elif kind == "inner_quote":
        r["title"] = 'Le "Penseur'
    elif kind == "invalid_iri":
        r["url"] = rng.choice(["http://exa mple.org/x", "https://example.org/<script>", "notice 12", "http://[::1"])
    elif kind == "impossible_date":
        r["date"] = rng.choice(["2023-02-30", "1890-13-01", "31/02/1890", "an XIII bis", "99999999999"])
    elif kind == HUGE_KIND:
        r["description"] = "D" * HUGE
    elif kind == "object_for_string":
        r["title"] = {"fr": "objet", "en": "object"}
    return r, raw


def csv_cell(v):
    v = str(v)
    if any(c in v for c in ',"\n\r'):
        return '"' + v.replace('"', '""') + '"'
    return v


def csv_row(r):
    return ",".join(csv_cell(r[f]) for f in FIELDS).encode("utf-8", "surrogatepass")


def xml_text(v):
    v = str(v).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # XML 1.0 cannot carry most C0 controls even as references: they are left out, as an
    # export tool would have to.
    return "".join(c for c in v if c in "\t\n\r" or ord(c) >= 0x20)


def xml_record(r):
    inner = "".join(f"<{f}>{xml_text(r[f])}</{f}>" for f in FIELDS)
    return f"<work>{inner}</work>".encode()


def serialise(fmt, kind, r):
    """Bytes of one record in `fmt`, hostile syntax applied."""
    if fmt == "csv":
        if kind == "invalid_utf8":
            return csv_row(r).replace(b"Nature", b"Nat\xffure\xc3")
        if kind == "too_many_fields":
            return csv_row(r) + b",extra,cells"
        if kind == "too_few_fields":
            return ",".join(csv_cell(r[f]) for f in FIELDS[:4]).encode()
        if kind == "truncated_row":
            # Cut in the middle of the (unquoted) title.
            return csv_row(r)[: len(r["id"]) + 10]
        if kind == "inner_quote":
            # Unquoted cell with a quote inside: literal, as every CSV reader takes it.
            return csv_row(r).replace(b'"Le ""Penseur"', b'Le "Penseur')
        return csv_row(r)
    if fmt in ("json", "jsonl"):
        if kind == "invalid_json_line":
            text = json.dumps(r, ensure_ascii=False)
            return text[:-1].encode() + b', "oops": }'
        if kind == "invalid_utf8":
            return json.dumps(r, ensure_ascii=False).encode().replace(b"Nature", b"Nat\xff\xfeure")
        return json.dumps(r, ensure_ascii=False).encode()
    if fmt == "xml":
        if kind == "invalid_utf8":
            return xml_record(r).replace(b"Nature", b"Nat\xffure")
        if kind == "mismatched_tag":
            return xml_record(r).replace(b"</title>", b"</titel>")
        if kind == "undefined_entity":
            return xml_record(r).replace(b"Nature", b"Nature &eacute;")
        if kind == "bare_ampersand":
            return xml_record(r).replace(b"Nature", b"Nature & Paysage")
        return xml_record(r)
    raise ValueError(fmt)


def write_format(folder, fmt, n_good, n_bad, rng):
    kinds = [k for k, (fmts, _) in KINDS.items() if fmt in fmts]
    plan = ["good"] * n_good + [kinds[i % len(kinds)] for i in range(n_bad - 2)] + [HUGE_KIND]
    rng.shuffle(plan)
    plan.append(ENDINGS[fmt])
    expected, chunks, n = [], [], 0
    previous_good = []
    for kind in plan:
        n += 1
        base = good(fmt, n, rng)
        if kind in ("good", HUGE_KIND) or kind in KINDS:
            record, _ = hostile(kind, fmt, base, rng) if kind != "good" else (base, None)
        else:
            record = base
        outcome = "published" if kind in ("good", HUGE_KIND) else KINDS.get(kind, (None, "quarantined"))[1]
        if kind == "duplicate_id" and previous_good:
            # Takes the identifier of an earlier good record: both become one work with two
            # titles, which the shapes refuse, so both are quarantined.
            twin = rng.choice(previous_good)
            previous_good.remove(twin)
            record["id"] = twin["id"]
            twin["expect"] = "quarantined"
            twin["kind"] = "duplicated_by_" + str(n)
        if kind == ENDINGS[fmt]:
            outcome = "quarantined"
        entry = {"record": n, "id": record["id"] if isinstance(record["id"], str) else None, "kind": kind, "expect": outcome}
        if kind == "good":
            previous_good.append(entry)
        expected.append(entry)
        chunks.append(serialise(fmt, kind, record))
    path = folder / f"works.{fmt}"
    with open(path, "wb") as f:
        if fmt == "csv":
            f.write((",".join(FIELDS) + "\n").encode())
            for chunk, entry in zip(chunks, expected):
                if entry["kind"] == "unterminated_quote":
                    # The last row opens a quoted cell and never closes it: the reader takes
                    # the rest of the file as that cell, so the row has too few fields.
                    chunk = chunk.split(b",")[0] + b',"Sans titre, jamais ferm\xc3\xa9'
                f.write(chunk + b"\n")
        elif fmt == "json":
            f.write(b'{"export": "hostile", "records": [\n')
            for i, (chunk, entry) in enumerate(zip(chunks, expected)):
                if entry["kind"] == "truncated_document":
                    # The export broke off inside the last record.
                    f.write(b",\n" + chunk[: len(chunk) // 2])
                    break
                f.write((b",\n" if i else b"") + chunk)
        elif fmt == "jsonl":
            for chunk, entry in zip(chunks, expected):
                if entry["kind"] == "truncated_line":
                    f.write(chunk[: len(chunk) // 2])
                    break
                f.write(chunk + b"\n")
        else:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<export source="hostile">\n')
            for chunk, entry in zip(chunks, expected):
                if entry["kind"] == "truncated_document":
                    f.write(chunk[: len(chunk) // 2])
                    break
                f.write(chunk + b"\n")
    (folder / f"{fmt}.yarrrml.yml").write_text(MAPPING.format(source=SOURCES[fmt]), encoding="utf-8")
    return {"file": path.name, "records": expected}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--good", type=int, default=400, help="good records per format")
    parser.add_argument("--bad", type=int, default=300, help="hostile records per format")
    args = parser.parse_args()
    folder = args.dir
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(14)
    expected = {}
    config = ['base_iri = "https://data.example.org/"', "[publisher]", 'name = "Musée hostile"', "[store]", 'path = "store"']
    (folder / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    for fmt in FORMATS:
        expected[fmt] = write_format(folder, fmt, args.good, args.bad, rng)
        config += ["[[datasets]]", f'id = "{fmt}"', f'title = {{ en = "Works ({fmt})" }}',
                   f'mapping = "{fmt}.yarrrml.yml"', f'sources = ["works.{fmt}"]', 'shapes = ["shapes.ttl"]']
    (folder / "vitrine.toml").write_text("\n".join(config) + "\n", encoding="utf-8")
    (folder / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False), encoding="utf-8")
    bad = sum(1 for d in expected.values() for r in d["records"] if r["kind"] != "good")
    total = sum(len(d["records"]) for d in expected.values())
    print(f"hostile corpus: {total} records, {bad} hostile, in {folder}")


if __name__ == "__main__":
    main()
