-- End a hold whose time ran out. Of any number of callers exactly one gets {'expired'}:
-- the first marks the hold ended, the others get {'ended'}. {'not_due'} while it runs.
-- A hold this server no longer knows (it lost its state) is due: the caller knows better.
local now = now_ms()
local state = redis.call('HGET', HOLD, 'state')
if state and state ~= 'active' then return {'ended'} end
local due = redis.call('ZSCORE', EXPIRIES, hold_id)
if not due and state then due = redis.call('HGET', HOLD, 'expires') end
if due and tonumber(due) > now then return {'not_due'} end
finish('expired', now)
return {'expired'}
