import type { Preset } from './preset.js';
import { originOf, PresetTable } from './preset-table.js';
import { STRUCTURED_LADDER } from './structured-ladder.js';

/**
 * Built-in presets: local and hosted OpenAI-compatible servers, OpenAI (Responses by default) and
 * Anthropic (Messages). Each entry says where a flag was observed: the server's documentation, or a
 * recording in test/fixtures/recorded. `apiCompat` holds the flags for the other wire protocols a server
 * also speaks (chosen with `modelFor({ api })`).
 */
export const PRESETS: readonly Preset[] = Object.freeze([
  {
    name: 'ollama',
    label: 'Ollama',
    api: 'openai-chat',
    baseUrl: 'http://localhost:11434/v1',
    local: true,
    compat: {
      // docs.ollama.com/api/openai-compatibility: max_tokens, stream_options.include_usage, tool_choice,
      // reasoning_effort; parallel_tool_calls is not listed. Reasoning arrives in `reasoning`
      // (recording ollama-qwen3-0.6b-openai-compat-reasoning-json-schema.json).
      maxTokensField: 'max_tokens',
      parallelToolCalls: false,
      reasoningEffort: true,
      reasoningField: 'reasoning',
      ...STRUCTURED_LADDER.ollama,
    },
    startHint: 'Is Ollama running? Start it with `ollama serve` (it listens on port 11434).',
  },
  {
    // Ollama's native API (POST /api/chat, provider ollama-chat): sends `options.num_ctx` from the model's
    // contextWindow, `think` and `keep_alive`. Opt-in: `ollama` (the /v1 endpoint) stays the default.
    name: 'ollama-native',
    label: 'Ollama (native API)',
    api: 'ollama-chat',
    baseUrl: 'http://localhost:11434',
    local: true,
    compat: {},
    startHint: 'Is Ollama running? Start it with `ollama serve` (it listens on port 11434).',
  },
  {
    name: 'lmstudio',
    label: 'LM Studio',
    api: 'openai-chat',
    baseUrl: 'http://localhost:1234/v1',
    local: true,
    compat: {
      // lmstudio.ai/docs (OpenAI-compatible endpoints): tools, tool_choice, response_format json_schema.
      // Jinja templates reject a second system message (the SDK always sends exactly one).
      parallelToolCalls: false,
      ...STRUCTURED_LADDER.lmstudio,
    },
    startHint:
      "Is LM Studio's server running? Start it from the Developer tab or with `lms server start` (port 1234).",
  },
  {
    name: 'llamacpp',
    label: 'llama.cpp server',
    api: 'openai-chat',
    baseUrl: 'http://localhost:8080/v1',
    local: true,
    compat: {
      // llama-server: reasoning in `reasoning_content` and usage in a final `choices: []` chunk
      // (recordings llamacpp-gpt-oss-20b-*). Jinja templates: one system message at index 0.
      reasoningField: 'reasoning_content',
      ...STRUCTURED_LADDER.llamacpp,
    },
    startHint: 'Is llama-server running? Start it with `llama-server -m MODEL.gguf --jinja --port 8080`.',
  },
  {
    name: 'vllm',
    label: 'vLLM',
    api: 'openai-chat',
    baseUrl: 'http://localhost:8000/v1',
    local: true,
    compat: {
      // vLLM OpenAI-compatible server: tool_choice, parallel_tool_calls, response_format json_schema,
      // stream_options. Reasoning parsers emit `reasoning_content` (older) or `reasoning` (newer); both are read.
      reasoningField: 'reasoning_content',
      ...STRUCTURED_LADDER.vllm,
    },
    startHint: 'Is vLLM running? Start it with `vllm serve MODEL --port 8000`.',
  },
  {
    name: 'litellm',
    label: 'LiteLLM proxy',
    api: 'openai-chat',
    baseUrl: 'http://localhost:4000/v1',
    // The proxy's virtual key when it has a master key set; a proxy without one needs no key.
    apiKeyEnv: 'LITELLM_API_KEY',
    local: true,
    compat: {
      // docs.litellm.ai/docs/completion/usage: with stream_options.include_usage the proxy streams a usage
      // chunk (`choices: []`) before [DONE]. It normalizes reasoning into `reasoning_content` and maps
      // reasoning_effort per backend (docs/reasoning_content). Unsupported params raise unless the proxy
      // sets drop_params (docs/completion/drop_params), so the defaults stay: only what the caller asked for
      // is sent.
      usageInStream: true,
      reasoningField: 'reasoning_content',
      reasoningEffort: true,
    },
    startHint: 'Is the LiteLLM proxy running? Start it with `litellm --config config.yaml` (port 4000).',
  },
  {
    name: 'textgen-webui',
    label: 'Text Generation WebUI',
    api: 'openai-chat',
    baseUrl: 'http://127.0.0.1:5000/v1',
    local: true,
    compat: {
      // oobabooga/text-generation-webui extensions/openai (typing.py, function_call.py): a pydantic model
      // that ignores unknown fields, so `response_format`, `stream_options` and `parallel_tool_calls` are
      // silently dropped: structured output goes in the prompt, no usage is asked for in streams. Function
      // calling answers one call per response (legacy `functions` and `tools` both accepted).
      usageInStream: false,
      parallelToolCalls: false,
      responseFormat: 'none',
      structuredRungs: ['prompt'],
      nativeSchemaField: 'none',
    },
    startHint:
      'Is Text Generation WebUI running with its API? Start it with `python server.py --api` (port 5000).',
  },
  {
    name: 'openai',
    label: 'OpenAI',
    api: 'openai-responses',
    baseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    local: false,
    compat: {
      // platform.openai.com/docs/api-reference/responses/create: strict tool schemas, reasoning.effort and
      // summaries, store: false with include reasoning.encrypted_content for stateless replay.
      strictTools: true,
      reasoningEffort: true,
      reasoningSummary: 'auto',
      statelessStore: true,
      encryptedReasoning: true,
      // prompt_cache_key (Responses and Chat Completions): routes requests sharing a prefix to one cache.
      sendPromptCacheKey: true,
    },
    apiCompat: {
      'openai-chat': {
        sendPromptCacheKey: true,
        // platform.openai.com/docs/api-reference/chat: `developer` role, max_completion_tokens (max_tokens is
        // deprecated and rejected by reasoning models), strict tool schemas, reasoning_effort.
        systemRole: 'developer',
        maxTokensField: 'max_completion_tokens',
        strictTools: true,
        reasoningEffort: true,
      },
    },
  },
  {
    name: 'anthropic',
    label: 'Anthropic',
    api: 'anthropic-messages',
    baseUrl: 'https://api.anthropic.com/v1',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    local: false,
    compat: {
      // docs.anthropic.com/en/api/messages: x-api-key, anthropic-version 2023-06-01, extended thinking and
      // prompt caching (cache_control) on current models.
      authHeader: 'x-api-key',
      anthropicVersion: '2023-06-01',
      extendedThinking: true,
      promptCaching: true,
    },
    apiCompat: {
      'openai-chat': {
        // docs.anthropic.com/en/api/openai-sdk: the OpenAI-compatible endpoint (recording
        // anthropic-openai-compat-tool-call-index-1.sse); response_format is ignored there.
        responseFormat: 'none',
      },
    },
  },
  {
    name: 'openrouter',
    label: 'OpenRouter',
    api: 'openai-chat',
    baseUrl: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    local: false,
    compat: {
      // Reasoning in `reasoning` plus duplicate `reasoning_details` (recordings openrouter-*).
      reasoningField: 'reasoning',
      reasoningEffort: true,
    },
  },
  {
    name: 'groq',
    label: 'Groq',
    api: 'openai-chat',
    baseUrl: 'https://api.groq.com/openai/v1',
    apiKeyEnv: 'GROQ_API_KEY',
    local: false,
    compat: {
      // console.groq.com/docs/openai: max_completion_tokens; reasoning in `reasoning`
      // (recordings groq-*); usage also in `x_groq.usage`.
      maxTokensField: 'max_completion_tokens',
      reasoningField: 'reasoning',
      reasoningEffort: true,
    },
  },
  {
    name: 'deepseek',
    label: 'DeepSeek',
    api: 'openai-chat',
    baseUrl: 'https://api.deepseek.com/v1',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    local: false,
    compat: {
      // api-docs.deepseek.com: `reasoning_content`; response_format json_object only; usage in the
      // finish chunk (recordings deepseek-reasoner-*).
      responseFormat: 'json_object',
      reasoningField: 'reasoning_content',
    },
  },
  {
    name: 'mistral',
    label: 'Mistral',
    api: 'openai-chat',
    baseUrl: 'https://api.mistral.ai/v1',
    apiKeyEnv: 'MISTRAL_API_KEY',
    local: false,
    compat: {
      // docs.mistral.ai: rejects unknown fields (stream_options); usage arrives on the finish chunk anyway
      // (recordings mistral-*). Tool calls come without `index`.
      usageInStream: false,
    },
  },
  {
    name: 'xai',
    label: 'xAI',
    api: 'openai-chat',
    baseUrl: 'https://api.x.ai/v1',
    apiKeyEnv: 'XAI_API_KEY',
    local: false,
    compat: {
      // docs.x.ai: `reasoning_content`; completion_tokens exclude reasoning (recordings xai-*).
      reasoningField: 'reasoning_content',
      strictTools: true,
    },
  },
] satisfies Preset[]);

/** The global preset table: the built-in presets plus those added with {@link registerPreset}. */
export const GLOBAL_PRESETS = new PresetTable(PRESETS);

/** Looks up a preset by name (case-insensitive): registered presets first, then the built-in ones. */
export function getPreset(name: string): Preset | undefined {
  return GLOBAL_PRESETS.get(name);
}

/**
 * Adds (or replaces) a preset in the global table, for every model and registry in the process. Use
 * `createRegistry().registerPreset` to keep it to one registry.
 * @throws {InvalidArgumentError} when the name is empty or the base URL does not parse.
 */
export function registerPreset(preset: Preset): void {
  GLOBAL_PRESETS.register(preset);
}

/** The preset whose default base URL has the same origin as `baseUrl` (local ports included). */
export function presetForBaseUrl(baseUrl: string): Preset | undefined {
  return GLOBAL_PRESETS.forBaseUrl(baseUrl);
}

export { originOf };
