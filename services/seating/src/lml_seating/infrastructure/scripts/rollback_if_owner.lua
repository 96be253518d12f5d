-- Undo an acquire whose hold PostgreSQL did not record, expired or not, if the token
-- owns it: exactly what was taken is freed. Returns {'rolled_back'} or a refusal.
local refused = refusal(redis.call('HMGET', HOLD, 'token', 'state', 'expires'), nil)
if refused then return refused end
finish('rolled_back', now_ms())
return {'rolled_back'}
