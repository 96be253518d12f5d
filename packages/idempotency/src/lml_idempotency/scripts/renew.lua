-- Extend a lease, only for the token that holds it (the token is gone once completed).
-- KEYS[1] record hash; ARGV[1] lease token, ARGV[2] lease ms. Returns 1 or 0.
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
