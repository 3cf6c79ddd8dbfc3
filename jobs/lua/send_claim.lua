-- Claim a (chat, story) or (chat, update) send right before it goes out, with a second look at
-- the chat: it may have blocked us or said /stop while the send waited for its turn. The claim
-- is listed in the chat's claim index, so /stop can forget it without scanning the keyspace.
-- KEYS: 1 the claim, 2 the chat's settings hash, 3 the chat's claim index.
-- ARGV: 1 claim value ("sending"), 2 its TTL (ms), 3 the settings field saying active,
--       4 now (s), 5 how long index entries are kept (s).
-- Returns 1 claimed, 0 claimed by someone else already, -1 chat gone or inactive.
if redis.call('EXISTS', KEYS[2]) == 0 or redis.call('HGET', KEYS[2], ARGV[3]) == '0' then return -1 end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', tonumber(ARGV[2])) then return 0 end
local now, keep = tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZADD', KEYS[3], now, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (now - keep))
redis.call('EXPIRE', KEYS[3], keep)
return 1
