/**
 * `steady/sdk`: any SDK client under a policy: cohere-ai, openai and @anthropic-ai/sdk by their
 * profiles, any other through a profile of your own.
 */
export { StreamEventError } from '../../errors/stream-event-error.js';
export { StreamInterruptedError } from '../../errors/stream-interrupted-error.js';
export { anthropicProfile } from '../../presets/anthropic/sdk-profile.js';
export { anthropicStreamEvents } from '../../presets/anthropic/stream-events.js';
export { cohereArgs } from '../../presets/cohere/sdk-args.js';
export { cohereProfile } from '../../presets/cohere/sdk-profile.js';
export { cohereStreamEvents } from '../../presets/cohere/stream-events.js';
export { openaiProfile } from '../../presets/openai/sdk-profile.js';
export { openaiStreamEvents } from '../../presets/openai/stream-events.js';
export type {
  CallArgs,
  MethodInfo,
  SdkProfile,
  StainlessCore,
  StreamEventKind,
  StreamEvents,
  WithRawResponse,
} from '../../presets/sdk-profile.js';
export {
  endpointOfPath,
  type StainlessProfileOptions,
  stainlessArgs,
  stainlessProfile,
} from '../../presets/stainless.js';
export type { WrapOptions } from './options.js';
export { profileOf } from './profiles.js';
export { ResponsePromise } from './response-promise.js';
export { wrapClient } from './wrap-client.js';
