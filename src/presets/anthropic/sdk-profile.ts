import type { SdkProfile } from '../sdk-profile.js';
import { classNamed, isStainlessClient, stainlessProfile } from '../stainless.js';
import { anthropicStreamEvents } from './stream-events.js';

/**
 * `@anthropic-ai/sdk` (Stainless-generated, see `stainlessProfile`): its `Anthropic` client,
 * streams read by `anthropicStreamEvents`, endpoints named by path (`'messages'`,
 * `'messages.count_tokens'`, `'messages.batches'`).
 */
export const anthropicProfile: SdkProfile = stainlessProfile({
  name: '@anthropic-ai/sdk',
  matches: (client) => isStainlessClient(client) && classNamed(client, /Anthropic/),
  events: anthropicStreamEvents,
  requestIdHeader: 'request-id',
});
