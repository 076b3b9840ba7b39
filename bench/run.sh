#!/usr/bin/env bash
# Tollgate benchmark: one run measures, with wrk, on this machine
#   upstream     a fixed-answer OpenAI stand-in (nginx `return 200`), hit directly
#   nginx-proxy  nginx reverse proxy in front of the stand-in (baseline for one proxy hop)
#   tollgate     Tollgate in front of the stand-in, with a real API key (auth + usage records on)
# for non-streaming and streaming (SSE) POST /v1/chat/completions, and prints req/s, p50, p99
# and the ratio tollgate / nginx-proxy. Mode `convert` measures Tollgate alone, streaming, for each
# client protocol -> upstream protocol direction (OpenAI, Anthropic, Gemini stand-ins), as req/s,
# SSE events/s and MB/s, with the ratio of each to the OpenAI passthrough of the same run. Mode
# `failover` measures Tollgate alone, non-streaming, on a model served by two channels (both
# healthy; weighted routing, circuits and attempt bookkeeping on the path), with the ratio to the
# single-channel non-stream figure of the same run. Mode `limits` measures Tollgate alone,
# non-streaming, with a key on a plan high enough never to refuse against a key without a plan,
# alternating, on this node's own counters and then (when Redis answers) on Redis.
# See bench/README.md.
#
# Settings (environment):
#   BENCH_DURATION=15s          measured run per target and mode (wrk -d; a bare number means seconds)
#   BENCH_CONNECTIONS=32        wrk -c
#   BENCH_THREADS=2             wrk -t
#   BENCH_WARMUP=3s             warm-up before each upstream / nginx-proxy run (0 to skip)
#   BENCH_TOLLGATE_WARMUP=10s   warm-up before each tollgate run (JIT); in convert mode every direction
#                               is warmed up this long first, then BENCH_WARMUP before each measured run
#   BENCH_TIMEOUT=10s           wrk per-request timeout (a timeout counts as an error)
#   BENCH_TARGETS="upstream nginx-proxy tollgate"
#   BENCH_MODES="non-stream failover stream convert limits"   (failover, convert and limits need the tollgate target)
#   BENCH_DIRECTIONS="openai-openai openai-anthropic openai-gemini anthropic-openai gemini-openai
#                     anthropic-anthropic gemini-gemini"   convert mode: CLIENT-UPSTREAM protocols;
#                               openai-openai (the passthrough baseline) is always run first
#   BENCH_CONVERT_TARGET=0.7    convert mode: the ratio to passthrough each direction is held to
#                               (reported, not an error)
#   BENCH_BASE_PORT=18080       ports are picked upwards from here, skipping busy ones
#   BENCH_UPSTREAM_WORKERS=auto nginx worker_processes of the stand-in
#   BENCH_PROXY_WORKERS=auto    nginx worker_processes of the proxy
#   BENCH_OUT=file              also write the result table to this file
#   BENCH_KEEP=1                keep the temporary directory (configs, logs, wrk output)
#   BENCH_HEALTH_TIMEOUT=60     seconds to wait for Tollgate's /health
#   BENCH_BUILD_TIMEOUT=900     seconds allowed for `./tollgate build`
#   TOLLGATE_JAVA_OPTS          JVM options for Tollgate (as for the launcher)
#   BENCH_LIMITS_PLAN="--qps 1000000 --rpm 60000000 --tpm 1000000000000"
#                               limits mode: the plan of the limited key (the shipped plans' limits, none ever
#                               refuses; add --concurrency N for the concurrency slot too)
#   BENCH_REDIS_URL=redis://127.0.0.1:6379   limits mode: the Redis of its second half (empty skips it)
#   BENCH_LIMITS_ROUNDS=3       limits mode: rounds of (off, on) measured per limiter, in ABBA order
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
MODES=${BENCH_MODES:-non-stream failover stream convert limits}
ALL_DIRECTIONS="openai-openai openai-anthropic openai-gemini anthropic-openai gemini-openai anthropic-anthropic gemini-gemini"
DIRECTIONS=${BENCH_DIRECTIONS:-$ALL_DIRECTIONS}
CONVERT_TARGET=${BENCH_CONVERT_TARGET:-0.7}
BASE_PORT=${BENCH_BASE_PORT:-18080}
UPSTREAM_WORKERS=${BENCH_UPSTREAM_WORKERS:-auto}
PROXY_WORKERS=${BENCH_PROXY_WORKERS:-auto}
OUT=${BENCH_OUT:-}
KEEP=${BENCH_KEEP:-0}
HEALTH_TIMEOUT=${BENCH_HEALTH_TIMEOUT:-60}
BUILD_TIMEOUT=${BENCH_BUILD_TIMEOUT:-900}
LIMITS_PLAN=${BENCH_LIMITS_PLAN:---qps 1000000 --rpm 60000000 --tpm 1000000000000}
REDIS_URL=${BENCH_REDIS_URL-redis://127.0.0.1:6379}
LIMITS_ROUNDS=${BENCH_LIMITS_ROUNDS:-3}

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
  case "$m" in non-stream | stream | convert | failover | limits) ;; *) die "unknown mode '$m' in BENCH_MODES" ;; esac
done
has_target() { [[ " $TARGETS " == *" $1 "* ]]; }
has_mode() { [[ " $MODES " == *" $1 "* ]]; }
for m in convert failover limits; do
  if has_mode "$m" && ! has_target tollgate; then
    [ -z "${BENCH_MODES:-}" ] || die "mode $m measures Tollgate only: add tollgate to BENCH_TARGETS"
    MODES=$(echo " $MODES " | sed "s/ $m / /; s/^ *//; s/ *\$//") # default modes, no Tollgate
  fi
done
PROXY_MODES=$(for m in $MODES; do case "$m" in convert | failover | limits) ;; *) echo "$m" ;; esac; done | paste -sd' ' -)
# convert directions: CLIENT-UPSTREAM, each one of openai anthropic gemini; passthrough baseline first
for d in $DIRECTIONS; do
  [[ "$d" =~ ^(openai|anthropic|gemini)-(openai|anthropic|gemini)$ ]] \
    || die "unknown direction '$d' in BENCH_DIRECTIONS (CLIENT-UPSTREAM, each openai, anthropic or gemini)"
done
DIRECTIONS="openai-openai $(for d in $DIRECTIONS; do [ "$d" = openai-openai ] || echo "$d"; done | awk '!seen[$0]++' | paste -sd' ' -)"
DIRECTIONS=${DIRECTIONS% }
[[ "$CONVERT_TARGET" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_CONVERT_TARGET must be a number like 0.7"
[[ "$LIMITS_ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_LIMITS_ROUNDS must be a positive integer"

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
pick_port; UP_ANTHROPIC_PORT=$PORT
pick_port; UP_GEMINI_PORT=$PORT
pick_port; TOLLGATE_REDIS_PORT=$PORT

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

# The same 10 text pieces as the OpenAI stream, in each provider's own streaming format, so that the
# text per event (and so the byte volume) is comparable across the three stand-ins.
PIECES=('Hello' ' from' ' the' ' bench' ' upstream' '.' ' This' ' is' ' streamed' '.')
STREAM_TEXT='Hello from the bench upstream. This is streamed.'
anthropic_event() { # type data-json
  printf 'event: %s\ndata: %s\n\n' "$1" "$2"
}
{ # Anthropic Messages stream, as api.anthropic.com sends it (without the optional ping)
  anthropic_event message_start '{"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","model":"bench-anthropic","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}'
  anthropic_event content_block_start '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'
  for piece in "${PIECES[@]}"; do
    anthropic_event content_block_delta "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"$piece\"}}"
  done
  anthropic_event content_block_stop '{"type":"content_block_stop","index":0}'
  anthropic_event message_delta '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":10}}'
  anthropic_event message_stop '{"type":"message_stop"}'
} >"$WORK/upstream-anthropic.txt"
{ # Gemini streamGenerateContent?alt=sse: one candidate chunk per piece, cumulative usage, the last with finishReason
  n=0
  for piece in "${PIECES[@]}"; do
    n=$((n + 1))
    finish=
    [ "$n" = "${#PIECES[@]}" ] && finish=',"finishReason":"STOP"'
    printf 'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"%s"}]}%s,"index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":%d,"totalTokenCount":%d},"modelVersion":"bench-gemini","responseId":"r1"}\n\n' \
      "$piece" "$finish" "$n" $((12 + n))
  done
} >"$WORK/upstream-gemini.txt"
cp "$WORK/upstream-sse.txt" "$WORK/upstream-openai.txt"

printf '%s' '{"model":"bench-json","messages":[{"role":"user","content":"Say hello"}]}' >"$WORK/body-non-stream.json"
printf '%s' '{"model":"bench-sse","stream":true,"messages":[{"role":"user","content":"Say hello"}]}' >"$WORK/body-stream.json"
printf '%s' '{"model":"bench-failover","messages":[{"role":"user","content":"Say hello"}]}' >"$WORK/body-failover.json"

# convert mode: the model that routes to each stand-in, and each client protocol's streaming request
model_of() { case "$1" in openai) echo bench-sse ;; anthropic) echo bench-anthropic ;; gemini) echo bench-gemini ;; esac; }
for m in bench-sse bench-anthropic bench-gemini; do
  printf '{"model":"%s","stream":true,"messages":[{"role":"user","content":"Say hello"}]}' "$m" >"$WORK/body-openai-$m.json"
  printf '{"model":"%s","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}' "$m" >"$WORK/body-anthropic-$m.json"
  printf '%s' '{"contents":[{"role":"user","parts":[{"text":"Say hello"}]}]}' >"$WORK/body-gemini-$m.json" # model in the path
done

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

    # Anthropic stand-in, streaming: message_start ... 10 text deltas ... message_delta (usage), message_stop
    server {
        listen 127.0.0.1:$UP_ANTHROPIC_PORT;
        location = /v1/messages {
            default_type text/event-stream;
            add_header Cache-Control no-cache;
            return 200 $(nginx_quote "$WORK/upstream-anthropic.txt");
        }
        location / {
            return 404;
        }
    }

    # Gemini stand-in, streaming (alt=sse only): 10 candidate chunks with usageMetadata, the last with STOP
    server {
        listen 127.0.0.1:$UP_GEMINI_PORT;
        location = "/v1beta/models/bench-gemini:streamGenerateContent" {
            if (\$arg_alt != "sse") {
                return 400;
            }
            default_type text/event-stream;
            add_header Cache-Control no-cache;
            return 200 $(nginx_quote "$WORK/upstream-gemini.txt");
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
  start_nginx nginx-upstream "$UP_PREFIX" "$UP_JSON_PORT" "$UP_SSE_PORT" "$UP_ANTHROPIC_PORT" "$UP_GEMINI_PORT"
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
  if has_mode failover; then
    # Two channels of one model, same priority and weight, both on the JSON stand-in: every request
    # is routed by weighted order and watched by both circuits; none fails over (both are healthy).
    for ch in bench-failover-a bench-failover-b; do
      tg admin channel add --name "$ch" --type openai --base-url "http://127.0.0.1:$UP_JSON_PORT/v1" \
        --key sk-upstream-dummy --models bench-failover >>"$TG_DIR/setup.log" 2>&1 \
        || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin channel add $ch failed"; }
    done
  fi
  if has_mode convert; then
    tg admin channel add --name bench-anthropic --type anthropic --base-url "http://127.0.0.1:$UP_ANTHROPIC_PORT" \
      --key sk-upstream-dummy --models bench-anthropic >>"$TG_DIR/setup.log" 2>&1 \
      || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin channel add bench-anthropic failed"; }
    tg admin channel add --name bench-gemini --type gemini --base-url "http://127.0.0.1:$UP_GEMINI_PORT" \
      --key sk-upstream-dummy --models bench-gemini >>"$TG_DIR/setup.log" 2>&1 \
      || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin channel add bench-gemini failed"; }
  fi
  # Priced models and a funded account: every request is reserved and charged, as in production.
  for m in bench-json bench-sse bench-failover bench-anthropic bench-gemini; do
    tg admin price set "$m" --input 100 --output 200 >>"$TG_DIR/setup.log" 2>&1 \
      || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin price set $m failed"; }
  done
  tg admin user topup root --cents 1000000000 --reason bench >>"$TG_DIR/setup.log" 2>&1 \
    || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin user topup failed"; }
  new_key() { # name [plan id] -> prints the key
    local k
    k=$(tg admin key create --name "$1" ${2:+--plan "$2"} 2>>"$TG_DIR/setup.log") \
      || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin key create $1 failed"; }
    k=$(printf '%s' "$k" | tr -d '\r' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    if [ -z "$k" ] || [[ "$k" =~ [[:space:]] ]]; then
      die "tollgate admin key create did not print a single key on stdout (got: '$k')"
    fi
    [[ "$k" == sk-* ]] || log "warning: the API key does not start with sk- (${k:0:6}...)"
    printf '%s' "$k"
  }
  KEY=$(new_key bench)
  if has_mode limits; then
    # A second key, on a plan with every limit on and high enough never to refuse: what the limiter costs.
    PLAN_ID=$(tg admin plan set bench-limits $LIMITS_PLAN 2>>"$TG_DIR/setup.log") \
      || { cat "$TG_DIR/setup.log" >&2; die "tollgate admin plan set failed"; }
    LIMITED_KEY=$(new_key bench-limited "$(printf '%s' "$PLAN_ID" | tr -d '[:space:]')")
    log "limits mode: key bench-limited on plan bench-limits ($LIMITS_PLAN)"
  fi

  start_tollgate() { # name port log [VAR=value...]: starts a Tollgate process, sets STARTED_PID once /health answers
    local name=$1 port=$2 logf=$3 pid ready=0 i
    shift 3
    (cd "$TG_DIR" && env TOLLGATE_DATA_DIR="$TG_DATA" TOLLGATE_SERVER_HOST=127.0.0.1 TOLLGATE_SERVER_PORT="$port" "$@" \
      "$JAVA" ${TOLLGATE_JAVA_OPTS:-} -jar "$TG_DIR/tollgate.jar" serve) >"$logf" 2>&1 &
    pid=$!
    STARTED+=("$name:$pid")
    for ((i = 0; i < HEALTH_TIMEOUT * 5; i++)); do
      kill -0 "$pid" 2>/dev/null || { tail -n 40 "$logf" >&2; die "$name exited during start-up (log above)"; }
      if [ "$(curl -s -o "$TG_DIR/health.txt" -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null)" = 200 ] \
        && grep -q '"ok"' "$TG_DIR/health.txt"; then
        ready=1
        break
      fi
      sleep 0.2
    done
    [ "$ready" = 1 ] || { tail -n 40 "$logf" >&2; die "$name /health not ready after ${HEALTH_TIMEOUT}s"; }
    log "$name: pid $pid, port $port, ready"
    STARTED_PID=$pid
  }
  log "starting Tollgate on 127.0.0.1:$TOLLGATE_PORT"
  start_tollgate tollgate "$TOLLGATE_PORT" "$TG_LOG"
  TG_PID=$STARTED_PID
fi
TG_REDIS_PID=
TG_REDIS_LOG=$TG_DIR/serve-redis.log

# --- checks and runs --------------------------------------------------------------------------
# request_of target mode: the request wrk and curl send, in REQ_URL, REQ_PATH, REQ_BODY (a file),
# REQ_HDRS (array of "Name: value"), REQ_CLIENT (what the answer must look like: json, openai,
# anthropic, gemini) and REQ_STANDIN (the stand-in's answer, to tell passthrough from conversion).
# Modes: non-stream, stream, failover (Tollgate only), and convert-CLIENT-UPSTREAM (one convert
# direction, Tollgate only).
request_of() {
  local target=$1 mode=$2 port
  REQ_HDRS=()
  case "$mode" in
    failover)
      port=$TOLLGATE_PORT
      REQ_PATH=/v1/chat/completions
      REQ_BODY=$WORK/body-failover.json
      REQ_HDRS+=("Authorization: Bearer $KEY")
      REQ_CLIENT=json
      REQ_STANDIN=$WORK/upstream-json.txt
      ;;
    limits-*)
      # limits-{local,redis}-{off,on}: the non-stream request with the key without a plan (off) or
      # the limited key (on), to the Tollgate on this node's counters (local) or on Redis (redis)
      [[ "$mode" == limits-local-* ]] && port=$TOLLGATE_PORT || port=$TOLLGATE_REDIS_PORT
      REQ_PATH=/v1/chat/completions
      REQ_BODY=$WORK/body-non-stream.json
      [[ "$mode" == *-on ]] && REQ_HDRS+=("Authorization: Bearer $LIMITED_KEY") || REQ_HDRS+=("Authorization: Bearer $KEY")
      REQ_CLIENT=json
      REQ_STANDIN=$WORK/upstream-json.txt
      ;;
    non-stream | stream)
      case "$target/$mode" in
        upstream/non-stream) port=$UP_JSON_PORT ;;
        upstream/stream) port=$UP_SSE_PORT ;;
        nginx-proxy/non-stream) port=$PROXY_JSON_PORT ;;
        nginx-proxy/stream) port=$PROXY_SSE_PORT ;;
        tollgate/*) port=$TOLLGATE_PORT ;;
      esac
      REQ_PATH=/v1/chat/completions
      REQ_BODY=$WORK/body-$mode.json
      [ "$target" = tollgate ] && REQ_HDRS+=("Authorization: Bearer $KEY")
      if [ "$mode" = stream ]; then REQ_CLIENT=openai; REQ_STANDIN=$WORK/upstream-sse.txt
      else REQ_CLIENT=json; REQ_STANDIN=$WORK/upstream-json.txt; fi
      ;;
    convert-*)
      local dir=${mode#convert-} client upstream model
      client=${dir%%-*}
      upstream=${dir#*-}
      model=$(model_of "$upstream")
      port=$TOLLGATE_PORT
      case "$client" in
        openai)
          REQ_PATH=/v1/chat/completions
          REQ_HDRS+=("Authorization: Bearer $KEY") ;;
        anthropic)
          REQ_PATH=/v1/messages
          REQ_HDRS+=("x-api-key: $KEY" "anthropic-version: 2023-06-01") ;;
        gemini)
          REQ_PATH="/v1beta/models/$model:streamGenerateContent?alt=sse"
          REQ_HDRS+=("x-goog-api-key: $KEY") ;;
      esac
      REQ_BODY=$WORK/body-$client-$model.json
      REQ_CLIENT=$client
      REQ_STANDIN=$WORK/upstream-$upstream.txt
      ;;
  esac
  REQ_URL="http://127.0.0.1:$port$REQ_PATH"
}
label_of() { # mode -> what the logs and tables call it
  case "$1" in convert-*) local d=${1#convert-}; echo "${d%%-*}->${d#*-}" ;; *) echo "$1" ;; esac
}

# The text a stream carries, from its data: lines, decoded per client protocol with jq.
stream_text() { # client body-file
  local filter
  case "$1" in
    openai) filter='.choices[0]?.delta.content // empty' ;;
    anthropic) filter='select(.type == "content_block_delta") | .delta.text // empty' ;;
    gemini) filter='.candidates[0]?.content.parts[]?.text // empty' ;;
  esac
  grep '^data:' "$2" | tr -d '\r' | sed 's/^data: \{0,1\}//' | grep -vx '\[DONE\]' | jq -j "$filter"
}

# What is wrong with a streamed answer in the client's protocol (prints nothing when it is good):
# at least MIN_EVENTS data events, complete (OpenAI ends with [DONE], Anthropic with message_stop,
# Gemini with finishReason STOP), and, with jq, valid JSON events carrying exactly the stand-in's text.
stream_problem() { # client body-file min-events
  local client=$1 body=$2 min=$3 events last text
  events=$(grep -c '^data:' "$body" || true)
  [ "$events" -ge "$min" ] || { echo "only $events SSE data events (expected at least $min)"; return; }
  last=$(grep '^data:' "$body" | tail -n1 | tr -d '\r')
  case "$client" in
    openai) [ "$last" = 'data: [DONE]' ] || { echo "stream does not end with data: [DONE]"; return; } ;;
    anthropic)
      [[ "$last" =~ \"type\":\ *\"message_stop\" ]] || { echo "stream does not end with a message_stop event"; return; }
      [ "$(grep '^event:' "$body" | tail -n1 | tr -d '\r' | sed 's/^event: *//')" = message_stop ] \
        || { echo "last event: line is not message_stop"; return; } ;;
    gemini)
      [[ "$last" =~ \"finishReason\":\ *\"STOP\" ]] || { echo "last chunk has no finishReason STOP"; return; } ;;
  esac
  if [ "$HAVE_JQ" = 1 ]; then
    text=$(stream_text "$client" "$body" 2>/dev/null) || { echo "an SSE data event is not valid JSON"; return; }
    [ "$text" = "$STREAM_TEXT" ] || echo "stream text is '$text', not the stand-in's '$STREAM_TEXT'"
  else
    grep -q 'streamed' "$body" || echo "stream lacks the upstream's content"
  fi
}
HAVE_JQ=0
command -v jq >/dev/null 2>&1 && HAVE_JQ=1

# Sends one request with curl and checks status, content type and body; sets MIN_BYTES (the
# bytes one response takes at least: header + decoded body) for the sanity check of wrk's total.
# For convert directions it also records, once (before), the events per response, the body's
# size and whether the body is the stand-in's byte for byte (passthrough) or not (converted).
declare -A DIR_EVENTS DIR_BODY DIR_KIND
DIR_NOTES=()
check_response() { # target mode when
  local target=$1 mode=$2 when=$3 out code hsize bsize h
  request_of "$target" "$mode"
  out=$WORK/check-$target-$mode-$when
  local args=(-sS --max-time 10 -o "$out.body" -D "$out.headers" -w '%{http_code} %{size_header} %{size_download}\n'
    -H 'Content-Type: application/json' --data-binary "@$REQ_BODY")
  for h in "${REQ_HDRS[@]}"; do args+=(-H "$h"); done
  read -r code hsize bsize < <(curl "${args[@]}" "$REQ_URL" 2>"$out.err" || echo "000 0 0")
  local problem=
  if [ "$code" != 200 ]; then
    problem="HTTP status $code"
  elif [ "$REQ_CLIENT" = json ]; then
    grep -qi '^content-type: *application/json' "$out.headers" || problem="content-type is not application/json"
    [ -n "$problem" ] || grep -q 'Hello from the bench upstream\.' "$out.body" || problem="body lacks the upstream's answer"
  else
    grep -qi '^content-type: *text/event-stream' "$out.headers" || problem="content-type is not text/event-stream"
    # the OpenAI stream of the proxy modes must carry every chunk of the stand-in; a converted one the
    # 10 text pieces and its end
    local min=12
    [[ "$mode" == convert-* ]] && min=${#PIECES[@]}
    [ -n "$problem" ] || problem=$(stream_problem "$REQ_CLIENT" "$out.body" "$min")
  fi
  if [ -n "$problem" ]; then
    {
      echo "--- $target $(label_of "$mode") ($when): $problem; request: POST $REQ_URL $(cat "$REQ_BODY"); response:"
      cat "$out.err" "$out.headers" 2>/dev/null
      head -c 3000 "$out.body" 2>/dev/null; echo
    } >&2
    [[ "$target" == tollgate* ]] && { echo "--- tail of Tollgate's log:"; tail -n 30 "$TG_LOG" "$TG_REDIS_LOG" 2>/dev/null; } >&2
    die "$target $(label_of "$mode"): bad response ($when)"
  fi
  MIN_BYTES=$((hsize + bsize))
  [[ "$target" == tollgate* ]] && TG_SENT=$((TG_SENT + 1))
  if [[ "$mode" == convert-* ]] && [ "$when" = before ]; then
    DIR_EVENTS[$mode]=$(grep -c '^data:' "$out.body")
    DIR_BODY[$mode]=$(wc -c <"$out.body") # the SSE body (curl's size_download counts chunk framing too)
    # passthrough: every data event Tollgate sent is one of the stand-in's, verbatim (Tollgate may
    # leave some out, which is noted); converted: any event is not
    grep '^data:' "$out.body" | tr -d '\r' >"$out.events"
    grep '^data:' "$REQ_STANDIN" >"$out.standin-events"
    local dropped
    if grep -qvxFf "$out.standin-events" "$out.events"; then
      DIR_KIND[$mode]=converted
    else
      DIR_KIND[$mode]=passthrough
      dropped=$(grep -vxFf "$out.events" "$out.standin-events" || true)
      if [ -n "$dropped" ]; then
        DIR_NOTES+=("$(label_of "$mode") passthrough: $(printf '%s\n' "$dropped" | wc -l) of the stand-in's $(wc -l <"$out.standin-events") data events not forwarded: $(printf '%s\n' "$dropped" | head -n 2 | cut -c1-160 | paste -sd'|' -)")
      fi
    fi
    log "$(printf '%-20s %s: %d data events, %d body bytes (stand-in %d), %s' "$(label_of "$mode")" "$when" \
      "${DIR_EVENTS[$mode]}" "${DIR_BODY[$mode]}" "$(wc -c <"$REQ_STANDIN")" "${DIR_KIND[$mode]}")"
  fi
  return 0
}

# The stand-ins themselves answer as they should (only what convert mode uses, once).
check_standins() {
  local name port path body out code client
  for name in anthropic gemini; do
    case "$name" in
      anthropic) port=$UP_ANTHROPIC_PORT; path=/v1/messages; client=anthropic ;;
      gemini) port=$UP_GEMINI_PORT; path="/v1beta/models/bench-gemini:streamGenerateContent?alt=sse"; client=gemini ;;
    esac
    out=$WORK/check-standin-$name
    code=$(curl -sS --max-time 10 -o "$out.body" -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary '{}' "http://127.0.0.1:$port$path" 2>"$out.err" || echo 000)
    [ "$code" = 200 ] || die "the $name stand-in answered HTTP $code on $path"
    local problem
    problem=$(stream_problem "$client" "$out.body" "${#PIECES[@]}")
    [ -z "$problem" ] || die "the $name stand-in's stream is wrong: $problem"
  done
}

declare -A RES_RPS RES_P50 RES_P99 RES_REQ RES_CPU RES_BYTES RES_DUR
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

# CPU time (clock ticks, user + system, all threads) used so far by the processes serving a target:
# the nginx master and its workers, or Tollgate's JVM. Only the hop under test, not the stand-in.
target_pids() {
  local master
  case "$1" in
    upstream) master=${MASTER_PID[nginx-upstream]} ;;
    nginx-proxy) master=${MASTER_PID[nginx-proxy]} ;;
    tollgate) echo "$TG_PID"; return 0 ;;
    tollgate-redis) echo "$TG_REDIS_PID"; return 0 ;;
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
run_wrk() { # target mode duration kind(warmup|measure|remeasure: measure again, stored as mode@end)
  local target=$1 mode=$2 dur=$3 kind=$4 out rc=0 secs headers label key
  request_of "$target" "$mode"
  label=$(label_of "$mode")
  key=$target/$mode
  [ "$kind" = remeasure ] && key+=@end
  [[ "$kind" == round* ]] && key+="@$kind"
  out=$WORK/wrk-$target-$mode-$kind.txt
  secs=$(seconds_of "$dur")
  headers=$(printf '%s\n' "${REQ_HDRS[@]}")
  BENCH_BODY_FILE="$REQ_BODY" BENCH_PATH="$REQ_PATH" BENCH_HEADERS="$headers" \
    timeout -k 5 $((secs + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$dur" --timeout "$REQ_TIMEOUT" --latency \
    -s "$BENCH_DIR/chat.lua" "$REQ_URL" >"$out" 2>&1 &
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
    die "wrk failed on $target $label ($kind), exit status $rc"
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
    [[ "$target" == tollgate* ]] && { echo "--- tail of Tollgate's log:"; tail -n 30 "$TG_LOG" "$TG_REDIS_LOG" 2>/dev/null; } >&2
    die "$target $label ($kind): ${R[requests]} requests with errors:${errs:- none} (status = non-2xx/3xx responses)"
  fi
  # wrk counts every byte read (headers, chunk framing); fewer than one good response per request
  # means short or empty answers that wrk does not flag by itself.
  local per_req=$((${R[bytes]} / ${R[requests]}))
  if [ "$per_req" -lt $((MIN_BYTES * 9 / 10)) ]; then
    cat "$out" >&2
    die "$target $label ($kind): $per_req bytes per response on average, a good response takes $MIN_BYTES"
  fi
  [[ "$target" == tollgate* ]] && TG_SENT=$((TG_SENT + ${R[requests]}))
  if [ "$kind" != warmup ]; then
    RES_RPS[$key]=${R[rps]}
    RES_P50[$key]=${R[p50_us]}
    RES_P99[$key]=${R[p99_us]}
    RES_REQ[$key]=${R[requests]}
    RES_BYTES[$key]=${R[bytes]}
    RES_DUR[$key]=${R[duration_us]}
    # CPU per request (µs) and average cores busy, for the processes of this hop only
    RES_CPU[$key]=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="${R[requests]}" -v d="${R[duration_us]}" \
      'BEGIN { printf "%.1f %.2f", t / hz * 1e6 / n, t / hz / (d / 1e6) }')
  fi
  log "$(printf '%-10s %-11s %-7s %10.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%d requests)' "$label" "$target" "$kind" \
    "${R[rps]}" "$(awk -v u="${R[p50_us]}" 'BEGIN{print u/1000}')" "$(awk -v u="${R[p99_us]}" 'BEGIN{print u/1000}')" "${R[requests]}")"
}

measure() { # target mode: check, warm up, measure, check again
  local target=$1 mode=$2 warm=$WARMUP
  check_response "$target" "$mode" before
  [ "$target" = tollgate ] && warm=$TOLLGATE_WARMUP
  if [ "$(seconds_of "$warm")" -gt 0 ]; then
    run_wrk "$target" "$mode" "$warm" warmup
  fi
  run_wrk "$target" "$mode" "$DURATION" measure
  check_response "$target" "$mode" after
}

# limits mode, for one Tollgate (local counters, or Redis): both keys warmed up, then measured in
# rounds, off then on, on then off, ... (ABBA), so that drift within the run falls on both alike.
measure_limits() { # target limiter
  local target=$1 limiter=$2 k round order
  for k in off on; do
    check_response "$target" "limits-$limiter-$k" before
    [ "$(seconds_of "$TOLLGATE_WARMUP")" -eq 0 ] || run_wrk "$target" "limits-$limiter-$k" "$TOLLGATE_WARMUP" warmup
  done
  for ((round = 1; round <= LIMITS_ROUNDS; round++)); do
    [ $((round % 2)) = 1 ] && order="off on" || order="on off"
    for k in $order; do
      check_response "$target" "limits-$limiter-$k" again # sets MIN_BYTES
      [ "$(seconds_of "$WARMUP")" -eq 0 ] || run_wrk "$target" "limits-$limiter-$k" "$WARMUP" warmup
      run_wrk "$target" "limits-$limiter-$k" "$DURATION" "round$round"
    done
  done
  for k in off on; do check_response "$target" "limits-$limiter-$k" after; done
}
redis_answers() ( # url -> 0 when a Redis PING gets PONG (a subshell: its redirections stay in it)
  hostport=${1#redis://}
  hostport=${hostport##*@}; hostport=${hostport%%/*}
  host=${hostport%%:*}; port=${hostport##*:}; [ "$port" != "$hostport" ] || port=6379
  exec 4<>"/dev/tcp/$host/$port" || exit 1
  printf 'PING\r\n' >&4
  read -r -t 2 reply <&4 || true
  [[ "$reply" == +PONG* ]]
) 2>/dev/null
REDIS_NOTE=

TG_SENT=0
for mode in $MODES; do
  if [ "$mode" = limits ]; then
    measure_limits tollgate local
    if [ -z "$REDIS_URL" ]; then
      REDIS_NOTE="limits on Redis: skipped (BENCH_REDIS_URL is empty)"
    elif ! redis_answers "$REDIS_URL"; then
      REDIS_NOTE="limits on Redis: skipped (no Redis answers PING at $REDIS_URL)"
    else
      # A second Tollgate on the same data directory, its counters in Redis under a prefix of this run.
      log "starting a second Tollgate with Redis ($REDIS_URL) on 127.0.0.1:$TOLLGATE_REDIS_PORT"
      start_tollgate tollgate-redis "$TOLLGATE_REDIS_PORT" "$TG_REDIS_LOG" \
        TOLLGATE_REDIS_URL="$REDIS_URL" TOLLGATE_REDIS_KEY_PREFIX="tollgate-bench:$$:$(date +%s):"
      TG_REDIS_PID=$STARTED_PID
      measure_limits tollgate-redis redis
      stop_pid tollgate-redis "$TG_REDIS_PID"
    fi
    continue
  fi
  if [ "$mode" = convert ]; then
    # Warm every direction up first (each has its own decoder/encoder code to compile), then measure
    # each after a short re-warm, and the passthrough baseline once more at the end: the ratios are
    # to the mean of the two baseline runs, and their difference shows how much the JVM drifted.
    check_standins
    for dir in $DIRECTIONS; do
      check_response tollgate "convert-$dir" before
      [ "$(seconds_of "$TOLLGATE_WARMUP")" -eq 0 ] || run_wrk tollgate "convert-$dir" "$TOLLGATE_WARMUP" warmup
    done
    for dir in $DIRECTIONS; do
      check_response tollgate "convert-$dir" again # sets MIN_BYTES
      [ "$(seconds_of "$WARMUP")" -eq 0 ] || run_wrk tollgate "convert-$dir" "$WARMUP" warmup
      run_wrk tollgate "convert-$dir" "$DURATION" measure
      check_response tollgate "convert-$dir" after
    done
    [ "$(seconds_of "$WARMUP")" -eq 0 ] || run_wrk tollgate convert-openai-openai "$WARMUP" warmup
    run_wrk tollgate convert-openai-openai "$DURATION" remeasure
    check_response tollgate convert-openai-openai after
    continue
  fi
  if [ "$mode" = failover ]; then
    # Two channels, then the single-channel non-stream baseline once more: the ratio is to the mean
    # of the baseline runs of this run (its non-stream mode, when it ran, and this one).
    measure tollgate failover
    check_response tollgate non-stream again
    [ "$(seconds_of "$WARMUP")" -eq 0 ] || run_wrk tollgate non-stream "$WARMUP" warmup
    run_wrk tollgate non-stream "$DURATION" remeasure
    check_response tollgate non-stream after
    continue
  fi
  for target in upstream nginx-proxy tollgate; do
    has_target "$target" || continue
    measure "$target" "$mode"
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
  if [ -f "$TG_REDIS_LOG" ]; then
    n_redis=$(grep -Ec '(^|[^A-Za-z])(ERROR|SEVERE|FATAL|WARN(ING)?)([^A-Za-z]|$)|Exception' "$TG_REDIS_LOG" || true)
    NOTES+=("tollgate-redis (limits mode, Redis): $(grep -m1 -o 'listening on .*' "$TG_REDIS_LOG" || echo 'no start-up line'); $n_redis error/warning line(s)")
    while IFS= read -r l; do NOTES+=("  $l"); done < <(grep -E '(^|[^A-Za-z])(ERROR|SEVERE|FATAL|WARN(ING)?)([^A-Za-z]|$)|Exception' "$TG_REDIS_LOG" | head -n 3 | cut -c1-220)
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
# convert mode: one row per direction, then the ratios to the OpenAI passthrough of the same run
report_convert() {
  local b1=tollgate/convert-openai-openai b2=tollgate/convert-openai-openai@end dir mode key cpu_us cores rps mbs below=() ok=()
  local base_rps base_mbs
  base_rps=$(awk -v a="${RES_RPS[$b1]}" -v b="${RES_RPS[$b2]}" 'BEGIN { printf "%.4f", (a + b) / 2 }')
  base_mbs=$(awk -v a="${RES_BYTES[$b1]}" -v da="${RES_DUR[$b1]}" -v b="${RES_BYTES[$b2]}" -v db="${RES_DUR[$b2]}" \
    'BEGIN { printf "%.6f", (a / da + b / db) / 2 }')
  echo "convert: Tollgate alone, streaming, client protocol -> upstream protocol; events = SSE data: lines"
  echo "per response (counted once with curl), B/resp and MB/s = all bytes wrk read (headers, chunking)"
  printf '%-20s %-11s %8s %9s %9s %7s %9s %7s %7s %10s %7s %7s\n' \
    direction stream 'req/s' p50 p99 'ev/resp' 'events/s' 'B/resp' 'MB/s' 'cpu us/req' 'x req/s' 'x MB/s'
  for dir in $DIRECTIONS openai-openai@end; do
    mode=convert-${dir%@end}
    key=tollgate/convert-$dir
    [ -n "${RES_RPS[$key]:-}" ] || continue
    read -r cpu_us cores <<<"${RES_CPU[$key]}"
    rps=$(awk -v a="${RES_RPS[$key]}" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
    mbs=$(awk -v a="${RES_BYTES[$key]}" -v da="${RES_DUR[$key]}" -v b="$base_mbs" 'BEGIN { printf "%.2f", (a / da) / b }')
    printf '%-20s %-11s %8.0f %9s %9s %7d %9.0f %7d %7.2f %10s %7s %7s\n' "$(label_of "$mode")$([[ "$dir" != *@end ]] || echo ' (end)')" "${DIR_KIND[$mode]}" \
      "${RES_RPS[$key]}" "$(ms "${RES_P50[$key]}")" "$(ms "${RES_P99[$key]}")" "${DIR_EVENTS[$mode]}" \
      "$(awk -v r="${RES_RPS[$key]}" -v e="${DIR_EVENTS[$mode]}" 'BEGIN { printf "%.0f", r * e }')" \
      $((RES_BYTES[$key] / RES_REQ[$key])) "$(awk -v b="${RES_BYTES[$key]}" -v d="${RES_DUR[$key]}" 'BEGIN { printf "%.3f", b / d }')" \
      "$cpu_us" "$rps" "$mbs"
    [[ "$dir" == openai-openai* ]] && continue
    if awk -v r="$rps" -v t="$CONVERT_TARGET" 'BEGIN { exit !(r + 0 >= t + 0) }'; then
      ok+=("$(label_of "$mode") $rps")
    else
      below+=("$(label_of "$mode") $rps")
    fi
  done
  echo
  echo "stand-in streams (body bytes per response, without HTTP headers; the same 10 text pieces each):" \
    "openai $(wc -c <"$WORK/upstream-openai.txt"), anthropic $(wc -c <"$WORK/upstream-anthropic.txt")," \
    "gemini $(wc -c <"$WORK/upstream-gemini.txt")"
  local bodies=() dir2
  for dir2 in $DIRECTIONS; do bodies+=("$(label_of "convert-$dir2") ${DIR_BODY[convert-$dir2]}"); done
  echo "Tollgate's stream bodies (bytes, curl before the run): $(IFS=,; echo "${bodies[*]}" | sed 's/,/, /g')"
  echo "stream: passthrough when every SSE data event Tollgate sent is one of the stand-in's verbatim (curl, before"
  echo "the run; events it left out are listed below), converted otherwise"
  echo "x req/s, x MB/s: ratio to openai->openai (the baseline: mean of its runs at the start and the end of"
  echo "this mode; their difference is the drift within the mode); target >= $CONVERT_TARGET of req/s"
  [ ${#ok[@]} -eq 0 ] || echo "  at or above target: $(IFS=,; echo "${ok[*]}" | sed 's/,/, /g')"
  [ ${#below[@]} -eq 0 ] || echo "  below target:       $(IFS=,; echo "${below[*]}" | sed 's/,/, /g')"
  local n
  for n in "${DIR_NOTES[@]}"; do echo "$n"; done
}

# failover mode: two channels for one model vs one, Tollgate alone, non-streaming
report_failover() {
  local f=tollgate/failover b1=tollgate/non-stream b2=tollgate/non-stream@end base runs cpu_us cores key label
  base=$(awk -v a="${RES_RPS[$b1]:-}" -v b="${RES_RPS[$b2]}" 'BEGIN { if (a == "") print b; else printf "%.4f", (a + b) / 2 }')
  runs=$(if [ -n "${RES_RPS[$b1]:-}" ]; then printf '%.0f (non-stream mode) and %.0f (end of failover mode)' "${RES_RPS[$b1]}" "${RES_RPS[$b2]}"; \
    else printf '%.0f (end of failover mode)' "${RES_RPS[$b2]}"; fi)
  echo "failover: Tollgate alone, non-streaming; 2 channels of one model (same priority and weight, both healthy)"
  printf '%-24s %10s %10s %10s %12s %6s\n' channels 'req/s' p50 p99 'cpu us/req' cores
  for key in $f $b2; do
    [ "$key" = "$f" ] && label="2 (bench-failover)" || label="1 (bench-json, at end)"
    read -r cpu_us cores <<<"${RES_CPU[$key]}"
    printf '%-24s %10.0f %10s %10s %11s %6s\n' "$label" "${RES_RPS[$key]}" "$(ms "${RES_P50[$key]}")" "$(ms "${RES_P99[$key]}")" "$cpu_us" "$cores"
  done
  echo "ratio 2 channels / 1 channel (req/s): $(awk -v a="${RES_RPS[$f]}" -v b="$base" 'BEGIN { printf "%.2f", a / b }')" \
    "(single-channel non-stream: mean of $runs req/s)"
}

# limits mode: a key on a plan that never refuses vs a key without one, per limiter
report_limits() {
  local limiter k round key cpu_us cores target off on
  echo "limits: Tollgate alone, non-streaming; key bench-limited on plan bench-limits ($LIMITS_PLAN)"
  echo "vs key bench without a plan, in $LIMITS_ROUNDS rounds (off/on, on/off, ...) on the same Tollgate process"
  printf '%-8s %-6s %-8s %10s %10s %10s %12s %6s\n' limiter round key 'req/s' p50 p99 'cpu us/req' cores
  local ratios=()
  for limiter in local redis; do
    [ "$limiter" = redis ] && target=tollgate-redis || target=tollgate
    [ -n "${RES_RPS[$target/limits-$limiter-off@round1]:-}" ] || continue
    off=0; on=0
    local cpu_off=0 cpu_on=0
    for ((round = 1; round <= LIMITS_ROUNDS; round++)); do
      for k in off on; do
        key=$target/limits-$limiter-$k@round$round
        read -r cpu_us cores <<<"${RES_CPU[$key]}"
        printf '%-8s %-6s %-8s %10.0f %10s %10s %11s %6s\n' "$limiter" "$round" "$([ "$k" = off ] && echo 'no plan' || echo plan)" \
          "${RES_RPS[$key]}" "$(ms "${RES_P50[$key]}")" "$(ms "${RES_P99[$key]}")" "$cpu_us" "$cores"
        if [ "$k" = off ]; then
          off=$(awk -v a="$off" -v b="${RES_RPS[$key]}" 'BEGIN { print a + b }'); cpu_off=$(awk -v a="$cpu_off" -v b="$cpu_us" 'BEGIN { print a + b }')
        else
          on=$(awk -v a="$on" -v b="${RES_RPS[$key]}" 'BEGIN { print a + b }'); cpu_on=$(awk -v a="$cpu_on" -v b="$cpu_us" 'BEGIN { print a + b }')
        fi
      done
    done
    ratios+=("$limiter $(awk -v a="$on" -v b="$off" -v c="$cpu_on" -v d="$cpu_off" -v n="$LIMITS_ROUNDS" \
      'BEGIN { printf "%.3f (%+.1f%%), cpu %+.1f us/req", a / b, (a / b - 1) * 100, (c - d) / n }')")
  done
  echo "ratio plan / no plan (req/s summed over the rounds): $(IFS=';'; echo "${ratios[*]}" | sed 's/;/; /g')"
  [ -z "$REDIS_NOTE" ] || echo "$REDIS_NOTE"
}

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
  local mode target key cpu_us cores
  [ -z "$PROXY_MODES" ] || printf '%-11s %-12s %10s %10s %10s %12s %6s\n' mode target 'req/s' p50 p99 'cpu us/req' cores
  for mode in $PROXY_MODES; do
    for target in upstream nginx-proxy tollgate; do
      key=$target/$mode
      [ -n "${RES_RPS[$key]:-}" ] || continue
      read -r cpu_us cores <<<"${RES_CPU[$key]}"
      printf '%-11s %-12s %10.0f %10s %10s %11s %6s\n' "$mode" "$target" "${RES_RPS[$key]}" "$(ms "${RES_P50[$key]}")" "$(ms "${RES_P99[$key]}")" "$cpu_us" "$cores"
    done
  done
  if has_target tollgate && has_target nginx-proxy && [ -n "$PROXY_MODES" ]; then
    local parts=() lat=()
    for mode in $PROXY_MODES; do
      parts+=("$mode $(awk -v a="${RES_RPS[tollgate/$mode]}" -v b="${RES_RPS[nginx-proxy/$mode]}" 'BEGIN { printf "%.2f", a / b }')")
      lat+=("$mode $(awk -v a="${RES_P50[tollgate/$mode]}" -v b="${RES_P50[nginx-proxy/$mode]}" 'BEGIN { printf "%+.2f ms", (a - b) / 1000 }') p50, $(awk -v a="${RES_P99[tollgate/$mode]}" -v b="${RES_P99[nginx-proxy/$mode]}" 'BEGIN { printf "%+.2f ms", (a - b) / 1000 }') p99")
    done
    echo
    echo "ratio tollgate/nginx-proxy (req/s): $(IFS=,; echo "${parts[*]}" | sed 's/,/, /g')"
    echo "latency tollgate - nginx-proxy:     $(IFS=';'; echo "${lat[*]}" | sed 's/;/; /g')"
    local cpu=()
    for mode in $PROXY_MODES; do
      cpu+=("$mode $(awk -v a="${RES_CPU[tollgate/$mode]%% *}" -v b="${RES_CPU[nginx-proxy/$mode]%% *}" 'BEGIN { printf "%.1f", a / b }')x")
    done
    echo "cpu per request tollgate/nginx-proxy: $(IFS=,; echo "${cpu[*]}" | sed 's/,/, /g')"
  fi
  if has_mode failover; then
    [ -z "$PROXY_MODES" ] || echo
    report_failover
  fi
  if has_mode convert; then
    { [ -z "$PROXY_MODES" ] && ! has_mode failover; } || echo
    report_convert
  fi
  if has_mode limits; then
    echo
    report_limits
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
