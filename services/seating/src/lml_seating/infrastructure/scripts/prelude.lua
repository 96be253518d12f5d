-- Shared by the hold scripts: the loader puts it in front of each of them.
--
-- KEYS: hold hash, expiry zset, event stream, n seat keys, then one key per GA zone.
-- ARGV[1]: the call's named arguments as one JSON object, built in Python by
-- hold_scripts.ScriptArguments (a contract test holds the two to the same names):
-- hold_id, event_id, org_id, seat_count (n), seats_json, ga_json, sales_channel_id ('' for
-- none), stream_max_length, stream_max_age_ms, tombstone_ms, token_digest (hex SHA-256, as PostgreSQL keeps
-- it: the raw token never reaches Redis), ttl_ms, lifetime_ms, reason, order_id.
-- Then ARGV holds the n seat ids, the zone ids and the quantity for each zone.
--
-- Times are Unix milliseconds on this server's clock, the one clock every expiry
-- decision uses. Every state change publishes its availability event here, in the same
-- atomic step, so the stream can never disagree with the locks.

local HOLD, EXPIRIES, STREAM = KEYS[1], KEYS[2], KEYS[3]
local args = cjson.decode(ARGV[1])
local hold_id, event_id = args.hold_id, args.event_id
local n = args.seat_count
local m = #KEYS - 3 - n
local max_length, max_age = args.stream_max_length, args.stream_max_age_ms
local seats_json, ga_json, channel = args.seats_json, args.ga_json, args.sales_channel_id
local retention = args.tombstone_ms
local token_digest = args.token_digest

local function seat_key(i) return KEYS[3 + i] end
local function zone_key(j) return KEYS[3 + n + j] end
local function seat_id(i) return ARGV[1 + i] end
local function zone_id(j) return ARGV[1 + n + j] end
local function quantity(j) return tonumber(ARGV[1 + n + m + j]) end

local function now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- RFC 3339 UTC with milliseconds; days to civil date after Howard Hinnant.
local function rfc3339(ms)
  local seconds = math.floor(ms / 1000)
  local days = math.floor(seconds / 86400)
  local of_day = seconds - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524)
    - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local day = doy - math.floor((153 * mp + 2) / 5) + 1
  local month = mp < 10 and mp + 3 or mp - 9
  local year = yoe + era * 400
  if month <= 2 then year = year + 1 end
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', year, month, day,
    math.floor(of_day / 3600), math.floor(of_day % 3600 / 60), of_day % 60, ms % 1000)
end

local function channel_json()
  if channel == '' then return 'null' end
  return cjson.encode(channel)
end

-- Every event goes out here, and the stream stays bounded by length and by age: entries
-- older than max_age before this one go (approximately, a node at a time, as MAXLEN ~).
local function publish(kind, data)
  local id = redis.call('XADD', STREAM, 'MAXLEN', '~', max_length, '*', 'type', kind,
    'data', data)
  local published_ms = tonumber(string.match(id, '^(%d+)'))
  redis.call('XTRIM', STREAM, 'MINID', '~', published_ms - max_age)
end

local function describe(seat_ids_json)
  return '{"event_id":' .. cjson.encode(event_id) .. ',"hold_id":' .. cjson.encode(hold_id)
    .. ',"seat_ids":' .. (seat_ids_json or seats_json) .. ',"ga":' .. ga_json
end

-- zone.updated with the counters as they now are, for each zone of the hold: a watcher
-- sets them (never adds), so an extension's seat.held cannot count places twice.
local function publish_zones()
  for j = 1, m do
    local counts = redis.call('HMGET', zone_key(j), 'capacity', 'held', 'sold')
    if counts[1] then
      local capacity, held, sold = tonumber(counts[1]), tonumber(counts[2]), tonumber(counts[3])
      publish('zone.updated', '{"event_id":' .. cjson.encode(event_id) .. ',"zone_id":'
        .. cjson.encode(zone_id(j)) .. ',"available":' .. math.max(capacity - held - sold, 0)
        .. ',"held":' .. held .. ',"sold":' .. sold .. '}')
    end
  end
end

-- Seats that other holds whose time ran out, not yet ended, still claim: their locks
-- lapsed (TTL) but the stream has not said so yet, so they still read held. Hold hashes
-- share the event's hash tag, hence its slot.
local function lapsed_claims(now)
  local claims = {}
  local prefix = string.sub(HOLD, 1, #HOLD - #hold_id)
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', EXPIRIES, '-inf', now)) do
    local seats = redis.call('HGET', prefix .. other, 'seats')
    if seats then
      for _, seat in ipairs(cjson.decode(seats)) do claims[seat] = true end
    end
  end
  return claims
end

local function publish_held(expires)
  publish('seat.held', describe() .. ',"expires_at":"' .. rfc3339(expires)
    .. '","sales_channel_id":'
    .. channel_json() .. '}')
end

-- nil when the token owns the active hold, else the refusal to return. A nil `now`
-- skips the expiry check.
local function refusal(hold, now)
  if not hold[2] then return {'unknown'} end
  if hold[2] ~= 'active' then return {'ended'} end
  if token_digest ~= hold[1] then return {'token'} end
  if now and tonumber(hold[3]) <= now then return {'expired'} end
  return nil
end

-- End the hold: free the seat locks that are still its own and its places in each zone
-- counter, leave a tombstone (so a late caller learns it ended), publish seat.released.
--
-- seat.released names the seats it frees: its own locks, and lapsed ones that no other
-- hold has taken since (a lapsed lock another hold took, or another lapsed hold still
-- claims, stays held), so a watcher applying the stream never frees someone else's seat.
local function finish(reason, now)
  redis.call('ZREM', EXPIRIES, hold_id)
  local freed, claims = {}, nil
  for i = 1, n do
    local owner = redis.call('GET', seat_key(i))
    if owner == hold_id then
      redis.call('DEL', seat_key(i))
      freed[#freed + 1] = seat_id(i)
    elseif not owner then
      claims = claims or lapsed_claims(now)
      if not claims[seat_id(i)] then freed[#freed + 1] = seat_id(i) end
    end
  end
  for j = 1, m do
    local held = redis.call('HGET', zone_key(j), 'held')
    if held then
      redis.call('HSET', zone_key(j), 'held', math.max(tonumber(held) - quantity(j), 0))
    end
  end
  redis.call('HSET', HOLD, 'state', reason, 'ended', now)
  redis.call('PEXPIRE', HOLD, retention)
  local freed_json = #freed == 0 and '[]' or cjson.encode(freed)
  publish('seat.released', describe(freed_json) .. ',"reason":"' .. reason
    .. '","sales_channel_id":'
    .. channel_json() .. '}')
  publish_zones()
end
