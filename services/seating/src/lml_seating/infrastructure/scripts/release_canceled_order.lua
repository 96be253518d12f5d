-- After PostgreSQL freed a converted hold's places (its order was canceled, committed):
-- free its seat locks and GA places and publish seat.released with reason
-- 'order_canceled'. No token: the order's cancellation is the authority, and only a
-- converted hold is freed. Returns {'released'}, {'unknown'} or {'ended'}.
local state = redis.call('HGET', HOLD, 'state')
if not state then return {'unknown'} end
if state ~= 'converted' then return {'ended'} end
finish('order_canceled', now_ms())
return {'released'}
