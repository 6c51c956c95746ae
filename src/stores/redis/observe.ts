/**
 * `LimiterStore.observe` in the batch script (batch-script.ts, op `o d used`): the server's rate-limit
 * headers say `used` units of dimension `d` are counted on the key; where the ledger counts fewer
 * (another client spends on it), the difference is one entry on `d` alone, admitted now, back one
 * window later. Never lowers the count; capped at the limit. The `reserve` of `MemoryStore.observe`
 * is not kept here. Answers the amount charged, in the reply's place of this op.
 */
export const OBSERVE_FN = `
local function observe(i)
  local d = tonumber(ARGV[i])
  local want = tonumber(ARGV[i + 1])
  expire()
  if not (d and want and cap[d]) then return '0' end
  if want > cap[d] then want = cap[d] end
  local extra = want - used[d]
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
