-- Follow one keyword or exclusion, if the chat still exists and is under its cap: one atomic
-- step, so concurrent adds cannot pass the cap together nor recreate a chat /stop forgot.
-- KEYS: chat settings, the keywords (or exclusions) hash, change log[, keyword index, terms,
--       index version].
-- ARGV: chat id, stored form, as typed, cap, log length[, anchor].
-- Returns 1 added, 0 already there, -1 no such chat, -2 cap reached.
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 0 end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then return -2 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if #KEYS > 3 then
  redis.call('SADD', KEYS[4], ARGV[1])
  redis.call('SADD', KEYS[5], ARGV[6])
  redis.call('INCR', KEYS[6])
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'chat', ARGV[1])
return 1
