/**
 * `LimiterStore.observe` in the batch script (batch-script.ts), with the semantics of
 * `MemoryStore.observe`: op `o d used reserve perMs age`. The server's rate-limit headers say `used`
 * units of dimension `d` are counted on the key; where the ledger counts fewer (another client spends
 * on it), the difference is one entry on `d` alone, admitted now, back one window later. Never lowers
 * the count; capped at the limit. `age` (ms, '' when unknown): the server took its count that long
 * ago (the attempt's start), so the key's own admissions since are left out of the comparison (with
 * the batch's reply lag added to the count's time, as it is to the admissions' stamps), and
 * what observe charged is not taken for them (its entries are marked `~observed`). Answers the amount
 * charged, in the reply's place of this op.
 *
 * The room kept free (`reserve` units, growing by `perMs` a ms from the count's time until the next
 * observe, at most half the limit, as much as fits beside a reserve's own amount) is kept in the
 * state hash as `v<d> = "units perMs since"`, shared by every process on the key: any of them may
 * see the other client, and all of them must leave it the room.
 */
export const OBSERVE_FN = `
local kept, keptDirty = nil, false
local function loadKept()
  if kept then return end
  kept = {}
  local fields = {}
  for d = 1, n do fields[d] = 'v' .. d end
  local v = redis.call('HMGET', S, unpack(fields))
  for d = 1, n do
    if v[d] then
      local x = {}
      for w in string.gmatch(v[d], '%S+') do x[#x + 1] = tonumber(w) end
      kept[d] = { u = x[1], g = x[2], s = x[3] }
    end
  end
end

-- What a reserve of \`a\` on d must find free: \`a\` plus the room kept, as much of it as fits beside \`a\`.
local function withKept(d, a)
  if a <= 0 then return a end
  loadKept()
  local k = kept[d]
  if not k then return a end
  local r = k.u + k.g * math.max(0, now - k.s)
  r = math.min(r, cap[d] / 2, cap[d] - a)
  if r < 0 then r = 0 end
  return a + r
end

local function saveKept()
  if not keptDirty then return end
  local any = false
  for d = 1, n do
    local k = kept[d]
    if k and (k.u > 0 or k.g > 0) then any = true end
  end
  for d = 1, n do
    local k = kept[d]
    if any and k then
      redis.call('HSET', S, 'v' .. d, num(k.u) .. ' ' .. num(k.g) .. ' ' .. num(k.s))
    else
      redis.call('HDEL', S, 'v' .. d)
    end
  end
end

local function observe(i)
  local d = tonumber(ARGV[i])
  local want = tonumber(ARGV[i + 1])
  local units, perMs = tonumber(ARGV[i + 2]) or 0, tonumber(ARGV[i + 3]) or 0
  local age = tonumber(ARGV[i + 4])
  expire()
  if not (d and want and cap[d]) then return '0' end
  local asOf = nil
  if age and age > 0 then asOf = now - age end
  -- the pace grows from the newest count the server gave: its calls since then are unseen
  loadKept()
  local since = asOf or now
  if kept[d] and kept[d].s > since then since = kept[d].s end
  if units > 0 or perMs > 0 or next(kept) ~= nil then
    kept[d] = { u = units, g = perMs, s = since }
    keptDirty = true
  end
  local counted = used[d]
  if asOf then
    -- admissions are stamped \`lag\` late (batch-script.ts): so is the count's time, to compare them
    local seen = asOf + lag
    for k = q, head[d], -1 do
      local e = get(k)
      if e then
        if e.time <= seen then break end
        if e.id ~= '~observed' then counted = counted - e.a[d] end
      end
    end
  end
  if want > cap[d] then want = cap[d] end
  local extra = want - counted
  if extra <= EPS then return '0' end
  q = q + 1
  local e = { time = stamp(now), id = '~observed', a = {} }
  for k = 1, n do e.a[k] = 0 end
  e.a[d] = extra
  used[d] = used[d] + extra
  put(q, e)
  return num(extra)
end
`;

const positive = (x: number | undefined) =>
  x !== undefined && Number.isFinite(x) && x > 0 ? String(x) : '0';

/** The batch op of `observe` for dimension index `d` (0-based, -1: not limited), or undefined when it does nothing. */
export function observeOp(
  d: number,
  used: number,
  now: number,
  reserve?: number,
  reservePerMs?: number,
  asOf?: number,
): string[] | undefined {
  if (d < 0 || !Number.isFinite(used)) return undefined;
  const age = asOf !== undefined && asOf < now ? String(now - asOf) : '';
  return ['o', String(d + 1), String(used), positive(reserve), positive(reservePerMs), age];
}
