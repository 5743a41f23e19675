import { field, list, type ProbeHttpOptions, positiveInt, probeJson, str } from './probe-http.js';
import type { ProbedModel } from './probe-types.js';

/** Context windows below this many tokens are too small for agent work (system prompt + tools + files). */
export const SMALL_CONTEXT_TOKENS = 16_384;

/**
 * Ollama's context length when neither the model nor the server sets one. Observed: 2048 before 0.6.x,
 * 4096 since (docs.ollama.com/faq "How can I specify the context window size?"; OLLAMA_CONTEXT_LENGTH).
 */
export const OLLAMA_DEFAULT_CONTEXT = 4096;

/** The raw identification answers, fetched in parallel. */
export interface IdentificationAnswers {
  ollamaVersion: unknown; // GET /api/version (Ollama)
  llamacppProps: unknown; // GET /props (llama.cpp server)
  lmstudioModels: unknown; // GET /api/v0/models (LM Studio REST API)
  vllmVersion: unknown; // GET /version (vLLM)
  models: unknown; // GET {baseUrl}/models (every OpenAI-compatible server)
}

/** Models from an OpenAI `/v1/models` answer; vLLM adds `max_model_len`. */
export function openAiModels(answer: unknown): ProbedModel[] {
  return list(field(answer, 'data')).flatMap((entry) => {
    const id = str(field(entry, 'id'));
    if (id === undefined) return [];
    const context = positiveInt(field(entry, 'max_model_len'));
    return [{ id, ...(context !== undefined && { contextWindow: context }) }];
  });
}

/** Models from LM Studio's `/api/v0/models` (`type` llm/vlm/embeddings, `state`, context lengths, capabilities). */
export function lmstudioModels(answer: unknown): ProbedModel[] {
  return list(field(answer, 'data')).flatMap((entry) => {
    const id = str(field(entry, 'id'));
    const type = str(field(entry, 'type'));
    if (id === undefined || type === 'embeddings') return [];
    const max = positiveInt(field(entry, 'max_context_length'));
    const loadedContext = positiveInt(field(entry, 'loaded_context_length'));
    const caps = list(field(entry, 'capabilities'));
    const model: ProbedModel = { id, loaded: field(entry, 'state') === 'loaded', vision: type === 'vlm' };
    const context = loadedContext ?? max;
    if (context !== undefined) model.contextWindow = context;
    if (max !== undefined && max !== context) model.maxContextWindow = max;
    if (caps.length > 0) model.tools = caps.includes('tool_use');
    return [model];
  });
}

/**
 * What llama.cpp's `/props` says about the loaded model, its chat template, and the server's parallel
 * slots (`total_slots`, the `--parallel` / `-np` setting; llama.cpp `tools/server`).
 */
export function llamacppFacts(props: unknown): {
  model: Partial<ProbedModel>;
  hints: string[];
  warnings: string[];
  slots?: number;
} {
  const settings = field(props, 'default_generation_settings');
  const context = positiveInt(field(settings, 'n_ctx')) ?? positiveInt(field(props, 'n_ctx'));
  const template = str(field(props, 'chat_template')) ?? '';
  const caps = field(props, 'chat_template_caps');
  const capTools = field(caps, 'supports_tools');
  const tools =
    typeof capTools === 'boolean' ? capTools : template !== '' ? /\btools?\b/.test(template) : undefined;
  const hints: string[] = [];
  const warnings: string[] = [];
  if (field(caps, 'supports_system_role') === false) hints.push('the chat template has no system role');
  if (/<think>/.test(template)) hints.push('the chat template emits <think> reasoning');
  if (/raise_exception/.test(template))
    hints.push('the chat template raises on unexpected message order or roles');
  if (tools === false) {
    warnings.push(
      'the chat template does not support tools: start llama-server with --jinja (and a tool-capable template, --chat-template-file) or run with --no-tools',
    );
  }
  const vision = field(field(props, 'modalities'), 'vision');
  const model: Partial<ProbedModel> = {
    ...(context !== undefined && { contextWindow: context }),
    ...(tools !== undefined && { tools }),
    ...(typeof vision === 'boolean' && { vision }),
    ...(/<think>/.test(template) && { reasoning: true }),
  };
  const slots = positiveInt(field(props, 'total_slots'));
  return { model, hints, warnings, ...(slots !== undefined && { slots }) };
}

/** What Ollama's `/api/show` and `/api/ps` say about one model. */
export async function ollamaModelFacts(
  origin: string,
  id: string,
  http: ProbeHttpOptions,
): Promise<{ model: Partial<ProbedModel>; hints: string[]; contextAssumed: boolean }> {
  const [show, ps] = await Promise.all([
    probeJson(`${origin}/api/show`, http, { method: 'POST', body: { model: id } }),
    probeJson(`${origin}/api/ps`, http),
  ]);
  const info = field(show, 'model_info');
  const arch = str(field(info, 'general.architecture'));
  const max = arch !== undefined ? positiveInt(field(info, `${arch}.context_length`)) : undefined;
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(str(field(show, 'parameters')) ?? '')?.[1];
  const running = list(field(ps, 'models')).find((m) => field(m, 'name') === id || field(m, 'model') === id);
  const runningContext = positiveInt(field(running, 'context_length'));
  const effective = runningContext ?? (numCtx !== undefined ? Number(numCtx) : undefined);
  const capabilities = list(field(show, 'capabilities'));
  const template = str(field(show, 'template')) ?? '';
  const hints: string[] = [];
  if (template.includes('.Tools')) hints.push('the chat template renders tools');
  if (capabilities.includes('thinking')) hints.push('the model supports thinking');
  const model: Partial<ProbedModel> = {
    contextWindow: effective ?? OLLAMA_DEFAULT_CONTEXT,
    ...(max !== undefined && { maxContextWindow: max }),
    ...(running !== undefined && { loaded: true }),
    ...(capabilities.length > 0 && {
      tools: capabilities.includes('tools'),
      vision: capabilities.includes('vision'),
      reasoning: capabilities.includes('thinking'),
    }),
  };
  return { model, hints, contextAssumed: effective === undefined };
}
