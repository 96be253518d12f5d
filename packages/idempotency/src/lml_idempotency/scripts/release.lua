-- Free the key at once, only for the token that holds the lease.
-- KEYS[1] record hash; ARGV[1] lease token. Returns 1 or 0.
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
return 1
