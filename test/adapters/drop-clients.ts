/** The three HTTP adapters behind one shape, for the dropped-body tests: real got, axios and fetch. */
import axios from 'axios';
import got from 'got';
import { attachPolicy } from '../../src/adapters/axios/index.js';
import { steadyFetch } from '../../src/adapters/fetch/index.js';
import { gotPolicy } from '../../src/adapters/got/index.js';
import { cohere, constant, createPolicy, type Policy } from '../../src/index.js';
import { instantClock } from '../helpers/doubles.js';
import { recordingLimiter } from './sdk-helpers.js';

export interface Client {
  name: 'fetch' | 'got' | 'axios';
  /** A plain call: the body as text, once the adapter hands it over. */
  text(url: string, signal?: AbortSignal): Promise<string>;
  /** A streamed call: the body as the adapter streams it. */
  stream(url: string, signal?: AbortSignal): Promise<AsyncIterable<Uint8Array | string>>;
}

/**
 * A policy with the cohere preset, waits of 1 ms on an instant clock and a recording limiter,
 * behind the three clients: what each drop test starts from.
 */
export function setup(maxAttempts = 4) {
  const rec = recordingLimiter();
  const reasons: string[] = [];
  const policy = createPolicy({
    ...cohere(),
    clock: instantClock(),
    limiter: rec.limiter,
    retry: { backoff: constant(1), maxAttempts },
    on: { retry: (e) => reasons.push(e.verdict.reason) },
  });
  return { rec, reasons, list: clients(policy) };
}

export function clients(policy: Policy): Client[] {
  const api = got.extend(gotPolicy(policy));
  const ax = axios.create();
  attachPolicy(ax, policy);
  const f = steadyFetch(policy);
  return [
    {
      name: 'fetch',
      text: async (url, signal) => (await f(url, { signal })).text(),
      stream: async (url, signal) => (await f(url, { signal })).body as unknown as AsyncIterable<Uint8Array>,
    },
    {
      name: 'got',
      text: async (url, signal) => (await api(url, { signal })).body,
      stream: async (url, signal) => api.stream(url, { signal }),
    },
    {
      name: 'axios',
      text: async (url, signal) => (await ax.get(url, { signal, responseType: 'text' })).data,
      stream: async (url, signal) => (await ax.get(url, { signal, responseType: 'stream' })).data,
    },
  ];
}

/** Reads a stream to its end or its error: the text received, and the error (undefined when it ended). */
export async function drain(
  stream: AsyncIterable<Uint8Array | string>,
  onChunk?: () => void,
): Promise<{ text: string; error: any }> {
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of stream) {
      text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      onChunk?.();
    }
    return { text, error: undefined };
  } catch (error) {
    return { text, error };
  }
}
