#!/usr/bin/env bash
# Throw-away `oxigraph serve` instance for tests/benchmarks.
#   oxigraph.sh start DIR PORT   # data in DIR/data, http://127.0.0.1:PORT/{query,update,store}
#   oxigraph.sh stop DIR
# Env: VITRINE_OXIGRAPH = oxigraph CLI (default <repo>/bench/.venv/bin/oxigraph),
#      OXIGRAPH_TIMEOUT = start wait in seconds (default 60),
#      OXIGRAPH_ARGS = extra args for `oxigraph serve` (e.g. "--timeout-s 30").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
OXIGRAPH=${VITRINE_OXIGRAPH:-$repo/bench/.venv/bin/oxigraph}
TIMEOUT=${OXIGRAPH_TIMEOUT:-60}

usage() { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local dir=$1 port=$2
  [ -x "$OXIGRAPH" ] || command -v "$OXIGRAPH" >/dev/null || {
    echo "oxigraph.sh: $OXIGRAPH not found (set VITRINE_OXIGRAPH or pip install oxigraph into bench/.venv)" >&2; exit 1; }
  for p in "$port"; do
    if port_busy "$p"; then echo "oxigraph.sh: port 127.0.0.1:$p is already in use" >&2; exit 1; fi
  done
  mkdir -p "$dir/data"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "oxigraph.sh: already running (pid $(cat "$dir/pid"))" >&2; exit 1
  fi
  # shellcheck disable=SC2086
  ( cd "$dir" && exec nohup "$OXIGRAPH" serve --location "$dir/data" --bind "127.0.0.1:$port" \
      ${OXIGRAPH_ARGS:-} >"$dir/oxigraph.log" 2>&1 </dev/null ) &
  echo $! > "$dir/pid"
  local pid; pid=$(cat "$dir/pid")
  local deadline=$((SECONDS + TIMEOUT))
  until curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/query?query=ASK%7B%7D" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "oxigraph.sh: oxigraph exited during startup" >&2
      tail -n 40 "$dir/oxigraph.log" >&2 || true
      rm -f "$dir/pid"; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "oxigraph.sh: timeout (${TIMEOUT}s) waiting for http://127.0.0.1:$port/query" >&2
      tail -n 40 "$dir/oxigraph.log" >&2 || true
      stop "$dir"; exit 1
    fi
    sleep 0.2
  done
  echo "oxigraph started: pid $pid, http://127.0.0.1:$port/query, dir $dir"
}

stop() {
  local dir=$1
  [ -f "$dir/pid" ] || { echo "oxigraph.sh: no pid file in $dir" >&2; return 0; }
  local pid; pid=$(cat "$dir/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$dir/pid"
}

case "${1:-}" in
  start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
  stop)  [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
