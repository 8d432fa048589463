#!/usr/bin/env python3
"""Queries over the union of several datasets: vitrine against `oxigraph serve-read-only
--union-default-graph`, same triples in the same named graphs, same queries, same run.

vitrine's default graph is the union of the published datasets, each triple counted once even
when two datasets state it (the shared agents do). Oxigraph's union default graph holds the same
five graphs (the demo's per-dataset dumps, loaded one graph each); it returns a triple that two
graphs hold twice, so its answers may differ by those duplicates. Every query's row count is
printed beside the rates. vitrine's result cache is off: every query is evaluated.

Usage: python3 bench/union_bench.py [--seconds S] [--connections 1,8]
"""
import argparse, gzip, json, shutil, subprocess, sys, urllib.parse, urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, VITRINE, venv  # noqa: E402
from sparql_bench import ACCEPT, free_port, wait, wrk  # noqa: E402

PREFIXES = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/> ")
B = "https://data.example.org/"
QUERIES = {
    "works, titles, creators' names": PREFIXES + "SELECT ?work ?title ?name WHERE { ?work a crm:E22_Human-Made_Object ; "
    "dcterms:title ?title ; dcterms:creator ?c . ?c rdfs:label ?name }",
    "what points at a shared agent": PREFIXES + f"SELECT ?item ?p WHERE {{ ?item ?p <{B}id/agent/gautier-theophile> }}",
    "titles by creator, 2 hops": PREFIXES + "SELECT ?name (COUNT(?work) AS ?n) WHERE { ?work dcterms:creator ?c . "
    "?c rdfs:label ?name } GROUP BY ?name ORDER BY DESC(?n) LIMIT 20",
    "lookup by IRI": f"SELECT ?p ?o WHERE {{ <{B}id/agent/gautier-theophile> ?p ?o }}",
}


def rows(url, query):
    request = urllib.request.Request(url + "?query=" + urllib.parse.quote(query), headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=300) as r:
        return len(json.load(r)["results"]["bindings"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", default="1,8")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    oxigraph = venv(".venv", ["oxigraph==0.5.13"])
    work = OUT / "union"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([str(VITRINE), "init", "pub"], cwd=work, check=True, capture_output=True)
    publisher = work / "pub"
    config = publisher / "vitrine.toml"
    config.write_text(config.read_text().replace("[server]\n", "[server]\ncache_bytes = 0\n", 1))
    subprocess.run([str(VITRINE), "ingest"], cwd=publisher, check=True, capture_output=True)
    dumps = sorted((publisher / "dumps" / "datasets").glob("*.nt.gz"))
    for dump in dumps:
        plain = work / dump.name.removesuffix(".gz")
        plain.write_bytes(gzip.decompress(dump.read_bytes()))
        subprocess.run([str(oxigraph / "oxigraph"), "load", "--location", "ox", "--file", str(plain),
                        "--graph", f"{B}graph/{plain.stem}"], cwd=work, check=True, capture_output=True)

    servers = {}
    port = free_port()
    servers["oxigraph serve"] = (subprocess.Popen(
        [str(oxigraph / "oxigraph"), "serve-read-only", "--location", "ox", "--union-default-graph",
         "--bind", f"127.0.0.1:{port}"], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        f"http://127.0.0.1:{port}/query")
    port = free_port()
    servers["vitrine"] = (subprocess.Popen([str(VITRINE), "serve", "--bind", f"127.0.0.1:{port}"], cwd=publisher,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                          f"http://127.0.0.1:{port}/sparql")
    for _, url in servers.values():
        wait(url + "?query=ASK%7B%7D")
    results = {}
    try:
        for query_name, query in QUERIES.items():
            counts = {name: rows(url, query) for name, (_, url) in servers.items()}
            for c in connections:
                for name, (_, url) in servers.items():
                    r = wrk(f"{url}?query={urllib.parse.quote(query)}", c, args.seconds)
                    results[(query_name, c, name)] = (r, counts[name])
                    print(f"{query_name}, {c} connections, {name}: {r[0]:.0f} req/s, p99 {r[1]:.1f} ms, "
                          f"{counts[name]} rows" + (f", {r[2]} non-2xx" if r[2] else ""), flush=True)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait()

    print()
    print(f"The demo's {len(dumps)} datasets; {args.seconds} s per cell; requests/s of 2xx answers, p99 latency; rows answered.")
    print("| query | connections | oxigraph serve (union default graph) | vitrine (cache off) | ratio |")
    print("|---|---|---|---|---|")
    for query_name in QUERIES:
        for c in connections:
            (o, on) = results[(query_name, c, "oxigraph serve")]
            (v, vn) = results[(query_name, c, "vitrine")]
            print(f"| {query_name} | {c} | {o[0]:.0f} req/s, p99 {o[1]:.1f} ms, {on} rows "
                  f"| {v[0]:.0f} req/s, p99 {v[1]:.1f} ms, {vn} rows | {v[0] / o[0]:.2f}× |")


if __name__ == "__main__":
    main()
