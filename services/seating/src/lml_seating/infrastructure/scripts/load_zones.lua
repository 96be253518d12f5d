-- Set the counters of GA zones that have none; counters that exist are left alone.
-- KEYS: zone keys; ARGV: capacity, held and sold for each zone, in order.
local loaded = 0
for j = 1, #KEYS do
  if redis.call('EXISTS', KEYS[j]) == 0 then
    local at = (j - 1) * 3
    redis.call('HSET', KEYS[j], 'capacity', ARGV[at + 1], 'held', ARGV[at + 2],
      'sold', ARGV[at + 3])
    loaded = loaded + 1
  end
end
return loaded
