-- Follow a source (every item of it), if the chat still exists and is under its cap: one atomic
-- step, as chat_follow.lua for keywords, so concurrent /follow cannot pass the cap together nor
-- recreate a chat /stop forgot.
-- KEYS: chat settings, its sources set, the source's index, change log.
-- ARGV: chat id, source id, cap, log length.
-- Returns 1 added, 0 already followed, -1 no such chat, -2 cap reached.
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1 then return 0 end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return -2 end
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[4], '*', 'chat', ARGV[1])
return 1
