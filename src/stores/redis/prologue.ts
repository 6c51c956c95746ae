/**
 * The rolling ledger of `MemoryStore` (limit/rolling-ledger.ts) in Lua, so each step is atomic on the
 * Redis server. Keys (all under one hash tag): `s` state hash, `h` entries hash, `p` pending ids, `w`
 * live processes, `r` waiting processes. Per dimension d (1-based, dims sorted by name) the state
 * keeps `a<d>` (the sum in its window) and `b<d>` (the sequence number of its first entry still in
 * the window). An entry is `h[seq] = "time id amount1 … amountN"`; seq grows by one per admission,
 * and time never runs backwards (`t`, the latest time seen; `z`, the newest entry's time, which a
 * reserve's stamp may put ahead of `t`: batch-script.ts), so seq order is time order.
 *
 * ARGV: 1 fingerprint, 2 caller time ('' = Redis TIME), 3 dims, 4 process id, 5 channel,
 * 6… caps, then spans (window + margin), then the script's own arguments from ARGV[A].
 */
export const PROLOGUE = `
local S, H, P, W, R = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local n = tonumber(ARGV[3])
local cap, span, maxspan = {}, {}, 0
for d = 1, n do
  cap[d] = tonumber(ARGV[5 + d])
  span[d] = tonumber(ARGV[5 + n + d])
  if span[d] > maxspan then maxspan = span[d] end
end
local A = 6 + 2 * n
local EPS = 1e-9
local function num(x) return string.format('%.17g', x) end
local st = redis.call('HMGET', S, 'f', 't', 'u', 'q', 'z')
if st[1] and st[1] ~= ARGV[1] then return {'mismatch', st[1]} end
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local last = tonumber(st[2])
if last and last > now then now = last end
local pausedUntil = tonumber(st[3]) or -math.huge
local q = tonumber(st[4]) or 0
local newest = tonumber(st[5]) or -math.huge
-- The time of a new entry: never before the newest one, so seq order stays time order.
local function stamp(t)
  if t < newest then t = newest end
  newest = t
  return t
end
local used, head = {}, {}
for d = 1, n do
  local v = redis.call('HMGET', S, 'a' .. d, 'b' .. d)
  used[d] = tonumber(v[1]) or 0
  head[d] = tonumber(v[2]) or 1
end

local cache = {}
local function get(seq)
  local e = cache[seq]
  if e ~= nil then return e end
  local v = redis.call('HGET', H, seq)
  if not v then cache[seq] = false return false end
  local f = {}
  for x in string.gmatch(v, '%S+') do f[#f + 1] = x end
  e = { time = tonumber(f[1]), id = f[2], a = {} }
  for d = 1, n do e.a[d] = tonumber(f[2 + d]) end
  cache[seq] = e
  return e
end
local function put(seq, e)
  local parts = { num(e.time), e.id }
  for d = 1, n do parts[2 + d] = num(e.a[d]) end
  redis.call('HSET', H, seq, table.concat(parts, ' '))
end
local function minhead()
  local m = q + 1
  for d = 1, n do if head[d] < m then m = head[d] end end
  return m
end

-- Drops what has left every window; keeps used[d] equal to the in-window sums.
local function expire()
  local before = minhead()
  for d = 1, n do
    local k = head[d]
    while k <= q do
      local e = get(k)
      if e then
        if e.time + span[d] > now then break end
        used[d] = used[d] - e.a[d]
      end
      k = k + 1
    end
    if k > q then used[d] = 0 end
    head[d] = k
  end
  for k = before, minhead() - 1 do
    local e = get(k)
    if e then
      redis.call('HDEL', H, k)
      redis.call('HDEL', P, e.id)
      cache[k] = false
    end
  end
end

local function save()
  local args = { 't', num(now), 'q', q }
  if newest > -math.huge then
    args[#args + 1] = 'z'
    args[#args + 1] = num(newest)
  end
  for d = 1, n do
    args[#args + 1] = 'a' .. d
    args[#args + 1] = num(used[d])
    args[#args + 1] = 'b' .. d
    args[#args + 1] = head[d]
  end
  if not st[1] then
    args[#args + 1] = 'f'
    args[#args + 1] = ARGV[1]
  end
  if pausedUntil > -math.huge then
    args[#args + 1] = 'u'
    args[#args + 1] = num(pausedUntil)
  end
  redis.call('HSET', S, unpack(args))
  local ttl = maxspan
  if newest + maxspan - now > ttl then ttl = newest + maxspan - now end
  if pausedUntil - now > ttl then ttl = pausedUntil - now end
  ttl = math.ceil(ttl) + 1000
  for _, k in ipairs(KEYS) do redis.call('PEXPIRE', k, ttl) end
end

-- Takes reservation \`id\` off the pending list: its sequence number and ledger entry (nil if unknown).
local function take(id)
  local seq = redis.call('HGET', P, id)
  if not seq then return nil, nil end
  seq = tonumber(seq)
  redis.call('HDEL', P, id)
  expire()
  return seq, get(seq)
end
`;
