-- Story clustering's Lua, shared by cluster_find.lua and cluster_settle.lua (jobs/cluster.py).
-- Every key is passed in KEYS but the candidates' story hashes: their ids are found inside the
-- script (in the index sets), so their keys are the story key prefix (an ARGV) and the id.
-- A poll's reports come in one call: ARGV[1] is how many; then three values per report (its
-- key count, its argument count, and F, J or O: find, join or open); then every report's
-- arguments in turn. KEYS: every report's keys in turn. Reports are settled in order, so a
-- later report's OPEN sees a story an earlier one opened. One reply per report, in order.

-- Each candidate comes back as six values: id, first, last, then up to three report signatures.
local function candidate(out, prefix, id)
  local v = redis.call('HMGET', prefix .. id, 'f', 'l', 'r0', 'r1', 'r2')
  if v[3] then
    out[#out + 1] = id
    for j = 1, 5 do out[#out + 1] = v[j] or '' end
  end
end

-- FIND. KEYS: index keys. ARGV: oldest score, per-key fan-out, how many to verify, story key
-- prefix. Returns every story id seen (newline-separated), then the candidates most keys agree on.
local function find(KEYS, ARGV)
  local votes, order = {}, {}
  for i = 1, #KEYS do
    for _, id in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[i], '+inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))) do
      if votes[id] == nil then votes[id] = 0; order[#order + 1] = id end
      votes[id] = votes[id] + 1
    end
  end
  table.sort(order, function(a, b) if votes[a] ~= votes[b] then return votes[a] > votes[b] end return a < b end)
  local out = {table.concat(order, '\n')}
  for i = 1, math.min(#order, tonumber(ARGV[3])) do candidate(out, ARGV[4], order[i]) end
  return out
end

-- OPEN. KEYS: story hash, story facts, index keys. ARGV: id, now, ttl, kept per index,
-- signature, candidates already compared (newline-separated), facts (newline-separated),
-- fan-out, oldest score, story key prefix. Returns {1} when opened, else {0, candidates not
-- yet compared...}.
local function open(KEYS, ARGV)
  local seen = {}
  for id in string.gmatch(ARGV[6], '[^\n]+') do seen[id] = true end
  local out = {0}
  for i = 3, #KEYS do
    for _, id in ipairs(redis.call('ZREVRANGEBYSCORE', KEYS[i], '+inf', ARGV[9], 'LIMIT', 0, tonumber(ARGV[8]))) do
      if not seen[id] then seen[id] = true; candidate(out, ARGV[10], id) end
    end
  end
  if #out > 1 then return out end
  local ttl = tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], 'f', ARGV[2], 'l', ARGV[2], 'n', 1, 'r0', ARGV[5])
  redis.call('EXPIRE', KEYS[1], ttl)
  local facts = {}
  for fact in string.gmatch(ARGV[7], '[^\n]+') do
    if string.sub(fact, 1, 2) == 's:' then fact = 'a:' .. string.sub(fact, 3) end
    facts[#facts + 1] = fact
  end
  redis.call('DEL', KEYS[2])
  for i = 1, #facts, 500 do redis.call('SADD', KEYS[2], unpack(facts, i, math.min(i + 499, #facts))) end
  redis.call('EXPIRE', KEYS[2], ttl)
  for i = 3, #KEYS do
    redis.call('ZADD', KEYS[i], ARGV[2], ARGV[1])
    redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -tonumber(ARGV[4]) - 1)
    redis.call('EXPIRE', KEYS[i], ttl)
  end
  return {1}
end

-- JOIN. KEYS: story hash, story facts, index keys of the report. ARGV: story id, now, ttl, kept
-- per index, signature, reports kept, the report's facts (newline-separated), the report's id.
-- Returns {-1} when the story expired, else {new figures/places/objects, new words}; a report
-- that joined before gets its first answer again (a retried poll must not drop it as a repeat).
local function join(KEYS, ARGV)
  if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0} end
  local done = redis.call('HGET', KEYS[1], 'x:' .. ARGV[8])
  if done then  -- this report joined before (its poll failed to publish): the same answer again
    local sep = string.find(done, ':')
    return {tonumber(string.sub(done, 1, sep - 1)), tonumber(string.sub(done, sep + 1))}
  end
  local ttl, now = tonumber(ARGV[3]), tonumber(ARGV[2])
  local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
  if n <= tonumber(ARGV[6]) then
    redis.call('HSET', KEYS[1], 'r' .. (n - 1), ARGV[5])
    for i = 3, #KEYS do
      redis.call('ZADD', KEYS[i], now, ARGV[1])
      redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -tonumber(ARGV[4]) - 1)
      redis.call('EXPIRE', KEYS[i], ttl)
    end
  end
  local first, last = tonumber(redis.call('HGET', KEYS[1], 'f')), tonumber(redis.call('HGET', KEYS[1], 'l'))
  if now < first then redis.call('HSET', KEYS[1], 'f', ARGV[2]) end
  if now > last then redis.call('HSET', KEYS[1], 'l', ARGV[2]) end
  redis.call('EXPIRE', KEYS[1], ttl)
  local facts, words = 0, 0
  for fact in string.gmatch(ARGV[7], '[^\n]+') do
    local kind = string.sub(fact, 1, 2)
    if kind == 's:' then
      redis.call('SADD', KEYS[2], 'a:' .. string.sub(fact, 3))
    elseif redis.call('SADD', KEYS[2], fact) == 1 then
      if kind == 't:' then words = words + 1 else facts = facts + 1 end
    end
  end
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('HSET', KEYS[1], 'x:' .. ARGV[8], facts .. ':' .. words)
  return {facts, words}
end

local function slices()
  local m = tonumber(ARGV[1])
  local kpos, apos, out = 1, 2 + 3 * m, {}
  for r = 1, m do
    local head = 2 + 3 * (r - 1)
    local nk, na = tonumber(ARGV[head]), tonumber(ARGV[head + 1])
    local k, a = {}, {}
    for i = 1, nk do k[i] = KEYS[kpos + i - 1] end
    for i = 1, na do a[i] = ARGV[apos + i - 1] end
    kpos, apos = kpos + nk, apos + na
    out[r] = {k, a, ARGV[head + 2]}
  end
  return out
end
