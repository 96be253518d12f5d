-- After PostgreSQL converted the hold into an order's reservation (and committed): its
-- seat locks stop lapsing, it leaves the expiry queue, its hash says converted and stays.
-- No expiry check: PostgreSQL converted it before its time ran out, and a lock that
-- lapsed since is taken back unless another hold has it. GA places stay counted held.
-- Returns {'converted'} (also when it already was) or a refusal ({'unknown'},
-- {'token'}, {'ended'}: the sweeper ended it first; PostgreSQL still keeps its seats).
local hold = redis.call('HMGET', HOLD, 'token', 'state')
if not hold[2] then return {'unknown'} end
if token_digest ~= hold[1] then return {'token'} end
if hold[2] == 'converted' then return {'converted'} end
if hold[2] ~= 'active' then return {'ended'} end
redis.call('ZREM', EXPIRIES, hold_id)
for i = 1, n do
  local owner = redis.call('GET', seat_key(i))
  if not owner or owner == hold_id then
    redis.call('SET', seat_key(i), hold_id)
  end
end
redis.call('HSET', HOLD, 'state', 'converted', 'ended', now_ms())
redis.call('PERSIST', HOLD)
return {'converted'}
