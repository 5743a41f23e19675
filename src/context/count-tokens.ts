import type { AgentMessage } from '../agent/config.js';
import { ApiError } from '../errors/api-error.js';
import { resolveCompat } from '../providers/openai-chat/index.js';
import { buildRequest } from '../providers/openai-chat/request.js';
import { requestHeaders, resolveApiKey } from '../providers/shared/endpoint.js';
import type { Context } from '../types/context.js';
import type { Message } from '../types/message.js';
import type { Model } from '../types/model.js';
import { type EstimateOptions, estimateTokens, type TokenEstimate } from './estimate.js';
import { postTokenizer } from './tokenize-request.js';

/** Servers with a tokenizer endpoint the SDK knows. */
export type TokenizerServer = 'llamacpp' | 'vllm';

/** Default limit of one tokenizer request, in ms. */
export const DEFAULT_TOKENIZE_TIMEOUT_MS = 10_000;

/** Options of {@link countTokens}. */
export interface CountTokensOptions extends EstimateOptions {
  /** Which tokenizer endpoint to call; `none` only estimates. @default by `model.provider` (`llamacpp`, `vllm`), else `none` */
  server?: TokenizerServer | 'none';
  /** Aborts the request(s). */
  signal?: AbortSignal;
  /** Limit on each tokenizer request, in ms. @default 10000 */
  timeoutMs?: number;
  /** `fetch` to use. @default the SDK's transport */
  fetch?: typeof fetch;
  /** API key (vLLM `--api-key`, llama.cpp `--api-key`). @default as for model calls */
  apiKey?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** The answer of {@link countTokens}. */
export interface TokenCount {
  /** Prompt tokens: the server's count when `exact`, else the estimate's total. */
  tokens: number;
  /** True when the server's own tokenizer (and chat template) counted them. */
  exact: boolean;
  /** Who counted: the server kind, or `estimate`. */
  source: TokenizerServer | 'estimate';
  /** Why the estimate was used, when `exact` is false. */
  fallbackReason?: string;
  /** The server's context window when it reported one (vLLM `max_model_len`). */
  window?: number;
  /**
   * True when the images' share is the estimate's (llama.cpp's template puts a media marker where an image
   * goes; the image's own tokens are added from `estimate.images`).
   */
  imagesEstimated?: boolean;
  /** The estimate (always computed: it is cheap and gives the breakdown). */
  estimate: TokenEstimate;
}

/** Statuses that mean "no tokenizer endpoint here". */
const NO_ENDPOINT = new Set([404, 405, 501]);

function serverOf(model: Model, options: CountTokensOptions): TokenizerServer | undefined {
  const server = options.server ?? model.provider;
  return server === 'llamacpp' || server === 'vllm' ? server : undefined;
}

/** The server root: the base URL without its trailing `/v1` (both servers serve `/tokenize` at the root). */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function wireBody(model: Model, context: Context): Record<string, unknown> {
  const built = buildRequest(model, context, { streaming: false }, resolveCompat(model)).body;
  const body: Record<string, unknown> = { messages: built.messages };
  if (built.tools !== undefined) body.tools = built.tools;
  return body;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

async function askServer(
  server: TokenizerServer,
  model: Model,
  context: Context,
  options: CountTokensOptions,
): Promise<{ tokens: number; window?: number } | string> {
  const apiKey = resolveApiKey(model, options);
  const http = {
    headers: requestHeaders(model, options, apiKey, 'application/json'),
    timeoutMs: options.timeoutMs ?? DEFAULT_TOKENIZE_TIMEOUT_MS,
    secrets: [apiKey],
    ...(options.signal !== undefined && { signal: options.signal }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
  };
  const root = serverRoot(model.baseUrl);
  const body = wireBody(model, context);
  if (server === 'vllm') {
    // vLLM TokenizeChatRequest: { model, messages, tools, add_generation_prompt } -> { count, max_model_len, tokens }
    const answer = await postTokenizer(
      `${root}/tokenize`,
      { model: model.id, ...body, add_generation_prompt: true },
      http,
    );
    const count = field(answer, 'count');
    const window = field(answer, 'max_model_len');
    if (typeof count !== 'number') return 'the /tokenize answer has no numeric "count"';
    return typeof window === 'number' ? { tokens: count, window } : { tokens: count };
  }
  // llama.cpp: the chat template applied by /apply-template, then /tokenize of that prompt (special tokens
  // parsed, BOS added, as the server does for a chat request).
  const templated = field(await postTokenizer(`${root}/apply-template`, body, http), 'prompt');
  if (typeof templated !== 'string') return 'the /apply-template answer has no "prompt" string';
  const answer = await postTokenizer(
    `${root}/tokenize`,
    { content: templated, add_special: true, parse_special: true },
    http,
  );
  const tokens = field(answer, 'tokens');
  return Array.isArray(tokens) ? { tokens: tokens.length } : 'the /tokenize answer has no "tokens" array';
}

/**
 * Counts the prompt tokens of a request exactly where the server can tokenize, else estimates them:
 * - vLLM: `POST {root}/tokenize` with `{ model, messages, tools, add_generation_prompt: true }`, answered
 *   by `{ count, max_model_len, tokens }` (vLLM `TokenizeChatRequest` / `TokenizeResponse`).
 * - llama.cpp: `POST {root}/apply-template` (the chat template, `{ prompt }`), then `POST {root}/tokenize`
 *   with `{ content, add_special: true, parse_special: true }`, answered by `{ tokens: [...] }`.
 * `{root}` is the base URL without `/v1`. On llama.cpp, images are added from the estimate (`imagesEstimated`). Messages and tools are sent in Chat Completions form, built as for
 * a model call. When the server has no such endpoint (404, 405, 501) or answers in another shape, the
 * result is {@link estimateTokens}' total with `exact: false` and the reason.
 *
 * @throws {ConnectionError} when the server cannot be reached; {@link ApiError} for other error statuses;
 *   `AbortError` / `TimeoutError` when `signal` aborts or `timeoutMs` passes.
 */
export async function countTokens(
  model: Model,
  context: Context | readonly AgentMessage[],
  options: CountTokensOptions = {},
): Promise<TokenCount> {
  const estimate = estimateTokens(context, model, options);
  const server = serverOf(model, options);
  const fallback = (reason: string): TokenCount => ({
    tokens: estimate.total,
    exact: false,
    source: 'estimate',
    fallbackReason: reason,
    estimate,
  });
  if (server === undefined)
    return fallback(`no tokenizer endpoint is known for provider "${model.provider}"`);
  const ctx: Context = Array.isArray(context)
    ? { messages: (context as readonly AgentMessage[]).filter((m): m is Message => m.role !== 'custom') }
    : { ...(context as Context) };
  try {
    const answer = await askServer(server, model, ctx, options);
    if (typeof answer === 'string') return fallback(answer);
    if (server === 'llamacpp' && estimate.images > 0) {
      return {
        ...answer,
        tokens: answer.tokens + estimate.images,
        exact: true,
        source: server,
        imagesEstimated: true,
        estimate,
      };
    }
    return { ...answer, exact: true, source: server, estimate };
  } catch (error) {
    if (ApiError.isInstance(error) && NO_ENDPOINT.has((error as ApiError).status)) {
      return fallback(`the server has no tokenizer endpoint (HTTP ${(error as ApiError).status})`);
    }
    throw error;
  }
}
