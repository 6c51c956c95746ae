/** Describing an SDK steady has no profile for, and the pieces the built-in profiles share. */
import { describe, expect, it } from 'vitest';
import {
  cohereProfile,
  endpointOfPath,
  openaiStreamEvents,
  profileOf,
  type SdkProfile,
  StreamInterruptedError,
  wrapClient,
} from '../../src/adapters/sdk/index.js';
import { constant } from '../../src/backoff/index.js';
import { addAround, internalsOf } from '../../src/policy/around.js';
import { createPolicy } from '../../src/policy/policy.js';
import { wireStreamEvents } from '../../src/presets/wire-events.js';

/** A hand-written SDK: `send(body, { retries, cancel })`, a 503 first, then an answer; `tail(body, opts)` streams. */
class HomeSdk {
  seen: { retries?: number; cancel?: AbortSignal }[] = [];
  async send(body: { q: string }, opts: { retries?: number; cancel?: AbortSignal } = {}) {
    this.seen.push(opts);
    if (this.seen.length === 1) throw Object.assign(new Error('busy'), { status: 503 });
    return { answer: body.q.toUpperCase() };
  }
  async *tail(_body: object, _opts: object = {}) {
    yield { kind: 'open' };
    yield { kind: 'text', text: 'a' };
  }
}

const home: SdkProfile = {
  name: 'home-sdk',
  args: {
    signalOf: (args) => (args[1] as { cancel?: AbortSignal } | undefined)?.cancel,
    forAttempt: (args, signal) => [args[0], { ...(args[1] as object), retries: 0, cancel: signal }],
  },
  streams: (_args, m) => m.path[m.path.length - 1] === 'tail',
  events: {
    kind: (e) =>
      (e as { kind: string }).kind === 'open'
        ? 'start'
        : (e as { kind: string }).kind === 'done'
          ? 'end'
          : 'data',
    cutShort: () => true,
  },
  endpoint: (_args, m) => m.path.join('.'),
};

describe('wrapClient({ profile }) for an SDK steady does not know', () => {
  const policy = () => {
    const p = createPolicy({ retry: { maxAttempts: 3, backoff: constant(0) } });
    const endpoints: (string | undefined)[] = [];
    addAround(internalsOf(p)!, {
      call: (o, run) => {
        endpoints.push(o.endpoint);
        return run();
      },
      attempt: (_n, run) => run(),
    });
    return { p, endpoints };
  };

  it('puts its retries off and the attempt’s signal where the profile says, and names the endpoint', async () => {
    const raw = new HomeSdk();
    const { p, endpoints } = policy();
    const sdk = wrapClient(raw, p, { profile: home });
    const caller = new AbortController();
    expect(await sdk.send({ q: 'hi' }, { retries: 5, cancel: caller.signal })).toEqual({ answer: 'HI' });
    expect(raw.seen.map((o) => o.retries)).toEqual([0, 0]);
    expect(raw.seen.every((o) => o.cancel instanceof AbortSignal && o.cancel !== caller.signal)).toBe(true);
    expect(endpoints).toEqual(['send']);
  });

  it('reads its streams with its events: an end without `done` is StreamInterruptedError', async () => {
    const { p } = policy();
    const sdk = wrapClient(new HomeSdk(), p, { profile: home });
    const read = async () => {
      for await (const _ of await sdk.tail({})) {
        // drain
      }
    };
    await expect(read()).rejects.toBeInstanceOf(StreamInterruptedError);
  });

  it('is not chosen for a client it does not describe: a plain object gets the default', () => {
    expect(profileOf(new HomeSdk())).toBe(cohereProfile);
  });
});

describe('endpointOfPath', () => {
  it.each([
    ['/chat/completions', 'chat.completions'],
    ['/v1/messages', 'messages'],
    ['/v1/messages/count_tokens', 'messages.count_tokens'],
    ['/files/file-abc123/content', 'files'],
    ['/models/gpt-4o', 'models'],
    ['/embeddings?x=1', 'embeddings'],
    ['/123', undefined],
    [undefined, undefined],
  ])('%s → %s', (path, endpoint) => {
    expect(endpointOfPath(path)).toBe(endpoint);
  });
});

describe('stream events', () => {
  const chunk = (delta: object, finish: string | null = null) => ({
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  it('openai: the role chunk starts, content is data, finish_reason and the usage chunk end', () => {
    expect(openaiStreamEvents.kind(chunk({ role: 'assistant', content: '' }))).toBe('start');
    expect(openaiStreamEvents.kind(chunk({ content: 'a' }))).toBe('data');
    expect(openaiStreamEvents.kind(chunk({}, 'stop'))).toBe('end');
    expect(openaiStreamEvents.kind({ object: 'chat.completion.chunk', choices: [], usage: {} })).toBe('end');
    expect(
      openaiStreamEvents.kind({ type: 'response.failed', response: { error: { code: 'server_error' } } }),
    ).toBeInstanceOf(Error);
  });
  it('on the wire: [DONE] ends, a finish_reason chunk does not; error frames fail', () => {
    expect(wireStreamEvents.kind('[DONE]')).toBe('end');
    expect(wireStreamEvents.kind(chunk({}, 'stop'))).toBe('data');
    expect(wireStreamEvents.kind({ error: { type: 'server_error', message: 'x' } })).toBeInstanceOf(Error);
    expect(wireStreamEvents.kind({ type: 'error', error: { type: 'overloaded_error' } })).toBeInstanceOf(
      Error,
    );
    expect(wireStreamEvents.kind({ type: 'message_stop' })).toBe('end');
    expect(wireStreamEvents.kind({ type: 'message-end', delta: { finish_reason: 'COMPLETE' } })).toBe('end');
    expect(wireStreamEvents.cutShort(chunk({ role: 'assistant' }))).toBe(true);
  });
});
