/**
 * steady/otel: OpenTelemetry spans and metrics for a policy. Needs `@opentelemetry/api` (an
 * optional peer dependency) and an OpenTelemetry SDK to send them somewhere.
 */

export { type Instrumentation, type InstrumentOptions, instrument } from './instrument.js';
export { DURATION_BUCKETS, TOKEN_BUCKETS } from './metrics.js';
