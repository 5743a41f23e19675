/**
 * The tracing observer: turns a run's events into OpenTelemetry spans that follow the GenAI semantic
 * conventions. It is a plain {@link RunObserver}: nothing in the agent loop knows about tracing.
 *
 * @module
 */
import type { Context, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import type { AgentEvent, ModelCallInfo } from '../agent/events.js';
import type { RunObserver } from '../agent/loop.js';
import { redactText } from '../http/redact.js';
import type { AssistantMessage, Message } from '../types/message.js';
import {
  ATTR,
  type Attributes,
  chatEndAttributes,
  chatStartAttributes,
  errorType,
  isInProcess,
  providerName,
} from './attributes.js';
import { conventionMessage, resultText, scrubbedJson } from './content.js';
import { loadOtelApi, type OtelApi } from './load-api.js';

/** Options of {@link createTracingObserver}. */
export interface TracingObserverOptions {
  /** The tracer to use. @default `tracerProvider.getTracer('open-agent-sdk')` */
  tracer?: Tracer;
  /** The provider to get the tracer from. @default the global one (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
  /**
   * Record prompts, model outputs, tool arguments and tool results (`gen_ai.input.messages`,
   * `gen_ai.output.messages`, `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`), scrubbed of
   * credentials like errors are. @default false
   */
  captureContent?: boolean;
  /** Extra secret strings (an API key, a token) removed from captured content. @default [] */
  secrets?: readonly string[];
}

/** One agent's spans in one run (a run, or a nested agent inside one). */
interface Frame {
  key: string;
  /** The frame of the agent that handed off to this one (its span is this one's parent), if any. */
  from?: Frame;
  /** `error.type` of the run's failure, once known. */
  errorType?: string;
  span: Span;
  ctx: Context;
  conversationId: string | undefined;
  chat?: { span: Span; start: number; failed?: boolean };
  tools: Map<string, Span>;
  lastTool?: Span;
  messages: Message[];
  providerSet: boolean;
}

const TRACER_NAME = 'open-agent-sdk';

/**
 * A {@link RunObserver} that records spans through `@opentelemetry/api` (loaded lazily; an optional peer):
 * `invoke_agent {agent}` (INTERNAL) per run and per nested agent, `chat {model}` per model call (CLIENT for
 * an HTTP server, INTERNAL for an in-process engine), `execute_tool {tool}` (INTERNAL) per tool call, MCP
 * calls marked with `mcp.method.name`, and span events for retries, time to first token, interruptions,
 * hook errors and handoffs. Follows the OpenTelemetry GenAI semantic conventions (Development status);
 * attribute list in docs/tracing.md.
 *
 * Records nothing unless the application registered a tracer provider (or passes one): with the API's
 * default no-op provider, a run costs one check at `agent_start`. Content is recorded only with
 * `captureContent`, always scrubbed. Pass it in `observers` of `run()` or `Agent`.
 *
 * @throws TracingSdkMissingError when `@opentelemetry/api` is not installed.
 */
export function createTracingObserver(options: TracingObserverOptions = {}): RunObserver {
  const api = loadOtelApi();
  const tracer =
    options.tracer ?? (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(TRACER_NAME);
  const tracing = new RunTracer(api, tracer, options.captureContent === true, options.secrets ?? []);
  return (event) => tracing.observe(event);
}

class RunTracer {
  readonly #frames = new Map<string, Frame>();
  /** The parent context of each run's first agent (handoffs start their agent there too). */
  readonly #runParents = new Map<string, Context>();

  constructor(
    private readonly api: OtelApi,
    private readonly tracer: Tracer,
    private readonly capture: boolean,
    private readonly secrets: readonly string[],
  ) {}

  observe(event: AgentEvent): void {
    if (event.type === 'message_update' || event.type === 'tool_execution_update') return;
    if (event.type === 'agent_start') {
      this.#agentStart(event);
      return;
    }
    if (this.#frames.size === 0) return;
    const frame = this.#frames.get(frameKey(event));
    if (!frame) return;
    switch (event.type) {
      case 'message_start':
        if (event.request) this.#chatStart(frame, event.request);
        return;
      case 'retry':
        frame.chat?.span.addEvent('retry', {
          [ATTR.retryAttempt]: event.attempt,
          [ATTR.retryDelayMs]: event.delayMs,
          [ATTR.retryReason]: redactText(event.reason),
          [ATTR.errorType]: errorType(event.error),
        });
        return;
      case 'message_end':
        if (event.message.role === 'assistant') this.#chatEnd(frame, event.message, event.firstChunkMs);
        else frame.messages.push(event.message);
        return;
      case 'tool_execution_start': {
        this.#toolStart(frame, event);
        return;
      }
      case 'tool_execution_end': {
        this.#toolEnd(frame, event);
        return;
      }
      case 'interrupted':
        frame.span.addEvent('interrupted', { 'open_agent.interruptions': event.interruptions.length });
        return;
      case 'prompt_blocked':
        frame.span.addEvent('prompt_blocked');
        return;
      case 'hook_error':
        frame.span.addEvent('hook_error', {
          'open_agent.hook.event': event.hookEvent,
          [ATTR.errorType]: errorType(event.error),
        });
        return;
      case 'error': {
        this.#error(frame, event.error);
        return;
      }
      case 'agent_end': {
        this.#agentEnd(frame, event);
        return;
      }
      default:
        this.#other(frame, event);
    }
  }

  #agentStart(event: Extract<AgentEvent, { type: 'agent_start' }>): void {
    const path = event.agentPath ?? [event.agent];
    const parent = this.#parentContext(event.runId, path);
    const attributes: Attributes = {
      [ATTR.operation]: 'invoke_agent',
      [ATTR.agentName]: event.agent,
      [ATTR.runId]: event.runId,
    };
    if (path.length > 1) attributes[ATTR.agentPath] = [...path];
    if (event.sessionId !== undefined) attributes[ATTR.conversationId] = event.sessionId;
    const span = this.tracer.startSpan(
      `invoke_agent ${event.agent}`,
      { kind: this.api.SpanKind.INTERNAL, attributes },
      parent,
    );
    if (!span.isRecording()) return; // no provider registered (or not sampled): nothing more to do
    if (!this.#runParents.has(event.runId)) this.#runParents.set(event.runId, parent);
    const key = frameKey(event);
    this.#frames.set(key, {
      key,
      span,
      ctx: this.api.trace.setSpan(parent, span),
      conversationId: event.sessionId,
      tools: new Map(),
      messages: [],
      providerSet: false,
    });
  }

  /**
   * A nested agent's parent: the tool call its parent agent is running (an agent used as a tool), else
   * the parent agent's span; a run's next agent (a handoff) starts where the run's first agent started.
   */
  #parentContext(runId: string, path: readonly string[]): Context {
    if (path.length > 1) {
      const parentKey = pathKey(path.slice(0, -1));
      let found: Frame | undefined;
      for (const [key, frame] of this.#frames) if (key.endsWith(`|${parentKey}`)) found = frame;
      if (found) return found.lastTool ? this.api.trace.setSpan(found.ctx, found.lastTool) : found.ctx;
    }
    return this.#runParents.get(runId) ?? this.api.context.active();
  }

  #chatStart(frame: Frame, request: ModelCallInfo): void {
    if (!frame.providerSet) {
      frame.span.setAttribute(ATTR.provider, providerName(request.provider));
      frame.span.setAttribute(ATTR.requestModel, request.model);
      frame.providerSet = true;
    }
    this.#endChat(frame);
    const kind = isInProcess(request) ? this.api.SpanKind.INTERNAL : this.api.SpanKind.CLIENT;
    const attributes = chatStartAttributes(request, frame.conversationId);
    if (this.capture) attributes[ATTR.inputMessages] = this.#json(frame.messages.map(conventionMessage));
    const span = this.tracer.startSpan(`chat ${request.model}`, { kind, attributes }, frame.ctx);
    frame.chat = { span, start: Date.now() };
  }

  #chatEnd(frame: Frame, message: AssistantMessage, firstChunkMs: number | undefined): void {
    frame.messages.push(message);
    const chat = frame.chat;
    if (!chat) return;
    chat.span.setAttributes(chatEndAttributes(message, firstChunkMs));
    if (firstChunkMs !== undefined) {
      chat.span.addEvent(
        'first_chunk',
        { [ATTR.timeToFirstChunk]: firstChunkMs / 1000 },
        chat.start + firstChunkMs,
      );
    }
    if (this.capture) chat.span.setAttribute(ATTR.outputMessages, this.#json([conventionMessage(message)]));
    if (message.stopReason === 'error' || message.stopReason === 'aborted') {
      // The typed error comes with the run's `error` event; keep the span open until then.
      chat.failed = true;
      chat.span.setAttribute(ATTR.errorType, message.stopReason === 'aborted' ? 'AbortError' : '_OTHER');
      this.#setError(chat.span, message.errorMessage);
      return;
    }
    this.#endChat(frame);
  }

  #endChat(frame: Frame): void {
    frame.chat?.span.end();
    frame.chat = undefined;
  }

  #toolStart(frame: Frame, event: Extract<AgentEvent, { type: 'tool_execution_start' }>): void {
    const attributes: Attributes = {
      [ATTR.operation]: 'execute_tool',
      [ATTR.toolName]: event.toolName,
      [ATTR.toolCallId]: event.toolCallId,
      [ATTR.toolType]: event.mcp ? 'extension' : 'function',
    };
    if (event.mcp) {
      attributes[ATTR.mcpMethod] = 'tools/call';
      attributes[ATTR.mcpServer] = event.mcp.server;
      attributes[ATTR.mcpToolName] = event.mcp.name;
    }
    if (frame.conversationId !== undefined) attributes[ATTR.conversationId] = frame.conversationId;
    if (this.capture) attributes[ATTR.toolArguments] = this.#json(event.args);
    const span = this.tracer.startSpan(
      `execute_tool ${event.toolName}`,
      { kind: this.api.SpanKind.INTERNAL, attributes },
      frame.ctx,
    );
    frame.tools.get(event.toolCallId)?.end();
    frame.tools.set(event.toolCallId, span);
    frame.lastTool = span;
  }

  #toolEnd(frame: Frame, event: Extract<AgentEvent, { type: 'tool_execution_end' }>): void {
    frame.messages.push(event.result);
    const span = frame.tools.get(event.toolCallId);
    if (!span) return;
    frame.tools.delete(event.toolCallId);
    if (frame.lastTool === span) frame.lastTool = undefined;
    span.setAttribute(ATTR.toolOutcome, event.outcome);
    if (event.outcome !== 'ok' || event.result.isError) {
      const type = event.outcome === 'ok' || event.outcome === 'error' ? 'tool_error' : event.outcome;
      span.setAttribute(ATTR.errorType, type);
      this.#setError(span, `tool ${event.outcome}`);
    } else if (this.capture) {
      span.setAttribute(ATTR.toolResult, this.#json(resultText(event.result)));
    }
    span.end();
  }

  #error(frame: Frame, error: Error): void {
    const type = errorType(error);
    frame.errorType = type;
    const tripped = guardrailTrip(error);
    if (tripped) frame.span.addEvent('guardrail_tripped', tripped);
    frame.span.setAttribute(ATTR.errorType, type);
    this.#setError(frame.span, error.message);
    if (frame.chat?.failed) {
      frame.chat.span.setAttribute(ATTR.errorType, type);
      this.#setError(frame.chat.span, error.message);
    }
  }

  #agentEnd(frame: Frame, event: Extract<AgentEvent, { type: 'agent_end' }>): void {
    const { result } = event;
    if (this.capture && result.lastMessage) {
      frame.span.setAttribute(ATTR.outputMessages, this.#json([conventionMessage(result.lastMessage)]));
    }
    this.#endChat(frame);
    for (const span of frame.tools.values()) span.end(); // calls left for a decision (interrupted)
    // The agent that ends the run, then the agents that handed off to it (their spans contain its span).
    for (let f: Frame | undefined = frame; f; f = f.from) {
      f.span.setAttributes({ [ATTR.runStatus]: result.status, [ATTR.runTurns]: result.turns });
      if (!f.from) {
        // the run's first agent: the whole run's usage (handoff targets' spans are inside it)
        const u = result.usage;
        f.span.setAttributes({
          [ATTR.inputTokens]: u.input + u.cacheRead + u.cacheWrite,
          [ATTR.outputTokens]: u.output,
          [ATTR.cacheReadTokens]: u.cacheRead,
          [ATTR.cacheCreationTokens]: u.cacheWrite,
        });
      }
      if (f !== frame && frame.errorType !== undefined) {
        f.span.setAttribute(ATTR.errorType, frame.errorType);
        this.#setError(f.span, result.error?.message);
      }
      f.span.end();
      this.#frames.delete(f.key);
    }
    if (!(event.agentPath && event.agentPath.length > 1)) this.#runParents.delete(event.runId);
  }

  /**
   * A handoff: a span event on the agent that hands off, and the target's `invoke_agent` span, a child of
   * it (the run's later events are the target's, until the next handoff or the end).
   */
  #handoff(frame: Frame, event: Extract<AgentEvent, { type: 'handoff' }>): void {
    frame.span.addEvent('handoff', {
      [ATTR.handoffFrom]: event.from,
      [ATTR.handoffTo]: event.to,
      [ATTR.toolCallId]: event.toolCallId,
    });
    const path = [...(event.agentPath ?? [event.agent]).slice(0, -1), event.to];
    const attributes: Attributes = {
      [ATTR.operation]: 'invoke_agent',
      [ATTR.agentName]: event.to,
      [ATTR.runId]: event.runId,
    };
    if (path.length > 1) attributes[ATTR.agentPath] = path;
    if (frame.conversationId !== undefined) attributes[ATTR.conversationId] = frame.conversationId;
    const span = this.tracer.startSpan(
      `invoke_agent ${event.to}`,
      { kind: this.api.SpanKind.INTERNAL, attributes },
      frame.ctx,
    );
    const key = `${event.runId}|${pathKey(path)}`;
    this.#frames.set(key, {
      key,
      from: frame,
      span,
      ctx: this.api.trace.setSpan(frame.ctx, span),
      conversationId: frame.conversationId,
      tools: new Map(),
      messages: [...frame.messages],
      providerSet: false,
    });
  }

  /** Events of newer kinds (handoffs, guardrails): a span event on the agent's span. */
  #other(frame: Frame, event: AgentEvent): void {
    if (event.type === 'handoff') this.#handoff(frame, event);
    else if (event.type.includes('guardrail')) frame.span.addEvent(event.type);
  }

  #setError(span: Span, message: string | undefined): void {
    span.setStatus({
      code: this.api.SpanStatusCode.ERROR,
      ...(message !== undefined && { message: redactText(message) }),
    });
  }

  #json(value: unknown): string {
    return scrubbedJson(value, this.secrets);
  }
}

/** The attributes of a `guardrail_tripped` event for a tripwire error, else `undefined`. */
function guardrailTrip(error: Error): Attributes | undefined {
  const e = error as { guardrail?: unknown; toolName?: unknown; toolCallId?: unknown; phase?: unknown };
  if (typeof e.guardrail !== 'string') return undefined;
  const kind =
    error.name === 'InputGuardrailTripwireTriggered'
      ? 'input'
      : error.name === 'OutputGuardrailTripwireTriggered'
        ? 'output'
        : error.name === 'ToolGuardrailTripwireTriggered'
          ? `tool_${String(e.phase)}`
          : undefined;
  if (kind === undefined) return undefined;
  const attributes: Attributes = { [ATTR.guardrailName]: e.guardrail, [ATTR.guardrailKind]: kind };
  if (typeof e.toolName === 'string') attributes[ATTR.toolName] = e.toolName;
  if (typeof e.toolCallId === 'string') attributes[ATTR.toolCallId] = e.toolCallId;
  return attributes;
}

function pathKey(path: readonly string[]): string {
  return path.join('/');
}

function frameKey(event: AgentEvent): string {
  return `${event.runId}|${pathKey(event.agentPath ?? [event.agent])}`;
}
