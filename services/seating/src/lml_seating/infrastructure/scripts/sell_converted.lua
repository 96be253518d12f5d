-- After PostgreSQL sold a converted hold's places (its order was paid, committed): its
-- seat locks stay, now for good; its GA places move from held to sold; seat.sold names
-- the order (args.order_id), then zone.updated. PostgreSQL sells a hold once, and this
-- runs at least once after it: a hold already sold here answers {'sold'} and changes
-- nothing. A hold the sweeper ended first (its seats and places already given back here)
-- is sold all the same, its places counted sold without leaving held twice.
-- Returns {'sold'}.
local state = redis.call('HGET', HOLD, 'state')
if state == 'sold' then return {'sold'} end
local still_held = state == 'converted' or state == 'active'
redis.call('ZREM', EXPIRIES, hold_id)
for i = 1, n do
  local owner = redis.call('GET', seat_key(i))
  if not owner or owner == hold_id then
    redis.call('SET', seat_key(i), hold_id)
  end
end
for j = 1, m do
  local counts = redis.call('HMGET', zone_key(j), 'held', 'sold')
  if counts[1] then
    local held = tonumber(counts[1])
    if still_held then held = math.max(held - quantity(j), 0) end
    redis.call('HSET', zone_key(j), 'held', held, 'sold', tonumber(counts[2]) + quantity(j))
  end
end
redis.call('HSET', HOLD, 'state', 'sold', 'ended', now_ms())
redis.call('PEXPIRE', HOLD, retention)
publish('seat.sold', '{"event_id":' .. cjson.encode(event_id) .. ',"order_id":'
  .. cjson.encode(args.order_id) .. ',"seat_ids":' .. seats_json .. ',"ga":' .. ga_json
  .. ',"sales_channel_id":' .. channel_json() .. '}')
publish_zones()
return {'sold'}
