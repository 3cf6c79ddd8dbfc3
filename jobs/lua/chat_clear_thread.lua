-- Forget a chat's forum topic after Telegram said it is gone, only if it is still the topic that
-- failed: several alerts in flight to the chat all fail at once, and only the one that clears it
-- sends the note to the chat's administrators (once); a /here meanwhile is kept.
-- KEYS: 1 the chat's settings hash. ARGV: 1 the field holding the topic, 2 the topic that failed.
-- Returns 1 cleared, 0 already cleared or changed since.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
