#!/usr/bin/env python3
"""Item documents under load: vitrine's `/…` pages and documents against `DESCRIBE <iri>` on
`oxigraph serve-read-only`, same triples, same resources, same run; and search latency.

Both serve the 100k-row museum bench export (1.2M triples). `wrk` (Debian) at 64 connections
cycles through 1,000 item IRIs (every 100th object), asking vitrine for Turtle and for HTML, and
oxigraph serve for `DESCRIBE <iri>` as Turtle. vitrine runs twice: "cold" with its cache off
(every document built from the store) and "warm" with it on, after one pass over the IRIs.
Then search: `wrk` on `/search?q=…` over 50 words of the generated titles, warm index.

Usage: python3 bench/items_bench.py [--rows N] [--seconds S] [--connections C]
"""
import argparse, re, shutil, subprocess, sys, urllib.parse, urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, VITRINE  # noqa: E402
from sparql_bench import M, free_port, museum_stores, wait, wrk_stats  # noqa: E402

LUA = """
paths = {{{paths}}}
i = 0
wrk.headers["Accept"] = "{accept}"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def wrk(url, paths, accept, connections, seconds, work, name):
    script = work / f"{name}.lua"
    script.write_text(LUA.format(paths=", ".join(f'"{p}"' for p in paths), accept=accept))
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "30s",
                          "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    rps, p50, p99, bad, _ = wrk_stats(out)
    return rps, p50, p99, bad


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    work = OUT / "items"
    oxigraph = museum_stores(work, args.rows, "cold.toml", "warm.toml", 512 << 20)

    iris = [f"{M}object/{n}" for n in range(1, args.rows + 1, max(1, args.rows // 1000))][:1000]
    item_paths = [urllib.parse.urlparse(i).path for i in iris]
    describe_paths = ["/query?query=" + urllib.parse.quote(f"DESCRIBE <{i}>", safe="") for i in iris]
    titles = [line.split(",")[1] for line in (work / "museum.csv").read_text().splitlines()[1:2000]]
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-zÀ-ÿ]{5,}", t)})[:50]
    search_paths = ["/search?q=" + urllib.parse.quote(w) for w in words]

    servers = {}
    port = free_port()
    servers["oxigraph"] = (subprocess.Popen(
        [str(oxigraph / "oxigraph"), "serve-read-only", "--location", "ox", "--bind", f"127.0.0.1:{port}"],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), f"http://127.0.0.1:{port}")
    for name in ["cold", "warm"]:
        port = free_port()
        servers[name] = (subprocess.Popen([str(VITRINE), "--config", f"{name}.toml", "serve", "--bind", f"127.0.0.1:{port}"],
                                          cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                         f"http://127.0.0.1:{port}")
        wait(servers[name][1] + "/health")
    wait(servers["oxigraph"][1] + "/query?query=ASK%7B%7D")
    c, s = args.connections, args.seconds
    rows = []
    try:
        # The warm server sees every document once before it is measured.
        for path in item_paths:
            for accept in ["text/turtle", "text/html"]:
                req = urllib.request.Request(servers["warm"][1] + path, headers={"Accept": accept})
                urllib.request.urlopen(req).read()
        ox = wrk(servers["oxigraph"][1], describe_paths, "text/turtle", c, s, work, "describe")
        print(f"oxigraph DESCRIBE: {ox[0]:.0f} req/s, p50 {ox[1]:.1f} ms, p99 {ox[2]:.1f} ms", flush=True)
        for fmt, accept in [("Turtle", "text/turtle"), ("HTML", "text/html")]:
            cold = wrk(servers["cold"][1], item_paths, accept, c, s, work, f"cold-{fmt}")
            warm = wrk(servers["warm"][1], item_paths, accept, c, s, work, f"warm-{fmt}")
            rows.append((fmt, cold, warm))
            print(f"{fmt}: cold {cold[0]:.0f} req/s p99 {cold[2]:.1f} ms ({cold[3]} non-2xx); warm {warm[0]:.0f} req/s p99 {warm[2]:.1f} ms ({warm[3]} non-2xx)", flush=True)
        urllib.request.urlopen(servers["warm"][1] + search_paths[0]).read()
        search = wrk(servers["warm"][1], search_paths, "text/html", c, s, work, "search")
        print(f"search: {search[0]:.0f} req/s, p50 {search[1]:.1f} ms, p99 {search[2]:.1f} ms", flush=True)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait()

    print()
    print(f"{args.rows} rows ({12 * args.rows} triples); 1,000 items; {c} connections; {s} s per cell.")
    print(f"oxigraph serve `DESCRIBE <iri>` (Turtle): {ox[0]:.0f} req/s, p50 {ox[1]:.1f} ms, p99 {ox[2]:.1f} ms")
    print("| document | vitrine cold | ratio | p50 / p99 | vitrine warm | ratio | p50 / p99 |")
    print("|---|---|---|---|---|---|---|")
    for fmt, cold, warm in rows:
        print(f"| {fmt} | {cold[0]:.0f} req/s | {cold[0] / ox[0]:.2f}× | {cold[1]:.1f} / {cold[2]:.1f} ms "
              f"| {warm[0]:.0f} req/s | {warm[0] / ox[0]:.2f}× | {warm[1]:.1f} / {warm[2]:.1f} ms |")
    print(f"| search (50 words) | | | | {search[0]:.0f} req/s | | {search[1]:.1f} / {search[2]:.1f} ms |")


if __name__ == "__main__":
    main()
