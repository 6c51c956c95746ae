import { randomBytes } from 'node:crypto';
import { LimitsMismatchError } from '../../errors/limits-mismatch-error.js';
import { StoreUnavailableError } from '../../errors/store-unavailable-error.js';
import { type LimiterStore, PAUSE, type ReserveResult, type StoreBinding } from '../../limit/store.js';
import type { Cost } from '../../limit/types.js';
import { type Bound, bindTo } from './binding.js';
import { type RedisClient, RedisDown, runScript } from './connection.js';
import { observeOp } from './observe.js';
import { Pipeline } from './pipeline.js';

/** What the store does while Redis cannot be reached. */
export type RedisErrorMode = 'local' | 'open' | 'closed';

/** Checked options (see `redisStore`). */
export interface RedisStoreConfig {
  key: string;
  onError: RedisErrorMode;
  timeoutMs: number;
  /** Tests only: use the limiter's `now` instead of Redis `TIME`. */
  callerClock?: boolean;
}

const OK: ReserveResult = Object.freeze({ ok: true });
const noop = () => {};
/**
 * Queued calls the limiter may send in one round trip (`LimiterStore.batch`). The calls of one batch
 * share one entry time and start in one tick; 16 keeps that burst small. (The 4-process bench saw
 * its scaled 50 ms margin overrun under heavy load with 2, 16 and 64 alike.)
 */
const BATCH = 16;

/**
 * The limiter's ledger in Redis, shared by every process that uses the same `key`: the rolling
 * ledger of `MemoryStore` in Lua (lua.ts), time from Redis `TIME`. The operations of one turn of
 * the event loop go in one script run, one round trip (pipeline.ts).
 */
export class RedisStore implements LimiterStore {
  readonly batch = BATCH;
  readonly #redis: RedisClient;
  readonly #cfg: RedisStoreConfig;
  readonly #keys: string[];
  /** This process's registration on the key, and the namespace of its reservation ids. */
  readonly #proc = randomBytes(6).toString('hex');
  readonly #pipeline: Pipeline;
  #bound: Bound | undefined;
  /** Processes that reserved on the key within its longest window, as Redis last said. */
  #live = 1;
  #down = false;
  /** A reserve of this process was refused since it last got one: Redis keeps it as waiting. */
  #waiting = false;
  /** Reservations let through without Redis (`open`). */
  readonly #open = new Set<string>();

  constructor(redis: RedisClient, config: RedisStoreConfig) {
    this.#redis = redis;
    this.#cfg = config;
    this.#pipeline = new Pipeline(
      (args, now, late, lagMs) => this.#send(lagMs > 0 ? ['l', lagMs.toFixed(1), ...args] : args, now, late),
      (rid) => this.#adopt(rid),
      !config.callerClock,
    );
    const tag = `steady:{${config.key}}`;
    this.#keys = [`${tag}:s`, `${tag}:h`, `${tag}:p`, `${tag}:w`, `${tag}:r`];
  }

  /** The Redis keys this store writes (all in one hash slot). */
  get keys(): readonly string[] {
    return this.#keys;
  }

  /** True while the last operation could not reach Redis (and `onError` decided). */
  get fallback(): boolean {
    return this.#down;
  }

  /** Live processes on the key, as Redis last counted them; the local share is 1 / this. */
  get processes(): number {
    return this.#live;
  }

  /** True while a subscription waits for capacity freed by other processes. */
  get listening(): boolean {
    return this.#bound?.wake.open ?? false;
  }

  bind(binding: StoreBinding): void {
    if (this.#bound) {
      throw new TypeError(
        `steady: redisStore "${this.#cfg.key}" is already used by a limiter; create one store per policy`,
      );
    }
    if (binding.algorithm !== undefined && binding.algorithm !== 'rolling') {
      throw new TypeError('steady: option "limiter.algorithm" must be \'rolling\' with redisStore');
    }
    this.#bound = bindTo(this.#redis, this.#cfg.key, this.#proc, binding);
  }

  idle(): void {
    this.#bound?.wake.stop();
    if (!this.#bound || !this.#waiting) return;
    this.#waiting = false; // its place in the fleet's queue goes too
    this.#pipeline.push(['i'], Number.NEGATIVE_INFINITY).catch(noop);
  }

  /** Drops the subscription, if any. The client passed in is yours: quit it yourself. */
  async close(): Promise<void> {
    this.#bound?.wake.close();
  }

  async tryReserve(id: string, cost: Cost, now: number, hold?: Cost): Promise<ReserveResult> {
    const b = this.#bind();
    const rid = `${this.#proc}:${id}`;
    if (this.#open.has(rid)) return OK;
    if (b.local.has(rid)) return b.local.tryReserve(rid, cost, now, hold, this.#live);
    const amounts = b.dims.map((d) => String(cost[d] ?? 0));
    const holds = b.dims.map((d) => String(Math.max(cost[d] ?? 0, hold?.[d] ?? 0)));
    let reply: string | undefined;
    try {
      reply = await this.#pipeline.push(['r', rid, ...amounts, ...holds], now, rid);
    } catch (err) {
      return this.#reserveElsewhere(err, rid, cost, now, hold);
    }
    if (reply === 'ok') {
      this.#waiting = false;
      if (this.#cfg.onError === 'local') b.local.noteAdmitted(rid, cost, hold, now);
      return OK;
    }
    const [, ms, index] = (reply ?? '').split(' ');
    this.#waiting = true;
    b.wake.waitFor(index!);
    const retryInMs = ms === 'inf' ? Number.POSITIVE_INFINITY : Number(ms);
    return { ok: false, retryInMs, dimension: index === PAUSE ? PAUSE : b.dims[Number(index) - 1]! };
  }

  /** Goes with the next round trip (with the reserve it lets through, if any). */
  async settle(id: string, actual: Partial<Record<string, number>>, now: number): Promise<void> {
    const b = this.#bind();
    const rid = `${this.#proc}:${id}`;
    if (this.#open.delete(rid)) return;
    if (b.local.has(rid)) return b.local.settle(rid, actual, now);
    const values = b.dims.map((d) => {
      const v = actual[d];
      return typeof v === 'number' && v >= 0 && Number.isFinite(v) ? String(v) : '';
    });
    if (this.#cfg.onError === 'local') b.local.noteSettled(rid, actual);
    await this.#pipeline.push(['s', rid, ...values], now).catch(noop);
  }

  async release(id: string, now: number): Promise<void> {
    const b = this.#bind();
    const rid = `${this.#proc}:${id}`;
    if (this.#open.delete(rid)) return;
    if (b.local.has(rid)) return b.local.release(rid, now);
    if (this.#cfg.onError === 'local') b.local.noteSettled(rid, undefined);
    await this.#pipeline.push(['x', rid], now).catch(noop);
  }

  async pause(durationMs: number, now: number): Promise<void> {
    const b = this.#bind();
    b.local.pause(durationMs, now); // kept too, in case Redis goes away during the pause
    await this.#pipeline.push(['p', String(durationMs)], now).catch(noop);
  }

  /** `observe` honours `asOf` (its Redis ledger keeps each admission's time). */
  readonly observesAsOf = true;

  /** See `LimiterStore.observe` and stores/redis/observe.ts. A Redis error charges nothing. */
  async observe(
    dimension: string,
    used: number,
    now: number,
    reserve?: number,
    reservePerMs?: number,
    asOf?: number,
  ): Promise<number> {
    const op = observeOp(this.#bind().dims.indexOf(dimension), used, now, reserve, reservePerMs, asOf);
    if (!op) return 0;
    const reply = await this.#pipeline.push(op, now, undefined, true).catch(noop);
    return Number(reply) || 0;
  }

  #bind(): Bound {
    if (this.#bound) return this.#bound;
    throw new TypeError(
      'steady: a redisStore takes its limits from the policy: pass it as createPolicy({ limits, limiter: { store } })',
    );
  }

  /**
   * One batch; what the outage admitted locally goes first. A mismatch of limits is thrown as such,
   * any other failure as the client's error.
   */
  async #send(ops: string[], now: number, late: (reply: string[]) => void): Promise<string[]> {
    const b = this.#bound!;
    const head = this.#cfg.callerClock ? [b.head[0]!, String(now), ...b.head.slice(2)] : b.head;
    const handBack = b.local.handBack(now);
    let reply: string[];
    try {
      reply = (await runScript(
        this.#redis,
        'batch',
        this.#keys,
        handBack ? [...head, ...handBack, ...ops] : [...head, ...ops],
        this.#cfg.timeoutMs,
        this.#down,
        late as (r: unknown) => void,
      )) as string[];
    } catch (err) {
      this.#down = true;
      throw err;
    }
    this.#down = false;
    if (reply[0] === 'mismatch') {
      throw new LimitsMismatchError(
        `steady: redisStore key "${this.#cfg.key}" is in use with other limits (${reply[1]}); this process has ${b.head[0]}. ` +
          'Give every process on one key the same limits, or use a new key.',
      );
    }
    if (handBack) b.local.handedBack();
    const live = Number(reply.at(-1));
    if (live > 0) this.#live = live;
    return reply;
  }

  /**
   * Redis admitted `rid` after the store stopped waiting for it: if the call still holds what it got
   * elsewhere (local or open), Redis's reservation becomes the one it settles, and the local copy is
   * not handed back; else (refused, settled already) Redis's is released.
   */
  #adopt(rid: string): boolean {
    if (this.#open.delete(rid)) return true;
    return this.#bound!.local.adopt(rid);
  }

  #reserveElsewhere(err: unknown, rid: string, cost: Cost, now: number, hold?: Cost): ReserveResult {
    if (err instanceof LimitsMismatchError) throw err;
    const mode = this.#cfg.onError;
    if (mode === 'closed') {
      const why = err instanceof RedisDown ? err.message : 'Redis answered with an error';
      const message = `steady: the limiter cannot reach Redis (${why}) and onError is 'closed'`;
      throw new StoreUnavailableError(message, { cause: err });
    }
    if (mode === 'open') {
      this.#open.add(rid);
      return OK;
    }
    return this.#bound!.local.tryReserve(rid, cost, now, hold, this.#live);
  }
}
