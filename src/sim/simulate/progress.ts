/** A progress bar on a terminal's stderr; nothing at all when stderr is not a TTY. */

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 30;

/** `update(label, done, total)` redraws at most every 100 ms; `end()` clears the line. */
export function progressBar(stream: ProgressStream, now: () => number = () => performance.now()) {
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(label: string, done: number, total: number): void {
      if (!stream.isTTY) return;
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
      const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
      stream.write(`\r\x1b[2K${label.padEnd(12)} ${bar} ${done}/${total} calls`);
      drawn = true;
    },
    end(): void {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
