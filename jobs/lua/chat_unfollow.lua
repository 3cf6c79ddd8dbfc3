-- Unfollow keywords (and with mode clear/forget, regions and sources; with forget, the whole
-- chat), planned in Python from a read of the chat (anchors need the query parser) and applied
-- only if the chat still follows exactly what was read; else -1 and the caller reads again.
-- KEYS: 1 chat settings, 2 regions, 3 keywords, 4 exclusions, 5 held, 6 chats, 7 held chats,
--       8 change log, 9 keyword terms, 10 index version, 11 followed sources, then one index
--       key per region read and one per source read (modes clear/forget), then one keyword
--       index key per anchor to unindex.
-- ARGV: 1 chat id, 2 log length, 3 mode (keyword | clear | forget), 4 #keyword fields read,
--       5 #regions read, 6 #fields to delete, 7 #anchors to unindex, 8 #sources read, then
--       the keyword fields, regions, fields to delete, anchors and sources.
-- Returns the number of keyword fields deleted.
local FIXED = 11
local function same(current, expected)
  if #current ~= #expected then return false end
  local seen = {}
  for _, v in ipairs(current) do seen[v] = true end
  for _, v in ipairs(expected) do if not seen[v] then return false end end
  return true
end
local nk, nr, nd, na = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local ns = tonumber(ARGV[8])
local function slice(from, n)
  local out = {}
  for j = from, from + n - 1 do out[#out + 1] = ARGV[j] end
  return out
end
local fields, regions = slice(9, nk), slice(9 + nk, nr)
local delete, anchors = slice(9 + nk + nr, nd), slice(9 + nk + nr + nd, na)
local sources = slice(9 + nk + nr + nd + na, ns)
local mode = ARGV[3]
if not same(redis.call('HKEYS', KEYS[3]), fields) then return -1 end
if mode ~= 'keyword' then
  if not same(redis.call('SMEMBERS', KEYS[2]), regions) then return -1 end
  if not same(redis.call('SMEMBERS', KEYS[11]), sources) then return -1 end
end
local removed = 0
for _, f in ipairs(delete) do removed = removed + redis.call('HDEL', KEYS[3], f) end
if mode ~= 'keyword' then
  for j = 1, nr + ns do redis.call('SREM', KEYS[FIXED + j], ARGV[1]) end
  redis.call('DEL', KEYS[2], KEYS[11])
end
for j = 1, na do
  local idx = KEYS[FIXED + nr + ns + j]
  redis.call('SREM', idx, ARGV[1])
  if redis.call('SCARD', idx) == 0 then redis.call('SREM', KEYS[9], anchors[j]) end
end
if na > 0 then redis.call('INCR', KEYS[10]) end
if mode == 'forget' then
  redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5])
  redis.call('SREM', KEYS[6], ARGV[1])
  redis.call('SREM', KEYS[7], ARGV[1])
end
redis.call('XADD', KEYS[8], 'MAXLEN', '~', ARGV[2], '*', 'chat', ARGV[1])
return removed
