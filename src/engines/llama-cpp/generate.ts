import type {
  ChatModelFunctions,
  LLamaChatGenerateResponseOptions,
  LlamaChat,
  LlamaChatResponse,
  LlamaGrammar,
} from 'node-llama-cpp';
import { AbortError } from '../../errors/abort-error.js';
import { SdkError } from '../../errors/sdk-error.js';
import type { Context } from '../../types/context.js';
import type { StreamOptions } from '../../types/options.js';
import { acquireEngine, type EngineState, getEngine } from './engine.js';
import { EngineError } from './errors.js';
import type { EngineEvent } from './events.js';
import { toChatHistory } from './history.js';
import type { LlamaCppModel } from './model.js';
import { EventQueue } from './queue.js';
import { forcingWrapper, type OfferedFunctions, offerFunctions } from './tools.js';

/** A generation checked and converted before the engine is touched. */
export interface PreparedGeneration {
  /** Settings the engine cannot honour, and what was done instead. */
  warnings: string[];
  /** node-llama-cpp chat history (the last item is the model response to generate or continue). */
  history: ReturnType<typeof toChatHistory>['history'];
  /** Functions offered, and whether a call is forced. */
  offered: OfferedFunctions;
}

/**
 * Converts the context and checks the options. Pure: loads nothing.
 * @throws {InvalidArgumentError} for a `toolChoice` naming an unknown tool.
 */
export function prepareGeneration(context: Context, options: StreamOptions): PreparedGeneration {
  const { history, warnings } = toChatHistory(context);
  const offered = offerFunctions(context.tools, options.toolChoice);
  if (options.reasoning !== undefined)
    warnings.push('llama-cpp: `reasoning` is ignored; the chat template decides whether the model thinks.');
  if (options.previousResponseId !== undefined)
    warnings.push('llama-cpp: `previousResponseId` is ignored; the whole history is sent.');
  if (options.responseFormat && options.responseFormat.type !== 'text' && offered.functions)
    warnings.push('llama-cpp: `responseFormat` is ignored while tools are offered (one grammar at a time).');
  return { warnings, history, offered };
}

async function grammarFor(state: EngineState, options: StreamOptions): Promise<LlamaGrammar | undefined> {
  const format = options.responseFormat;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return state.llama.getGrammarFor('json');
  return state.llama.createGrammarForJsonSchema(format.schema as never);
}

const STOP: Record<string, 'stop' | 'length' | 'toolUse'> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  functionCalls: 'toolUse',
  maxTokens: 'length',
};

/** Tracks streamed function calls so every started call is ended exactly once. */
class CallTracker {
  readonly open = new Set<number>();
  seen = 0;

  chunk(
    queue: EventQueue<EngineEvent>,
    c: { callIndex: number; functionName: string; paramsChunk: string; done: boolean },
  ): void {
    if (c.callIndex >= this.seen) {
      this.seen = c.callIndex + 1;
      this.open.add(c.callIndex);
      queue.push({ type: 'toolcall_start', index: c.callIndex, name: c.functionName });
    }
    if (c.paramsChunk) queue.push({ type: 'toolcall_args', index: c.callIndex, delta: c.paramsChunk });
    if (c.done && this.open.delete(c.callIndex)) queue.push({ type: 'toolcall_end', index: c.callIndex });
  }
}

function finish(
  state: EngineState,
  before: { usedInputTokens: number; usedOutputTokens: number },
  result: LlamaChatResponse<ChatModelFunctions>,
  calls: CallTracker,
  queue: EventQueue<EngineEvent>,
  forced: boolean,
): void {
  const raw = result.metadata.stopReason;
  const called = (result.functionCalls?.length ?? 0) > 0;
  if (raw === 'maxTokens' && (calls.open.size > 0 || (forced && !called)))
    throw new EngineError(
      'maxTokens was reached inside a tool call, so the call is incomplete; raise maxTokens (calls need their argument tokens too).',
    );
  for (const call of (result.functionCalls ?? []).slice(calls.seen)) {
    const index = calls.seen++;
    queue.push({ type: 'toolcall_start', index, name: String(call.functionName) });
    queue.push({ type: 'toolcall_args', index, delta: JSON.stringify(call.params ?? {}) });
    queue.push({ type: 'toolcall_end', index });
  }
  for (const index of calls.open) queue.push({ type: 'toolcall_end', index });
  const used = state.sequence.tokenMeter.diff(before);
  const prompt = Math.max(0, state.sequence.nextTokenIndex - used.usedOutputTokens);
  queue.push({
    type: 'usage',
    usage: {
      input: used.usedInputTokens,
      cacheRead: Math.max(0, prompt - used.usedInputTokens),
      output: used.usedOutputTokens,
    },
  });
  queue.push({ type: 'finish', reason: STOP[raw] ?? 'stop', raw });
}

function responseOptions(
  model: LlamaCppModel,
  options: StreamOptions,
  prepared: PreparedGeneration,
  grammar: LlamaGrammar | undefined,
): LLamaChatGenerateResponseOptions {
  const maxTokens = options.maxTokens ?? model.maxOutputTokens;
  const seed = options.seed ?? model.seed;
  const base = {
    ...(maxTokens !== undefined && { maxTokens }),
    ...(options.temperature !== undefined && { temperature: options.temperature }),
    ...(options.topP !== undefined && { topP: options.topP }),
    ...(seed !== undefined && { seed }),
    ...(options.stop?.length && { customStopTriggers: options.stop }),
  };
  const functions = prepared.offered.functions;
  if (functions)
    return {
      ...base,
      functions,
      ...(options.parallelToolCalls === false && { maxParallelFunctionCalls: 1 }),
    };
  return { ...base, ...(grammar && { grammar }) };
}

function toEngineError(error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return new AbortError('The generation was aborted.', { cause: error });
  if (SdkError.isInstance(error)) return error;
  return new EngineError(`The embedded engine failed: ${String(error)}`, { cause: error });
}

/**
 * Runs one generation and yields its provider-level events in batches, as node-llama-cpp produces them.
 * Generations on one model run one at a time. Aborting `options.signal`, or returning from the iterator
 * early, stops the generation and waits until the engine is idle again (so the next call can use it).
 *
 * @throws {AbortError} when aborted; {@link EngineError} when the engine fails (or `maxTokens` cut a tool
 *   call); {@link EngineNotInstalledError} when node-llama-cpp is missing.
 */
export async function* generate(
  model: LlamaCppModel,
  prepared: PreparedGeneration,
  options: StreamOptions,
): AsyncGenerator<EngineEvent[], void, undefined> {
  if (options.signal?.aborted) throw new AbortError('The request was aborted before it was sent.');
  const state = await getEngine(model);
  const release = await acquireEngine(state);
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let chat: LlamaChat = state.chat;
  let run: Promise<void> = Promise.resolve();
  try {
    if (options.signal?.aborted) throw new AbortError('The request was aborted before it was sent.');
    const grammar = prepared.offered.functions ? undefined : await grammarFor(state, options);
    if (prepared.offered.force)
      chat = new state.lib.LlamaChat({
        contextSequence: state.sequence,
        chatWrapper: forcingWrapper(state.lib, state.chat.chatWrapper),
      });
    const queue = new EventQueue<EngineEvent>();
    const calls = new CallTracker();
    const before = state.sequence.tokenMeter.getState();
    run = chat
      .generateResponse(prepared.history, {
        ...responseOptions(model, options, prepared, grammar),
        signal: controller.signal,
        onResponseChunk: (chunk) => {
          if (chunk.text.length === 0) return;
          queue.push(
            chunk.type === 'segment'
              ? { type: 'thinking', delta: chunk.text }
              : { type: 'text', delta: chunk.text },
          );
        },
        onFunctionCallParamsChunk: (chunk) => calls.chunk(queue, chunk),
      } as LLamaChatGenerateResponseOptions)
      .then((result) => {
        finish(
          state,
          before,
          result as LlamaChatResponse<ChatModelFunctions>,
          calls,
          queue,
          prepared.offered.force,
        );
        queue.close();
      })
      .catch((error: unknown) => queue.fail(toEngineError(error, controller.signal)));
    for (;;) {
      const batch = await queue.next();
      if (!batch) return;
      yield batch;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    controller.abort(new AbortError('The consumer stopped reading the stream before it ended.'));
    await run;
    if (chat !== state.chat) chat.dispose({ disposeSequence: false });
    release();
  }
}
