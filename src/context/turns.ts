import type { AgentMessage } from '../agent/config.js';

/**
 * A run of messages that is kept or dropped whole: an assistant message with tool calls together with the
 * tool results that answer them, or one other message. `start` and `end` index the transcript (`end`
 * exclusive).
 */
export interface Block {
  start: number;
  end: number;
}

/**
 * A turn: a user message and every block up to the next user message (or the blocks before the first
 * user message). Dropping whole turns, oldest first, keeps the transcript a valid conversation.
 */
export interface Turn {
  /** Index of the turn's user message, or -1 for blocks that precede any user message. */
  user: number;
  /** The blocks after the user message, in order. */
  blocks: Block[];
  start: number;
  end: number;
}

function callIds(message: AgentMessage): Set<string> | undefined {
  if (message.role !== 'assistant') return undefined;
  let ids: Set<string> | undefined;
  for (const block of message.content) {
    if (block.type === 'toolCall') {
      ids ??= new Set();
      ids.add(block.id);
    }
  }
  return ids;
}

/**
 * The end (exclusive) of the block starting at `start`: for an assistant message with tool calls, it runs
 * over the following tool results (and `custom` messages between them) until every call is answered or
 * another kind of message comes. A tool result that answers no call of the block stays in it too, so
 * dropping never separates it from its neighbours.
 */
function blockEnd(messages: readonly AgentMessage[], start: number): number {
  const first = messages[start] as AgentMessage;
  const pending = callIds(first);
  let end = start + 1;
  if (pending === undefined) {
    // Tool results without a preceding call (orphans in the input) travel with the message before them.
    while (end < messages.length && messages[end]?.role === 'toolResult') end++;
    return end;
  }
  while (end < messages.length && pending.size > 0) {
    const next = messages[end] as AgentMessage;
    if (next.role === 'toolResult') pending.delete(next.toolCallId);
    else if (next.role !== 'custom') break;
    end++;
  }
  while (end < messages.length && messages[end]?.role === 'toolResult') end++;
  return end;
}

/** Splits a transcript into turns of blocks. Linear in the number of messages (and tool calls). */
export function splitTurns(messages: readonly AgentMessage[]): Turn[] {
  const turns: Turn[] = [];
  let current: Turn | undefined;
  let i = 0;
  while (i < messages.length) {
    const message = messages[i] as AgentMessage;
    if (message.role === 'user' || current === undefined) {
      current = { user: message.role === 'user' ? i : -1, blocks: [], start: i, end: i };
      turns.push(current);
      if (message.role === 'user') {
        i++;
        current.end = i;
        continue;
      }
    }
    const end = blockEnd(messages, i);
    current.blocks.push({ start: i, end });
    current.end = end;
    i = end;
  }
  return turns;
}
