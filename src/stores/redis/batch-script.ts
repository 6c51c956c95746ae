import { MOVE_FN } from './move.js';
import { OBSERVE_FN } from './observe.js';
import { PROLOGUE } from './prologue.js';

/**
 * Every operation of one process since its last round trip, in order, in one script: the state is
 * read once and written once. ARGV[A…]: ops, each a code and its arguments —
 * `r id amount×n hold×n` reserve, `s id actual×n` settle ('' keeps the estimate), `x id` release,
 * `p ms` pause, `o d used reserve perMs age` observe (observe.ts), `i` this process waits no more, `l ms` the reserves
 * after it are stamped `ms` after the script's time (the process's reply lag: pipeline.ts),
 * `c ms k id×k` those admissions moved `ms` later (their reply came later than that lag),
 * `m k (age id amount×n)×k` the reservations admitted in this process while Redis was away (oldest
 * first; id '-' once settled).
 * Reply: per reserve, in order, 'ok' or 'w <ms> <dim index | pause>' (and per observe the amount
 * charged, in its place); then the live processes.
 *
 * Once a reserve of the batch is refused, the later ones are refused with the same answer: the
 * limiter sends its queue in order, and nobody overtakes the head.
 *
 * Waiting processes (`r`: process → "since due amount×n") queue across processes: a reserve counts
 * the amounts of the processes that have waited longer than this one as taken, so each waiting
 * process is told its own time (its place in the fleet's queue) instead of all of them retrying when
 * the same entry leaves the window. A waiter is dropped once admitted, when its process goes idle,
 * or GRACE ms after it was due (its process died, or its job moved elsewhere).
 */
export const BATCH = `${PROLOGUE}
local GRACE = 500
local me = ARGV[4]
local lag = 0
local out = {}
local freed = {}
local blocked = nil
local registered = false
local others, mine, claimsDirty = nil, nil, false
${OBSERVE_FN}
local function loadClaims()
  if others then return end
  others = {}
  local all = redis.call('HGETALL', R)
  for i = 1, #all, 2 do
    local f = {}
    for x in string.gmatch(all[i + 1], '%S+') do f[#f + 1] = x end
    local c = { proc = all[i], since = tonumber(f[1]), due = tonumber(f[2]), a = {} }
    for d = 1, n do c.a[d] = tonumber(f[2 + d]) end
    if c.due + GRACE <= now then
      redis.call('HDEL', R, c.proc)
    elseif c.proc == me then
      mine = c
    else
      others[#others + 1] = c
    end
  end
end

local function ahead()
  local s = {}
  for d = 1, n do s[d] = 0 end
  for _, c in ipairs(others) do
    if not mine or c.since < mine.since or (c.since == mine.since and c.proc < me) then
      for d = 1, n do s[d] = s[d] + c.a[d] end
    end
  end
  return s
end

local function reserve(i)
  local id = ARGV[i]
  if redis.call('HEXISTS', P, id) == 1 then return 'ok' end
  if blocked then return blocked end
  expire()
  loadClaims()
  local taken = ahead()
  local worst, worstMs = nil, 0
  for d = 1, n do
    -- with the room kept free for another client (observe.ts)
    local amount = withKept(d, tonumber(ARGV[i + d]))
    -- what others wait for counts only on the dimensions this call takes from
    local excess = used[d] + amount - cap[d]
    if amount > 0 then excess = excess + taken[d] end
    if excess > EPS then
      local waitMs = math.huge
      if amount <= cap[d] + EPS then
        -- entries leave in seq order: \`got\` is free once the latest of them has left (op c)
        local got, latest = 0, -math.huge
        for k = head[d], q do
          local e = get(k)
          if e then
            got = got + e.a[d]
            if e.time > latest then latest = e.time end
            if got >= excess - EPS then
              waitMs = latest + span[d] - now
              break
            end
          end
        end
        -- more is taken by those waiting than is in the window: after the whole window, at most
        if waitMs == math.huge then waitMs = maxspan end
      end
      if not worst or waitMs > worstMs then worst, worstMs = d, waitMs end
    end
  end
  local pausedMs = pausedUntil - now
  if worst or pausedMs > 0 then
    local dim, ms = tostring(worst), worstMs
    if not worst or pausedMs >= worstMs then dim, ms = 'pause', pausedMs end
    blocked = 'w ' .. num(ms) .. ' ' .. dim
    if ms < math.huge then
      if not mine then mine = { since = now, a = {} } end
      mine.due = now + ms
      for d = 1, n do mine.a[d] = tonumber(ARGV[i + d]) end
      claimsDirty = true
    end
    return blocked
  end
  q = q + 1
  local e = { time = stamp(now + lag), id = id, a = {} }
  for d = 1, n do
    local amount = tonumber(ARGV[i + d])
    local hold = tonumber(ARGV[i + n + d])
    if hold > amount then amount = hold end
    e.a[d] = amount
    used[d] = used[d] + amount
  end
  put(q, e)
  redis.call('HSET', P, id, q)
  if mine then mine, claimsDirty = nil, true end
  return 'ok'
end

local function settle(i)
  local seq, e = take(ARGV[i])
  if not e then return end
  for d = 1, n do
    local v = ARGV[i + d]
    if v ~= '' then
      v = tonumber(v)
      -- Out of this dimension's window already: the server no longer counts it either.
      if seq >= head[d] then
        used[d] = used[d] + v - e.a[d]
        if v < e.a[d] then freed[d] = true end
      end
      e.a[d] = v
    end
  end
  put(seq, e)
end

local function release(i)
  local seq, e = take(ARGV[i])
  if not e then return end
  for d = 1, n do
    if seq >= head[d] then
      used[d] = used[d] - e.a[d]
      if e.a[d] > 0 then freed[d] = true end
    end
  end
  redis.call('HDEL', H, seq)
end

${MOVE_FN}
local i = A
while i <= #ARGV do
  local op = ARGV[i]
  if op == 'r' then
    if not registered then
      registered = true
      redis.call('ZADD', W, num(now + maxspan), me)
      redis.call('ZREMRANGEBYSCORE', W, '-inf', num(now))
    end
    out[#out + 1] = reserve(i + 1)
    i = i + 2 + 2 * n
  elseif op == 's' then
    settle(i + 1)
    i = i + 2 + n
  elseif op == 'x' then
    release(i + 1)
    i = i + 2
  elseif op == 'p' then
    local upto = now + tonumber(ARGV[i + 1])
    if upto > pausedUntil then pausedUntil = upto end
    i = i + 2
  elseif op == 'o' then
    out[#out + 1] = observe(i + 1)
    i = i + 6
  elseif op == 'c' then
    local ms, k = tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
    for j = 1, k do correct(ms, ARGV[i + 2 + j]) end
    i = i + 3 + k
  elseif op == 'l' then
    lag = tonumber(ARGV[i + 1])
    i = i + 2
  elseif op == 'i' then
    loadClaims()
    if mine then mine, claimsDirty = nil, true end
    i = i + 1
  elseif op == 'm' then
    local k = tonumber(ARGV[i + 1])
    merge(i + 2, k)
    i = i + 2 + k * (2 + n)
  else
    return redis.error_reply('steady: unknown operation ' .. tostring(op))
  end
end

if claimsDirty then
  if mine then
    local parts = { num(mine.since), num(mine.due) }
    for d = 1, n do parts[2 + d] = num(mine.a[d]) end
    redis.call('HSET', R, me, table.concat(parts, ' '))
  else
    redis.call('HDEL', R, me)
  end
end
saveKept()
save()
local list = {}
for d = 1, n do if freed[d] then list[#list + 1] = d end end
if #list > 0 then redis.call('PUBLISH', ARGV[5], table.concat(list, ',')) end
out[#out + 1] = registered and redis.call('ZCARD', W) or 0
return out
`;
