-- Delete each key that still holds our token (a lock or a pending seen-mark that expired may
-- since be someone else's, and must stay).
-- KEYS: the keys. ARGV: token. Returns how many were deleted.
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then n = n + redis.call('DEL', KEYS[i]) end
end
return n
