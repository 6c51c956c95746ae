/**
 * Entries of the batch script (batch-script.ts) that do not come from its own reserves: op `c`
 * (`correct`), admissions moved later because their reply reached the process later than the lag
 * they were stamped with (pipeline.ts); op `m` (`merge`), the admissions of an outage handed back.
 */
export const MOVE_FN = `
-- Admissions whose reply reached their process \`ms\` later than the lag they were stamped with:
-- moved that much later (in place; their seq stays, so an entry may be later than the next ones,
-- which then leave with it: expire stops at the first entry still inside).
local function correct(ms, id)
  local seq = redis.call('HGET', P, id)
  if not seq then return end
  seq = tonumber(seq)
  local e = get(seq)
  if not e then return end
  e.time = e.time + ms
  if e.time > newest then newest = e.time end
  put(seq, e)
end

-- Entries admitted elsewhere: kept in time order (never before the newest entry), each counted only
-- in the windows it is still inside.
local function merge(i, k)
  for j = 0, k - 1 do
    local at = i + j * (2 + n)
    local t = now - tonumber(ARGV[at])
    if t > now then t = now end
    t = stamp(t)
    q = q + 1
    local e = { time = t, id = ARGV[at + 1], a = {} }
    for d = 1, n do
      local amount = tonumber(ARGV[at + 1 + d])
      if t + span[d] <= now then amount = 0 end
      e.a[d] = amount
      used[d] = used[d] + amount
    end
    put(q, e)
    if e.id ~= '-' then redis.call('HSET', P, e.id, q) end
  end
end
`;
