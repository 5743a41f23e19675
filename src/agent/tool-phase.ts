import { AbortError } from '../errors/abort-error.js';
import type { NeedsApproval } from '../tools/tool.js';
import type { ToolCall } from '../types/content.js';
import type { AssistantMessage, Message, ToolResultMessage } from '../types/message.js';
import { Channel } from './channel.js';
import type { DeferredCall } from './controller.js';
import type { AgentEventBody } from './events.js';
import type { LoopState } from './loop-state.js';
import type { PendingCall } from './run-log.js';
import { runToolBatch } from './tool-batch.js';

/** What the calls of a batch need before they run: a decision made, an approval asked, or nothing. */
interface Triage {
  run: ToolCall[];
  rejected: Map<string, string>;
  waiting: PendingCall[];
}

/**
 * Sorts the calls: decided (approved or rejected), waiting for a decision, or free to run. Synchronous
 * unless a tool's `needsApproval` is a function (then from that call on, a promise): no promise per tool
 * phase on the usual path.
 */
function triage<Ctx>(state: LoopState<Ctx>, calls: ToolCall[]): Triage | Promise<Triage> {
  const out: Triage = { run: [], rejected: new Map(), waiting: [] };
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i] as ToolCall;
    const rule = approvalRule(state, call, out);
    if (typeof rule === 'function') return triageFrom(state, calls, i, out);
    if (rule === true) out.waiting.push(waitingCall(call));
    else if (rule === false) out.run.push(call);
  }
  return out;
}

/** {@link triage} from call `start` on, awaiting the `needsApproval` functions. */
async function triageFrom<Ctx>(
  state: LoopState<Ctx>,
  calls: ToolCall[],
  start: number,
  out: Triage,
): Promise<Triage> {
  for (let i = start; i < calls.length; i++) {
    const call = calls[i] as ToolCall;
    let rule = approvalRule(state, call, out);
    if (rule === 'decided') continue;
    if (typeof rule === 'function') {
      const context = state.config.context as Ctx;
      rule = (await rule({ args: call.arguments, toolCallId: call.id, context })) === true;
    }
    if (rule) out.waiting.push(waitingCall(call));
    else out.run.push(call);
  }
  return out;
}

/**
 * A call's decision, when the log has one (applied to `out`: `'decided'`); else whether it needs approval:
 * true (manual mode, or `needsApproval: true`), false, or the tool's function to ask.
 */
function approvalRule<Ctx>(
  state: LoopState<Ctx>,
  call: ToolCall,
  out: Triage,
): boolean | 'decided' | NeedsApproval<unknown, Ctx> {
  const decision = state.log.decisionFor(call.id, call.name);
  if (decision) {
    if (!decision.approved)
      out.rejected.set(call.id, decision.message ?? 'The user rejected this tool call.');
    out.run.push(call);
    return 'decided';
  }
  if (state.config.autoExecuteTools === false) return true;
  const rule = state.tools.find((t) => t.name === call.name)?.needsApproval;
  return rule === undefined ? false : rule;
}

function waitingCall(call: ToolCall): PendingCall {
  return { toolCallId: call.id, toolName: call.name, arguments: call.arguments };
}

/**
 * Runs the tool calls of one assistant message (or those a resumed run still has to answer): calls that
 * need approval and have no decision stop the run (`interrupted`) after the others ran; rejected calls
 * get their rejection as result. Adds the results in the model's order (each is logged and checkpointed
 * as soon as it finished), delivers steering messages, and applies the stop behaviours.
 */
export async function* runToolPhase<Ctx>(
  state: LoopState<Ctx>,
  assistant: AssistantMessage,
  calls: ToolCall[],
): AsyncGenerator<AgentEventBody, 'continue' | 'stop' | 'interrupted', undefined> {
  const { config } = state;
  const tools = state.tools;
  const triaged = triage(state, calls);
  const plan = triaged instanceof Promise ? await triaged : triaged;
  const channel = new Channel<AgentEventBody>();
  let steering: Message[] = [];
  const takeSteering = async (): Promise<boolean> => {
    if (steering.length === 0 && config.getSteeringMessages) steering = await config.getSteeringMessages();
    return steering.length > 0;
  };
  const sequential = plan.run.some(
    (c) => tools.find((t) => t.name === c.name)?.executionMode === 'sequential',
  );
  const deferred = new Map<string, DeferredCall>();
  const startedAt = new Map<string, number>();
  state.controller?.attachEvents?.((event) => channel.push(event));
  const batch = runToolBatch({
    calls: plan.run,
    tools,
    hooks: config.hooks,
    mode: config.toolExecution ?? (sequential ? 'sequential' : 'parallel'),
    messages: state.llmView(),
    signal: state.signal,
    context: config.context as Ctx,
    events: channel,
    steered: takeSteering,
    runId: state.log.runId,
    rejected: plan.rejected,
    onStart: (call) => startedAt.set(call.id, Date.now()),
    onResult: (message) => {
      const deferral = state.controller?.takeDeferred?.(message.toolCallId);
      if (deferral) deferred.set(message.toolCallId, deferral);
      else state.logToolResult(message, startedAt.get(message.toolCallId));
    },
  }).finally(() => {
    state.controller?.attachEvents?.(undefined);
    channel.close();
  });
  for await (const event of channel) yield event;
  const toolResults: ToolResultMessage[] = [];
  let terminate = true;
  for (const item of await batch) {
    const deferral = deferred.get(item.message.toolCallId);
    if (deferral) {
      // the tool paused inside (a nested agent's approvals): the call stays unanswered until resumed
      for (const call of deferral.calls)
        plan.waiting.push({ ...call, parentToolCallId: item.message.toolCallId });
      continue;
    }
    toolResults.push(item.message);
    terminate &&= item.terminate;
    yield* state.deliver(item.message, true);
  }
  if (state.persists) await state.checkpoint();
  yield { type: 'turn_end', turn: state.result.turns, message: assistant, toolResults };
  if (state.signal.aborted) throw new AbortError('The run was aborted during tool execution.');
  if (plan.waiting.length > 0) {
    const { runId, agentName } = state.log;
    state.log.entries.push({
      type: 'interruption',
      runId,
      turn: state.result.turns,
      agent: agentName,
      calls: plan.waiting,
      ...(deferred.size > 0 && {
        nested: Object.fromEntries([...deferred].map(([id, d]) => [id, d.state])),
      }),
    });
    state.result.interruptions = plan.waiting;
    return 'interrupted';
  }
  await takeSteering();
  for (const message of steering) yield* state.deliver(message);
  if (steering.length > 0) return 'continue';
  const names = calls.map((c) => c.name);
  const stopWhen = config.stopWhen ?? 'run_llm_again';
  const stop =
    terminate ||
    stopWhen === 'stop_on_first_tool' ||
    (typeof stopWhen === 'object' && names.some((n) => stopWhen.stopAtTools.includes(n))) ||
    (typeof stopWhen === 'function' &&
      stopWhen({ toolNames: names, messages: state.transcript, turn: state.result.turns }));
  return stop ? 'stop' : 'continue';
}
