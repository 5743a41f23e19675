import type { UserContent } from '../types/content.js';
import type { AssistantMessage, Message, UserMessage } from '../types/message.js';
import type { AgentEventBody } from './events.js';
import { runHooks } from './hooks.js';
import type { LoopState } from './loop-state.js';

/** A prompt as a user message stamped now. */
export function toUserMessage(prompt: string | UserMessage): UserMessage {
  return typeof prompt === 'string' ? { role: 'user', content: prompt, timestamp: Date.now() } : prompt;
}

function withExtraText(message: UserMessage, text: string): UserMessage {
  const parts: UserContent[] =
    typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...message.content];
  parts.push({ type: 'text', text });
  return { ...message, content: parts };
}

/**
 * Passes each prompt through the `UserPromptSubmit` hooks (a hook that throws or times out blocks) and adds
 * it to the transcript. Returns false when a prompt was blocked (the run then ends without a model call).
 */
export async function* submitPrompts<Ctx>(
  state: LoopState<Ctx>,
  prompts: (string | UserMessage)[],
): AsyncGenerator<AgentEventBody, boolean, undefined> {
  for (const prompt of prompts) {
    let message = toUserMessage(prompt);
    const hook = await runHooks(state.config.hooks?.UserPromptSubmit, {
      hookEvent: 'UserPromptSubmit',
      prompt: message,
      messages: state.llmView(),
      signal: state.signal,
    });
    const decision = hook.decision;
    const blocked = hook.error
      ? hook.error.message
      : decision && 'block' in decision
        ? decision.reason
        : undefined;
    if (blocked !== undefined) {
      state.result.blockedReason = blocked;
      yield { type: 'prompt_blocked', reason: blocked };
      return false;
    }
    if (decision && 'prompt' in decision) message = { ...message, content: decision.prompt };
    else if (decision && 'additionalContext' in decision)
      message = withExtraText(message, decision.additionalContext);
    yield* state.deliver(message);
  }
  return true;
}

/**
 * The model finished without tool calls: a `Stop` hook may continue the run with a prompt; otherwise queued
 * follow-up messages are delivered. Returns true when the run goes on.
 */
export async function* stopOrFollowUp<Ctx>(
  state: LoopState<Ctx>,
  message: AssistantMessage,
): AsyncGenerator<AgentEventBody, boolean, undefined> {
  const hook = await runHooks(state.config.hooks?.Stop, {
    hookEvent: 'Stop',
    message,
    messages: state.llmView(),
    stopHookActive: state.stopHookActive,
    signal: state.signal,
  });
  if (hook.error) yield { type: 'hook_error', hookEvent: 'Stop', error: hook.error };
  let next: Message[] = [];
  if (hook.decision) {
    state.stopHookActive = true;
    next = [toUserMessage(hook.decision.prompt)];
  } else if (state.config.getFollowUpMessages) {
    next = await state.config.getFollowUpMessages();
  }
  for (const m of next) yield* state.deliver(m);
  return next.length > 0;
}
