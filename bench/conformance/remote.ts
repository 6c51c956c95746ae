/** Starts bench/conformance/server.ts in a child process and talks to it over IPC. */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions, EmulatorStats } from '../../src/sim/emulator/index.js';

export interface RemoteEmulator {
  url: string;
  windowMs: number;
  stats(): Promise<EmulatorStats>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** `options` must be JSON (no clock). One request at a time: each waits for the child's answer. */
export async function startRemoteEmulator(options: Omit<EmulatorOptions, 'clock'>): Promise<RemoteEmulator> {
  const file = fileURLToPath(new URL('./server.ts', import.meta.url));
  const child = fork(file, [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const ask = async <T>(msg: string): Promise<T> => {
    child.send(msg);
    const [answer] = await once(child, 'message');
    return answer as T;
  };
  const [{ url, windowMs }] = (await once(child, 'message')) as [{ url: string; windowMs: number }];
  return {
    url,
    windowMs,
    stats: () => ask<EmulatorStats>('stats'),
    reset: async () => {
      await ask('reset');
    },
    close: async () => {
      child.send('close');
      await once(child, 'exit');
    },
  };
}
