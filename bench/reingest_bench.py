#!/usr/bin/env python3
"""Re-ingest cost: the same 100k-row museum export ingested again and again.

For each binary (vitrine as built, and an earlier one given with --before), in one run:

  1. standalone: `vitrine ingest` ten times into a fresh store; for each run the wall time of
     the command, the time at which the new version was published (the summary line's seconds),
     and the store's size on disk afterwards;
  2. through a running server (vitrine as built only): `vitrine serve`, then three `vitrine
     ingest` handed over to it; for each the wall time of the CLI (it returns at publication),
     the time until the server had dropped the superseded version and compacted the store in
     the background (`/health` shows `pending_drops: 0`), and the store's size.

Usage: python3 bench/reingest_bench.py [--before OLD_VITRINE] [--rows N] [--runs N]
"""
import argparse, json, re, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, SHARED, VITRINE  # noqa: E402


def size_mib(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20


def publisher(work, rows):
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, str(SHARED / "gen_museum_csv.py"), str(rows), str(work / "museum.csv")], check=True)
    shutil.copy(SHARED / "museum.rml.ttl", work / "museum.rml.ttl")
    (work / "vitrine.toml").write_text(
        'base_iri = "https://data.example-museum.org/"\n[publisher]\nname = "bench"\n[store]\npath = "store"\n'
        '[[datasets]]\nid = "museum"\ntitle = { en = "Museum" }\nlicense = "https://example.org/licence"\n'
        'mapping = "museum.rml.ttl"\nsources = ["museum.csv"]\n')


def ingest(binary, work):
    started = time.monotonic()
    proc = subprocess.run([str(binary), "ingest"], cwd=work, capture_output=True, text=True)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"ingest failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    published = float(re.search(r"· ([0-9.]+) s", proc.stderr).group(1))
    return wall, published


def standalone(binary, work, runs):
    rows = []
    for run in range(1, runs + 1):
        wall, published = ingest(binary, work)
        rows.append((run, wall, published, size_mib(work / "store")))
        print(f"  run {run}: {wall:.1f} s, published after {published:.1f} s, store {rows[-1][3]:.0f} MiB", flush=True)
    return rows


def health(addr):
    with urllib.request.urlopen(f"http://{addr}/health", timeout=30) as r:
        return json.load(r)


def through_server(work, runs):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        addr = f"127.0.0.1:{s.getsockname()[1]}"
    server = subprocess.Popen([str(VITRINE), "serve", "--bind", addr], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                health(addr)
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for run in range(1, runs + 1):
            started = time.monotonic()
            wall, published = ingest(VITRINE, work)
            while health(addr)["pending_drops"] > 0:
                time.sleep(0.2)
            background = time.monotonic() - started
            rows.append((run, wall, published, background, size_mib(work / "store")))
            print(f"  handed over {run}: CLI {wall:.1f} s, dropped and compacted by {background:.1f} s, "
                  f"store {rows[-1][4]:.0f} MiB", flush=True)
        return rows
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="an earlier vitrine binary to measure in the same run")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not VITRINE.exists():
        sys.exit(f"build vitrine first: cargo build --release ({VITRINE} is missing)")
    results = {}
    binaries = [("before", Path(args.before))] if args.before else []
    binaries.append(("now", VITRINE))
    for name, binary in binaries:
        work = OUT / f"reingest-{name}"
        publisher(work, args.rows)
        print(f"{name}: {binary}, {args.rows} rows, {args.runs} ingests", flush=True)
        results[name] = standalone(binary, work, args.runs)
    work = OUT / "reingest-server"
    publisher(work, args.rows)
    ingest(VITRINE, work)
    print("now, through a running server:", flush=True)
    served = through_server(work, 3)

    print()
    print("Standalone `vitrine ingest` of the same export, wall time (version published after), store size:")
    print("| run | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for i in range(args.runs):
        cells = [f"{r[i][1]:.1f} s ({r[i][2]:.1f} s), {r[i][3]:.0f} MiB" for r in results.values()]
        print(f"| {i + 1} | " + " | ".join(cells) + " |")
    print()
    print("Through a running server (the CLI returns at publication; the server drops and compacts in the background):")
    print("| re-ingest | CLI wall (published after) | background drop + compaction done after | store |")
    print("|---|---|---|---|")
    for run, wall, published, background, size in served:
        print(f"| {run} | {wall:.1f} s ({published:.1f} s) | {background:.1f} s | {size:.0f} MiB |")


if __name__ == "__main__":
    main()
