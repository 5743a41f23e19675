import type { AgentMessage } from '../agent/config.js';
import type { HandoffInputFilter } from './handoff.js';

/**
 * A handoff input filter that drops every tool call and tool result from the history (OpenAI Agents JS:
 * `removeAllTools`). Assistant messages left without content are dropped; text stays.
 */
export const removeAllTools: HandoffInputFilter = (history) => {
  const out: AgentMessage[] = [];
  for (const message of history) {
    if (message.role === 'toolResult') continue;
    if (message.role === 'assistant') {
      const content = message.content.filter((b) => b.type !== 'toolCall');
      if (!content.some((b) => b.type === 'text' && b.text.length > 0)) continue;
      out.push({
        ...message,
        content,
        stopReason: message.stopReason === 'toolUse' ? 'stop' : message.stopReason,
      });
      continue;
    }
    out.push(message);
  }
  return out;
};

/**
 * A handoff input filter that keeps the last `count` messages, starting at a user message so that every
 * API accepts the history (no orphan tool result, Anthropic's user-first rule). Keeps at least the last user
 * message when the window holds none.
 *
 * @throws {RangeError} when `count` is not a positive integer.
 */
export function keepLastMessages(count: number): HandoffInputFilter {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError('keepLastMessages(count): count must be a positive integer.');
  return (history) => {
    let start = Math.max(0, history.length - count);
    while (start < history.length && history[start]?.role !== 'user') start++;
    if (start >= history.length) {
      const lastUser = history.findLastIndex((m) => m.role === 'user');
      start = lastUser >= 0 ? lastUser : history.length;
    }
    return history.slice(start);
  };
}
