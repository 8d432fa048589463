"""What the benchmark scripts share: where things are, the peers' venvs, and timed runs."""
import os, re, subprocess, sys, time
from collections import namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
OUT = ROOT / "bench" / "out"
VITRINE = Path(os.environ.get("VITRINE_BIN") or Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/vitrine-target")) / "release" / "vitrine")

Timed = namedtuple("Timed", "wall rss cpu text")


def venv(name, packages):
    """The bin folder of venv bench/NAME, created with `packages` from PyPI on first use."""
    path = ROOT / "bench" / name
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return path / "bin"


def timed(cmd, log, cwd=None, ok=(0,), env=None):
    """Runs cmd under /usr/bin/time -v, its output going to `log`; exits on a status not in `ok`.

    Returns wall seconds, peak RSS in MiB, CPU seconds (user + system: on a machine shared with
    other jobs it moves much less than wall time) and the log's text. The page cache is flushed
    first so that the previous command's output (1.6 GB for 1M mapped rows) is not written back
    to disk during this one."""
    os.sync()
    started = time.monotonic()
    with open(log, "w") as f:
        proc = subprocess.run(["/usr/bin/time", "-v", *map(str, cmd)], cwd=cwd, stdout=f, stderr=subprocess.STDOUT, env=env)
    wall = time.monotonic() - started
    text = Path(log).read_text(errors="replace")
    if proc.returncode not in ok:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{text[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([0-9.]+)", text).group(1)) for kind in ("User", "System"))
    return Timed(wall, rss, cpu, text)
