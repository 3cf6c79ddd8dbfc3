-- Add a source live (overlay on the catalogue file), unless its id is already added.
-- KEYS[1] sources:added hash, KEYS[2] sources:status hash, KEYS[3] sources:version counter,
-- KEYS[4] the source's state hash (a new source starts fresh: its first poll only primes)
-- ARGV[1] source id, ARGV[2] catalogue entry as JSON
-- Returns 1 when added, 0 when the id is taken.
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return 0
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[4])
redis.call('INCR', KEYS[3])
return 1
