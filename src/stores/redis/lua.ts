import { OBSERVE_BODY } from './observe.js';

/**
 * The rolling ledger of `MemoryStore` (limit/rolling-ledger.ts) in Lua, one script per operation, so
 * each is atomic on the Redis server. Keys (all under one hash tag): `s` state hash, `h` entries
 * hash, `p` pending ids, `w` live processes. Per dimension d (1-based, dims sorted by name) the state
 * keeps `a<d>` (the sum in its window) and `b<d>` (the sequence number of its first entry still in
 * the window). An entry is `h[seq] = "time id amount1 … amountN"`; seq grows by one per admission,
 * and time never runs backwards (`t`, the latest time seen), so seq order is time order.
 *
 * ARGV: 1 fingerprint, 2 caller time ('' = Redis TIME), 3 dims, 4 process id, 5 channel,
 * 6… caps, then spans (window + margin), then the operation's own arguments.
 */
const PROLOGUE = `
local S, H, P, W = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
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
local st = redis.call('HMGET', S, 'f', 't', 'u', 'q')
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
  if pausedUntil - now > ttl then ttl = pausedUntil - now end
  ttl = math.ceil(ttl) + 1000
  for _, k in ipairs(KEYS) do redis.call('PEXPIRE', k, ttl) end
end

local function publish(freed)
  if #freed > 0 then redis.call('PUBLISH', ARGV[5], table.concat(freed, ',')) end
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

/** ARGV[A]: id; then the estimate per dim; then the in-flight hold per dim. → ok | wait ms dim, then the live processes. */
const RESERVE = `${PROLOGUE}
local id = ARGV[A]
local result
if redis.call('HEXISTS', P, id) == 1 then
  result = { 'ok' }
else
  expire()
  local worst, worstMs = nil, 0
  for d = 1, n do
    local excess = used[d] + tonumber(ARGV[A + d]) - cap[d]
    if excess > EPS then
      local waitMs = math.huge
      local freed = 0
      for k = head[d], q do
        local e = get(k)
        if e then
          freed = freed + e.a[d]
          if freed >= excess - EPS then
            waitMs = e.time + span[d] - now
            break
          end
        end
      end
      if not worst or waitMs > worstMs then worst, worstMs = d, waitMs end
    end
  end
  local pausedMs = pausedUntil - now
  if worst or pausedMs > 0 then
    if not worst or pausedMs >= worstMs then
      result = { 'wait', num(pausedMs), 'pause' }
    else
      result = { 'wait', num(worstMs), tostring(worst) }
    end
  else
    q = q + 1
    local e = { time = now, id = id, a = {} }
    for d = 1, n do
      local amount = tonumber(ARGV[A + d])
      local hold = tonumber(ARGV[A + n + d])
      if hold > amount then amount = hold end
      e.a[d] = amount
      used[d] = used[d] + amount
    end
    put(q, e)
    redis.call('HSET', P, id, q)
    result = { 'ok' }
  end
end
redis.call('ZADD', W, num(now + maxspan), ARGV[4])
redis.call('ZREMRANGEBYSCORE', W, '-inf', num(now))
result[#result + 1] = redis.call('ZCARD', W)
save()
return result
`;

/** ARGV[A]: id; then per dim the actual usage, or '' to keep the estimate. */
const SETTLE = `${PROLOGUE}
local seq, e = take(ARGV[A])
if e then
  local freed = {}
  for d = 1, n do
    local v = ARGV[A + d]
    if v ~= '' then
      v = tonumber(v)
      -- Out of this dimension's window already: the server no longer counts it either.
      if e.time + span[d] > now then
        used[d] = used[d] + v - e.a[d]
        if v < e.a[d] then freed[#freed + 1] = d end
      end
      e.a[d] = v
    end
  end
  put(seq, e)
  publish(freed)
end
save()
return { 'ok' }
`;

/** ARGV[A]: id. Gives back all of it. */
const RELEASE = `${PROLOGUE}
local seq, e = take(ARGV[A])
if e then
  local freed = {}
  for d = 1, n do
    if seq >= head[d] then
      used[d] = used[d] - e.a[d]
      if e.a[d] > 0 then freed[#freed + 1] = d end
    end
  end
  redis.call('HDEL', H, seq)
  publish(freed)
end
save()
return { 'ok' }
`;

/** ARGV[A]: the pause in ms from now. Pauses never shorten one another. */
const PAUSE = `${PROLOGUE}
local upto = now + tonumber(ARGV[A])
if upto > pausedUntil then pausedUntil = upto end
save()
return { 'ok' }
`;

export const SCRIPTS = {
  reserve: RESERVE,
  settle: SETTLE,
  release: RELEASE,
  pause: PAUSE,
  observe: PROLOGUE + OBSERVE_BODY, // observe.ts
} as const;
export type ScriptName = keyof typeof SCRIPTS;
