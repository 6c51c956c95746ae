/** A result with the raw HTTP response it came with, when the client gave one. */
export interface WithRawResponse<T> {
  data: T;
  /** The client's raw response (cohere-ai: `{ headers, status, url, … }`); undefined when it gave none. */
  rawResponse: unknown;
}

/** Calls a method's result to `{ data, rawResponse }`: cohere-ai's `HttpResponsePromise` via `.withRawResponse()`. */
export async function toRaw<T>(result: unknown): Promise<WithRawResponse<T>> {
  const withRaw = (result as { withRawResponse?: unknown } | null)?.withRawResponse;
  if (typeof withRaw === 'function') return (await withRaw.call(result)) as WithRawResponse<T>;
  return { data: (await result) as T, rawResponse: undefined };
}

/**
 * What a wrapped method returns: a promise of the data, like cohere-ai's `HttpResponsePromise`,
 * with `.withRawResponse()` for the raw response (headers) too. Nothing is unwrapped until it is
 * awaited, so using only `.withRawResponse()` leaves no unhandled rejection behind.
 */
export class ResponsePromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #inner: Promise<WithRawResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(inner: Promise<WithRawResponse<T>>) {
    super((resolve) => resolve(undefined as T));
    this.#inner = inner;
  }

  #unwrap(): Promise<T> {
    this.#data ??= this.#inner.then((r) => r.data);
    return this.#data;
  }

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass that unwraps lazily, like cohere-ai's HttpResponsePromise
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

  /** The data and the raw response it came with. */
  withRawResponse(): Promise<WithRawResponse<T>> {
    return this.#inner.then((r) => r);
  }
}
