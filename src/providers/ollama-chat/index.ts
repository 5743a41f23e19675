import { defineProvider } from '../define.js';
import { DEFAULT_OLLAMA_CHAT_COMPAT, type OllamaChatCompat } from './compat.js';
import { OllamaChatHandler } from './events.js';
import { buildOllamaRequest } from './request.js';

/**
 * Ollama's native chat API (`POST {baseUrl}/api/chat`, NDJSON streaming; `baseUrl` is the server root,
 * e.g. `http://localhost:11434`), as a {@link defineProvider} definition. Unlike the OpenAI-compatible
 * `/v1` endpoint it takes `options.num_ctx` (from the model record's `contextWindow`), `think`, `format`
 * and `keep_alive`. No key is needed locally; a key (ollama.com) is sent as a bearer token.
 *
 * Source: ollama/ollama `api/types.go`, `docs/api.md`, `server/routes.go`.
 */
export const ollamaChatProvider = defineProvider<OllamaChatCompat>({
  api: 'ollama-chat',
  defaultCompat: DEFAULT_OLLAMA_CHAT_COMPAT,
  streamAccept: 'application/x-ndjson',
  buildRequest: ({ model, context, options, compat }) => ({
    path: '/api/chat',
    ...buildOllamaRequest(model, context, options, compat),
  }),
  createEventHandler: (builder, { url }) => new OllamaChatHandler(builder, url),
});

export { DEFAULT_OLLAMA_CHAT_COMPAT, type OllamaChatCompat } from './compat.js';
export { buildOllamaRequest } from './request.js';
