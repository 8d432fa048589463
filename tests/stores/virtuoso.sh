#!/usr/bin/env bash
# Throw-away Virtuoso open source instance for tests/benchmarks.
#   virtuoso.sh start DIR HTTP_PORT ISQL_PORT   # create DIR, start, wait for /sparql
#   virtuoso.sh stop DIR                        # kill and wait
# Everything (db, log, ini, pid) lives in DIR. Listens on 127.0.0.1 only.
# Credentials: dba/dba (fresh database default). Writable endpoints (digest auth):
#   /sparql-auth (query + SPARQL Update), /sparql-graph-crud-auth (Graph Store Protocol).
# Env: VIRTUOSO_BIN (default virtuoso-t), VIRTUOSO_TIMEOUT (start wait, seconds, default 60).
set -euo pipefail

VIRTUOSO_BIN=${VIRTUOSO_BIN:-virtuoso-t}
TIMEOUT=${VIRTUOSO_TIMEOUT:-60}

usage() { echo "usage: $0 start DIR HTTP_PORT ISQL_PORT | stop DIR" >&2; exit 2; }

find_share() {
  for d in /usr/share/virtuoso-opensource-7 /usr/share/virtuoso /usr/local/virtuoso-opensource/share/virtuoso; do
    [ -d "$d" ] && { echo "$d"; return; }
  done
  echo /usr/share/virtuoso-opensource-7
}
find_vsp() {
  for d in /var/lib/virtuoso-opensource-7/vsp /usr/share/virtuoso-opensource-7/vsp /var/lib/virtuoso/vsp; do
    [ -d "$d" ] && { echo "$d"; return; }
  done
  echo .
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local dir=$1 http=$2 isql=$3
  command -v "$VIRTUOSO_BIN" >/dev/null || { echo "virtuoso.sh: $VIRTUOSO_BIN not found (apt-get install virtuoso-opensource)" >&2; exit 1; }
  for p in "$http" "$isql"; do
    if port_busy "$p"; then echo "virtuoso.sh: port 127.0.0.1:$p is already in use" >&2; exit 1; fi
  done
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
    echo "virtuoso.sh: already running (pid $(cat "$dir/pid"))" >&2; exit 1
  fi
  local share vsp
  share=$(find_share); vsp=$(find_vsp)
  cat > "$dir/virtuoso.ini" <<INI
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$isql
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
MaxSortedTopRows         = 10000000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., $dir, /tmp, $share/vad
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
VADInstallDir            = $share/vad/
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 1G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000

[HTTPServer]
ServerPort                  = 127.0.0.1:$http
ServerRoot                  = $vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$http

[SPARQL]
; default in the packaged ini is 10000, which silently truncates results
ResultSetMaxRows           = 10000000
MaxQueryCostEstimationTime = 0
; 0 = no limit (packaged default is 60 s)
MaxQueryExecutionTime      = 0
DefaultGraph               = http://localhost/
DeferInferenceRulesInit    = 0
INI
  rm -f "$dir/virtuoso.lck"
  ( cd "$dir" && exec nohup "$VIRTUOSO_BIN" +foreground +configfile "$dir/virtuoso.ini" \
      >"$dir/stdout.log" 2>&1 </dev/null ) &
  echo $! > "$dir/pid"
  local pid; pid=$(cat "$dir/pid")
  local deadline=$((SECONDS + TIMEOUT))
  until curl -fsS -o /dev/null --max-time 5 \
      "http://127.0.0.1:$http/sparql?query=ASK%7B%7D" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "virtuoso.sh: virtuoso-t exited during startup" >&2
      tail -n 40 "$dir/virtuoso.log" "$dir/stdout.log" >&2 2>/dev/null || true
      rm -f "$dir/pid"; exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "virtuoso.sh: timeout (${TIMEOUT}s) waiting for http://127.0.0.1:$http/sparql" >&2
      tail -n 40 "$dir/virtuoso.log" "$dir/stdout.log" >&2 2>/dev/null || true
      stop "$dir"; exit 1
    fi
    sleep 0.5
  done
  # No GRANT needed: on a fresh database dba/dba (digest auth) can already write
  # through /sparql-auth (SPARQL Update) and /sparql-graph-crud-auth (GSP).
  # The anonymous /sparql endpoint (user "SPARQL") stays read-only on purpose.
  echo "virtuoso started: pid $pid, http://127.0.0.1:$http/sparql, isql 127.0.0.1:$isql, dir $dir"
}

stop() {
  local dir=$1
  [ -f "$dir/pid" ] || { echo "virtuoso.sh: no pid file in $dir" >&2; return 0; }
  local pid; pid=$(cat "$dir/pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$dir/pid" "$dir/virtuoso.lck"
}

case "${1:-}" in
  start) [ $# -eq 4 ] || usage; start "$2" "$3" "$4" ;;
  stop)  [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
