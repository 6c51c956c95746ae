/**
 * `--svg FILE`: calls and tokens in the rolling minute against the limits over time, with the
 * retries and 429s marked underneath. Plain SVG 1.1, no scripts, readable as a PNG (rsvg-convert).
 */
import type { RunResult } from './run-virtual.js';
import { rollingSeries } from './series.js';
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
  const yMax = Math.max(p.limit * 1.15, ...p.values) || 1;
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
  const points = at.map((t, i) => `${x(t).toFixed(1)},${y(p.values[i]!).toFixed(1)}`).join(' ');
  out.push(
    `<polyline class="series" data-series="${p.unit}" fill="none" stroke="${p.color}" stroke-width="1.8" points="${points}"/>`,
  );
  const ly = y(p.limit).toFixed(1);
  out.push(
    `<line class="limit" data-series="${p.unit}-limit" x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${ly}" y2="${ly}" stroke="${COLORS.limit}" stroke-width="1.5" stroke-dasharray="7 4"/>`,
  );
  out.push(
    text(
      LEFT + PLOT_W - 4,
      Number(ly) - 6,
      `limit ${p.limit.toLocaleString('en-US')} a minute`,
      `text-anchor="end" font-size="12" fill="${COLORS.limit}"`,
    ),
  );
  out.push(
    `<rect x="${LEFT}" y="${p.top}" width="${PLOT_W}" height="${PANEL_H}" fill="none" stroke="#999"/>`,
  );
  out.push(text(LEFT, p.top - 8, p.title, 'font-size="14" font-weight="bold"'));
  out.push(
    legendItems(LEFT + PLOT_W, p.top - 8, [
      [p.color, p.legend],
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

export function renderSvg(run: RunResult, options: SimulateOptions): string {
  const s = rollingSeries(run);
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
  const p1 = 64;
  const p2 = p1 + PANEL_H + 50;
  const m0 = p2 + PANEL_H + 24;
  const axisY = m0 + 3 * 22 + 8;
  const H = axisY + 66;
  const labels: string[] = [];
  for (let m = 0; m <= minutes + 1e-9; m += xs) {
    labels.push(text(x(m * 60_000), axisY + 16, `${+m.toFixed(2)}`, 'text-anchor="middle" font-size="12"'));
    labels.push(
      `<line x1="${x(m * 60_000).toFixed(1)}" x2="${x(m * 60_000).toFixed(1)}" y1="${axisY}" y2="${axisY + 5}" stroke="#666"/>`,
    );
  }
  const who = run.strategy === 'steady' ? 'the steady policy' : run.label;
  const title = `steady simulate (${who}): ${options.calls.toLocaleString('en-US')} calls on a Cohere ${options.limits.plan} key, ${+(options.faults.reduce((a, f) => a + f.share, 0) * 100).toFixed(1)} % faults`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" fill="${COLORS.text}">
<title>${esc(title)}</title>
<rect width="${W}" height="${H}" fill="#fff"/>
${text(LEFT, 26, title, 'font-size="16" font-weight="bold"')}
${panel({ top: p1, title: 'Calls in the rolling minute', values: s.calls, limit: options.limits.calls, color: COLORS.calls, unit: 'calls', legend: 'requests that reached the server (every attempt)' }, s.at, x, xTicks(p1))}
${panel({ top: p2, title: 'Tokens in the rolling minute', values: s.tokens, limit: options.limits.tokens, color: COLORS.tokens, unit: 'tokens', legend: 'tokens the server billed' }, s.at, x, xTicks(p2))}
${marks(m0, 'retries', s.retries, COLORS.retry, 'retries', x)}
${marks(m0 + 22, "server's own 429s", s.ownLimited, COLORS.own, 'own-429', x)}
${marks(m0 + 44, 'injected 429s', s.injectedLimited, COLORS.injected, 'injected-429', x)}
<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${axisY}" y2="${axisY}" stroke="#666"/>
${labels.join('\n')}
${text(LEFT + PLOT_W / 2, axisY + 36, 'time (minutes of traffic)', 'text-anchor="middle" font-size="13"')}
</svg>
`;
}
