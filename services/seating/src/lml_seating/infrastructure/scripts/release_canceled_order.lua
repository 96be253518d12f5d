-- After PostgreSQL freed a converted hold's places (its order was canceled or expired,
-- committed): free its seat locks and GA places and publish seat.released with reason
-- args.reason ('order_canceled' or 'order_expired'). No token: the order's end is the
-- authority, and only a converted hold is freed. Returns {'released'}, {'unknown'} or
-- {'ended'}.
local state = redis.call('HGET', HOLD, 'state')
if not state then return {'unknown'} end
if state ~= 'converted' then return {'ended'} end
local reason = args.reason
if reason ~= 'order_expired' then reason = 'order_canceled' end
finish(reason, now_ms())
return {'released'}
