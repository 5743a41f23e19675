import type { Message } from '../types/message.js';
import type { Model } from '../types/model.js';
import type { AgentLoopConfig, AgentMessage } from './config.js';
import type { AgentEvent, AgentRunResult } from './events.js';
import type { AgentLoopInput } from './loop.js';

/** The mutable state of one run, shared by the loop's phases. */
export class LoopState<Ctx> {
  readonly config: AgentLoopConfig<Ctx>;
  readonly signal: AbortSignal;
  /** The whole transcript: the input messages and everything this run added. */
  readonly transcript: AgentMessage[];
  readonly result: AgentRunResult;
  /** The model of the next call (`prepareNextTurn` may switch it). */
  model: Model;
  /** True once a `Stop` hook made the run continue. */
  stopHookActive = false;
  /** The typed error of the last model call's `error` event (`ApiError`, `ConnectionError`, ...), if any. */
  streamError: Error | undefined;

  constructor(input: AgentLoopInput<Ctx>, result: AgentRunResult) {
    this.config = input.config;
    this.signal = input.signal ?? new AbortController().signal;
    this.transcript = [...input.messages];
    this.result = result;
    this.model = input.config.model;
  }

  /** Adds a message to the transcript and the run's result. */
  add(message: Message): void {
    this.transcript.push(message);
    this.result.messages.push(message);
  }

  /** Adds a message and returns its start and end events. */
  *deliver(message: Message): Generator<AgentEvent, void, undefined> {
    this.add(message);
    yield { type: 'message_start', message };
    yield { type: 'message_end', message };
  }

  /** The transcript without app-defined custom messages. */
  llmView(): Message[] {
    return this.transcript.filter((m): m is Message => m.role !== 'custom');
  }
}
