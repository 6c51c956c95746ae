import type { SdkProfile } from '../sdk-profile.js';
import { classNamed, isStainlessClient, stainlessProfile } from '../stainless.js';
import { openaiStreamEvents } from './stream-events.js';

/**
 * The `openai` SDK (Stainless-generated, see `stainlessProfile`): its `OpenAI` and `AzureOpenAI`
 * clients, streams read by `openaiStreamEvents`, endpoints named by path (`'chat.completions'`,
 * `'embeddings'`, `'responses'`).
 */
export const openaiProfile: SdkProfile = stainlessProfile({
  name: 'openai',
  matches: (client) => isStainlessClient(client) && classNamed(client, /OpenAI/),
  events: openaiStreamEvents,
  requestIdHeader: 'x-request-id',
});
