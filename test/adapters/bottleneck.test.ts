import axios, { AxiosError } from 'axios';
import Bottleneck from 'bottleneck';
import sinon from 'sinon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bottleneckFailed } from '../../src/adapters/bottleneck/index.js';
import { cohere, constant, createPolicy, exponential } from '../../src/index.js';
import { type ScriptedServer, startScriptedServer } from '../helpers/scripted-server.js';

const fast = { backoff: constant(5) };

/** A job that throws the given errors in turn, then returns 'done'; records each run's time. */
function script(...errors: unknown[]) {
  const times: number[] = [];
  const job = async () => {
    times.push(performance.now());
    const next = errors[times.length - 1];
    if (next !== undefined) throw next;
    return 'done';
  };
  return { job, times };
}

/** A limiter with the policy's listener, recording what it returned and Bottleneck's retry messages. */
function limiterFor(policy: ReturnType<typeof createPolicy>) {
  const limiter = new Bottleneck();
  const listener = bottleneckFailed(policy);
  const returned: (number | undefined)[] = [];
  const retries: string[] = [];
  limiter.on('failed', (error, info) => {
    const r = listener(error, info);
    returned.push(r);
    return r;
  });
  limiter.on('retry', (message) => retries.push(message));
  return { limiter, returned, retries };
}

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(() => server.close());
afterEach(() => {
  sinon.restore();
  server.requests.length = 0;
});

/** A job posting to the scripted server with axios: it throws real AxiosErrors. */
function axiosJob() {
  const times: number[] = [];
  const job = async () => {
    times.push(performance.now());
    return (await axios.post(`${server.url}/v2/chat`, { message: 'hi' })).data;
  };
  return { job, times };
}

describe('bottleneckFailed', () => {
  it('retries { status: 503 } jobs after the backoff, then resolves', async () => {
    const { limiter, returned, retries } = limiterFor(createPolicy({ retry: fast }));
    const { job, times } = script({ status: 503 }, { status: 503 });
    await expect(limiter.schedule(job)).resolves.toBe('done');
    expect(times).toHaveLength(3);
    expect(returned).toEqual([5, 5]);
    expect(retries).toEqual([expect.stringMatching(/after 5 ms$/), expect.stringMatching(/after 5 ms$/)]);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(9);
  });

  it('does not retry a 400: the job rejects with its error after one run', async () => {
    const { limiter, returned } = limiterFor(createPolicy({ ...cohere(), retry: fast }));
    const error = { status: 400, body: { message: 'invalid request: model is required' } };
    const { job, times } = script(error);
    await expect(limiter.schedule(job)).rejects.toBe(error);
    expect(times).toHaveLength(1);
    expect(returned).toEqual([undefined]);
  });

  it('stops once retryCount + 1 >= maxAttempts', async () => {
    const { limiter, returned } = limiterFor(createPolicy({ retry: { ...fast, maxAttempts: 3 } }));
    const { job, times } = script(...Array(5).fill({ status: 503 }));
    await expect(limiter.schedule(job)).rejects.toMatchObject({ status: 503 });
    expect(times).toHaveLength(3);
    expect(returned).toEqual([5, 5, undefined]);
  });

  it('waits the retry-after-ms hint when it is longer than the backoff (axios against a server)', async () => {
    const { limiter, returned } = limiterFor(createPolicy({ ...cohere(), retry: fast }));
    const message = 'You are using a Trial key, which is limited to 40 API calls / minute.';
    server.reply({ status: 429, body: { message }, headers: { 'retry-after-ms': '40' } });
    const { job, times } = axiosJob();
    await expect(limiter.schedule(job)).resolves.toMatchObject({ ok: true, n: 2 });
    expect(returned).toEqual([40]);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(39);
  });

  it("waits a 2 s Retry-After on sinon's fake timers", async () => {
    const fake = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
    const { limiter } = limiterFor(createPolicy({ retry: fast }));
    const runs: number[] = [];
    const done = limiter.schedule(async () => {
      runs.push(Date.now());
      if (runs.length === 1) throw { status: 429, headers: { 'retry-after': '2' } };
      return 'done';
    });
    await fake.tickAsync(1_990);
    expect(runs).toHaveLength(1);
    await fake.tickAsync(20);
    await expect(done).resolves.toBe('done');
    expect(runs[1]! - runs[0]!).toBe(2_000);
  });

  it('does not retry an AxiosError 401; retries a dropped connection (AxiosError ECONNRESET)', async () => {
    const { limiter, returned } = limiterFor(createPolicy({ ...cohere(), retry: fast }));
    server.reply({ status: 401, body: { message: 'invalid api token' } });
    const unauthorized = await limiter.schedule(axiosJob().job).catch((e) => e);
    expect(unauthorized).toBeInstanceOf(AxiosError);
    expect(unauthorized.response.status).toBe(401);
    expect(server.requests).toHaveLength(1);
    server.reply('reset');
    await expect(limiter.schedule(axiosJob().job)).resolves.toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(returned).toEqual([undefined, 5]);
  });

  it('retries a job that outlives its expiration as a timeout', async () => {
    const { limiter, returned } = limiterFor(createPolicy({ retry: fast }));
    let runs = 0;
    const done = limiter.schedule({ expiration: 20 }, async () => {
      runs++;
      if (runs === 1) await new Promise((r) => setTimeout(r, 60));
      return 'done';
    });
    await expect(done).resolves.toBe('done');
    expect(runs).toBe(2);
    expect(returned).toEqual([5]);
  });

  it("computes the policy's backoff from jobInfo.retryCount", () => {
    const listener = bottleneckFailed(
      createPolicy({ retry: { maxAttempts: 4, backoff: exponential({ baseMs: 100, jitter: 'none' }) } }),
    );
    const info = (retryCount: number) =>
      ({ retryCount, args: [], options: {} }) as unknown as Bottleneck.EventInfoRetryable;
    expect([0, 1, 2, 3].map((n) => listener({ status: 502 }, info(n)))).toEqual([100, 200, 400, undefined]);
  });

  it('throws a TypeError naming itself when not given a policy', () => {
    expect(() => bottleneckFailed(null as never)).toThrow(
      'steady: bottleneckFailed(policy) needs a policy from createPolicy()',
    );
  });
});
