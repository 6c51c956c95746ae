import type { RedisClient } from './connection.js';

/**
 * Capacity another process frees (a settle below the estimate, a refund, a release) reaches this
 * one through Redis pub/sub: the scripts PUBLISH the dimensions they freed on the key's channel, and
 * while this process has a call waiting on one of them, a second connection (`redis.duplicate()`)
 * listens and wakes the limiter. Opened when a call is first refused, closed as soon as nobody
 * waits (or on `close()`), so an idle limiter holds no connection. Right after subscribing it wakes
 * the limiter once, so capacity freed while the subscription was being set up is not missed.
 */
export class WakeChannel {
  #sub: RedisClient | undefined;
  #closed = false;
  /** Dimension indices (1-based, as the scripts number them) that refused the head last. */
  #waitingOn = '';

  constructor(
    private readonly redis: RedisClient,
    private readonly channel: string,
    private readonly wake: () => void,
  ) {}

  get open(): boolean {
    return this.#sub !== undefined;
  }

  /** The head was refused on `dim` (a script's dimension index, or 'pause'). */
  waitFor(dim: string): void {
    this.#waitingOn = dim;
    if (this.#sub || this.#closed || dim === 'pause') return;
    const sub = this.redis.duplicate();
    this.#sub = sub;
    sub.on('error', () => {}); // the store sees Redis errors on its own commands
    sub.on('message', (_channel: string, freed: string) => {
      if (freed.split(',').includes(this.#waitingOn)) this.wake();
    });
    sub.subscribe(this.channel).then(
      () => {
        if (this.#sub === sub) this.wake();
      },
      () => {},
    );
  }

  /** Nobody waits: drop the connection. */
  stop(): void {
    const sub = this.#sub;
    this.#sub = undefined;
    this.#waitingOn = '';
    sub?.disconnect();
  }

  close(): void {
    this.#closed = true;
    this.stop();
  }
}
