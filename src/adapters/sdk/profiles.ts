import { anthropicProfile } from '../../presets/anthropic/sdk-profile.js';
import { cohereProfile } from '../../presets/cohere/sdk-profile.js';
import { openaiProfile } from '../../presets/openai/sdk-profile.js';
import type { SdkProfile } from '../../presets/sdk-profile.js';
import { isStainlessClient, stainlessProfile } from '../../presets/stainless.js';

const STAINLESS = stainlessProfile({ name: 'a Stainless-generated SDK' });

/** The built-in profiles, tried in order; the first whose `matches` accepts the client wins. */
const PROFILES: readonly SdkProfile[] = [openaiProfile, anthropicProfile, STAINLESS, cohereProfile];

/**
 * The profile of `client`, chosen from the client itself: openai's and @anthropic-ai/sdk's clients
 * by their class and their Stainless core, any other Stainless-generated client by that core,
 * cohere-ai's (and Fern-generated SDKs') by class or by `requestOptions` parameters. A client none
 * of them matches gets cohere-ai's profile, which leaves the arguments of methods without
 * `requestOptions` untouched.
 */
export function profileOf(client: object): SdkProfile {
  for (const profile of PROFILES) {
    try {
      if (profile === STAINLESS ? isStainlessClient(client) : profile.matches?.(client)) return profile;
    } catch {
      // A client that throws when looked at (a Proxy) matches nothing.
    }
  }
  return cohereProfile;
}
