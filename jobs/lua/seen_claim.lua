-- Claim seen-marks for one poll: each is set, pending with the poll's token, only if nobody
-- holds it yet.
-- KEYS: seen marks. ARGV: token, pending TTL (s).
-- Returns 1 per key claimed now, 0 per key already held.
local out = {}
for i = 1, #KEYS do
  out[i] = redis.call('SET', KEYS[i], ARGV[1], 'NX', 'EX', tonumber(ARGV[2])) and 1 or 0
end
return out
