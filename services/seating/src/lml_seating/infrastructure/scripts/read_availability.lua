-- Read-only (no write flag: Redis 6.2, the embedded server of `lml dev`, has no script flags).
-- The live half of an availability snapshot, read in one atomic step: the id of the last
-- event of the stream, the seat locks and the GA counters. Every change of those publishes
-- its event in the same step (prelude.lua), so what this returns is exactly the state the
-- stream describes up to that id (docs/decisions/0008-consistent-availability-snapshot.md).
--
-- KEYS: the event's stream, its expiry zset, n seat keys, then one key per GA zone.
-- ARGV[1]: n. ARGV[2]: the event's hold hash prefix ('<event key>:hold:'); hold hashes
-- share the event's hash tag, hence the slot of the declared keys.
-- Returns {stream id ('0-0' for no stream), {owner or false per seat}, {hold id, seats
-- JSON, ...} of holds whose time ran out and that are not ended yet, {{capacity, held,
-- sold} per zone}}.
local STREAM, EXPIRIES = KEYS[1], KEYS[2]
local n = tonumber(ARGV[1])
local hold_prefix = ARGV[2]

local stream_id = '0-0'
local last = redis.call('XREVRANGE', STREAM, '+', '-', 'COUNT', 1)
if #last > 0 then stream_id = last[1][1] end

local owners = {}
for i = 1, n do owners[i] = redis.call('GET', KEYS[2 + i]) end

-- A lock lapses by its TTL before the sweeper publishes its expiry: until then the stream
-- says the seat is held, and so does the snapshot.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lapsed = {}
for _, hold_id in ipairs(redis.call('ZRANGEBYSCORE', EXPIRIES, '-inf', now)) do
  local seats = redis.call('HGET', hold_prefix .. hold_id, 'seats')
  if seats then
    lapsed[#lapsed + 1] = hold_id
    lapsed[#lapsed + 1] = seats
  end
end

local zones = {}
for j = 3 + n, #KEYS do
  zones[#zones + 1] = redis.call('HMGET', KEYS[j], 'capacity', 'held', 'sold')
end
return {stream_id, owners, lapsed, zones}
