-- Many chats in one call (a pipeline would cost the client a parsed reply per key).
-- KEYS: for each chat its settings hash, regions set, keywords hash, exclusions hash and
--       followed sources set.
-- Returns, per chat, {flat settings, regions, flat keywords, flat exclusions, sources}.
local out = {}
for i = 1, #KEYS, 5 do
  out[#out + 1] = {
    redis.call('HGETALL', KEYS[i]),
    redis.call('SMEMBERS', KEYS[i + 1]),
    redis.call('HGETALL', KEYS[i + 2]),
    redis.call('HGETALL', KEYS[i + 3]),
    redis.call('SMEMBERS', KEYS[i + 4]),
  }
end
return out
