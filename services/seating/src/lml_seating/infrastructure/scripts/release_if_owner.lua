-- Release an active, unexpired hold if the token owns it. Returns {'released'} or a
-- refusal ({'unknown'}, {'ended'}, {'token'}, {'expired'}).
local now = now_ms()
local refused = refusal(redis.call('HMGET', HOLD, 'token', 'state', 'expires'), now)
if refused then return refused end
finish('released', now)
return {'released'}
