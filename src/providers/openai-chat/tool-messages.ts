/**
 * Chat Completions wire messages for assistant tool calls and tool results: the `tools` shape
 * (`tool_calls` + `role: 'tool'`) and the legacy `functions` shape (`function_call` + `role: 'function'`),
 * with images of tool results sent on to vision models as a user message after the batch.
 *
 * Source: https://platform.openai.com/docs/api-reference/chat/create (`tools`; the deprecated
 * `functions` / `function_call` and `role: "function"` messages).
 * @module
 */
import type { ImageContent, TextContent } from '../../types/content.js';
import type { AssistantMessage, Model, ToolResultMessage } from '../../types/index.js';
import { IMAGE_PLACEHOLDER, imageUrlString } from '../shared/images.js';

/** A Chat Completions `image_url` content part. */
export interface WireImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: string };
}

/** The `image_url` part of an image (its `detail` kept). */
export function imagePart(image: ImageContent): WireImagePart {
  const url: { url: string; detail?: string } = { url: imageUrlString(image) };
  if (image.detail) url.detail = image.detail;
  return { type: 'image_url', image_url: url };
}

/** Text shown in place of the images of a tool result that go on in the next user message. */
export const TOOL_IMAGE_NOTE = '[the image of this result follows in the next message]';

/**
 * The tool messages of one batch of results (consecutive `toolResult` messages) and, when the model
 * accepts images (`model.input` includes `'image'`), one user message after them carrying each result's
 * images (`[image from tool NAME]` + `image_url` parts). For other models an image is a text placeholder
 * (with a warning), as Chat Completions tool messages are text only.
 *
 * @param toWire - builds the wire message of one result from its text (`tool` or `function` role).
 */
export function toolResultBatch(
  results: readonly ToolResultMessage[],
  model: Model,
  warn: (text: string) => void,
  toWire: (result: ToolResultMessage, text: string) => Record<string, unknown>,
): Record<string, unknown>[] {
  const vision = model.input?.includes('image') === true;
  const out: Record<string, unknown>[] = [];
  const followUp: (TextContent | WireImagePart)[] = [];
  for (const result of results) {
    const lines: string[] = [];
    const images: ImageContent[] = [];
    for (const part of result.content) {
      if (part.type === 'text') lines.push(part.text);
      else if (vision) images.push(part);
      else {
        lines.push(IMAGE_PLACEHOLDER);
        warn(
          'an image in a tool result was replaced by a text placeholder: Chat Completions tool messages are text only and the model record does not list image input',
        );
      }
    }
    if (images.length > 0) {
      if (lines.length === 0) lines.push(TOOL_IMAGE_NOTE);
      followUp.push({ type: 'text', text: `[image from tool ${result.toolName}]` });
      for (const image of images) followUp.push(imagePart(image));
    }
    out.push(toWire(result, lines.join('\n')));
  }
  if (followUp.length > 0) out.push({ role: 'user', content: followUp });
  return out;
}

/** The `tools`-shape wire message of one result. */
export function toolMessage(result: ToolResultMessage, text: string): Record<string, unknown> {
  return { role: 'tool', tool_call_id: result.toolCallId, content: text };
}

/** The legacy wire message of one result: `{ role: 'function', name, content }` (no call id). */
export function functionMessage(result: ToolResultMessage, text: string): Record<string, unknown> {
  return { role: 'function', name: result.toolName, content: text };
}

/**
 * An assistant turn and its results in the legacy `functions` shape, which carries one call per
 * assistant message: the turn becomes consecutive pairs `assistant{function_call}` → `function`, the
 * first assistant message keeping the text (and `extra` fields, e.g. replayed reasoning). Results are
 * matched to calls by `toolCallId`; results of no call of this turn follow at the end.
 */
export function legacyTurn(
  message: AssistantMessage,
  text: string,
  extra: Record<string, unknown>,
  results: readonly ToolResultMessage[],
  model: Model,
  warn: (text: string) => void,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const pending = [...results];
  let first = true;
  for (const block of message.content) {
    if (block.type !== 'toolCall') continue;
    const wire: Record<string, unknown> = {
      role: 'assistant',
      content: first && text !== '' ? text : null,
      function_call: { name: block.name, arguments: JSON.stringify(block.arguments) },
    };
    if (first) Object.assign(wire, extra);
    first = false;
    out.push(wire);
    const at = pending.findIndex((r) => r.toolCallId === block.id);
    if (at !== -1) {
      const [result] = pending.splice(at, 1);
      if (result) out.push(...toolResultBatch([result], model, warn, functionMessage));
    }
  }
  if (pending.length > 0) out.push(...toolResultBatch(pending, model, warn, functionMessage));
  return out;
}
