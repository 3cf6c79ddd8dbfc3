-- GCRA booking of the global send budget and, with a second key, a chat's own budget: both
-- are checked together and spent only if both allow.
-- KEYS: global bucket[, chat bucket].
-- ARGV: now (ms, or "" for the Redis server's clock), global interval (ms), chat interval (ms),
--       global tolerance (ms).
-- Returns {0, 0} when the send is booked, else {ms to wait, 1 if the chat's own budget is the one
-- that holds it back}. Waits are whole milliseconds (Redis truncates Lua numbers), never 0, since
-- 0 means "booked".
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local intervals = {tonumber(ARGV[2]), tonumber(ARGV[3])}
local tolerance = {tonumber(ARGV[4]), 0}
local wait, by_chat, tats = 0, 0, {}
for i = 1, #KEYS do
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local early = tat - tolerance[i] - now
  if early > wait then wait, by_chat = early, i - 1 end
  tats[i] = tat + intervals[i]
end
if wait > 0 then return {math.max(1, math.ceil(wait)), by_chat} end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], tats[i], 'PX', math.ceil(tats[i] - now) + 10000)
end
return {0, 0}
