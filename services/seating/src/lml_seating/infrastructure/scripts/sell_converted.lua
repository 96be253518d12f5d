-- After PostgreSQL sold a converted hold's places (its order was paid, committed): its
-- seat locks stay, now for good; its GA places move from held to sold; seat.sold names
-- the order (args.order_id), then zone.updated. PostgreSQL sells a hold once, and this
-- runs at least once after it: a hold already sold here answers {'sold'} and changes
-- nothing. A hold the sweeper ended first (its seats and places already given back here)
-- is sold all the same, its places counted sold without leaving held twice, and so is a
-- seat another hold took here meanwhile.
-- Returns {'sold'}.
local state = redis.call('HGET', HOLD, 'state')
if state == 'sold' then return {'sold'} end
local still_held = state == 'converted' or state == 'active'
redis.call('ZREM', EXPIRIES, hold_id)
-- Sold is final in PostgreSQL: the seats are this hold's whoever holds them here. Another
-- hold can only have taken one here after this hold's lock lapsed (its settling was late:
-- Redis stalled, the worker was down), and PostgreSQL refuses it, so it rolls back only
-- the locks it still owns; left to it, the sold seat would end up locked by no one.
for i = 1, n do
  redis.call('SET', seat_key(i), hold_id)
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
