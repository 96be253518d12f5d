-- Token bucket as GCRA, the same arithmetic as lml_ratelimit.algorithms.token_bucket.
-- KEYS[1] theoretical arrival time (µs); ARGV[1] quota, ARGV[2] window µs, ARGV[3] cost.
-- Returns {allowed 1|0, remaining, reset µs, retry-after µs}, timed by the server clock
-- so every API instance agrees. Policy bounds keep every product below 2^53.
-- quota, window, cost and now come from prelude.lua.

local interval = math.ceil(window / quota)
local capacity = quota * interval
local arrival = tonumber(redis.call('GET', KEYS[1])) or now
local span = math.max(arrival - now, 0)
local needed = span + cost * interval
if needed <= capacity then
  -- '%.0f' because tostring() would round a microsecond timestamp to 14 digits.
  redis.call('SET', KEYS[1], string.format('%.0f', now + needed), 'PX', math.ceil(needed / 1000))
  return {1, math.floor((capacity - needed) / interval), needed, 0}
end
return {0, math.floor((capacity - span) / interval), span, needed - capacity}
