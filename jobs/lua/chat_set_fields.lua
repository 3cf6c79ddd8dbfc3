-- Settings of an existing chat (a settings change racing /stop must not recreate half a chat).
-- KEYS: chat settings, change log. ARGV: chat id, log length, field, value, field, value...
-- Returns 1 set, 0 no such chat.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'chat', ARGV[1])
return 1
