/**
 * The cost of one call estimated at `tokens` tokens, as steady's loop builds it for
 * `policy.run(fn, { tokens })`. Its names are known, so the limiter checks it and works out what to
 * hold for it without walking them; anywhere else it is a plain `{ calls: 1, tokens }`.
 */
export class CallCost {
  /** A `Cost`: its names are dimensions (only these two are ever set). */
  readonly [dimension: string]: number;
  readonly calls = 1;
  constructor(readonly tokens: number) {}
}
