import type { WithRawResponse } from '../../presets/sdk-profile.js';

export type { WithRawResponse } from '../../presets/sdk-profile.js';

/** How a call's result is read: its data (the body parsed), or the raw response alone (body unread). */
export type ReadMode = 'data' | 'response';

export interface ResponsePromiseOptions {
  /** `withResponse()`'s value from a settled result (Stainless: `{ data, response, request_id }`). */
  withResponse?: (r: WithRawResponse) => unknown;
  /**
   * Start the call after the current synchronous code, so that `.asResponse()` called at once
   * reads the raw response instead of the data (Stainless's `APIPromise` parses lazily too).
   */
  deferred?: boolean;
}

const RAW = (r: WithRawResponse) => ({ data: r.data, response: r.rawResponse });

/**
 * What a wrapped call returns: a promise of the data, like the SDK's own (cohere-ai's
 * `HttpResponsePromise`, Stainless's `APIPromise` / `PagePromise`), with its extras:
 * `.withRawResponse()` (cohere-ai), `.withResponse()`, `.asResponse()` and `._thenUnwrap()`
 * (openai, @anthropic-ai/sdk), and `for await` over a list's items without awaiting the page.
 * Nothing is unwrapped until it is asked for, so using only `.withResponse()` or `.asResponse()`
 * leaves no unhandled rejection behind.
 *
 * **Gotcha**: `.asResponse()` gives a `Response` whose body is unread only when it is called in
 * the same tick as the call (`await client.x.create(…).asResponse()`); once the data was read,
 * it gives the response whose body the SDK already consumed.
 */
export class ResponsePromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #start: (mode: ReadMode) => Promise<WithRawResponse<T>>;
  readonly #options: ResponsePromiseOptions;
  #inner: Promise<WithRawResponse<T>> | undefined;
  #data: Promise<T> | undefined;

  constructor(start: (mode: ReadMode) => Promise<WithRawResponse<T>>, options: ResponsePromiseOptions = {}) {
    super((resolve) => resolve(undefined as T));
    this.#start = start;
    this.#options = options;
    if (options.deferred) queueMicrotask(() => this.#begin('data'));
    else this.#begin('data');
  }

  #begin(mode: ReadMode): Promise<WithRawResponse<T>> {
    if (!this.#inner) {
      this.#inner = this.#start(mode);
    }
    return this.#inner;
  }

  #unwrap(): Promise<T> {
    this.#data ??= this.#begin('data').then((r) => r.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass that unwraps lazily, like the SDKs' own
  override then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#unwrap().then(onfulfilled, onrejected);
  }

  override catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#unwrap().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#unwrap().finally(onfinally);
  }

  /** The data and the raw response it came with (cohere-ai's `.withRawResponse()`). */
  withRawResponse(): Promise<WithRawResponse<T>> {
    return this.#begin('data').then((r) => r);
  }

  /** The data and the response (openai / @anthropic-ai/sdk's `.withResponse()`: `{ data, response, request_id }`). */
  withResponse(): Promise<unknown> {
    const shape = this.#options.withResponse ?? RAW;
    return this.#begin('data').then((r) => shape(r as WithRawResponse));
  }

  /** The raw response; its body is unread when this is called before anything else (see the Gotcha). */
  asResponse(): Promise<unknown> {
    return this.#begin('response').then((r) => r.rawResponse);
  }

  /** Stainless's `_thenUnwrap`: the same call, its data transformed (used by `parse()` helpers). */
  _thenUnwrap<U>(
    transform: (data: T, props: { response: unknown; options: unknown }) => U,
  ): ResponsePromise<U> {
    return new ResponsePromise<U>(
      (mode) =>
        this.#begin(mode).then((r) =>
          mode === 'response'
            ? (r as unknown as WithRawResponse<U>)
            : {
                data: transform(r.data, { response: r.rawResponse, options: r.options ?? {} }),
                rawResponse: r.rawResponse,
                options: r.options,
              },
        ),
      { ...this.#options, deferred: true },
    );
  }

  /** Iterates a list's items (a Stainless `Page`, or any async iterable the call resolves to). */
  async *[Symbol.asyncIterator](): AsyncGenerator<unknown, void, undefined> {
    const data = (await this) as unknown as AsyncIterable<unknown>;
    for await (const item of data) yield item;
  }
}
