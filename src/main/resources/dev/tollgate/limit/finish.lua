-- Requests ended: free a concurrency slot, and correct the key's TPM time by the tokens its
-- requests really used (their admissions counted estimates).
-- KEYS[1]  hash of the key's theoretical arrival times (see admit.lua)
-- KEYS[2]  sorted set of the key's requests in flight
-- ARGV     now (µs; empty = this server's clock), request id (empty = none), µs to add to t
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
if ARGV[2] ~= '' then
  redis.call('ZREM', KEYS[2], ARGV[2])
end
local correction = tonumber(ARGV[3])
if correction ~= 0 then
  local stored = redis.call('HGET', KEYS[1], 't')
  if stored then -- an expired state had nothing left to correct
    local tat = tonumber(stored) + correction
    redis.call('HSET', KEYS[1], 't', string.format('%.0f', tat))
    local left = math.ceil((tat - now) / 1000) + 1000
    if left > redis.call('PTTL', KEYS[1]) then
      redis.call('PEXPIRE', KEYS[1], left)
    end
  end
end
return 1
