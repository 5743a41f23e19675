/**
 * Opt-in content attributes (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`): converted to the conventions' message shape
 * (`{ role, parts: [{ type, content | id, name, arguments | response }] }`), scrubbed like errors
 * (`redactValue`, then the caller's secrets), and recorded as JSON strings (OpenTelemetry JS attributes are
 * primitives; the conventions allow a JSON string on spans).
 *
 * @module
 */
import { REDACTED, redactValue } from '../http/redact.js';
import type { Message, ToolResultMessage } from '../types/message.js';

/** A content part in the conventions' message schema. */
type Part = Record<string, unknown>;

/** Largest recorded content attribute, in UTF-16 code units (longer values are cut, with a marker). */
export const MAX_CONTENT_CHARS = 64_000;

/** Scrubs a JSON-like value and returns it as a JSON string, without the given secrets, cut at the limit. */
export function scrubbedJson(value: unknown, secrets: readonly string[]): string {
  let text = JSON.stringify(redactValue(value)) ?? 'null';
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join(REDACTED);
  return text.length > MAX_CONTENT_CHARS ? `${text.slice(0, MAX_CONTENT_CHARS)}…[truncated]` : text;
}

/** One message in the conventions' `{ role, parts }` shape. */
export function conventionMessage(message: Message): { role: string; parts: Part[]; finish_reason?: string } {
  if (message.role === 'user') {
    const parts: Part[] =
      typeof message.content === 'string'
        ? [{ type: 'text', content: message.content }]
        : message.content.map((c) =>
            c.type === 'text' ? { type: 'text', content: c.text } : { type: c.type },
          );
    return { role: 'user', parts };
  }
  if (message.role === 'toolResult') {
    return {
      role: 'tool',
      parts: [{ type: 'tool_call_response', id: message.toolCallId, response: resultText(message) }],
    };
  }
  const parts: Part[] = message.content.map((c) => {
    if (c.type === 'text') return { type: 'text', content: c.text };
    if (c.type === 'thinking') return { type: 'reasoning', content: c.thinking };
    return { type: 'tool_call', id: c.id, name: c.name, arguments: c.arguments };
  });
  return { role: 'assistant', parts, finish_reason: message.stopReason };
}

/** The text of a tool result (images become `[image]`). */
export function resultText(message: ToolResultMessage): string {
  return message.content.map((c) => (c.type === 'text' ? c.text : '[image]')).join('');
}
