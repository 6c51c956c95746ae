import { invalid, isObject, unknownName } from '../validate.js';
import {
  EVENT_NAMES,
  type Listener,
  type PolicyEventName,
  type PolicyEvents,
  type PolicyHooks,
} from './events.js';

/**
 * Typed events. A listener that throws (or returns a rejected promise) never breaks the call it
 * observes: its error is dropped. With no listener at all, `active` is false and the loop skips
 * building events.
 */
export class Emitter {
  readonly #listeners: { [E in PolicyEventName]?: Listener<E>[] } = {};
  #count = 0;

  /** True when any event has a listener. */
  get active(): boolean {
    return this.#count > 0;
  }

  /** `hooks` is the `on:` option: checked here, each error naming `on.<event>`. */
  constructor(hooks?: PolicyHooks) {
    if (hooks === undefined) return;
    if (!isObject(hooks)) throw invalid('on', 'an object of listeners such as { retry: (e) => … }', hooks);
    for (const [name, fn] of Object.entries(hooks)) {
      checkName(name, `on.${name}`);
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw invalid(`on.${name}`, 'a function', fn);
      this.on(name as PolicyEventName, fn as Listener<PolicyEventName>);
    }
  }

  /** Adds a listener; returns a function that removes it. */
  on<E extends PolicyEventName>(event: E, listener: Listener<E>): () => void {
    checkName(event, typeof event === 'string' ? `policy.on('${event}')` : 'policy.on(event)');
    if (typeof listener !== 'function')
      throw invalid(`policy.on('${event}', listener): listener`, 'a function', listener);
    if (!this.#listeners[event]) this.#listeners[event] = [];
    const list = this.#listeners[event] as Listener<E>[];
    list.push(listener);
    this.#count++;
    return () => {
      const i = list.indexOf(listener);
      if (i < 0) return;
      list.splice(i, 1);
      this.#count--;
    };
  }

  has(event: PolicyEventName): boolean {
    return this.#count > 0 && (this.#listeners[event]?.length ?? 0) > 0;
  }

  emit<E extends PolicyEventName>(event: E, payload: PolicyEvents[E]): void {
    const list = this.#listeners[event] as Listener<E>[] | undefined;
    if (!list || list.length === 0) return;
    for (const fn of list.slice()) {
      try {
        const r = fn(payload) as unknown;
        if (r && typeof (r as Promise<unknown>).catch === 'function') (r as Promise<unknown>).catch(() => {});
      } catch {
        // A hook observes; it never breaks the call.
      }
    }
  }
}

/** Throws unless `name` is an event name, suggesting the nearest. */
function checkName(name: unknown, path: string): void {
  if (typeof name !== 'string') throw invalid(path, `an event name (${EVENT_NAMES.join(', ')})`, name);
  if (!(EVENT_NAMES as readonly string[]).includes(name))
    throw unknownName(path, name, EVENT_NAMES, 'an event');
}
