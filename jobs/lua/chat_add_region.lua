-- Follow a region, if the chat still exists.
-- KEYS: chat settings, its regions, the region's index, change log.
-- ARGV: chat id, region, log length.
-- Returns 1 added, 0 already, -1 no chat.
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local added = redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[3], '*', 'chat', ARGV[1])
return added
