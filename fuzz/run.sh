#!/usr/bin/env bash
# Runs every fuzz target (or those named) for a fixed time each and prints, per target,
#   fuzz <target>: <executions> execs, <crashes> crashes
# Exits 1 when any target crashed; the crashing inputs are in fuzz/artifacts/<target>/.
#
#   fuzz/run.sh [seconds per target, default 60] [target…]
#
# Needs the nightly toolchain (libFuzzer instrumentation); installs cargo-fuzz when missing.
# Builds without RocksDB (the library's default feature), so no C++ build. The seeds in
# fuzz/seeds/<target>/ are read, never written; what libFuzzer finds goes to fuzz/corpus/<target>/
# (not committed), so a later run starts where this one stopped.
set -euo pipefail

seconds="${1:-60}"
shift || true
fuzz="$(cd "$(dirname "$0")" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/vitrine-fuzz-target}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
# Debug assertions too: arithmetic on hostile values must not wrap silently.
(cd "$fuzz" && cargo +nightly fuzz build -O --debug-assertions)

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cd "$fuzz" && cargo +nightly fuzz list)
fi
bin="$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release"
failed=0
for target in "${targets[@]}"; do
    corpus="$fuzz/corpus/$target"
    artifacts="$fuzz/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    # Leak checks are off: they rescan the whole heap after every input that keeps memory (the
    # server's caches), which made the server targets 15 times slower; growth without bound is
    # still caught by -rss_limit_mb. The readers read files: each run gets its own scratch
    # folder, removed afterwards.
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/vitrine-fuzz.XXXXXX")"
    marker="$scratch/started"
    touch "$marker"
    log="$scratch/log"
    TMPDIR="$scratch" "$bin/$target" "$corpus" "$fuzz/seeds/$target" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -detect_leaks=0 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || true
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    if [ -z "$execs" ]; then
        # No final statistics (the process was killed): the last progress line says how far.
        execs="$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')"
    fi
    crashes="$(find "$artifacts" -type f -newer "$marker" | wc -l)"
    echo "fuzz $target: ${execs:-0} execs, $crashes crashes"
    if [ "$crashes" -gt 0 ]; then
        failed=1
        cp "$log" "$fuzz/artifacts/$target.log"
        find "$artifacts" -type f -newer "$marker" -printf '  %p\n'
    fi
    rm -rf "$scratch"
done
exit "$failed"
