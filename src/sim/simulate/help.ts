/** `steady simulate --help`. */
import { DEFAULTS } from './defaults.js';

const d = DEFAULTS;
const faults = d.faults.map((f) => `${f.kind}=${f.share * 100}%`).join(',');

export const HELP = `steady simulate [flags]: what will this policy do under these limits?

Runs a workload of chat calls through a steady policy against an emulated Cohere key (limits,
latency, injected faults) and reports calls, attempts, retries by reason, the server's own 429s,
waits, the rate achieved against each limit, and latency and queue-wait percentiles.
By default in virtual time: an hour of traffic in seconds, the same figures on every run.

Workload
  --calls N              calls in all (default ${d.calls})
  --rate N               calls arriving per minute (default ${d.rate})
  --arrival KIND         poisson | uniform | burst (all at once) (default ${d.arrival})
  --concurrency N        calls in flight at once at the client, or unbounded (default ${d.concurrency})
  --input-tokens A-B     input tokens of a call, log-uniform (default ${d.inputTokens.join('-')})
  --output-tokens A-B    max_tokens of a call, log-uniform; answers use 40-100 % (default ${d.outputTokens.join('-')})
Limits (the server's, and the policy's)
  --plan KIND            trial (40 calls, 100,000 tokens a minute) | production (500, 2,000,000) (default ${d.limits.plan})
  --calls-limit N        calls a minute, overriding the plan's
  --tokens-limit N       tokens a minute, overriding the plan's
  --server KIND          how the server counts: rolling | fixed | bucket (default ${d.server})
  --latency A-B          server latency in ms, uniform (default ${d.latencyMs.join('-')})
  --faults MIX           injected faults by kind, e.g. 429=5%,503=5%,reset=5%, or none
                         kinds: 400 401 402 404 429 499 500 502 503 504 reset (default ${faults})
Policy
  --attempts N           retry.maxAttempts, the first call included (default ${d.attempts})
  --backoff A-B          exponential backoff base-max in ms, full jitter (default ${d.backoffMs.join('-')})
  --budget N             retry budget tokens, or off (default ${d.budget})
  --preset KIND          cohere | http (the generic HTTP rules) (default ${d.preset})
Run
  --seed N               seeds the workload, faults, latencies and jitter (default ${d.seed})
  --clock KIND           virtual | real (HTTP against the emulator, time-scaled) (default ${d.clock})
  --time-scale N         real clock: a minute lasts 60/N s (default ${d.timeScale})
  --compare              also run: no limiter, a fixed-window limiter (Bottleneck's reservoir) and
                         p-retry's defaults, side by side (virtual clock only)
  --json                 the report as JSON on stdout
  --svg FILE             draw steady's run: calls and tokens in the rolling minute against the limits,
                         retries and 429s marked (virtual clock)
  -h, --help             this text

Exit codes: 0 done, 1 the run failed, 2 a bad flag.
`;
