/**
 * The fault server of the load run as a process of its own, for figures by hand:
 * `node --import tsx test/load/load-run.ts - 10000 7 --budget` starts it, reads the URL it prints,
 * and stops it after the run (the test runs the server in the vitest worker instead).
 */
import { startFaultServer } from './fault-server.js';
import { LIMIT, MIX, SLOW_MS } from './scenario.js';

const server = await startFaultServer({
  seed: Number(process.argv[2] ?? 7),
  limit: LIMIT,
  slowMs: SLOW_MS,
  mix: MIX,
});
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
