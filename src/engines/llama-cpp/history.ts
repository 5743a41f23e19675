import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from 'node-llama-cpp';
import type { Context } from '../../types/context.js';
import type { AssistantMessage, ToolResultMessage, UserMessage } from '../../types/message.js';

/** The chat history node-llama-cpp renders, and what could not be carried over. */
export interface ConvertedHistory {
  /** System, user and model items; the last item is the model response to generate (or continue). */
  history: ChatHistoryItem[];
  /** Content the engine cannot take (images), said once each. */
  warnings: string[];
}

function userText(message: UserMessage, warnings: Set<string>): string {
  if (typeof message.content === 'string') return message.content;
  const parts: string[] = [];
  for (const part of message.content) {
    if (part.type === 'text') parts.push(part.text);
    else {
      warnings.add(
        'llama-cpp: images are not supported by the embedded engine; they were replaced by "[image]".',
      );
      parts.push('[image]');
    }
  }
  return parts.join('\n');
}

function resultText(message: ToolResultMessage): string {
  const text = message.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join('\n');
  return message.isError ? `Error: ${text}` : text;
}

function appendAssistant(
  target: ChatModelResponse,
  message: AssistantMessage,
  calls: Map<string, ChatModelFunctionCall>,
): void {
  for (const block of message.content) {
    if (block.type === 'text') {
      if (block.text.length > 0) target.response.push(block.text);
    } else if (block.type === 'thinking') {
      if (block.thinking.length > 0)
        target.response.push({ type: 'segment', segmentType: 'thought', text: block.thinking, ended: true });
    } else {
      const call: ChatModelFunctionCall = {
        type: 'functionCall',
        name: block.name,
        params: block.arguments,
        result: '(no result)',
      };
      calls.set(block.id, call);
      target.response.push(call);
    }
  }
}

/**
 * Converts a {@link Context} to node-llama-cpp's chat history. An assistant message, the tool results
 * that answer its calls, and the assistant message after them form ONE model response (node-llama-cpp
 * keeps a call's result inside the response that made it), so a turn after tool results continues that
 * response. A tool result whose call is not in the history becomes a user message.
 */
export function toChatHistory(context: Context): ConvertedHistory {
  const history: ChatHistoryItem[] = [];
  const warnings = new Set<string>();
  const calls = new Map<string, ChatModelFunctionCall>();
  if (context.systemPrompt) history.push({ type: 'system', text: context.systemPrompt });
  for (const message of context.messages) {
    const last = history.at(-1);
    if (message.role === 'user') {
      history.push({ type: 'user', text: userText(message, warnings) });
    } else if (message.role === 'assistant') {
      const target: ChatModelResponse = last?.type === 'model' ? last : { type: 'model', response: [] };
      if (target !== last) history.push(target);
      appendAssistant(target, message, calls);
    } else {
      const call = calls.get(message.toolCallId);
      if (call) call.result = resultText(message);
      else history.push({ type: 'user', text: `Result of ${message.toolName}: ${resultText(message)}` });
    }
  }
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return { history, warnings: [...warnings] };
}
