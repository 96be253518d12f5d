-- Lease a free idempotency record, or report what holds it, in one step.
-- KEYS[1] record hash; ARGV[1] fingerprint, ARGV[2] lease token, ARGV[3] lease ms.
-- Returns {'began'}, {'in_flight'}, {'mismatch'} or {'replay', response}.
local record = redis.call('HMGET', KEYS[1], 'fingerprint', 'response')
local fingerprint, response = record[1], record[2]
if not fingerprint then
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'token', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'began'}
end
if fingerprint ~= ARGV[1] then
  return {'mismatch'}
end
if response then
  return {'replay', response}
end
return {'in_flight'}
