/**
 * The emulator in its own process, so the server's work does not queue behind the client's on one
 * event loop (a real server never shares the caller's). Driven over IPC by bench/conformance.ts:
 * it sends `{ url, windowMs }` once listening, then answers `stats`, `reset` and `close`.
 */
import { startEmulator } from '../../src/sim/emulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const emu = await startEmulator(options);
process.send!({ url: emu.url, windowMs: emu.windowMs });
process.on('message', async (msg: string) => {
  if (msg === 'stats') process.send!(emu.stats());
  else if (msg === 'reset') {
    emu.reset();
    process.send!('ok');
  } else if (msg === 'close') {
    await emu.close();
    process.disconnect();
  }
});
