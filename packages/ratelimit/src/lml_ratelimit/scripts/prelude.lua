-- Shared by every limiter script, which is run as this prelude and then the script.
-- ARGV[1] quota, ARGV[2] window µs, ARGV[3] cost; `now` is the server clock in µs,
-- so every API instance agrees.
local quota = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
