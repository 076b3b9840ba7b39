#!/usr/bin/env bash
# Tollgate benchmark: one run measures, with wrk, on this machine
#   upstream     a fixed-answer OpenAI stand-in (nginx `return 200`), hit directly
#   nginx-proxy  nginx reverse proxy in front of the stand-in (baseline for one proxy hop)
#   tollgate     Tollgate in front of the stand-in, with a real API key (auth + usage records on)
# for non-streaming and streaming (SSE) POST /v1/chat/completions, and prints req/s, p50, p99
# and the ratio tollgate / nginx-proxy. See bench/README.md.
#
# Settings (environment):
#   BENCH_DURATION=15s          measured run per target and mode (wrk -d; a bare number means seconds)
#   BENCH_CONNECTIONS=32        wrk -c
#   BENCH_THREADS=2             wrk -t
#   BENCH_WARMUP=3s             warm-up before each upstream / nginx-proxy run (0 to skip)
#   BENCH_TOLLGATE_WARMUP=10s   warm-up before each tollgate run (JIT)
#   BENCH_TIMEOUT=10s           wrk per-request timeout (a timeout counts as an error)
#   BENCH_TARGETS="upstream nginx-proxy tollgate"
#   BENCH_MODES="non-stream stream"
#   BENCH_BASE_PORT=18080       ports are picked upwards from here, skipping busy ones
#   BENCH_UPSTREAM_WORKERS=auto nginx worker_processes of the stand-in
#   BENCH_PROXY_WORKERS=auto    nginx worker_processes of the proxy
#   BENCH_OUT=file              also write the result table to this file
#   BENCH_KEEP=1                keep the temporary directory (configs, logs, wrk output)
#   BENCH_HEALTH_TIMEOUT=60     seconds to wait for Tollgate's /health
#   BENCH_BUILD_TIMEOUT=900     seconds allowed for `./tollgate build`
#   TOLLGATE_JAVA_OPTS          JVM options for Tollgate (as for the launcher)
#
# Exit status: 0 when every run completed with no error; non-zero (with a message) when a target
# answered a non-2xx status, a socket error or timeout occurred, a response was malformed, or
# something could not be set up. Every process it started is stopped on exit.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")

if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi

DURATION=${BENCH_DURATION:-15s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-3s}
TOLLGATE_WARMUP=${BENCH_TOLLGATE_WARMUP:-10s}
REQ_TIMEOUT=${BENCH_TIMEOUT:-10s}
TARGETS=${BENCH_TARGETS:-upstream nginx-proxy tollgate}
MODES=${BENCH_MODES:-non-stream stream}
BASE_PORT=${BENCH_BASE_PORT:-18080}
UPSTREAM_WORKERS=${BENCH_UPSTREAM_WORKERS:-auto}
PROXY_WORKERS=${BENCH_PROXY_WORKERS:-auto}
OUT=${BENCH_OUT:-}
KEEP=${BENCH_KEEP:-0}
HEALTH_TIMEOUT=${BENCH_HEALTH_TIMEOUT:-60}
BUILD_TIMEOUT=${BENCH_BUILD_TIMEOUT:-900}

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# --- argument checks --------------------------------------------------------------------------
seconds_of() { # "15s" | "15" | "2m" | "1h" -> seconds
  local v=$1
  case "$v" in
    *[!0-9smh]* | '' ) return 1 ;;
  esac
  if [[ "$v" =~ ^([0-9]+)([smh]?)$ ]]; then
    local n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]}
    case "$u" in m) n=$((n * 60)) ;; h) n=$((n * 3600)) ;; esac
    echo "$n"
  else
    return 1
  fi
}
for var in DURATION WARMUP TOLLGATE_WARMUP REQ_TIMEOUT; do
  secs=$(seconds_of "${!var}") || die "BENCH_${var/REQ_/} must look like 15, 15s, 2m (got '${!var}')"
  printf -v "$var" '%ss' "$secs"
done
[ "$(seconds_of "$DURATION")" -gt 0 ] || die "BENCH_DURATION must be positive"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a positive integer"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THREADS must be a positive integer"
[ "$THREADS" -le "$CONNECTIONS" ] || die "BENCH_THREADS must not exceed BENCH_CONNECTIONS"
for t in $TARGETS; do
  case "$t" in upstream | nginx-proxy | tollgate) ;; *) die "unknown target '$t' in BENCH_TARGETS" ;; esac
done
for m in $MODES; do
  case "$m" in non-stream | stream) ;; *) die "unknown mode '$m' in BENCH_MODES" ;; esac
done
has_target() { [[ " $TARGETS " == *" $1 "* ]]; }

# --- tools ------------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing ${need[*]}; install them (apt-get install ${need[*]}) or run as root"
  log "installing ${need[*]} with apt-get"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >&2 \
    || die "apt-get install ${need[*]} failed"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# --- process bookkeeping and cleanup ----------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")
chmod 711 "$WORK" # nginx workers (user nobody when started as root) must traverse into it
STARTED=() # "name:pid", in start order
WRK_PID=

stop_pid() { # name pid: SIGTERM, wait up to 15 s, then SIGKILL
  local name=$1 pid=$2 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$WRK_PID" ]; then stop_pid wrk "$WRK_PID"; fi
  local i entry
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
    entry=${STARTED[i]}
    stop_pid "${entry%%:*}" "${entry##*:}"
  done
  if [ "$KEEP" = 1 ] || [ "$rc" != 0 ]; then
    log "temporary files kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# --- ports ------------------------------------------------------------------------------------
port_busy() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Htln "( sport = :$1 )" 2>/dev/null)" ] && return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
NEXT_PORT=$BASE_PORT
pick_port() { # prints a free port >= NEXT_PORT and advances NEXT_PORT past it
  while port_busy "$NEXT_PORT"; do
    NEXT_PORT=$((NEXT_PORT + 1))
    [ "$NEXT_PORT" -lt 65000 ] || die "no free port found above $BASE_PORT"
  done
  PORT=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
pick_port; UP_JSON_PORT=$PORT
pick_port; UP_SSE_PORT=$PORT
pick_port; PROXY_JSON_PORT=$PORT
pick_port; PROXY_SSE_PORT=$PORT
pick_port; TOLLGATE_PORT=$PORT

# --- fixed upstream answers and request bodies ------------------------------------------------
UPSTREAM_JSON='{"id":"chatcmpl-bench","object":"chat.completion","created":1730000000,"model":"bench-json","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench upstream."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}'

sse_chunk() { # delta-json finish-reason-json
  printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1730000000,"model":"bench-sse","choices":[{"index":0,"delta":%s,"finish_reason":%s}]}\n\n' "$1" "$2"
}
{
  sse_chunk '{"role":"assistant","content":""}' null
  for piece in 'Hello' ' from' ' the' ' bench' ' upstream' '.' ' This' ' is' ' streamed' '.'; do
    sse_chunk "{\"content\":\"$piece\"}" null
  done
  sse_chunk '{}' '"stop"'
  printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1730000000,"model":"bench-sse","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22}}\n\n'
  printf 'data: [DONE]\n\n'
} >"$WORK/upstream-sse.txt"
printf '%s' "$UPSTREAM_JSON" >"$WORK/upstream-json.txt"

printf '%s' '{"model":"bench-json","messages":[{"role":"user","content":"Say hello"}]}' >"$WORK/body-non-stream.json"
printf '%s' '{"model":"bench-sse","stream":true,"messages":[{"role":"user","content":"Say hello"}]}' >"$WORK/body-stream.json"

nginx_quote() { # file -> single-quoted nginx string, with \ ' and newlines escaped
  local s
  s=$(cat "$1"; printf x) # the x keeps trailing newlines from being dropped
  s=${s%x}
  case "$s" in *'$'*) die "nginx return text must not contain \$" ;; esac
  s=${s//\\/\\\\}
  s=${s//\'/\\\'}
  s=${s//$'\n'/\\n}
  printf "'%s'" "$s"
}

# --- nginx ------------------------------------------------------------------------------------
nginx_common() { # prefix workers
  cat <<EOF
worker_processes $2;
daemon off;
master_process on;
pid $1/nginx.pid;
error_log $1/error.log warn;
worker_rlimit_nofile 16384;
events {
    worker_connections 4096;
}
EOF
}
nginx_http_common() { # prefix
  cat <<EOF
    access_log off;
    server_tokens off;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    client_body_temp_path $1/tmp/client_body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
EOF
}

UP_PREFIX=$WORK/nginx-upstream
PROXY_PREFIX=$WORK/nginx-proxy
mkdir -p "$UP_PREFIX/tmp" "$PROXY_PREFIX/tmp"
chmod 755 "$UP_PREFIX" "$UP_PREFIX/tmp" "$PROXY_PREFIX" "$PROXY_PREFIX/tmp"

{
  nginx_common "$UP_PREFIX" "$UPSTREAM_WORKERS"
  cat <<EOF
http {
$(nginx_http_common "$UP_PREFIX")

    # OpenAI-compatible stand-in, non-streaming: a fixed chat.completion with usage
    server {
        listen 127.0.0.1:$UP_JSON_PORT;
        location = /v1/chat/completions {
            default_type application/json;
            return 200 $(nginx_quote "$WORK/upstream-json.txt");
        }
        location / {
            return 404;
        }
    }

    # OpenAI-compatible stand-in, streaming: fixed chat.completion.chunk events, usage chunk, [DONE]
    server {
        listen 127.0.0.1:$UP_SSE_PORT;
        location = /v1/chat/completions {
            default_type text/event-stream;
            add_header Cache-Control no-cache;
            return 200 $(nginx_quote "$WORK/upstream-sse.txt");
        }
        location / {
            return 404;
        }
    }
}
EOF
} >"$UP_PREFIX/nginx.conf"

{
  nginx_common "$PROXY_PREFIX" "$PROXY_WORKERS"
  cat <<EOF
http {
$(nginx_http_common "$PROXY_PREFIX")

    upstream standin_json {
        server 127.0.0.1:$UP_JSON_PORT;
        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 75s;
    }
    upstream standin_sse {
        server 127.0.0.1:$UP_SSE_PORT;
        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 75s;
    }

    server {
        listen 127.0.0.1:$PROXY_JSON_PORT;
        location / {
            proxy_pass http://standin_json;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
    server {
        listen 127.0.0.1:$PROXY_SSE_PORT;
        location / {
            proxy_pass http://standin_sse;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_cache off;
        }
    }
}
EOF
} >"$PROXY_PREFIX/nginx.conf"

wait_port() { # name pid port seconds
  local name=$1 pid=$2 port=$3 secs=$4 i
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    port_busy "$port" && return 0
    sleep 0.1
  done
  return 1
}

declare -A MASTER_PID
start_nginx() { # name prefix port...
  local name=$1 prefix=$2 pid port
  shift 2
  "$NGINX" -t -q -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/error.log" 2>"$prefix/configtest.log" \
    || { cat "$prefix/configtest.log" >&2; die "$name: nginx config test failed ($prefix/nginx.conf)"; }
  "$NGINX" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/error.log" >"$prefix/stdout.log" 2>&1 &
  pid=$!
  STARTED+=("$name:$pid")
  MASTER_PID[$name]=$pid
  for port in "$@"; do
    wait_port "$name" "$pid" "$port" 10 || {
      tail -n 20 "$prefix/error.log" "$prefix/stdout.log" >&2 2>/dev/null || true
      die "$name did not start listening on 127.0.0.1:$port"
    }
  done
  log "$name: pid $pid, ports $*"
}

if has_target upstream || has_target nginx-proxy || has_target tollgate; then
  start_nginx nginx-upstream "$UP_PREFIX" "$UP_JSON_PORT" "$UP_SSE_PORT"
fi
if has_target nginx-proxy; then
  start_nginx nginx-proxy "$PROXY_PREFIX" "$PROXY_JSON_PORT" "$PROXY_SSE_PORT"
fi

# --- Tollgate ---------------------------------------------------------------------------------
KEY=
TG_PID=
TG_DIR=$WORK/tollgate
TG_DATA=$TG_DIR/data
TG_LOG=$TG_DIR/serve.log

find_java() { # a java >= 21, looked up like the launcher does
  local candidates=() home v d
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for d in $(ls -d /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
    if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$home/bin/java"; return 0; fi
  done
  return 1
}

tg() { # runs the snapshot jar with the same environment as `serve`
  (cd "$TG_DIR" && TOLLGATE_DATA_DIR="$TG_DATA" TOLLGATE_SERVER_HOST=127.0.0.1 TOLLGATE_SERVER_PORT="$TOLLGATE_PORT" \
    timeout -k 5 120 "$JAVA" ${TOLLGATE_JAVA_OPTS:-} -jar "$TG_DIR/tollgate.jar" "$@")
}

if has_target tollgate; then
  mkdir -p "$TG_DATA"
  log "building Tollgate (./tollgate build)"
  timeout -k 10 "$BUILD_TIMEOUT" "$ROOT/tollgate" build >"$TG_DIR/build.log" 2>&1 \
    || { tail -n 40 "$TG_DIR/build.log" >&2; die "./tollgate build failed (log above)"; }
  [ -f "$ROOT/target/tollgate.jar" ] || die "./tollgate build did not produce target/tollgate.jar"
  # Run a snapshot of the jar: editing src/ during the run must not trigger a rebuild under us.
  cp "$ROOT/target/tollgate.jar" "$TG_DIR/tollgate.jar"
  JAVA=$(find_java) || die "no java 21 or newer found (JAVA_HOME, PATH, /usr/lib/jvm)"

  log "setting up Tollgate channels and API key (data dir $TG_DATA)"
  tg admin channel add --name bench-json --type openai --base-url "http://127.0.0.1:$UP_JSON_PORT/v1" \
    --key sk-upstream-dummy --models bench-json >"$TG_DIR/setup.log" 2>&1 \
    || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin channel add bench-json failed"; }
  tg admin channel add --name bench-sse --type openai --base-url "http://127.0.0.1:$UP_SSE_PORT/v1" \
    --key sk-upstream-dummy --models bench-sse >>"$TG_DIR/setup.log" 2>&1 \
    || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin channel add bench-sse failed"; }
  KEY=$(tg admin key create --name bench 2>>"$TG_DIR/setup.log") \
    || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin key create failed"; }
  KEY=$(printf '%s' "$KEY" | tr -d '\r' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
  if [ -z "$KEY" ] || [[ "$KEY" =~ [[:space:]] ]]; then
    die "tollgate admin key create did not print a single key on stdout (got: '$KEY')"
  fi
  [[ "$KEY" == sk-* ]] || log "warning: the API key does not start with sk- (${KEY:0:6}...)"

  log "starting Tollgate on 127.0.0.1:$TOLLGATE_PORT"
  (cd "$TG_DIR" && TOLLGATE_DATA_DIR="$TG_DATA" TOLLGATE_SERVER_HOST=127.0.0.1 TOLLGATE_SERVER_PORT="$TOLLGATE_PORT" \
    exec "$JAVA" ${TOLLGATE_JAVA_OPTS:-} -jar "$TG_DIR/tollgate.jar" serve) >"$TG_LOG" 2>&1 &
  TG_PID=$!
  STARTED+=("tollgate:$TG_PID")
  ready=0
  for ((i = 0; i < HEALTH_TIMEOUT * 5; i++)); do
    kill -0 "$TG_PID" 2>/dev/null || { tail -n 40 "$TG_LOG" >&2; die "Tollgate exited during start-up (log above)"; }
    if [ "$(curl -s -o "$TG_DIR/health.txt" -w '%{http_code}' --max-time 2 "http://127.0.0.1:$TOLLGATE_PORT/health" 2>/dev/null)" = 200 ] \
      && grep -q '"ok"' "$TG_DIR/health.txt"; then
      ready=1
      break
    fi
    sleep 0.2
  done
  [ "$ready" = 1 ] || { tail -n 40 "$TG_LOG" >&2; die "Tollgate /health not ready after ${HEALTH_TIMEOUT}s"; }
  log "tollgate: pid $TG_PID, port $TOLLGATE_PORT, ready"
fi

# --- checks and runs --------------------------------------------------------------------------
url_of() { # target mode
  local port
  case "$1/$2" in
    upstream/non-stream) port=$UP_JSON_PORT ;;
    upstream/stream) port=$UP_SSE_PORT ;;
    nginx-proxy/non-stream) port=$PROXY_JSON_PORT ;;
    nginx-proxy/stream) port=$PROXY_SSE_PORT ;;
    tollgate/*) port=$TOLLGATE_PORT ;;
  esac
  echo "http://127.0.0.1:$port/v1/chat/completions"
}
auth_of() { if [ "$1" = tollgate ]; then echo "Bearer $KEY"; fi; }

# Sends one request with curl and checks status, content type and body; sets MIN_BYTES (the
# bytes one response takes at least: header + decoded body) for the sanity check of wrk's total.
check_response() { # target mode when
  local target=$1 mode=$2 when=$3 url auth out code hsize bsize
  url=$(url_of "$target" "$mode")
  auth=$(auth_of "$target")
  out=$WORK/check-$target-$mode-$when
  local args=(-sS --max-time 10 -o "$out.body" -D "$out.headers" -w '%{http_code} %{size_header} %{size_download}\n'
    -H 'Content-Type: application/json' --data-binary "@$WORK/body-$mode.json")
  [ -n "$auth" ] && args+=(-H "Authorization: $auth")
  read -r code hsize bsize < <(curl "${args[@]}" "$url" 2>"$out.err" || echo "000 0 0")
  local problem=
  if [ "$code" != 200 ]; then
    problem="HTTP status $code"
  elif [ "$mode" = non-stream ]; then
    grep -qi '^content-type: *application/json' "$out.headers" || problem="content-type is not application/json"
    [ -n "$problem" ] || grep -q 'Hello from the bench upstream\.' "$out.body" || problem="body lacks the upstream's answer"
  else
    grep -qi '^content-type: *text/event-stream' "$out.headers" || problem="content-type is not text/event-stream"
    if [ -z "$problem" ]; then
      local events last
      events=$(grep -c '^data:' "$out.body" || true)
      last=$(grep '^data:' "$out.body" | tail -n1 | tr -d '\r')
      [ "$events" -ge 12 ] || problem="only $events SSE data events"
      [ -n "$problem" ] || [ "$last" = 'data: [DONE]' ] || problem="stream does not end with data: [DONE]"
      [ -n "$problem" ] || grep -q 'streamed' "$out.body" || problem="stream lacks the upstream's content"
    fi
  fi
  if [ -n "$problem" ]; then
    {
      echo "--- $target $mode ($when): $problem; response:"
      cat "$out.err" "$out.headers" 2>/dev/null
      head -c 2000 "$out.body" 2>/dev/null; echo
    } >&2
    [ "$target" = tollgate ] && { echo "--- tail of Tollgate's log:"; tail -n 30 "$TG_LOG"; } >&2
    die "$target $mode: bad response ($when)"
  fi
  MIN_BYTES=$((hsize + bsize))
  [ "$target" = tollgate ] && TG_SENT=$((TG_SENT + 1))
  return 0
}

declare -A RES_RPS RES_P50 RES_P99 RES_REQ RES_CPU
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# CPU time (clock ticks, user + system, all threads) used so far by the processes serving a target:
# the nginx master and its workers, or Tollgate's JVM. Only the hop under test, not the stand-in.
target_pids() {
  local master
  case "$1" in
    upstream) master=${MASTER_PID[nginx-upstream]} ;;
    nginx-proxy) master=${MASTER_PID[nginx-proxy]} ;;
    tollgate) echo "$TG_PID"; return 0 ;;
  esac
  echo "$master" $(pgrep -P "$master" 2>/dev/null || true)
}
cpu_ticks() { # pid... -> sum of utime + stime
  local total=0 p t
  for p in "$@"; do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }')
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
run_wrk() { # target mode duration kind(warmup|measure)
  local target=$1 mode=$2 dur=$3 kind=$4 url auth out rc=0 secs
  url=$(url_of "$target" "$mode")
  auth=$(auth_of "$target")
  out=$WORK/wrk-$target-$mode-$kind.txt
  secs=$(seconds_of "$dur")
  BENCH_BODY_FILE="$WORK/body-$mode.json" BENCH_AUTH="$auth" \
    timeout -k 5 $((secs + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$dur" --timeout "$REQ_TIMEOUT" --latency \
    -s "$BENCH_DIR/chat.lua" "$url" >"$out" 2>&1 &
  WRK_PID=$!
  local pids ticks_before
  pids=$(target_pids "$target")
  ticks_before=$(cpu_ticks $pids)
  wait "$WRK_PID" || rc=$?
  local ticks=$(($(cpu_ticks $pids) - ticks_before))
  WRK_PID=
  local line
  line=$(grep '^BENCH_RESULT ' "$out" | tail -n1 || true)
  if [ "$rc" != 0 ] || [ -z "$line" ]; then
    cat "$out" >&2
    die "wrk failed on $target $mode ($kind), exit status $rc"
  fi
  declare -A R=()
  local kv
  for kv in $line; do
    case "$kv" in *=*) R[${kv%%=*}]=${kv#*=} ;; esac
  done
  local errs="" e
  for e in status connect read write timeout; do
    [ "${R[err_$e]}" = 0 ] || errs+=" $e=${R[err_$e]}"
  done
  if [ "${R[requests]}" -le 0 ] || [ -n "$errs" ]; then
    cat "$out" >&2
    [ "$target" = tollgate ] && { echo "--- tail of Tollgate's log:"; tail -n 30 "$TG_LOG"; } >&2
    die "$target $mode ($kind): ${R[requests]} requests with errors:${errs:- none} (status = non-2xx/3xx responses)"
  fi
  # wrk counts every byte read (headers, chunk framing); fewer than one good response per request
  # means short or empty answers that wrk does not flag by itself.
  local per_req=$((${R[bytes]} / ${R[requests]}))
  if [ "$per_req" -lt $((MIN_BYTES * 9 / 10)) ]; then
    cat "$out" >&2
    die "$target $mode ($kind): $per_req bytes per response on average, a good response takes $MIN_BYTES"
  fi
  [ "$target" = tollgate ] && TG_SENT=$((TG_SENT + ${R[requests]}))
  if [ "$kind" = measure ]; then
    RES_RPS[$target/$mode]=${R[rps]}
    RES_P50[$target/$mode]=${R[p50_us]}
    RES_P99[$target/$mode]=${R[p99_us]}
    RES_REQ[$target/$mode]=${R[requests]}
    # CPU per request (µs) and average cores busy, for the processes of this hop only
    RES_CPU[$target/$mode]=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="${R[requests]}" -v d="${R[duration_us]}" \
      'BEGIN { printf "%.1f %.2f", t / hz * 1e6 / n, t / hz / (d / 1e6) }')
  fi
  log "$(printf '%-10s %-11s %-7s %10.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%d requests)' "$mode" "$target" "$kind" \
    "${R[rps]}" "$(awk -v u="${R[p50_us]}" 'BEGIN{print u/1000}')" "$(awk -v u="${R[p99_us]}" 'BEGIN{print u/1000}')" "${R[requests]}")"
}

TG_SENT=0
for mode in $MODES; do
  for target in upstream nginx-proxy tollgate; do
    has_target "$target" || continue
    check_response "$target" "$mode" before
    warm=$WARMUP
    [ "$target" = tollgate ] && warm=$TOLLGATE_WARMUP
    if [ "$(seconds_of "$warm")" -gt 0 ]; then
      run_wrk "$target" "$mode" "$warm" warmup
    fi
    run_wrk "$target" "$mode" "$DURATION" measure
    check_response "$target" "$mode" after
  done
done

# --- Tollgate: stop it gracefully, look at its log and usage records ---------------------------
NOTES=()
if [ -n "$TG_PID" ]; then
  stop_pid tollgate "$TG_PID"
  n_err=$(grep -Ec '(^|[^A-Za-z])(ERROR|SEVERE|FATAL)([^A-Za-z]|$)|Exception' "$TG_LOG" || true)
  n_warn=$(grep -Ec '(^|[^A-Za-z])WARN(ING)?([^A-Za-z]|$)' "$TG_LOG" || true)
  if [ $((n_err + n_warn)) -gt 0 ]; then
    NOTES+=("tollgate log: $n_err error/exception and $n_warn warning line(s)$([ "$KEEP" = 1 ] && echo " (full log: $TG_LOG)" || echo " (BENCH_KEEP=1 keeps the full log)"), e.g.:")
    while IFS= read -r l; do NOTES+=("  $l"); done < <(grep -E '(^|[^A-Za-z])(ERROR|SEVERE|FATAL|WARN(ING)?)([^A-Za-z]|$)|Exception' "$TG_LOG" | head -n 6 | cut -c1-220)
  fi
  NOTES+=("tollgate requests completed: $TG_SENT (wrk warm-ups and runs + curl checks; up to $CONNECTIONS more per wrk run were in flight when it stopped)")
  if command -v sqlite3 >/dev/null 2>&1; then
    while IFS= read -r db; do
      for table in $(sqlite3 "$db" "select name from sqlite_master where type='table' and name like '%usage%'" 2>/dev/null); do
        rows=$(sqlite3 "$db" "select count(*) from \"$table\"" 2>/dev/null || echo '?')
        by_status=$(sqlite3 -separator ': ' "$db" "select status, count(*) from \"$table\" group by status" 2>/dev/null | paste -sd, - | sed 's/,/, /g' || true)
        NOTES+=("tollgate usage records: $rows row(s) in ${db#"$TG_DATA"/}:$table${by_status:+ (by status: $by_status)}")
      done
    done < <(find "$TG_DATA" -type f \( -name '*.db' -o -name '*.sqlite' -o -name '*.sqlite3' \) 2>/dev/null)
  fi
fi

# --- report -----------------------------------------------------------------------------------
ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
report() {
  echo "Tollgate benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "machine: $(nproc) cores, $(uname -sr); $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2); $("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
  if has_target tollgate; then
    echo "tollgate: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit'), $("$JAVA" -version 2>&1 | head -n1)${TOLLGATE_JAVA_OPTS:+, TOLLGATE_JAVA_OPTS=$TOLLGATE_JAVA_OPTS}"
  fi
  if [ -n "$TG_PID" ]; then
    local listening
    listening=$(grep -m1 -o 'listening on .*' "$TG_LOG" 2>/dev/null || true)
    [ -z "$listening" ] || echo "tollgate: $listening"
  fi
  echo "load average before the run: $LOAD_BEFORE (anything else busy on the machine skews all figures)"
  echo "wrk: $CONNECTIONS connections, $THREADS threads, $DURATION per run (warm-up $WARMUP; tollgate $TOLLGATE_WARMUP), all on 127.0.0.1"
  echo
  printf '%-11s %-12s %10s %10s %10s %12s %6s\n' mode target 'req/s' p50 p99 'cpu us/req' cores
  local mode target key cpu_us cores
  for mode in $MODES; do
    for target in upstream nginx-proxy tollgate; do
      key=$target/$mode
      [ -n "${RES_RPS[$key]:-}" ] || continue
      read -r cpu_us cores <<<"${RES_CPU[$key]}"
      printf '%-11s %-12s %10.0f %10s %10s %11s %6s\n' "$mode" "$target" "${RES_RPS[$key]}" "$(ms "${RES_P50[$key]}")" "$(ms "${RES_P99[$key]}")" "$cpu_us" "$cores"
    done
  done
  if has_target tollgate && has_target nginx-proxy; then
    local parts=() lat=()
    for mode in $MODES; do
      parts+=("$mode $(awk -v a="${RES_RPS[tollgate/$mode]}" -v b="${RES_RPS[nginx-proxy/$mode]}" 'BEGIN { printf "%.2f", a / b }')")
      lat+=("$mode $(awk -v a="${RES_P50[tollgate/$mode]}" -v b="${RES_P50[nginx-proxy/$mode]}" 'BEGIN { printf "%+.2f ms", (a - b) / 1000 }') p50, $(awk -v a="${RES_P99[tollgate/$mode]}" -v b="${RES_P99[nginx-proxy/$mode]}" 'BEGIN { printf "%+.2f ms", (a - b) / 1000 }') p99")
    done
    echo
    echo "ratio tollgate/nginx-proxy (req/s): $(IFS=,; echo "${parts[*]}" | sed 's/,/, /g')"
    echo "latency tollgate - nginx-proxy:     $(IFS=';'; echo "${lat[*]}" | sed 's/;/; /g')"
    local cpu=()
    for mode in $MODES; do
      cpu+=("$mode $(awk -v a="${RES_CPU[tollgate/$mode]%% *}" -v b="${RES_CPU[nginx-proxy/$mode]%% *}" 'BEGIN { printf "%.1f", a / b }')x")
    done
    echo "cpu per request tollgate/nginx-proxy: $(IFS=,; echo "${cpu[*]}" | sed 's/,/, /g')"
  fi
  local n
  for n in "${NOTES[@]}"; do echo "$n"; done
  echo "all runs: no non-2xx responses, no socket errors or timeouts"
}

echo >&2
if [ -n "$OUT" ]; then
  mkdir -p "$(dirname "$OUT")"
  report | tee "$OUT"
  log "results written to $OUT"
else
  report
fi
