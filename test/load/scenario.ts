/** The load run's scenario, shared by the fault server (in the test) and the callers (its child). */
import type { FaultMix } from './fault-server.js';

/** The limit the policy keeps to, and the server enforces at arrival. */
export const LIMIT = { calls: 200, windowMs: 250 };

/** The share of requests per fault; the rest answer 200 with a whole body. */
export const MIX: FaultMix = {
  '429-hint': 0.05,
  '429-bare': 0.03,
  '499': 0.03,
  '5xx': 0.06,
  reset: 0.04,
  slow: 0.03,
  'mid-body': 0.04,
  'mid-body-chunked': 0.03,
};

/** How long a `slow` answer takes: past the attempt timeout. */
export const SLOW_MS = 2_000;
