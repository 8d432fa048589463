#!/usr/bin/env python3
"""Dumps: `vitrine export` against `oxigraph dump` on the same triples, at two sizes, same run.

For each size, the museum bench export is mapped, loaded into an Oxigraph 0.5.13 store (PyPI
`oxigraph`) and ingested into a vitrine store (see sparql_bench.museum_stores). Then:
- `oxigraph dump --location ox --file x.nt`: the peer, N-Triples, uncompressed, no statistics;
- `vitrine export`: per dataset and for the site, N-Triples and Turtle, gzipped, RDFC-1.0 blank
  nodes, the VoID statistics and checksums, i.e. four gzip streams and a statistics pass.
Wall time and peak RSS of each; the ratio of peak RSS between the sizes shows whether memory
grows with the data (it should stay near flat: only the distinct-term counts of VoID grow, 16
bytes per distinct subject or object). Re-running the export checks the bytes are identical.

Usage: python3 bench/dump_bench.py [--rows 10000,100000]
"""
import argparse, hashlib, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, VITRINE, timed  # noqa: E402
from sparql_bench import museum_stores  # noqa: E402


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.gz"))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="10000,100000")
    args = parser.parse_args()
    rows_list = [int(r) for r in args.rows.split(",")]
    results = []
    for rows in rows_list:
        work = OUT / f"dump-{rows}"
        oxigraph = museum_stores(work, rows, "vitrine.toml", "vitrine-cache.toml", 0)
        ox = timed([oxigraph / "oxigraph", "dump", "--location", "ox", "--file", "ox.nt", "--graph", "default"], work / "ox.log", cwd=work)
        first = timed([VITRINE, "--config", "vitrine.toml", "export", "--output", "export-1"], work / "v1.log", cwd=work)
        second = timed([VITRINE, "--config", "vitrine.toml", "export", "--output", "export-2"], work / "v2.log", cwd=work)
        same = digests(work / "export-1") == digests(work / "export-2")
        size = sum(p.stat().st_size for p in (work / "export-1").rglob("*.gz"))
        results.append((rows, ox, first, same, size, (work / "ox.nt").stat().st_size))
        print(f"{rows} rows: oxigraph dump {ox.wall:.1f} s {ox.rss:.0f} MiB; vitrine export {first.wall:.1f} s "
              f"{first.rss:.0f} MiB; identical on re-export: {same}", flush=True)
    print()
    print("| rows (triples) | oxigraph dump (.nt) | vitrine export (.nt.gz + .ttl.gz, dataset + site, VoID) | time ratio | identical bytes |")
    print("|---|---|---|---|---|")
    for rows, ox, v, same, size, ox_size in results:
        print(f"| {rows} ({12 * rows}) | {ox.wall:.1f} s, {ox.rss:.0f} MiB, {ox_size / 2**20:.0f} MiB | "
              f"{v.wall:.1f} s, {v.rss:.0f} MiB, {size / 2**20:.0f} MiB | {v.wall / ox.wall:.2f}× | {same} |")
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(f"\nPeak RSS from {small[0]} to {large[0]} rows: oxigraph ×{large[1].rss / small[1].rss:.2f}, "
              f"vitrine ×{large[2].rss / small[2].rss:.2f} (data ×{large[0] / small[0]:.0f}).")


if __name__ == "__main__":
    main()
