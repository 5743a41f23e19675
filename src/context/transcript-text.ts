import type { AgentMessage } from '../agent/config.js';

/** Longest text kept from one tool result or argument object in the summarizer's input, in characters. */
export const MAX_PART_CHARS = 4000;

const clip = (text: string): string =>
  text.length <= MAX_PART_CHARS
    ? text
    : `${text.slice(0, MAX_PART_CHARS)} […${text.length - MAX_PART_CHARS} more characters]`;

function userText(content: AgentMessage & { role: 'user' | 'toolResult' }): string {
  const parts =
    typeof content.content === 'string'
      ? [content.content]
      : content.content.map((p) => (p.type === 'text' ? p.text : '[image]'));
  return parts.join('\n');
}

/**
 * A transcript as plain text for a summarizer: one paragraph per message (`User:`, `Assistant:`,
 * `Assistant called NAME(ARGS)`, `Result of NAME:`), thinking left out, images as `[image]`, long tool
 * results and arguments clipped to {@link MAX_PART_CHARS}. `custom` messages are left out.
 */
export function transcriptText(messages: readonly AgentMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    if (message.role === 'user') lines.push(`User: ${userText(message)}`);
    else if (message.role === 'toolResult') {
      lines.push(
        `Result of ${message.toolName}${message.isError ? ' (error)' : ''}: ${clip(userText(message))}`,
      );
    } else if (message.role === 'assistant') {
      for (const block of message.content) {
        if (block.type === 'text' && block.text.trim() !== '') lines.push(`Assistant: ${block.text}`);
        else if (block.type === 'toolCall') {
          lines.push(
            `Assistant called ${block.name}(${clip(block.rawArguments ?? JSON.stringify(block.arguments))})`,
          );
        }
      }
    }
  }
  return lines.join('\n\n');
}
