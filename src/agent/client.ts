import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Message, ToolResultMessage, UserMessage } from '../types/message.js';
import type { SubmittedToolResult } from './agent.js';
import type { AgentMessage } from './config.js';
import type { AgentEvent, AgentRunResult } from './events.js';
import { loopConfigFrom, type QueryOptions } from './facade-options.js';
import { type AgentRun, agentLoop } from './loop.js';
import { applyPostHooks } from './tool-batch.js';

/**
 * A multi-turn conversation: `send()` a prompt, `receive()` its events, `interrupt()` it, read or
 * replace `history`. Each send is one agent run over the history so far.
 */
export class Client<Ctx = unknown> {
  readonly #options: QueryOptions<Ctx>;
  #history: AgentMessage[] = [];
  #run: AgentRun | undefined;
  #controller: AbortController | undefined;

  constructor(options: QueryOptions<Ctx>) {
    loopConfigFrom(options); // validate early
    this.#options = options;
  }

  /** The conversation so far (a copy). */
  get history(): AgentMessage[] {
    return [...this.#history];
  }

  /** Replaces the conversation (e.g. a saved session). */
  set history(messages: AgentMessage[]) {
    this.#history = [...messages];
  }

  /**
   * Starts a run for `prompt`; read it with `receive()`.
   * @throws {InvalidArgumentError} when the previous run has not been received to the end.
   */
  send(prompt: string | UserMessage): void {
    this.#start([prompt]);
  }

  /**
   * Starts a run without a new prompt, read with `receive()`: after manual tool results
   * (`submitToolResults`), or after a failed or aborted turn, which it retries.
   * @throws {InvalidArgumentError} when the history ends with a finished answer, or a run is not yet received.
   */
  continue(): void {
    const last = this.#history.findLast((m) => m.role !== 'custom');
    const failed =
      last?.role === 'assistant' && (last.stopReason === 'error' || last.stopReason === 'aborted');
    if (!last || (last.role === 'assistant' && !failed)) {
      throw new InvalidArgumentError(
        'continue() needs a user message, a tool result or a failed turn (which it retries) as the last message.',
        { argument: 'history' },
      );
    }
    this.#start([]);
  }

  /**
   * Manual tool mode (`autoExecuteTools: false`): adds the results you computed for the calls of the last
   * assistant message to the history (through the `PostToolUse` hooks, like `Agent.submitToolResults`).
   * Then call `continue()`.
   * @throws {InvalidArgumentError} for an id that is not a call of the last assistant message, or while a run is not yet received.
   */
  async submitToolResults(results: SubmittedToolResult[]): Promise<void> {
    if (this.#run)
      throw new InvalidArgumentError('receive() the current response before submitting tool results.', {
        argument: 'results',
      });
    const last = this.#history.findLast((m) => m.role === 'assistant');
    const calls = last?.role === 'assistant' ? last.content.filter((b) => b.type === 'toolCall') : [];
    const hooks = this.#options.hooks;
    for (const submitted of results) {
      const call = calls.find((c) => c.id === submitted.toolCallId);
      if (!call) {
        throw new InvalidArgumentError(
          `No pending tool call has id ${JSON.stringify(submitted.toolCallId)}.`,
          {
            argument: 'toolCallId',
          },
        );
      }
      const message: ToolResultMessage = {
        role: 'toolResult',
        toolCallId: call.id,
        toolName: call.name,
        content:
          typeof submitted.content === 'string'
            ? [{ type: 'text', text: submitted.content }]
            : submitted.content,
        isError: submitted.isError ?? false,
        timestamp: Date.now(),
      };
      const messages = this.#history.filter((m): m is Message => m.role !== 'custom');
      this.#history.push(
        await applyPostHooks(
          hooks,
          message,
          call.arguments,
          messages,
          new AbortController().signal,
          () => {},
        ),
      );
    }
  }

  #start(prompts: (string | UserMessage)[]): void {
    if (this.#run)
      throw new InvalidArgumentError('receive() the previous response before sending again.', {
        argument: 'prompt',
      });
    const controller = new AbortController();
    const outer = this.#options.signal;
    if (outer?.aborted) controller.abort();
    this.#controller = controller;
    this.#run = agentLoop<Ctx>({
      prompts,
      messages: this.#history,
      config: loopConfigFrom(this.#options),
      signal: controller.signal,
    });
  }

  /**
   * The events of the current run; the history is updated as messages complete.
   * @throws {InvalidArgumentError} when nothing was sent.
   */
  async *receive(): AsyncGenerator<AgentEvent, AgentRunResult, undefined> {
    const run = this.#run;
    if (!run) throw new InvalidArgumentError('send() a prompt before receive().', { argument: 'receive' });
    const outer = this.#options.signal;
    const onAbort = () => this.#controller?.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const event of run) {
        if (event.type === 'message_end') this.#history.push(event.message);
        yield event;
      }
      return await run.result();
    } finally {
      outer?.removeEventListener('abort', onAbort);
      this.#run = undefined;
      this.#controller = undefined;
    }
  }

  /** Aborts the current run at once (idempotent). The partial answer stays in the history as `aborted`. */
  interrupt(): void {
    this.#controller?.abort();
  }
}
