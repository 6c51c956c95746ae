/** Small helpers shared by the benchmarks: timing loops and table printing. */

/** Runs `fn` `n` times sequentially (awaiting each) and returns ns per call. */
export async function timeLoop(fn: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / n;
}

/**
 * Measures each case in interleaved rounds (so drift in machine load hits all alike) and returns
 * the median ns/op of each.
 */
export async function compare(
  cases: Record<string, () => Promise<unknown>>,
  { n = 100_000, rounds = 9, warmup = 50_000 } = {},
): Promise<Record<string, number>> {
  const names = Object.keys(cases);
  for (const name of names) await timeLoop(cases[name]!, warmup);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of names) samples[name]!.push(await timeLoop(cases[name]!, n));
  }
  return Object.fromEntries(names.map((k) => [k, median(samples[k]!)]));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Prints rows as an aligned Markdown table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}
