-- Take every seat and GA place of a new hold, or nothing at all.
-- Returns {'held', created ms, expires ms, max expires ms}, {'conflict', every seat id
-- taken, every zone id short of places} or {'zones_not_loaded', zone ids}.
local unloaded = {}
for j = 1, m do
  if redis.call('EXISTS', zone_key(j)) == 0 then unloaded[#unloaded + 1] = zone_id(j) end
end
if #unloaded > 0 then return {'zones_not_loaded', unloaded} end

local seats, zones = {}, {}
for i = 1, n do
  if redis.call('EXISTS', seat_key(i)) == 1 then seats[#seats + 1] = seat_id(i) end
end
for j = 1, m do
  local counts = redis.call('HMGET', zone_key(j), 'capacity', 'held', 'sold')
  if tonumber(counts[1]) - tonumber(counts[2]) - tonumber(counts[3]) < quantity(j) then
    zones[#zones + 1] = zone_id(j)
  end
end
if #seats > 0 or #zones > 0 then return {'conflict', seats, zones} end

local now = now_ms()
local ttl = args.ttl_ms
local expires, max_expires = now + ttl, now + args.lifetime_ms
for i = 1, n do redis.call('SET', seat_key(i), hold_id, 'PX', ttl) end
for j = 1, m do redis.call('HINCRBY', zone_key(j), 'held', quantity(j)) end
redis.call('HSET', HOLD, 'token', token_digest, 'tenant', args.org_id,
  'channel', channel, 'seats', seats_json, 'ga', ga_json, 'created', now,
  'expires', expires, 'max_expires', max_expires, 'state', 'active')
redis.call('PEXPIREAT', HOLD, expires + retention)
redis.call('ZADD', EXPIRIES, expires, hold_id)
publish_held(expires)
publish_zones()
return {'held', now, expires, max_expires}
