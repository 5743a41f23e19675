import { DEFAULT_OPENAI_CHAT_COMPAT, type OpenAIChatCompat } from '../../types/compat.js';
import { defineProvider } from '../define.js';
import { buildRequest } from './request.js';
import { ChatResponseHandler } from './stream.js';

/**
 * OpenAI Chat Completions (`POST {baseUrl}/chat/completions`) for any compatible server, as a
 * {@link defineProvider} definition. Bearer key; compat profile {@link OpenAIChatCompat}.
 *
 * Source: https://platform.openai.com/docs/api-reference/chat/create (request, streaming chunks).
 */
export const openAIChatProvider = defineProvider<OpenAIChatCompat>({
  api: 'openai-chat',
  defaultCompat: DEFAULT_OPENAI_CHAT_COMPAT,
  buildRequest: ({ model, context, options, compat }) => ({
    path: '/chat/completions',
    ...buildRequest(model, context, options, compat),
  }),
  createEventHandler: (builder, { url, compat }) => new ChatResponseHandler(builder, url, compat),
});

/**
 * Streams one OpenAI Chat Completions call; see {@link openAIChatProvider}.
 * @returns an `AssistantStream`; never throws: failures end in an `error` event.
 */
export const streamOpenAIChat = openAIChatProvider.stream;

/**
 * The Chat Completions compat profile of a model: model record > `probed` > preset > defaults.
 * @param probed Facts learned by probing the server (the CLI's `doctor` fills these in).
 */
export const resolveCompat = openAIChatProvider.resolveCompat;

export { buildRequest } from './request.js';
