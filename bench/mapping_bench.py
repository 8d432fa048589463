#!/usr/bin/env python3
"""Mapping benchmark: vitrine vs Morph-KGC 2.10.0 on the synthetic museum CSV, side by side.

    python3 bench/mapping_bench.py [ROWS ...]      (default: 100000 1000000)

For each size it generates the CSV with ../shared/bench/gen_museum_csv.py, then runs in the same
session, each under /usr/bin/time -v:
  1. Morph-KGC 2.10.0 (PyPI, venv bench/.venv-morph) with ../shared/bench/museum.rml.ttl -> N-Triples
  2. `vitrine map` with the same mapping -> N-Triples
  3. `oxigraph load` (PyPI oxigraph 0.5.13 CLI, venv bench/.venv) of Morph-KGC's N-Triples
  4. `vitrine ingest` of the same CSV and mapping into a fresh store (mapping + bulk load)
It checks that both mappers produce the same number of triples and, on the smallest size, the
same graph (sorted canonical N-Triples, both re-serialised by `oxigraph convert`), then prints
wall time, CPU time (user + system, steadier than wall time on a shared machine), peak RSS and
the ratios; the ingest is compared with both an `oxigraph load` into the default graph (3 indexes)
and one into a named graph (6 indexes, as vitrine stores each dataset version). Work files go to bench/out/ (git-ignored).
"""
import re, shutil, subprocess, sys
from pathlib import Path

from common import OUT, SHARED, VITRINE, timed, venv


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


NON_ASCII_PCT = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def uri_to_iri(line):
    """RFC 3987 section 3.2: decode percent-encoded non-ASCII UTF-8 in IRIs.

    R2RML's IRI-safe encoding keeps non-ASCII letters (they are `iunreserved`); Morph-KGC encodes
    them as a URI would (`Vig%C3%A9e` instead of `Vigée`). Both name the same resource for a web
    client but are different RDF terms, so the comparison maps Morph-KGC's back and reports it.
    """
    def decode(m):
        try:
            return bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return m.group(0)
    return NON_ASCII_PCT.sub(decode, line)


def canonical_sorted(oxigraph, src, dst, to_iri=False):
    subprocess.run([str(oxigraph / "oxigraph"), "convert", "--from-file", str(src), "--to-file", str(dst)], check=True)
    lines = Path(dst).read_text().splitlines()
    if to_iri:
        changed = sum(1 for l in lines if NON_ASCII_PCT.search(l))
        print(f"  {src.name}: {changed} triples with URI-encoded non-ASCII IRIs mapped back to IRI form")
        lines = [uri_to_iri(l) for l in lines]
    lines = sorted(set(lines))
    Path(dst).write_text("\n".join(lines) + "\n")
    return lines


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]
    if not VITRINE.exists():
        sys.exit(f"build vitrine first: cargo build --release ({VITRINE} is missing)")
    morph = venv(".venv-morph", ["morph-kgc==2.10.0"])
    oxigraph = venv(".venv", ["oxigraph==0.5.13"])
    rows_out = []
    for i, n in enumerate(sizes):
        work = OUT / str(n)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        subprocess.run([sys.executable, str(SHARED / "gen_museum_csv.py"), str(n), str(work / "museum.csv")], check=True)
        for f in ["museum.rml.ttl", "morph-kgc.ini"]:
            shutil.copy(SHARED / f, work / f)
        (work / "vitrine.toml").write_text(
            'base_iri = "https://data.example-museum.org/"\n[publisher]\nname = "bench"\n[store]\npath = "store"\n'
            '[[datasets]]\nid = "museum"\ntitle = { en = "Museum" }\nlicense = "https://example.org/licence"\n'
            'mapping = "museum.rml.ttl"\nsources = ["museum.csv"]\n')

        m_wall, m_rss, *_ = timed([morph / "python", "-m", "morph_kgc", "morph-kgc.ini"], work / "morph.log", cwd=work)
        v_wall, v_rss, *_ = timed([VITRINE, "map", "--mapping", "museum.rml.ttl", "--output", "vitrine-out.nt"], work / "vitrine-map.log", cwd=work)
        m_triples, v_triples = count_lines(work / "morph-out.nt"), count_lines(work / "vitrine-out.nt")
        if m_triples != v_triples:
            sys.exit(f"{n} rows: Morph-KGC wrote {m_triples} triples, vitrine {v_triples}")
        same = "-"
        if i == 0:
            a = canonical_sorted(oxigraph, work / "morph-out.nt", work / "morph.sorted.nt", to_iri=True)
            b = canonical_sorted(oxigraph, work / "vitrine-out.nt", work / "vitrine.sorted.nt")
            if a != b:
                sys.exit(f"{n} rows: the graphs differ: diff {work}/morph.sorted.nt {work}/vitrine.sorted.nt")
            same = "yes (see note)"
        o_wall, o_rss, o_cpu, _ = timed([oxigraph / "oxigraph", "load", "--location", "ox-store", "--file", "morph-out.nt"], work / "oxigraph-load.log", cwd=work)
        # vitrine keeps each dataset in a named graph, which Oxigraph indexes six ways instead of
        # three: the like-for-like peer is a load into a named graph.
        g_wall, g_rss, g_cpu, _ = timed([oxigraph / "oxigraph", "load", "--location", "ox-store-g", "--file", "morph-out.nt",
                                       "--graph", "https://data.example-museum.org/graph/museum"], work / "oxigraph-load-graph.log", cwd=work)
        i_wall, i_rss, i_cpu, _ = timed([VITRINE, "--config", "vitrine.toml", "ingest"], work / "vitrine-ingest.log", cwd=work)
        rows_out.append((n, m_triples, same, m_wall, m_rss, v_wall, v_rss, o_wall, o_rss, o_cpu, g_wall, g_rss, g_cpu, i_wall, i_rss, i_cpu))

    print()
    print("| rows | triples | same graph | Morph-KGC map | vitrine map | map speed-up |")
    print("|---|---|---|---|---|---|")
    for n, t, same, mw, mr, vw, vr, *_ in rows_out:
        print(f"| {n:,} | {t:,} | {same} | {mw:.1f} s, {mr:.0f} MiB | {vw:.2f} s, {vr:.0f} MiB | {mw / vw:.1f}x |")
    print()
    print("Wall time (CPU = user + system), peak RSS. Ratios are vitrine ingest / oxigraph load; below 1 is faster.")
    print("| rows | oxigraph load, default graph | oxigraph load, named graph | vitrine ingest (map+load, named graph) "
          "| ingest / default-graph load, wall (CPU) | ingest / named-graph load, wall (CPU) |")
    print("|---|---|---|---|---|---|")
    for n, _, _, _, _, _, _, ow, orss, oc, gw, gr, gc, iw, ir, ic in rows_out:
        print(f"| {n:,} | {ow:.1f} s ({oc:.1f}), {orss:.0f} MiB | {gw:.1f} s ({gc:.1f}), {gr:.0f} MiB "
              f"| {iw:.1f} s ({ic:.1f}), {ir:.0f} MiB | {iw / ow:.2f} ({ic / oc:.2f}) | {iw / gw:.2f} ({ic / gc:.2f}) |")


if __name__ == "__main__":
    main()
