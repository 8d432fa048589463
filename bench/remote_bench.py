#!/usr/bin/env python3
"""The remote store backend: `vitrine ingest` and item documents on the embedded store, on
Virtuoso and on `oxigraph serve`, same export, same run; and each remote store's own bulk load.

The publisher is the 100k-row museum bench export (1.2M triples), set up as `mapping_bench.py`
and `items_bench.py` do. Each remote store is started fresh in a temporary folder on free
loopback ports (`tests/stores/virtuoso.sh`, `tests/stores/oxigraph.sh`, Oxigraph 0.5.13 from
PyPI). For each backend, in turn:
  1. `vitrine ingest` under /usr/bin/time -v: wall time, when the version was published (the
     time vitrine prints, before the dumps are written), triples, triples/s. The push overhead of
     a remote store is its publication time minus the embedded store's (both map, stage and
     validate the same way; the remote one then pushes with Graph Store POSTs, counts, and
     switches its pointer).
  2. `vitrine serve` with its cache off (`cache_bytes = 0`), search index built first, then `wrk`
     at 64 connections cycling over the 1,000 item IRIs of `items_bench.py`, Turtle and HTML:
     requests/s of 2xx answers and p99, and the ratio to the embedded store.
  3. On a second fresh instance of the same store, its own bulk load of the published N-Triples
     (the dataset dump the embedded ingest wrote) into a named graph: Virtuoso `ld_dir` +
     `rdf_loader_run()` + `checkpoint` over ISQL, oxigraph `POST /store?graph=…&no_transaction`.
     The triple count is checked with a SPARQL COUNT.
An error vitrine reports (also one printed by a command that exits 0, such as dumps it could not
write) stops the benchmark with the command, its output and the config. Every process started
here is stopped at the end, also on failure. Work files: bench/out/remote.

Usage: python3 bench/remote_bench.py [--rows N] [--seconds S] [--connections C] [--stores virtuoso,oxigraph]
"""
import argparse, gzip, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.parse, urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, ROOT, SHARED, VITRINE, timed, venv  # noqa: E402
from items_bench import LUA  # noqa: E402
from sparql_bench import M, free_port, wait, wrk_stats  # noqa: E402

STORES = ROOT / "tests" / "stores"
GRAPH = "http://bench.example/bulk"
PASSWORD_ENV = "VITRINE_STORE_PASSWORD"
CONFIG = (f'base_iri = "{M}"\n[publisher]\nname = "bench"\n[store]\npath = "store-{{name}}"\ndumps = "dumps-{{name}}"\n'
          '{store}[server]\ncache_bytes = 0\n'
          '[[datasets]]\nid = "museum"\ntitle = { en = "Museum" }\nlicense = "https://example.org/licence"\n'
          'mapping = "museum.rml.ttl"\nsources = ["museum.csv"]\n')


def ports(n):
    found = []
    while len(found) < n:
        p = free_port()
        if p not in found:
            found.append(p)
    return found


class Virtuoso:
    name = "Virtuoso"

    def __init__(self, tmp, label):
        self.dir = tmp / f"virtuoso-{label}"
        self.http, self.isql_port = ports(2)
        subprocess.run([str(STORES / "virtuoso.sh"), "start", str(self.dir), str(self.http), str(self.isql_port)],
                       check=True, stdout=subprocess.DEVNULL)
        self.query_url = f"http://127.0.0.1:{self.http}/sparql"

    def stop(self):
        subprocess.run([str(STORES / "virtuoso.sh"), "stop", str(self.dir)], check=False)

    def store_keys(self):
        base = f"http://127.0.0.1:{self.http}"
        return (f'backend = "sparql"\nquery_endpoint = "{base}/sparql"\nupdate_endpoint = "{base}/sparql-auth"\n'
                f'graph_store_endpoint = "{base}/sparql-graph-crud-auth"\nuser = "dba"\npassword_env = "{PASSWORD_ENV}"\n')

    def isql(self, sql):
        out = subprocess.run(["isql-vt", f"127.0.0.1:{self.isql_port}", "dba", "dba", f"exec={sql}"],
                             capture_output=True, text=True)
        if out.returncode != 0 or "*** Error" in out.stdout + out.stderr:
            sys.exit(f"isql failed: {sql}\n{out.stdout}{out.stderr}")
        return out.stdout

    def bulk_load(self, nt):
        """ld_dir + rdf_loader_run, then checkpoint (the loader does not log: the checkpoint makes
        it durable): (seconds loading, seconds checkpointing)."""
        load = self.dir / "load"
        load.mkdir()
        shutil.copy(nt, load / nt.name)
        self.isql(f"ld_dir('{load}', '{nt.name}', '{GRAPH}');")
        os.sync()
        started = time.monotonic()
        self.isql("rdf_loader_run();")
        loaded = time.monotonic()
        self.isql("checkpoint;")
        done = time.monotonic()
        state = self.isql("SELECT ll_state, ll_error FROM DB.DBA.LOAD_LIST;")
        if not re.search(r"^\s*2\s+NULL\s*$", state, re.M):
            sys.exit(f"Virtuoso bulk load did not finish cleanly:\n{state}")
        return loaded - started, done - loaded


class OxigraphServe:
    name = "oxigraph serve"

    def __init__(self, tmp, label):
        self.dir = tmp / f"oxigraph-{label}"
        (self.port,) = ports(1)
        env = dict(os.environ, VITRINE_OXIGRAPH=str(venv(".venv", ["oxigraph==0.5.13"]) / "oxigraph"))
        subprocess.run([str(STORES / "oxigraph.sh"), "start", str(self.dir), str(self.port)],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        self.query_url = f"http://127.0.0.1:{self.port}/query"

    def stop(self):
        subprocess.run([str(STORES / "oxigraph.sh"), "stop", str(self.dir)], check=False)

    def store_keys(self):
        base = f"http://127.0.0.1:{self.port}"
        return (f'backend = "sparql"\nquery_endpoint = "{base}/query"\nupdate_endpoint = "{base}/update"\n'
                f'graph_store_endpoint = "{base}/store"\n')

    def bulk_load(self, nt):
        """POST /store?graph=…&no_transaction of the N-Triples: (seconds, 0)."""
        url = f"http://127.0.0.1:{self.port}/store?graph={urllib.parse.quote(GRAPH, safe='')}&no_transaction"
        os.sync()
        started = time.monotonic()
        with open(nt, "rb") as body:
            request = urllib.request.Request(url, data=body, method="POST", headers={
                "Content-Type": "application/n-triples", "Content-Length": str(nt.stat().st_size)})
            urllib.request.urlopen(request, timeout=3600).read()
        return time.monotonic() - started, 0.0


def count(query_url, graph):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(query_url + "?query=" + urllib.parse.quote(query),
                                     headers={"Accept": "application/sparql-results+json"})
    answer = json.load(urllib.request.urlopen(request, timeout=600))
    return int(answer["results"]["bindings"][0]["n"]["value"])


def ingest(work, name, store_keys, env):
    """`vitrine ingest` on `name`.toml: (wall, published after, triples, CPU). An error vitrine
    reports stops the benchmark, also when the command exits 0 (e.g. dumps not written)."""
    config = work / f"{name}.toml"
    config.write_text(CONFIG.replace("{name}", name).replace("{store}", store_keys))
    wall, rss, cpu, text = timed([VITRINE, "--config", config.name, "ingest"], work / f"ingest-{name}.log", cwd=work, env=env)
    m = re.search(r"museum: .* · (\d+) triples · version \d+ · ([0-9.]+) s", text)
    errors = [line for line in text.splitlines() if line.startswith("vitrine:")]
    if not m or errors:
        output = text.split("\tCommand being timed")[0]
        sys.exit(f"vitrine ingest reported an error ({name}, {wall:.1f} s wall): {VITRINE} --config {config} ingest\n"
                 f"{output}--- {config}:\n{config.read_text()}")
    return wall, float(m.group(2)), int(m.group(1)), cpu


def wrk(url, paths, accept, connections, seconds, work, name):
    """items_bench.py's wrk run (its Lua script cycling over the paths), keeping wrk's socket
    errors: a request still unanswered after 30 s is a timeout, not a request."""
    script = work / f"{name}.lua"
    script.write_text(LUA.format(paths=", ".join(f'"{p}"' for p in paths), accept=accept))
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "30s",
                          "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    (work / f"{name}.wrk.txt").write_text(out)
    return wrk_stats(out)


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_and_measure(work, name, env, item_paths, connections, seconds):
    """`vitrine serve` on `name`.toml: search index built and the process idle, then wrk on the
    item paths, Turtle and HTML. Returns {format: (req/s, p50, p99, non-2xx, socket errors)}."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(VITRINE), "--config", f"{name}.toml", "serve", "--bind", f"127.0.0.1:{port}"],
                            cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=open(work / f"serve-{name}.log", "w"))
    try:
        wait(url + "/health")
        # The server builds its search index in the background at start: a search waits for it.
        urllib.request.urlopen(url + "/search?q=landscape", timeout=600).read()
        for _ in range(120):
            before = cpu_seconds(proc.pid)
            time.sleep(1)
            if cpu_seconds(proc.pid) - before < 0.05:
                break
        results = {}
        for fmt, accept in [("Turtle", "text/turtle"), ("HTML", "text/html")]:
            results[fmt] = wrk(url, item_paths, accept, connections, seconds, work, f"{name}-{fmt}")
            r = results[fmt]
            print(f"  {name} {fmt}: {r[0]:.0f} req/s, p50 {r[1]:.1f} ms, p99 {r[2]:.1f} ms"
                  + (f", {r[3]} non-2xx" if r[3] else "") + (f", socket errors {r[4]}" if r[4] else ""), flush=True)
        return results
    finally:
        proc.terminate()
        proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--stores", default="virtuoso,oxigraph", help="remote stores to run, of virtuoso,oxigraph")
    args = parser.parse_args()
    kinds = {"virtuoso": Virtuoso, "oxigraph": OxigraphServe}
    selected = [(kinds[k], k) for k in args.stores.split(",")]
    for tool in ["wrk", "isql-vt", "virtuoso-t"]:
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install {'wrk' if tool == 'wrk' else 'virtuoso-opensource'}")
    if not VITRINE.exists():
        sys.exit(f"build vitrine first: cargo build --release ({VITRINE} is missing)")
    venv(".venv", ["oxigraph==0.5.13"])
    work = OUT / "remote"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, str(SHARED / "gen_museum_csv.py"), str(args.rows), str(work / "museum.csv")], check=True)
    shutil.copy(SHARED / "museum.rml.ttl", work / "museum.rml.ttl")
    # The same 1,000 items as items_bench.py: every (rows / 1000)th object.
    iris = [f"{M}object/{n}" for n in range(1, args.rows + 1, max(1, args.rows // 1000))][:1000]
    item_paths = [urllib.parse.urlparse(i).path for i in iris]
    env = dict(os.environ, **{PASSWORD_ENV: "dba"})
    tmp = Path(tempfile.mkdtemp(prefix="vitrine-remote-bench-"))
    running = []
    ingests, pages, bulks = {}, {}, {}
    c, s = args.connections, args.seconds
    ok = False
    try:
        print("embedded store", flush=True)
        ingests["embedded"] = ingest(work, "embedded", "", env)
        w, p, t, _ = ingests["embedded"]
        print(f"  ingest: {w:.1f} s wall, published after {p:.1f} s, {t:,} triples", flush=True)
        nt = work / "museum.nt"
        with gzip.open(work / "dumps-embedded" / "datasets" / "museum.nt.gz", "rb") as src, open(nt, "wb") as dst:
            shutil.copyfileobj(src, dst)
        with open(nt, "rb") as f:
            lines = sum(1 for _ in f)
        if lines != t:
            sys.exit(f"the embedded dump holds {lines} triples, the ingest published {t}")
        pages["embedded"] = serve_and_measure(work, "embedded", env, item_paths, c, s)

        for kind, key in selected:
            print(kind.name, flush=True)
            store = kind(tmp, "vitrine")
            running.append(store)
            ingests[key] = ingest(work, key, store.store_keys(), env)
            w, p, t, _ = ingests[key]
            print(f"  ingest: {w:.1f} s wall, published after {p:.1f} s, {t:,} triples", flush=True)
            pages[key] = serve_and_measure(work, key, env, item_paths, c, s)
            store.stop()
            running.remove(store)

            store = kind(tmp, "bulk")
            running.append(store)
            load, checkpoint = store.bulk_load(nt)
            held = count(store.query_url, GRAPH)
            if held != lines:
                sys.exit(f"{kind.name} bulk load: {held} triples in <{GRAPH}>, {lines} in the file")
            bulks[key] = (load, checkpoint)
            print(f"  bulk load: {load:.1f} s" + (f" + checkpoint {checkpoint:.1f} s" if checkpoint else "")
                  + f", {held:,} triples", flush=True)
            store.stop()
            running.remove(store)
        ok = True
    finally:
        for store in running:
            store.stop()
        if ok:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"stores' folders and logs kept in {tmp}", file=sys.stderr)

    names = {"embedded": "embedded", "virtuoso": "Virtuoso", "oxigraph": "oxigraph serve"}
    base_wall, base_pub = ingests["embedded"][0], ingests["embedded"][1]
    print()
    print(f"{args.rows} rows; `vitrine ingest` (wall = whole command, dumps included; published = the "
          "time vitrine prints at publication); push = published − embedded published; goal push < 1.5 × bulk load.")
    print("| backend | ingest wall | published after | triples | triples/s (published) | push | store's bulk load | push / bulk load |")
    print("|---|---|---|---|---|---|---|---|")
    for key, (wall, pub, triples, _) in ingests.items():
        if key == "embedded":
            print(f"| {names[key]} | {wall:.1f} s | {pub:.1f} s | {triples:,} | {triples / pub:,.0f} | – | – | – |")
            continue
        load, checkpoint = bulks[key]
        bulk = load + checkpoint
        push = pub - base_pub
        how = f"{bulk:.1f} s" + (f" ({load:.1f} + checkpoint {checkpoint:.1f})" if checkpoint else "")
        print(f"| {names[key]} | {wall:.1f} s | {pub:.1f} s | {triples:,} | {triples / pub:,.0f} | {push:.1f} s "
              f"| {how} | {push / bulk:.2f}× |")
    print("(wall − embedded wall: " + ", ".join(f"{names[k]} {ingests[k][0] - base_wall:.1f} s" for _, k in selected) + ")")
    print()
    print(f"Item documents, cache off: 1,000 items, {c} connections, {s} s per cell; 2xx req/s, p99; goal remote / embedded ≥ 0.5.")
    print("| backend | Turtle | p99 | ratio | HTML | p99 | ratio |")
    print("|---|---|---|---|---|---|---|")
    for key, r in pages.items():
        cells = []
        for fmt in ["Turtle", "HTML"]:
            rps, _, p99, bad, errors = r[fmt]
            ratio = rps / pages["embedded"][fmt][0]
            timeouts = re.search(r"timeout (\d+)", errors)
            timeouts = int(timeouts.group(1)) if timeouts else 0
            cells.append(f"{rps:.0f} req/s" + (f" ({bad} non-2xx)" if bad else "") + (f" ({timeouts} timed out)" if timeouts else "")
                         + f" | {p99:.1f} ms | {ratio:.2f}×")
        print(f"| {names[key]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
