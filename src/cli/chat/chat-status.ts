import type { AgentMessage, Usage } from '../../index.js';
import { formatTokens, formatUsd } from '../format.js';

/** Token usage summed over the session's assistant messages, with the cost when the model has prices. */
export function sessionUsage(messages: readonly AgentMessage[]): { usage: Usage; cost?: number } {
  const usage: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
  let cost: number | undefined;
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    usage.input += message.usage.input;
    usage.output += message.usage.output;
    usage.cacheRead += message.usage.cacheRead;
    usage.cacheWrite += message.usage.cacheWrite;
    usage.total += message.usage.total;
    if (message.usage.cost !== undefined) cost = (cost ?? 0) + message.usage.cost.total;
  }
  return { usage, ...(cost !== undefined && { cost }) };
}

/**
 * The status line after a turn: this turn's tokens, the session's, the context use (`context`, e.g.
 * `context 15% · 1,234 of 8,192 tokens`) when given, and the cost where known.
 */
export function statusLine(
  turn: Usage,
  session: { usage: Usage; cost?: number },
  model: string,
  context?: string,
): string {
  const parts = [
    model,
    `turn ${formatTokens(turn.input + turn.cacheRead + turn.cacheWrite)} in / ${formatTokens(turn.output)} out`,
    `session ${formatTokens(session.usage.total)} tokens`,
  ];
  if (context !== undefined) parts.push(context);
  if (session.cost !== undefined) parts.push(formatUsd(session.cost));
  return `[${parts.join(' · ')}]`;
}
