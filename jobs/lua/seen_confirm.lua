-- The poll's items are published: every mark becomes permanent (for the TTL), whoever held it.
-- KEYS: seen marks. ARGV: TTL (s). Returns the number of marks.
for i = 1, #KEYS do redis.call('SET', KEYS[i], 1, 'EX', tonumber(ARGV[1])) end
return #KEYS
