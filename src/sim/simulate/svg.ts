/**
 * `--svg FILE`: calls and tokens in the rolling minute against the limits over time, with the
 * retries and 429s marked underneath. Plain SVG 1.1, no scripts, readable as a PNG (rsvg-convert).
 */
import type { RunResult } from './run-virtual.js';
import { rollingSeries, seriesEnd } from './series.js';
import type { SimulateOptions } from './types.js';

const W = 960;
const LEFT = 150;
const RIGHT = 24;
const PLOT_W = W - LEFT - RIGHT;
const PANEL_H = 190;
const COLORS = {
  calls: '#1f6fb4',
  tokens: '#2a9d5b',
  limit: '#d62728',
  retry: '#f28e1c',
  own: '#d62728',
  injected: '#8c4bb8',
  grid: '#e3e3e3',
  text: '#222',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US'));

/** A tick step of 1, 2 or 5 × 10ⁿ giving about `count` ticks up to `max`. */
function step(max: number, count: number): number {
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
}

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
}

interface Panel {
  top: number;
  title: string;
  values: number[];
  limit: number;
  color: string;
  unit: string;
  /** What the line is, for the legend. */
  legend: string;
  /** Other strategies' lines, drawn thinner underneath (`--compare`). */
  others?: { name: string; label: string; values: number[]; color: string }[];
}

/** A swatch and its words, right-aligned at `right`. */
function legendItems(right: number, y: number, items: [string, string, string?][]): string {
  const out: string[] = [];
  let end = right;
  for (const [color, label, dash] of [...items].reverse()) {
    const width = label.length * 6.6;
    out.push(text(end - width, y, label, 'font-size="12"'));
    out.push(
      `<line x1="${(end - width - 26).toFixed(1)}" x2="${(end - width - 6).toFixed(1)}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    end -= width + 44;
  }
  return out.join('\n');
}

function panel(p: Panel, at: number[], x: (t: number) => number, xTicks: string): string {
  const others = p.others ?? [];
  const yMax = Math.max(p.limit * 1.15, ...p.values, ...others.flatMap((o) => o.values)) || 1;
  const y = (v: number) => p.top + PANEL_H - (v / yMax) * PANEL_H;
  const out: string[] = [];
  const s = step(yMax, 5);
  for (let v = 0; v <= yMax; v += s) {
    out.push(
      `<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${COLORS.grid}"/>`,
    );
    out.push(text(LEFT - 8, y(v) + 4, fmt(v), 'text-anchor="end" font-size="12"'));
  }
  out.push(xTicks);
  const points = (values: number[]) =>
    at.map((t, i) => `${x(t).toFixed(1)},${y(values[i]!).toFixed(1)}`).join(' ');
  for (const o of others) {
    out.push(
      `<polyline class="series" data-series="${p.unit}-${o.name}" fill="none" stroke="${o.color}" stroke-width="1.1" stroke-opacity="0.85" points="${points(o.values)}"/>`,
    );
  }
  out.push(
    `<polyline class="series" data-series="${p.unit}" fill="none" stroke="${p.color}" stroke-width="1.8" points="${points(p.values)}"/>`,
  );
  const ly = y(p.limit).toFixed(1);
  out.push(
    `<line class="limit" data-series="${p.unit}-limit" x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${ly}" y2="${ly}" stroke="${COLORS.limit}" stroke-width="1.5" stroke-dasharray="7 4"/>`,
  );
  const limitLabel = `limit ${p.limit.toLocaleString('en-US')} a minute`;
  const labelW = limitLabel.length * 6.6 + 8;
  out.push(
    `<rect x="${(LEFT + PLOT_W - labelW - 2).toFixed(1)}" y="${(Number(ly) - 19).toFixed(1)}" width="${labelW.toFixed(1)}" height="16" fill="#fff" fill-opacity="0.9"/>`,
  );
  out.push(
    text(
      LEFT + PLOT_W - 6,
      Number(ly) - 6,
      limitLabel,
      `text-anchor="end" font-size="12" fill="${COLORS.limit}"`,
    ),
  );

  out.push(
    `<rect x="${LEFT}" y="${p.top}" width="${PLOT_W}" height="${PANEL_H}" fill="none" stroke="#999"/>`,
  );
  out.push(text(LEFT, p.top - 28, p.title, 'font-size="14" font-weight="bold"'));
  out.push(
    legendItems(LEFT + PLOT_W, p.top - 8, [
      [p.color, p.legend],
      ...others.map((o): [string, string] => [o.color, o.label]),
      [COLORS.limit, 'the limit', '7 4'],
    ]),
  );
  out.push(
    text(
      LEFT - 56,
      p.top + PANEL_H / 2,
      p.unit,
      `font-size="12" transform="rotate(-90 ${LEFT - 56} ${p.top + PANEL_H / 2})" text-anchor="middle"`,
    ),
  );
  return out.join('\n');
}

/** One row of marks (a tick per event) with its label on the left. */
function marks(
  top: number,
  label: string,
  times: number[],
  color: string,
  cls: string,
  x: (t: number) => number,
): string {
  const ticks = times.map((t) => `M${x(t).toFixed(1)} ${top}v14`).join('');
  return [
    text(LEFT - 8, top + 11, `${label} (${times.length})`, 'text-anchor="end" font-size="12"'),
    `<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${top + 14}" y2="${top + 14}" stroke="${COLORS.grid}"/>`,
    `<path class="${cls}" d="${ticks || 'M0 0'}" stroke="${color}" stroke-width="1.2" stroke-opacity="0.8"/>`,
  ].join('\n');
}

/** Lines of the strategies `--compare` adds, under steady's. */
const OTHER_COLORS: Readonly<Record<string, string>> = {
  'no-limiter': '#8c564b',
  'fixed-window': '#e377c2',
  'p-retry': '#7f7f7f',
};

/**
 * The first run drawn in full; the others (`--compare`) add their calls line to the top panel, on
 * one time axis as long as the longest run.
 */
export function renderSvg(runs: readonly RunResult[], options: SimulateOptions): string {
  const [run, ...rest] = runs;
  if (!run) throw new Error('renderSvg: no run to draw');
  const endMs = Math.max(...runs.map((r) => seriesEnd(r)));
  const s = rollingSeries(run, 60_000, 600, endMs);
  const others = rest.map((r) => ({
    name: r.strategy,
    label: r.label,
    values: rollingSeries(r, 60_000, 600, endMs).calls,
    color: OTHER_COLORS[r.strategy] ?? '#999',
  }));
  const x = (t: number) => LEFT + (t / s.endMs) * PLOT_W;
  const minutes = s.endMs / 60_000;
  const xs = step(minutes, 10);
  const tickParts: string[] = [];
  for (let m = 0; m <= minutes + 1e-9; m += xs) {
    tickParts.push(
      `<line x1="${x(m * 60_000).toFixed(1)}" x2="${x(m * 60_000).toFixed(1)}" y1="TOP" y2="BOTTOM" stroke="${COLORS.grid}"/>`,
    );
  }
  const xTicks = (top: number) =>
    tickParts
      .join('\n')
      .replaceAll('TOP', String(top))
      .replaceAll('BOTTOM', String(top + PANEL_H));
  const p1 = 84;
  const p2 = p1 + PANEL_H + 66;
  const m0 = p2 + PANEL_H + 36;
  const axisY = m0 + 3 * 22 + 8;
  const H = axisY + 66;
  const labels: string[] = [];
  for (let m = 0; m <= minutes + 1e-9; m += xs) {
    labels.push(text(x(m * 60_000), axisY + 16, `${+m.toFixed(2)}`, 'text-anchor="middle" font-size="12"'));
    labels.push(
      `<line x1="${x(m * 60_000).toFixed(1)}" x2="${x(m * 60_000).toFixed(1)}" y1="${axisY}" y2="${axisY + 5}" stroke="#666"/>`,
    );
  }
  const who = rest.length > 0 ? ' --compare' : '';
  const title = `steady simulate${who}: ${options.calls.toLocaleString('en-US')} calls on a Cohere ${options.limits.plan} key, ${+(options.faults.reduce((a, f) => a + f.share, 0) * 100).toFixed(1)} % faults`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" fill="${COLORS.text}">
<title>${esc(title)}</title>
<rect width="${W}" height="${H}" fill="#fff"/>
${text(LEFT, 26, title, 'font-size="16" font-weight="bold"')}
${panel({ top: p1, title: 'Calls in the rolling minute: requests that reached the server (every attempt)', values: s.calls, limit: options.limits.calls, color: COLORS.calls, unit: 'calls', legend: run.label, others }, s.at, x, xTicks(p1))}
${panel({ top: p2, title: 'Tokens in the rolling minute: tokens the server billed', values: s.tokens, limit: options.limits.tokens, color: COLORS.tokens, unit: 'tokens', legend: run.label }, s.at, x, xTicks(p2))}
${text(LEFT, m0 - 8, rest.length > 0 ? `${run.label}'s retries and 429s` : 'retries and 429s', 'font-size="12" font-weight="bold"')}
${marks(m0, 'retries', s.retries, COLORS.retry, 'retries', x)}
${marks(m0 + 22, "server's own 429s", s.ownLimited, COLORS.own, 'own-429', x)}
${marks(m0 + 44, 'injected 429s', s.injectedLimited, COLORS.injected, 'injected-429', x)}
<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${axisY}" y2="${axisY}" stroke="#666"/>
${labels.join('\n')}
${text(LEFT + PLOT_W / 2, axisY + 36, 'time (minutes of traffic)', 'text-anchor="middle" font-size="13"')}
</svg>
`;
}
