-- One admission against a key's limits, atomically: the same GCRA as Gcra.java, in microseconds.
-- KEYS[1]  hash of the key's theoretical arrival times: q (QPS), r (RPM), t (TPM)
-- KEYS[2]  sorted set of the key's requests in flight: request id -> end of its lease
-- ARGV     now (µs; empty = this server's clock, one clock for every replica), qps, rpm, tpm,
--          max concurrent, estimated tokens, request id, lease (µs), and the TPM corrections of
--          this key's requests that ended on this node since its last call (µs to add to t)
-- Returns  {refused (0 none, 1 qps, 2 rpm, 3 tpm, 4 concurrency), retry after (µs; -1 = never fits),
--          rpm remaining, rpm reset (µs), tpm remaining, tpm reset (µs)}
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local qps, rpm, tpm, maxConcurrent = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local tokens, lease = tonumber(ARGV[6]), tonumber(ARGV[8])
local SECOND, MINUTE = 1000000, 60000000
local stored = redis.call('HMGET', KEYS[1], 'q', 'r', 't')
local correction = tonumber(ARGV[9]) or 0
if correction ~= 0 and stored[3] then -- an expired state had nothing left to correct
  stored[3] = tonumber(stored[3]) + correction
  redis.call('HSET', KEYS[1], 't', string.format('%.0f', stored[3]))
  local left = math.ceil((stored[3] - now) / 1000) + 1000
  if left > redis.call('PTTL', KEYS[1]) then
    redis.call('PEXPIRE', KEYS[1], left)
  end
end

-- Every number stays an integer below 2^53, so doubles compute it exactly.
local function check(storedTat, count, period, weight)
  local emission = math.max(1, math.floor(period / count))
  local tolerance = period - emission
  local tat = math.max(tonumber(storedTat) or now, now)
  local function remaining(at)
    return math.max(0, math.min(count, math.floor((tolerance + emission - (at - now)) / emission)))
  end
  if weight > count then
    return {allowed = false, retry = -1, remaining = remaining(tat), reset = tat - now}
  end
  local newTat = tat + weight * emission
  local allowAt = newTat - tolerance - emission
  if allowAt > now then
    return {allowed = false, retry = allowAt - now, remaining = remaining(tat), reset = tat - now}
  end
  return {allowed = true, tat = newTat, retry = 0, remaining = remaining(newTat), reset = newTat - now}
end

local q = qps > 0 and check(stored[1], qps, SECOND, 1) or nil
local r = rpm > 0 and check(stored[2], rpm, MINUTE, 1) or nil
local t = tpm > 0 and check(stored[3], tpm, MINUTE, tokens) or nil

-- The refusal that waits longest speaks for all; a request that never fits wins outright.
local refused, retry = 0, 0
if q and not q.allowed then refused, retry = 1, q.retry end
if r and not r.allowed and r.retry > retry then refused, retry = 2, r.retry end
if t and not t.allowed and (t.retry < 0 or t.retry > retry) then refused, retry = 3, t.retry end
if refused == 0 and maxConcurrent > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) -- leases of requests whose node went away
  if redis.call('ZCARD', KEYS[2]) >= maxConcurrent then refused, retry = 4, SECOND end
end

if refused == 0 then
  local latest = now
  for field, verdict in pairs({q = q, r = r, t = t}) do
    redis.call('HSET', KEYS[1], field, string.format('%.0f', verdict.tat))
    latest = math.max(latest, verdict.tat)
  end
  if latest > now then
    -- Once every time has passed the state equals a fresh one: Redis may forget it.
    redis.call('PEXPIRE', KEYS[1], math.ceil((latest - now) / 1000) + 1000)
  end
  if maxConcurrent > 0 then
    redis.call('ZADD', KEYS[2], string.format('%.0f', now + lease), ARGV[7])
    redis.call('PEXPIRE', KEYS[2], math.ceil(lease / 1000) + 1000)
  end
end

return {refused, retry, r and r.remaining or 0, r and r.reset or 0, t and t.remaining or 0, t and t.reset or 0}
