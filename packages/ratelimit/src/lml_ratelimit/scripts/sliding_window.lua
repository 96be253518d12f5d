-- Sliding window counter, the same arithmetic as lml_ratelimit.algorithms.sliding_window.
-- KEYS[1] hash {window, current, previous}; ARGV[1] quota, ARGV[2] window µs, ARGV[3] cost.
-- Returns {allowed 1|0, remaining, reset µs, retry-after µs}, timed by the server clock
-- so every API instance agrees. Policy bounds keep every product below 2^53.
-- quota, window, cost and now come from prelude.lua.
local index = math.floor(now / window)
local elapsed = now - index * window

local stored = redis.call('HMGET', KEYS[1], 'window', 'current', 'previous')
local stored_index = tonumber(stored[1])
local current, previous = 0, 0
if stored_index == index then
  current, previous = tonumber(stored[2]), tonumber(stored[3])
elseif stored_index == index - 1 then
  previous = tonumber(stored[2])
end

local function wait_for_room()
  local room = quota - current - cost
  if room >= 0 and previous > 0 then
    local at = window - math.floor(room * window / previous)
    if at < window then
      return at - elapsed
    end
  end
  -- From the next window on, this window's count is the one that fades out.
  if current == 0 then
    return window - elapsed
  end
  local at = window - math.floor((quota - cost) * window / current)
  if at < window then
    return window - elapsed + at
  end
  return 2 * window - elapsed
end

local used = math.ceil(previous * (window - elapsed) / window) + current
local allowed = used + cost <= quota
local retry_after = 0
if allowed then
  current = current + cost
  used = used + cost
  redis.call('HSET', KEYS[1],
    'window', string.format('%.0f', index), 'current', current, 'previous', previous)
  -- This window's count matters until the end of the next one.
  redis.call('PEXPIRE', KEYS[1], math.ceil(((index + 2) * window - now) / 1000))
else
  retry_after = wait_for_room()
end

local reset = 0
if current > 0 then
  reset = 2 * window - elapsed
elseif previous > 0 then
  reset = window - elapsed
end
return {allowed and 1 or 0, math.max(quota - used, 0), reset, retry_after}
