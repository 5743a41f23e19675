import { DEFAULT_OPENAI_RESPONSES_COMPAT, type OpenAIResponsesCompat } from '../../types/compat.js';
import { defineProvider } from '../define.js';
import { buildResponsesRequest } from './request.js';
import { ResponsesResponseHandler } from './stream.js';

/**
 * OpenAI Responses (`POST {baseUrl}/responses`) for api.openai.com or a compatible server (Azure, LM Studio,
 * OpenRouter, ...), as a {@link defineProvider} definition. Stateless by default (`store: false`, encrypted
 * reasoning requested for reasoning models), so the history, not the server, carries the conversation.
 *
 * Source: https://platform.openai.com/docs/api-reference/responses/create and
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
export const openAIResponsesProvider = defineProvider<OpenAIResponsesCompat>({
  api: 'openai-responses',
  defaultCompat: DEFAULT_OPENAI_RESPONSES_COMPAT,
  buildRequest: ({ model, context, options, compat }) => ({
    path: '/responses',
    ...buildResponsesRequest(model, context, options, compat),
  }),
  createEventHandler: (builder, { url }) => new ResponsesResponseHandler(builder, url),
});

/**
 * Streams one OpenAI Responses call; see {@link openAIResponsesProvider}.
 * @returns an `AssistantStream`; never throws: failures end in an `error` event.
 */
export const streamOpenAIResponses = openAIResponsesProvider.stream;

/** The Responses compat profile of a model: model record > `probed` > preset (or its `apiCompat`) > defaults. */
export const resolveResponsesCompat = openAIResponsesProvider.resolveCompat;

export { buildResponsesRequest } from './request.js';
