import type { Listener, PolicyEventName, PolicyEvents, PolicyHooks } from './events.js';

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

  constructor(hooks?: PolicyHooks) {
    if (!hooks) return;
    for (const [name, fn] of Object.entries(hooks)) {
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw new TypeError(`steady: option "on.${name}" must be a function`);
      this.on(name as PolicyEventName, fn as Listener<PolicyEventName>);
    }
  }

  /** Adds a listener; returns a function that removes it. */
  on<E extends PolicyEventName>(event: E, listener: Listener<E>): () => void {
    if (typeof listener !== 'function')
      throw new TypeError(`steady: listener for "${event}" must be a function`);
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
