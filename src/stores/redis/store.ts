import { randomBytes } from 'node:crypto';
import { LimitsMismatchError } from '../../errors/limits-mismatch-error.js';
import { StoreUnavailableError } from '../../errors/store-unavailable-error.js';
import { MemoryStore } from '../../limit/memory-store.js';
import { defaultSafetyMarginMs } from '../../limit/options.js';
import { type LimiterStore, PAUSE, type ReserveResult, type StoreBinding } from '../../limit/store.js';
import type { Cost, Limits } from '../../limit/types.js';
import { type RedisClient, RedisDown, runScript } from './connection.js';
import type { ScriptName } from './lua.js';
import { WakeChannel } from './wake-channel.js';

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

interface Bound {
  dims: string[];
  /** Script arguments 1–5 and the caps and spans, the same on every call. */
  head: string[];
  limits: Limits;
  safetyMarginMs: number | undefined;
  wake: WakeChannel;
}

const OK: ReserveResult = Object.freeze({ ok: true });
const noop = () => {};

/**
 * The limiter's ledger in Redis, shared by every process that uses the same `key`: the rolling
 * ledger of `MemoryStore`, each operation one Lua script (see lua.ts), time from Redis `TIME`.
 */
export class RedisStore implements LimiterStore {
  readonly #redis: RedisClient;
  readonly #cfg: RedisStoreConfig;
  readonly #keys: string[];
  /** This process's registration on the key, and the namespace of its reservation ids. */
  readonly #proc = randomBytes(6).toString('hex');
  #bound: Bound | undefined;
  /** Processes that reserved on the key within its longest window, as Redis last said. */
  #live = 1;
  #down = false;
  #local: MemoryStore | undefined;
  #localShare = 0;
  /** Reservations not made in Redis: held by the local ledger, or let through (`open`). */
  readonly #elsewhere = new Map<string, 'local' | 'open'>();

  constructor(redis: RedisClient, config: RedisStoreConfig) {
    this.#redis = redis;
    this.#cfg = config;
    const tag = `steady:{${config.key}}`;
    this.#keys = [`${tag}:s`, `${tag}:h`, `${tag}:p`, `${tag}:w`];
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
    const { limits, safetyMarginMs } = binding;
    const dims = Object.keys(limits).sort();
    const spans = dims.map(
      (d) => limits[d]!.windowMs + (safetyMarginMs ?? defaultSafetyMarginMs(limits[d]!.windowMs)),
    );
    const fingerprint = dims
      .map(
        (d, i) =>
          `${d} ${limits[d]!.limit} per ${limits[d]!.windowMs} ms + ${spans[i]! - limits[d]!.windowMs} ms`,
      )
      .join(', ');
    const channel = `steady:{${this.#cfg.key}}:free`;
    const wake = new WakeChannel(this.#redis, channel, binding.wake);
    const head = [fingerprint, '', String(dims.length), this.#proc, channel];
    head.push(...dims.map((d) => String(limits[d]!.limit)), ...spans.map(String));
    this.#bound = { dims, head, limits, safetyMarginMs, wake };
  }

  idle(): void {
    this.#bound?.wake.stop();
  }

  /** Drops the subscription, if any. The client passed in is yours: quit it yourself. */
  async close(): Promise<void> {
    this.#bound?.wake.close();
  }

  async tryReserve(id: string, cost: Cost, now: number, hold?: Cost): Promise<ReserveResult> {
    const b = this.#bind();
    const rid = `${this.#proc}:${id}`;
    const where = this.#elsewhere.get(rid);
    if (where === 'open') return OK;
    if (where === 'local') return this.#local!.tryReserve(rid, cost, now, hold);
    const amounts = b.dims.map((d) => String(cost[d] ?? 0));
    const holds = b.dims.map((d) => String(Math.max(cost[d] ?? 0, hold?.[d] ?? 0)));
    let reply: string[];
    try {
      reply = await this.#run('reserve', now, [rid, ...amounts, ...holds], (late) => {
        if ((late as string[])[0] === 'ok') this.#run('release', now, [rid]).catch(noop);
      });
    } catch (err) {
      return this.#reserveElsewhere(err, rid, cost, now, hold);
    }
    this.#live = Number(reply.at(-1)) || 1;
    if (reply[0] === 'ok') return OK;
    const index = reply[2]!;
    b.wake.waitFor(index);
    const retryInMs = reply[1] === 'inf' ? Number.POSITIVE_INFINITY : Number(reply[1]);
    return { ok: false, retryInMs, dimension: index === PAUSE ? PAUSE : b.dims[Number(index) - 1]! };
  }

  async settle(id: string, actual: Partial<Record<string, number>>, now: number): Promise<void> {
    const b = this.#bind();
    const rid = `${this.#proc}:${id}`;
    if (this.#settledElsewhere(rid)) return this.#local?.settle(rid, actual, now);
    const values = b.dims.map((d) => {
      const v = actual[d];
      return typeof v === 'number' && v >= 0 && Number.isFinite(v) ? String(v) : '';
    });
    await this.#run('settle', now, [rid, ...values]).catch(noop);
  }

  async release(id: string, now: number): Promise<void> {
    this.#bind();
    const rid = `${this.#proc}:${id}`;
    if (this.#settledElsewhere(rid)) return this.#local?.release(rid, now);
    await this.#run('release', now, [rid]).catch(noop);
  }

  async pause(durationMs: number, now: number): Promise<void> {
    this.#bind();
    this.#local?.pause(durationMs, now); // kept too, in case Redis goes away during the pause
    await this.#run('pause', now, [String(durationMs)]).catch(noop);
  }

  /** See `LimiterStore.observe` (stores/redis/observe.ts); `reserve` is not kept in Redis. A Redis error charges nothing. */
  async observe(dimension: string, used: number, now: number): Promise<number> {
    const b = this.#bind();
    const d = b.dims.indexOf(dimension);
    if (d < 0 || !Number.isFinite(used)) return 0;
    const reply = await this.#run('observe', now, [String(d + 1), String(used)]).catch(() => undefined);
    return reply ? Number(reply[1]) || 0 : 0;
  }

  #bind(): Bound {
    if (this.#bound) return this.#bound;
    throw new TypeError(
      'steady: a redisStore takes its limits from the policy: pass it as createPolicy({ limits, limiter: { store } })',
    );
  }

  /** One script; a mismatch of limits is thrown as such, any other failure as the client's error. */
  async #run(name: ScriptName, now: number, args: string[], late?: (r: unknown) => void): Promise<string[]> {
    const b = this.#bound!;
    const head = this.#cfg.callerClock ? [b.head[0]!, String(now), ...b.head.slice(2)] : b.head;
    let reply: string[];
    try {
      reply = (await runScript(
        this.#redis,
        name,
        this.#keys,
        [...head, ...args],
        this.#cfg.timeoutMs,
        this.#down,
        late,
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
    return reply;
  }

  #reserveElsewhere(err: unknown, rid: string, cost: Cost, now: number, hold?: Cost): ReserveResult {
    if (err instanceof LimitsMismatchError) throw err;
    const mode = this.#cfg.onError;
    if (mode === 'closed') {
      const why = err instanceof RedisDown ? err.message : 'Redis answered with an error';
      throw new StoreUnavailableError(
        `steady: the limiter cannot reach Redis (${why}) and onError is 'closed'`,
        {
          cause: err,
        },
      );
    }
    if (mode === 'open') {
      this.#elsewhere.set(rid, 'open');
      return OK;
    }
    const r = this.#localStore().tryReserve(rid, cost, now, hold);
    if (r.ok) this.#elsewhere.set(rid, 'local');
    return r;
  }

  /** True (and forgotten) when `rid` was not reserved in Redis. */
  #settledElsewhere(rid: string): boolean {
    return this.#elsewhere.delete(rid);
  }

  /**
   * The in-process ledger used while Redis is away: this process's share of every limit, 1 / the
   * live processes Redis counted last (every process that reserved on the key within its longest
   * window). Rebuilt for a new share only when it holds nothing.
   */
  #localStore(): MemoryStore {
    const share = 1 / this.#live;
    if (this.#local && (this.#local.size > 0 || share === this.#localShare)) return this.#local;
    const b = this.#bound!;
    const limits: Record<string, { limit: number; windowMs: number }> = {};
    for (const d of b.dims)
      limits[d] = { limit: b.limits[d]!.limit * share, windowMs: b.limits[d]!.windowMs };
    this.#local = new MemoryStore({ limits, safetyMarginMs: b.safetyMarginMs });
    this.#localShare = share;
    return this.#local;
  }
}
