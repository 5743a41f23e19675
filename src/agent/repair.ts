import type { AssistantMessage, Message, UserMessage } from '../types/message.js';

/**
 * Makes a request's roles alternate the way strict chat templates require, after a failed or aborted
 * model call. Providers drop `error`/`aborted` assistant messages from requests; when that would put two
 * `user` messages in a row, the partial answer's text is kept instead (as a plain assistant message), or,
 * when it has no text, the two user messages are merged into one. Other messages are returned as they are
 * (the same array when nothing needed a repair).
 */
export function repairAlternation(messages: Message[]): Message[] {
  let out: Message[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Message;
    const failed = m.role === 'assistant' && (m.stopReason === 'error' || m.stopReason === 'aborted');
    if (!failed) {
      out?.push(m);
      continue;
    }
    const prev = out ? out[out.length - 1] : messages[i - 1];
    const next = messages[i + 1];
    if (prev?.role !== 'user' || next?.role !== 'user') {
      out?.push(m);
      continue;
    }
    out ??= messages.slice(0, i);
    const text = textOf(m);
    if (text.length > 0) out.push(keptText(m, text));
    else {
      out[out.length - 1] = merge(prev, next);
      i++;
    }
  }
  return out ?? messages;
}

function textOf(message: AssistantMessage): string {
  let text = '';
  for (const block of message.content) if (block.type === 'text') text += block.text;
  return text.trim();
}

function keptText(message: AssistantMessage, text: string): AssistantMessage {
  const { errorMessage: _e, ...rest } = message;
  return { ...rest, content: [{ type: 'text', text }], stopReason: 'stop' };
}

function merge(a: UserMessage, b: UserMessage): UserMessage {
  const parts = (m: UserMessage) =>
    typeof m.content === 'string' ? [{ type: 'text' as const, text: m.content }] : m.content;
  return { ...a, content: [...parts(a), ...parts(b)] };
}
