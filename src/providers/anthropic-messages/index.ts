import { type AnthropicMessagesCompat, DEFAULT_ANTHROPIC_MESSAGES_COMPAT } from '../../types/compat.js';
import { defineProvider } from '../define.js';
import { buildAnthropicRequest } from './request.js';
import { AnthropicResponseHandler } from './stream.js';

/**
 * Anthropic Messages (`POST {baseUrl}/messages`) for api.anthropic.com or a compatible server, as a
 * {@link defineProvider} definition. Sends `anthropic-version` (and `anthropic-beta` when the compat profile
 * lists betas); the key goes in `x-api-key`, or as a bearer token when `compat.authHeader` is `bearer`.
 *
 * Source: https://docs.anthropic.com/en/api/messages and
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export const anthropicMessagesProvider = defineProvider<AnthropicMessagesCompat>({
  api: 'anthropic-messages',
  defaultCompat: DEFAULT_ANTHROPIC_MESSAGES_COMPAT,
  buildRequest: ({ model, context, options, compat, apiKey }) => {
    const headers: Record<string, string> = { 'anthropic-version': compat.anthropicVersion };
    if (compat.betas.length > 0) headers['anthropic-beta'] = compat.betas.join(',');
    if (apiKey && compat.authHeader === 'x-api-key') headers['x-api-key'] = apiKey;
    return {
      path: '/messages',
      ...buildAnthropicRequest(model, context, options, compat),
      headers,
      auth: compat.authHeader === 'bearer' ? 'bearer' : 'none',
    };
  },
  createEventHandler: (builder, { url }) => new AnthropicResponseHandler(builder, url),
});

/**
 * Streams one Anthropic Messages call; see {@link anthropicMessagesProvider}.
 * @returns an `AssistantStream`; never throws: failures end in an `error` event.
 */
export const streamAnthropicMessages = anthropicMessagesProvider.stream;

/** The Anthropic compat profile of a model: model record > `probed` > preset (or its `apiCompat`) > defaults. */
export const resolveAnthropicCompat = anthropicMessagesProvider.resolveCompat;

export { buildAnthropicRequest } from './request.js';
