/**
 * Attribute names and values of the OpenTelemetry GenAI semantic conventions (Status: Development;
 * `open-telemetry/semantic-conventions-genai`, `docs/gen-ai/gen-ai-spans.md`, `gen-ai-agent-spans.md`,
 * `mcp.md`) that the tracing observer emits, plus a few `open_agent.*` attributes of our own.
 *
 * @module
 */
import type { ModelCallInfo } from '../agent/events.js';
import type { AssistantMessage } from '../types/message.js';

/** A span attribute value: what OpenTelemetry accepts. */
export type AttributeValue = string | number | boolean | string[];
/** Span attributes. */
export type Attributes = Record<string, AttributeValue>;

/** Attribute names (GenAI, server, error, MCP conventions; `open_agent.*` are ours). */
export const ATTR = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  requestModel: 'gen_ai.request.model',
  maxTokens: 'gen_ai.request.max_tokens',
  temperature: 'gen_ai.request.temperature',
  topP: 'gen_ai.request.top_p',
  stopSequences: 'gen_ai.request.stop_sequences',
  seed: 'gen_ai.request.seed',
  stream: 'gen_ai.request.stream',
  outputType: 'gen_ai.output.type',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  timeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationTokens: 'gen_ai.usage.cache_creation.input_tokens',
  reasoningTokens: 'gen_ai.usage.reasoning.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolArguments: 'gen_ai.tool.call.arguments',
  toolResult: 'gen_ai.tool.call.result',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  mcpMethod: 'mcp.method.name',
  mcpServer: 'open_agent.mcp.server',
  mcpToolName: 'open_agent.mcp.tool',
  runId: 'open_agent.run.id',
  runStatus: 'open_agent.run.status',
  runTurns: 'open_agent.run.turns',
  agentPath: 'open_agent.agent.path',
  toolOutcome: 'open_agent.tool.outcome',
  retryAttempt: 'open_agent.retry.attempt',
  retryDelayMs: 'open_agent.retry.delay_ms',
  retryReason: 'open_agent.retry.reason',
  handoffFrom: 'open_agent.handoff.from',
  handoffTo: 'open_agent.handoff.to',
  guardrailName: 'open_agent.guardrail.name',
  guardrailKind: 'open_agent.guardrail.kind',
} as const;

/** APIs of engines running in the process (their model spans are `INTERNAL`, not `CLIENT`). */
const IN_PROCESS_APIS = new Set(['llama-cpp']);

/** Our provider names that differ from the conventions' well-known `gen_ai.provider.name` values. */
const PROVIDER_NAMES: Record<string, string> = {
  xai: 'x_ai',
  mistral: 'mistral_ai',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
  moonshot: 'moonshot_ai',
};

/** The conventions' `gen_ai.provider.name` for one of our provider names (as-is when not well known). */
export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

/** True when a model call runs in this process (no HTTP server): its span kind is `INTERNAL`. */
export function isInProcess(request: ModelCallInfo): boolean {
  return IN_PROCESS_APIS.has(request.api) || request.serverAddress === undefined;
}

/** Attributes of a `chat {model}` span known when the call starts. */
export function chatStartAttributes(request: ModelCallInfo, conversationId: string | undefined): Attributes {
  const a: Attributes = {
    [ATTR.operation]: 'chat',
    [ATTR.provider]: providerName(request.provider),
    [ATTR.requestModel]: request.model,
    [ATTR.stream]: request.streaming,
    [ATTR.outputType]: request.outputType,
  };
  if (conversationId !== undefined) a[ATTR.conversationId] = conversationId;
  if (request.maxTokens !== undefined) a[ATTR.maxTokens] = request.maxTokens;
  if (request.temperature !== undefined) a[ATTR.temperature] = request.temperature;
  if (request.topP !== undefined) a[ATTR.topP] = request.topP;
  if (request.stop !== undefined) a[ATTR.stopSequences] = [...request.stop];
  if (request.seed !== undefined) a[ATTR.seed] = request.seed;
  if (request.serverAddress !== undefined) a[ATTR.serverAddress] = request.serverAddress;
  if (request.serverPort !== undefined) a[ATTR.serverPort] = request.serverPort;
  return a;
}

const FINISH_REASONS: Record<AssistantMessage['stopReason'], string> = {
  stop: 'stop',
  length: 'length',
  toolUse: 'tool_calls',
  error: 'error',
  aborted: 'aborted',
};

/** Attributes of a `chat {model}` span known when the response is complete (tokens are counts). */
export function chatEndAttributes(message: AssistantMessage, firstChunkMs: number | undefined): Attributes {
  const u = message.usage;
  const a: Attributes = {
    [ATTR.finishReasons]: [message.rawStopReason ?? FINISH_REASONS[message.stopReason]],
    // The conventions count every prompt token, cached or not, in input_tokens.
    [ATTR.inputTokens]: u.input + u.cacheRead + u.cacheWrite,
    [ATTR.outputTokens]: u.output,
    [ATTR.cacheReadTokens]: u.cacheRead,
    [ATTR.cacheCreationTokens]: u.cacheWrite,
  };
  if (u.reasoning !== undefined) a[ATTR.reasoningTokens] = u.reasoning;
  if (message.responseId !== undefined) a[ATTR.responseId] = message.responseId;
  if (firstChunkMs !== undefined) a[ATTR.timeToFirstChunk] = firstChunkMs / 1000;
  return a;
}

/**
 * A low-cardinality `error.type`: the HTTP status of an `ApiError` (`"429"`), else the error's class name
 * (`TimeoutError`, `ConnectionError`, `AbortError`, `MaxTurnsError`, ...), else `_OTHER`.
 */
export function errorType(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status > 0) return String(status);
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== '' && name !== 'Error' ? name : '_OTHER';
}
