/**
 * The messages the emulator answers with, taken from Cohere's error catalogue
 * (shared/reference/cohere-errors.txt). 5xx messages are not in the catalogue: they are Cohere's usual
 * plain wording.
 */
import type { FaultStatus } from './types.js';

export const messages = {
  noKey: 'no api key supplied',
  invalidKey: 'invalid api token',
  notFound: '404 page not found',
  trialCalls: (limit: number) =>
    `You are using a Trial key, which is limited to ${limit} API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at ‘https://dashboard.cohere.com/api-keys’. Contact us on ‘https://discord.gg/XW44jPfYJu’ or email us at support@cohere.com with any questions`,
  productionCalls: 'You are past the per minute request limit, please wait and try again later.',
  trialTokens: (limit: number) => `trial token rate limit exceeded, limit is ${limit} tokens per minute`,
  productionTokens: (limit: number) => `token rate limit exceeded, limit is ${limit} tokens per minute`,
  contextExceeded: (over: number) =>
    `too many tokens: size limit exceeded by ${over} tokens. Try using shorter or fewer inputs, or setting prompt_truncation=‘AUTO’.`,
  maxTokens: (max: number, received: number) =>
    `too many tokens: max tokens must be less than or equal to ${max}, the maximum output for this model - received ${received}.`,
  invalidJson: (detail: string) => `invalid json syntax: ${detail}`,
  emptyMessage: 'invalid request: message must be at least 1 token long or tool results must be specified.',
  noModel: 'a model parameter is required for this endpoint.',
  tooManyTexts: (max: number, received: number) =>
    `invalid request: total number of texts must be at most ${max} - received ${received}`,
  emptyText: (index: number) =>
    `invalid request: inputs contains an element that is the empty string at index ${index}`,
  streamError: 'streaming error - the generation was interrupted, please try again',
};

/** The message an injected fault carries when the script gives none. */
export function defaultFaultMessage(status: FaultStatus, model: string): string {
  switch (status) {
    case 400:
      return 'invalid request: prompt must be at least 1 token long.';
    case 401:
      return messages.invalidKey;
    case 402:
      return 'Please add or update your payment method at https://dashboard.cohere.com/billing?tab=payment to continue';
    case 404:
      return `model ‘${model}’ not found, make sure the correct model ID was used and that you have access to the model.`;
    case 429:
      return 'Please wait and try again later';
    case 499:
      return 'request cancelled';
    case 500:
      return 'internal server error';
    case 502:
      return 'bad gateway';
    case 503:
      return 'service unavailable';
    case 504:
      return 'upstream request timeout';
    case 529:
      return 'overloaded';
  }
}
