-- wrk script for Tollgate's benchmark (bench/run.sh).
--
-- Sends a POST with a fixed JSON body to any path, with any headers. Everything comes from the
-- environment so that the request is built once at load time and wrk keeps its fast path (no
-- per-request Lua):
--   BENCH_BODY_FILE  file holding the JSON request body (required)
--   BENCH_PATH       request path and query, e.g. /v1/messages or
--                    /v1beta/models/m:streamGenerateContent?alt=sse (optional: default is the
--                    path of the URL given to wrk)
--   BENCH_HEADERS    extra request headers, one "Name: value" per line (optional), e.g.
--                    "Authorization: Bearer sk-..." or "x-api-key: ...\nanthropic-version: 2023-06-01"
--   BENCH_AUTH       value of an Authorization header, e.g. "Bearer sk-..." (optional, older form)
-- Content-Type: application/json and Accept: application/json, text/event-stream are sent unless
-- BENCH_HEADERS sets them.
--
-- done() prints one machine-readable line that run.sh parses:
--   BENCH_RESULT requests=.. duration_us=.. bytes=.. rps=.. p50_us=.. p90_us=.. p99_us=.. ...

local body_file = os.getenv("BENCH_BODY_FILE")
if not body_file or body_file == "" then
  error("BENCH_BODY_FILE is not set")
end
local f = assert(io.open(body_file, "rb"))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"

local path = os.getenv("BENCH_PATH")
if path and path ~= "" then
  if path:sub(1, 1) ~= "/" then
    error("BENCH_PATH must start with /: " .. path)
  end
  wrk.path = path
end

local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local headers = os.getenv("BENCH_HEADERS")
if headers and headers ~= "" then
  for line in headers:gmatch("[^\r\n]+") do
    local name, value = line:match("^%s*([^:%s]+)%s*:%s*(.-)%s*$")
    if not name then
      error("BENCH_HEADERS: not a 'Name: value' line: " .. line)
    end
    -- replace a default of the same name whatever its case (wrk sends the table as is)
    for k in pairs(wrk.headers) do
      if k:lower() == name:lower() then wrk.headers[k] = nil end
    end
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local rps = 0
  if seconds > 0 then rps = summary.requests / seconds end
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d rps=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f" ..
    " err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.bytes, rps,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
