/**
 * `LimiterStore.observe` in Lua, after the shared prologue (lua.ts): the server's rate-limit headers
 * say `used` units of dimension `d` are counted on the key; where the ledger counts fewer (another
 * client spends on it), the difference is one entry on `d` alone, admitted now, back one window
 * later. Never lowers the count; capped at the limit. The `reserve` of `MemoryStore.observe` is not
 * kept here.
 *
 * ARGV[A]: the dimension's index (1-based, dims sorted by name); ARGV[A + 1]: `used`.
 * → { 'ok', charged }
 */
export const OBSERVE_BODY = `
local d = tonumber(ARGV[A])
local want = tonumber(ARGV[A + 1])
expire()
local extra = 0
if d and want and cap[d] then
  if want > cap[d] then want = cap[d] end
  extra = want - used[d]
  if extra > EPS then
    q = q + 1
    local e = { time = now, id = '~observed', a = {} }
    for i = 1, n do e.a[i] = 0 end
    e.a[d] = extra
    used[d] = used[d] + extra
    put(q, e)
  else
    extra = 0
  end
end
save()
return { 'ok', num(extra) }
`;
