-- Store the response for replay, only for the token that holds the lease.
-- KEYS[1] record hash; ARGV[1] lease token, ARGV[2] encoded response, ARGV[3] ttl ms.
-- Returns 1 or 0.
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'response', ARGV[2])
redis.call('HDEL', KEYS[1], 'token')
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
