import { AbortError } from '../errors/abort-error.js';
import { SdkError } from '../errors/sdk-error.js';
import type { StreamFunction } from '../providers/define.js';
import { globalRegistry } from '../providers/registry.js';
import type { AssistantStream } from '../stream/assistant-stream.js';
import { driveSource, type EventSource, FailedSource } from '../stream/driver.js';
import type { MessageBuilder } from '../stream/message-builder.js';
import type { Context } from '../types/context.js';
import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import { emptyUsage, type Usage } from '../types/usage.js';

/** The wire protocol of scripted models (registered in the global registry on first use). */
export const SCRIPTED_API = 'scripted';

/** One tool call a scripted turn makes. */
export interface ScriptedToolCall {
  /** Call id. @default generated (`call_…`) */
  id?: string;
  /** Tool name. */
  name: string;
  /** Arguments: an object, or raw JSON text (sent as is, so malformed arguments can be scripted too). */
  arguments?: Record<string, unknown> | string;
}

/** One model call of a script: what the model "answers", in this order (thinking, text, tool calls). */
export interface ScriptedTurn {
  /** Reasoning, streamed first: one string, or the deltas. */
  thinking?: string | string[];
  /** Answer text: one string, or the deltas (each a `text_delta`). */
  text?: string | string[];
  /** Tool calls, after the text. The stop reason is then `toolUse`. */
  toolCalls?: ScriptedToolCall[];
  /** Token usage reported at the end. @default all zero */
  usage?: Partial<Omit<Usage, 'cost'>>;
  /** Stop reason of a turn without error. @default `toolUse` with tool calls, else `stop` */
  stopReason?: 'stop' | 'length' | 'toolUse';
  /**
   * Ends the call in an `error` event after the content above (an `Error`, e.g. an `ApiError`, or a
   * message). The partial content is kept, as with a real server.
   */
  error?: Error | string;
  /** Waits this long (ms) before the first event after `start`; aborting the call's signal cuts it short. */
  delayMs?: number;
  /** Warnings on the `start` event. @default [] */
  warnings?: string[];
}

/** A turn, or a function of the context the call received (for answers that depend on the history). */
export type ScriptedStep = ScriptedTurn | ((context: Context, options: StreamOptions) => ScriptedTurn);

/** An in-process model that answers from a script; see {@link scriptedModel}. */
export interface ScriptedModel {
  /** The model record (`api: 'scripted'`); pass it to `stream()`, `Agent`, `query()`, the CLI library. */
  readonly model: Model;
  /** Its stream function (also reachable through `stream()` by `model.api`); for `streamFn`. */
  readonly stream: StreamFunction;
  /** A copy of the context of every call made so far, in order. */
  readonly contexts: Context[];
  /** The options of every call made so far (without `signal`), in order. */
  readonly options: Omit<StreamOptions, 'signal'>[];
  /** Turns not yet used. */
  readonly remaining: number;
}

interface Script {
  readonly steps: ScriptedStep[];
  next: number;
  readonly contexts: Context[];
  readonly options: Omit<StreamOptions, 'signal'>[];
}

const SCRIPT = Symbol.for('open-agent-sdk.scripted-model');
/** Scripts by model id, for model records that were copied (`{ ...model }` drops the hidden link). */
const BY_ID = new Map<string, WeakRef<Script>>();
let counter = 0;

function copy<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function deltas(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** Plays one {@link ScriptedTurn} into the builder, one delta per pull, through the stream driver. */
class ScriptedSource implements EventSource {
  readonly #turn: ScriptedTurn;
  readonly #signal: AbortSignal | undefined;
  readonly #ops: ((builder: MessageBuilder) => void)[] = [];
  #pos = 0;
  #delayed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;

  constructor(turn: ScriptedTurn, signal: AbortSignal | undefined) {
    this.#turn = turn;
    this.#signal = signal;
    for (const delta of deltas(turn.thinking)) this.#ops.push((b) => b.thinking(delta));
    for (const delta of deltas(turn.text)) this.#ops.push((b) => b.text(delta));
    for (const call of turn.toolCalls ?? []) {
      this.#ops.push((b) => {
        const state = b.startToolCall(call.id, call.name);
        const args = call.arguments ?? {};
        b.toolCallArguments(state, typeof args === 'string' ? args : JSON.stringify(args));
        b.endToolCall(state);
      });
    }
  }

  open(): readonly string[] {
    if (this.#signal?.aborted) throw new AbortError('The request was aborted before it was sent.');
    return this.#turn.warnings ?? [];
  }

  async pull(builder: MessageBuilder): Promise<void> {
    if (!this.#delayed) {
      this.#delayed = true;
      if ((this.#turn.delayMs ?? 0) > 0) await this.#sleep(this.#turn.delayMs ?? 0);
    }
    if (this.#signal?.aborted) throw new AbortError('The request was aborted.');
    while (this.#pos < this.#ops.length) {
      this.#ops[this.#pos++]?.(builder);
      if (builder.queue.length > 0) return;
    }
    this.#end(builder);
  }

  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wake?.();
  }

  #end(builder: MessageBuilder): void {
    const turn = this.#turn;
    const usage = { ...emptyUsage(), ...turn.usage };
    if (turn.usage?.total === undefined)
      usage.total = usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
    builder.setUsage(usage);
    if (turn.error !== undefined) {
      throw typeof turn.error === 'string' ? new SdkError(turn.error) : turn.error;
    }
    const stopReason = turn.stopReason ?? (builder.toolCalls.length > 0 ? 'toolUse' : 'stop');
    builder.finish({ stopReason });
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#signal;
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        if (this.#timer !== undefined) clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      this.#timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

function run(
  script: Script | undefined,
  model: Model,
  context: Context,
  options: StreamOptions,
): AssistantStream {
  const signal = options.signal;
  if (script === undefined) {
    const error = new SdkError(
      `No script for scripted model "${model?.id}": pass the model record scriptedModel() returned.`,
    );
    return driveSource(model, new FailedSource(error), signal);
  }
  const { signal: _signal, ...rest } = options;
  script.contexts.push(copy(context));
  script.options.push(rest);
  const step = script.steps[script.next++];
  if (step === undefined) {
    const error = new SdkError(
      `Scripted model "${model.id}" has no turn left (call ${script.next} of ${script.steps.length} scripted).`,
    );
    return driveSource(model, new FailedSource(error), signal);
  }
  let turn: ScriptedTurn;
  try {
    turn = typeof step === 'function' ? step(copy(context), rest) : step;
  } catch (error) {
    return driveSource(model, new FailedSource(error), signal);
  }
  return driveSource(model, new ScriptedSource(turn, signal), signal);
}

/** The global provider of `api: 'scripted'`: finds the script of a model record. */
const streamScripted: StreamFunction = (model, context, options = {}) => {
  const linked = (model as { [SCRIPT]?: Script })[SCRIPT];
  return run(linked ?? BY_ID.get(model?.id)?.deref(), model, context, options);
};

/**
 * An in-process model that answers from a script, for tests: no server, no HTTP, same stream driver as
 * every provider (so `start`, block events, exactly one terminal event, abort and consumer break behave as
 * with a real server). Each call to the model consumes the next turn and records the context it received;
 * a call past the last turn ends in an `error` event.
 *
 * Works with `stream()` and `complete()` (registered as the provider of `api: 'scripted'` in the global
 * registry), `Agent` / `agentLoop` / `query()` (pass `model`), and anything that takes a `Model`.
 *
 * @example
 * const scripted = scriptedModel([
 *   { toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
 *   (context) => ({ text: `got ${context.messages.length} messages` }),
 * ]);
 * const result = await new Agent({ model: scripted.model, tools: [add] }).prompt('add');
 * expect(scripted.contexts[1]?.messages.at(-1)?.role).toBe('toolResult');
 */
export function scriptedModel(turns: ScriptedStep[], options: { id?: string } = {}): ScriptedModel {
  if (!globalRegistry.apis().includes(SCRIPTED_API))
    globalRegistry.registerProvider(SCRIPTED_API, streamScripted);
  const id = options.id ?? `scripted-${++counter}`;
  const script: Script = { steps: [...turns], next: 0, contexts: [], options: [] };
  const model: Model = { id, api: SCRIPTED_API, provider: 'scripted', baseUrl: 'scripted://local' };
  Object.defineProperty(model, SCRIPT, { value: script, enumerable: false });
  BY_ID.set(id, new WeakRef(script));
  return {
    model,
    stream: (m, context, streamOptions = {}) => run(script, m, context, streamOptions),
    contexts: script.contexts,
    options: script.options,
    get remaining() {
      return script.steps.length - script.next;
    },
  };
}
