#!/usr/bin/env python3
"""The public site under a mixed load, with a pathological query every second.

    python3 bench/load_mix.py [--rows N] [--seconds S] [--runs R]   (default: 100000, 60, 2)

The 100k-row museum bench export (1.2M triples, ../shared/bench) is ingested with a `[catalog]`
section; `vitrine serve` runs with its default limits but `query_timeout = "2s"`. Then, R times
in a row against the same server process, `wrk` (Debian) runs five mixes at once for S seconds,
64 connections in all: item pages as HTML (20) and as Turtle (16) over 1,000 items, search
(8) over 50 words, catalogue pages in Turtle and JSON-LD (4), and SPARQL (16: a lookup, a label
filter, an aggregate). Beside them, every second, a pathological query (a cross join of every
triple with a regex, which would run for hours) is sent on its own connection.

Printed per run: requests/s, p50 and p99 per kind, answers by status; the pathological
queries' statuses and how long each took (each must be stopped at its deadline); the server's
peak RSS (VmHWM) after the run. Verdicts against the reliability goals: no 5xx but 503
(deadline or overload, documented), every pathological query stopped by deadline + queue wait
+ 1 s, item p99 < 50 ms, and the second run's peak RSS within 10% of the first's.
Work files in bench/out/load (git-ignored).
"""
import argparse, re, shutil, subprocess, sys, threading, time, urllib.error, urllib.parse, urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, SHARED, VITRINE  # noqa: E402
from sparql_bench import M, free_port, wait, wrk_stats  # noqa: E402

QUERY_TIMEOUT = 2.0
QUEUE_TIMEOUT = 2.0

LUA = """
paths = {{{paths}}}
counts = {{}}
local threads = {{}}
local i = 0
wrk.headers["Accept"] = "{accept}"
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {{}} end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do
      io.write(string.format("status %d %d\\n", status, n))
    end
  end
end
"""

CONFIG = f'''base_iri = "{M}"
[publisher]
name = "Musée de bench"
email = "opendata@example.org"
[store]
path = "store"
[server]
query_timeout = "{QUERY_TIMEOUT:g}s"
queue_timeout = "{QUEUE_TIMEOUT:g}s"
[catalog]
title = {{ fr = "Données ouvertes du musée", en = "Museum open data" }}
description = {{ fr = "Les collections du musée.", en = "The museum's collections." }}
[[datasets]]
id = "museum"
title = {{ fr = "Collections", en = "Collections" }}
description = {{ fr = "Les œuvres.", en = "The works." }}
mapping = "museum.rml.ttl"
sources = ["museum.csv"]
'''

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d FILTER(REGEX(STR(?b), STR(?d))) }"
SPARQL = [
    f"SELECT ?p ?o WHERE {{ <{M}object/{{n}}> ?p ?o }}",
    "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, \"{w}\")) } LIMIT 20",
    "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
]


def setup(work, rows):
    if (work / "store").is_dir() and (work / "rows").read_text() == str(rows):
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, str(SHARED / "gen_museum_csv.py"), str(rows), str(work / "museum.csv")], check=True)
    shutil.copy(SHARED / "museum.rml.ttl", work / "museum.rml.ttl")
    (work / "vitrine.toml").write_text(CONFIG)
    subprocess.run([str(VITRINE), "ingest"], cwd=work, check=True, capture_output=True)
    (work / "rows").write_text(str(rows))


def mixes(work, rows):
    iris = [f"{M}object/{n}" for n in range(1, rows + 1, max(1, rows // 1000))][:1000]
    items = [urllib.parse.urlparse(i).path for i in iris]
    titles = [line.split(",")[1] for line in (work / "museum.csv").read_text().splitlines()[1:2000]]
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-zÀ-ÿ]{5,}", t)})[:50]
    search = ["/search?q=" + urllib.parse.quote(w) for w in words]
    catalogue = ["/catalog.ttl", "/catalog.jsonld", "/void", "/catalog?page=1"]
    sparql = []
    for k in range(300):
        query = SPARQL[k % 3].replace("{n}", str(1 + (k * 331) % rows)).replace("{w}", words[k % len(words)].capitalize())
        sparql.append("/sparql?query=" + urllib.parse.quote(query, safe=""))
    return [
        ("item HTML", items, "text/html", 20),
        ("item Turtle", items, "text/turtle", 16),
        ("search", search, "text/html", 8),
        ("catalogue", catalogue, "text/turtle", 4),
        ("SPARQL", sparql, "application/sparql-results+json", 16),
    ]


def pathological(url, stop, results):
    """Sends the pathological query every second until `stop`; records (status, seconds)."""
    def one():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url + "/sparql?query=" + urllib.parse.quote(PATHOLOGICAL), timeout=120) as r:
                r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError as e:
            status = f"error: {e}"
        results.append((status, time.monotonic() - started))
    threads = []
    while not stop.wait(1.0):
        t = threading.Thread(target=one)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


def rss(pid):
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def run_once(url, work, kinds, seconds):
    procs = []
    for name, paths, accept, connections in kinds:
        script = work / f"{name.replace(' ', '-')}.lua"
        script.write_text(LUA.format(paths=", ".join(f'"{p}"' for p in paths), accept=accept))
        procs.append((name, subprocess.Popen(
            ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "30s",
             "-s", str(script), url], stdout=subprocess.PIPE, text=True)))
    stop, bad = threading.Event(), []
    thread = threading.Thread(target=pathological, args=(url, stop, bad))
    thread.start()
    results = {}
    for name, proc in procs:
        out = proc.communicate()[0]
        rps, p50, p99, _, errors = wrk_stats(out)
        statuses = {int(s): int(n) for s, n in re.findall(r"^status (\d+) (\d+)$", out, re.M)}
        merged = {}
        for s, n in statuses.items():
            merged[s] = merged.get(s, 0) + n
        results[name] = (rps, p50, p99, merged, errors)
    stop.set()
    thread.join()
    return results, bad


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    work = OUT / "load"
    setup(work, args.rows)
    kinds = mixes(work, args.rows)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(VITRINE), "serve", "--bind", f"127.0.0.1:{port}"], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=open(work / "serve.log", "w"))
    ok = True
    peaks = []
    try:
        wait(url + "/health")
        # One pass so the first run does not pay for the search index and the first pages.
        for _, paths, accept, _ in kinds:
            for p in paths[:50]:
                try:
                    urllib.request.urlopen(urllib.request.Request(url + p, headers={"Accept": accept}), timeout=30).read()
                except urllib.error.HTTPError:
                    pass
        for run in range(1, args.runs + 1):
            results, bad = run_once(url, work, kinds, args.seconds)
            peak, now = rss(server.pid)
            peaks.append(peak)
            total = sum(r[0] for r in results.values())
            print(f"\nrun {run}: {args.seconds} s, 64 connections, {total:.0f} req/s in all; server peak RSS {peak:.0f} MiB (now {now:.0f})")
            print("| kind | req/s | p50 ms | p99 ms | answers by status | socket errors |")
            print("|---|---|---|---|---|---|")
            for name, (rps, p50, p99, statuses, errors) in results.items():
                by_status = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
                print(f"| {name} | {rps:.0f} | {p50:.1f} | {p99:.1f} | {by_status} | {errors or '-'} |")
                failures = {s: n for s, n in statuses.items() if s >= 500 and s != 503}
                if failures:
                    ok = False
                    print(f"  FAIL {name}: 5xx other than 503: {failures}")
                if name.startswith("item") and p99 >= 50:
                    ok = False
                    print(f"  FAIL {name}: p99 {p99:.1f} ms ≥ 50 ms")
            limit = QUERY_TIMEOUT + QUEUE_TIMEOUT + 1
            statuses = {}
            for status, _ in bad:
                statuses[status] = statuses.get(status, 0) + 1
            slowest = max((t for _, t in bad), default=0)
            print(f"pathological queries: {len(bad)} sent, by status {statuses}, slowest answered in {slowest:.2f} s (limit {limit:g} s)")
            if any(s != 503 for s, _ in bad) or slowest > limit:
                ok = False
                print("  FAIL pathological: not every one stopped at its deadline with 503")
        if len(peaks) > 1:
            growth = peaks[-1] / peaks[0]
            print(f"\npeak RSS: {' → '.join(f'{p:.0f}' for p in peaks)} MiB ({(growth - 1) * 100:+.1f}%)")
            if growth > 1.10:
                ok = False
                print("  FAIL: the last run's peak RSS is more than 10% above the first's")
    finally:
        server.terminate()
        server.wait()
    print("\nverdict:", "all goals met" if ok else "some goals missed (FAIL lines above)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
