import { AbortError } from '../errors/abort-error.js';
import type { Tool } from '../tools/tool.js';
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

async function triage<Ctx>(state: LoopState<Ctx>, calls: ToolCall[]): Promise<Triage> {
  const manual = state.config.autoExecuteTools === false;
  const out: Triage = { run: [], rejected: new Map(), waiting: [] };
  for (const call of calls) {
    const decision = state.log.decisionFor(call.id, call.name);
    if (decision) {
      if (decision.approved) out.run.push(call);
      else {
        out.rejected.set(call.id, decision.message ?? 'The user rejected this tool call.');
        out.run.push(call);
      }
      continue;
    }
    const tool = state.tools.find((t) => t.name === call.name);
    if (manual || (tool && (await needsApproval(tool, call, state.config.context as Ctx)))) {
      out.waiting.push({ toolCallId: call.id, toolName: call.name, arguments: call.arguments });
    } else out.run.push(call);
  }
  return out;
}

async function needsApproval<Ctx>(tool: Tool<unknown, Ctx>, call: ToolCall, context: Ctx): Promise<boolean> {
  const rule = tool.needsApproval;
  if (rule === undefined || rule === false) return false;
  if (rule === true) return true;
  return (await rule({ args: call.arguments, toolCallId: call.id, context })) === true;
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
  const plan = await triage(state, calls);
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
