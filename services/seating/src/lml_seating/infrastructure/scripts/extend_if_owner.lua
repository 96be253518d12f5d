-- Move an active hold's expiry to ttl ms from now, if the token owns it and the new
-- expiry stays within its maximum lifetime. Returns {'extended', expires ms},
-- {'limit', max expires ms} or a refusal ({'unknown'}, {'ended'}, {'token'}, {'expired'}).
local now = now_ms()
local hold = redis.call('HMGET', HOLD, 'token', 'state', 'expires', 'max_expires')
local refused = refusal(hold, now)
if refused then return refused end
local expires = now + args.ttl_ms
if expires > tonumber(hold[4]) then return {'limit', tonumber(hold[4])} end
for i = 1, n do
  local owner = redis.call('GET', seat_key(i))
  if not owner or owner == hold_id then
    redis.call('SET', seat_key(i), hold_id, 'PXAT', expires)
  end
end
redis.call('HSET', HOLD, 'expires', expires)
redis.call('PEXPIREAT', HOLD, expires + retention)
redis.call('ZADD', EXPIRIES, expires, hold_id)
publish_held(expires)
return {'extended', expires}
