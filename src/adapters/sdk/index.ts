/**
 * `steady/sdk`: any SDK client under a policy, the cohere-ai SDK first.
 */
export { StreamInterruptedError } from '../../errors/stream-interrupted-error.js';
export { cohereArgs } from './cohere-args.js';
export { cohereStreamEvents } from './cohere-stream-events.js';
export type { CallArgs, MethodInfo, StreamEventKind, StreamEvents, WrapOptions } from './options.js';
export type { WithRawResponse } from './response-promise.js';
export { ResponsePromise } from './response-promise.js';
export { StreamEventError } from './stream-event-error.js';
export { wrapClient } from './wrap-client.js';
