#!/usr/bin/env python3
"""The SPARQL endpoint under load: vitrine against `oxigraph serve-read-only`, same triples, same
queries, same run.

Both serve the 100k-row museum bench export (1.2M triples): vitrine from its store after
`vitrine ingest`, Oxigraph 0.5.13 (PyPI `oxigraph`) from a store loaded with the same N-Triples
(`vitrine map` output). `wrk` (Debian) drives each query at 1, 8 and 64 connections for a few
seconds and reports requests/s (2xx only) and p99 latency. vitrine runs twice: with its result
cache off (every query evaluated afresh) and on (a repeated query is answered from the cache).
Then one 100k-row SELECT per server: time to first byte, total time, bytes, peak RSS.

Usage: python3 bench/sparql_bench.py [--rows N] [--seconds S] [--connections 1,8,64]
"""
import argparse, re, shutil, socket, subprocess, sys, time, urllib.parse, urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, SHARED, VITRINE, venv  # noqa: E402

PREFIXES = ("PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
M = "https://data.example-museum.org/"
QUERIES = {
    "lookup by IRI": f"SELECT ?p ?o WHERE {{ <{M}object/4242> ?p ?o }}",
    "label filter": PREFIXES + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, "harbour storm")) } LIMIT 50',
    "aggregate per year": PREFIXES + "SELECT ?year (COUNT(*) AS ?n) WHERE { ?o dct:date ?d BIND(YEAR(?d) AS ?year) } GROUP BY ?year ORDER BY ?year",
    "2-hop join": PREFIXES + f"SELECT ?other ?title WHERE {{ <{M}object/4242> dct:creator ?c . ?other dct:creator ?c ; dct:title ?title }}",
}
BIG = PREFIXES + "SELECT ?o ?l WHERE { ?o rdfs:label ?l }"
ACCEPT = "application/sparql-results+json"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url):
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{url} did not answer")


def wrk_stats(out):
    """From wrk's report: requests/s of 2xx answers, p50 and p99 in ms, non-2xx count, socket errors."""
    total = int(re.search(r"(\d+) requests in", out).group(1))
    # wrk writes a minute and more as "1.00m".
    amount, unit = re.search(r"requests in ([0-9.]+)(m|s)", out).groups()
    duration = float(amount) * (60 if unit == "m" else 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    bad = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: (.*)", out)

    def percentile(p):
        m = re.search(rf"{p}%\s+([0-9.]+)(us|ms|s)\b", out)
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    return (total - bad) / duration, percentile(50), percentile(99), bad, errors.group(1) if errors else ""


def wrk(url, connections, seconds):
    threads = min(connections, 2)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "60s",
                          "-H", f"Accept: {ACCEPT}", url], capture_output=True, text=True, check=True).stdout
    rps, _, p99, bad, errors = wrk_stats(out)
    return rps, p99, bad, errors


def peak_rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def big_select(url, pid):
    request = urllib.request.Request(url + "?query=" + urllib.parse.quote(BIG), headers={"Accept": ACCEPT})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=300) as r:
        r.read(1)
        first = time.monotonic() - started
        size = 1 + len(r.read())
    return first, time.monotonic() - started, size, peak_rss_mib(pid)


def museum_stores(work, rows, plain, cached, cache_bytes, server=""):
    """The bench export of `rows` rows, in `work`: an Oxigraph store `ox` loaded with its
    N-Triples, and two vitrine stores with it ingested, one per config (`plain` with the result
    cache off, `cached` with `cache_bytes`; a store has one owner process). Returns the bin
    folder of the Oxigraph venv."""
    oxigraph = venv(".venv", ["oxigraph==0.5.13"])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, str(SHARED / "gen_museum_csv.py"), str(rows), str(work / "museum.csv")], check=True)
    shutil.copy(SHARED / "museum.rml.ttl", work / "museum.rml.ttl")
    subprocess.run([str(VITRINE), "map", "--mapping", "museum.rml.ttl", "--base", M, "--output", "museum.nt"],
                   cwd=work, check=True, capture_output=True)
    subprocess.run([str(oxigraph / "oxigraph"), "load", "--location", "ox", "--file", "museum.nt"],
                   cwd=work, check=True, capture_output=True)
    config = (f'base_iri = "{M}"\n[publisher]\nname = "bench"\n[store]\npath = "{{store}}"\n'
              f'[server]\n{server}cache_bytes = {{cache}}\n'
              '[[datasets]]\nid = "museum"\ntitle = { en = "Museum" }\nlicense = "https://example.org/licence"\n'
              'mapping = "museum.rml.ttl"\nsources = ["museum.csv"]\n')
    (work / plain).write_text(config.replace("{cache}", "0").replace("{store}", "store"))
    subprocess.run([str(VITRINE), "--config", plain, "ingest"], cwd=work, check=True, capture_output=True)
    shutil.copytree(work / "store", work / "store-cache")
    (work / cached).write_text(config.replace("{cache}", str(cache_bytes)).replace("{store}", "store-cache"))
    return oxigraph


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", default="1,8,64")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    work = OUT / "sparql"
    oxigraph = museum_stores(work, args.rows, "vitrine.toml", "vitrine-cache.toml", 256 << 20, 'queue_timeout = "60s"\n')

    servers = {}
    port = free_port()
    servers["oxigraph serve"] = (subprocess.Popen(
        [str(oxigraph / "oxigraph"), "serve-read-only", "--location", "ox", "--bind", f"127.0.0.1:{port}"],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), f"http://127.0.0.1:{port}/query")
    for name, config_file in [("vitrine", "vitrine.toml"), ("vitrine, cache", "vitrine-cache.toml")]:
        port = free_port()
        servers[name] = (subprocess.Popen([str(VITRINE), "--config", config_file, "serve", "--bind", f"127.0.0.1:{port}"],
                                          cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                         f"http://127.0.0.1:{port}/sparql")
        wait(servers[name][1] + "?query=ASK%7B%7D")
    wait(servers["oxigraph serve"][1] + "?query=ASK%7B%7D")
    try:
        big = {}
        for name, (proc, url) in servers.items():
            if name != "vitrine, cache":
                big[name] = big_select(url, proc.pid)
        results = {}
        for query_name, query in QUERIES.items():
            for c in connections:
                for name, (proc, url) in servers.items():
                    results[(query_name, c, name)] = wrk(f"{url}?query={urllib.parse.quote(query)}", c, args.seconds)
                    r = results[(query_name, c, name)]
                    print(f"{query_name}, {c} connections, {name}: {r[0]:.0f} req/s, p99 {r[1]:.1f} ms"
                          + (f", {r[2]} non-2xx" if r[2] else "") + (f", socket errors {r[3]}" if r[3] else ""),
                          flush=True)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait()

    print()
    print(f"{args.rows} rows ({12 * args.rows} triples); {args.seconds} s per cell; requests/s of 2xx answers, p99 latency.")
    print("| query | connections | oxigraph serve | vitrine, fresh | ratio | vitrine, cached | ratio |")
    print("|---|---|---|---|---|---|---|")
    for query_name in QUERIES:
        for c in connections:
            o = results[(query_name, c, "oxigraph serve")]
            v = results[(query_name, c, "vitrine")]
            k = results[(query_name, c, "vitrine, cache")]
            print(f"| {query_name} | {c} | {o[0]:.0f} req/s, p99 {o[1]:.1f} ms | {v[0]:.0f} req/s, p99 {v[1]:.1f} ms "
                  f"| {v[0] / o[0]:.2f}× | {k[0]:.0f} req/s, p99 {k[1]:.1f} ms | {k[0] / o[0]:.2f}× |")
    print()
    print("One SELECT of every label (100k rows, SPARQL JSON): first byte, last byte, size, server peak RSS.")
    print("| server | first byte | total | bytes | peak RSS |")
    print("|---|---|---|---|---|")
    for name, (first, total, size, rss) in big.items():
        print(f"| {name} | {first * 1000:.0f} ms | {total:.2f} s | {size / 2**20:.1f} MiB | {rss:.0f} MiB |")


if __name__ == "__main__":
    main()
