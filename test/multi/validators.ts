import type { RecordedRequest, ScriptedResponse } from '../../src/testing/index.js';
import { validateAnthropicRequest } from '../anthropic-messages/strict-anthropic.js';
import { validateChatRequest } from '../helpers/strict-server.js';
import { validateResponsesRequest } from '../openai-responses/strict-responses.js';
import type { ScenarioApi } from './wire.js';

type Json = Record<string, unknown>;
/** Well-formed call ids: what every API accepts (no `__fake_id__`, nothing empty, nothing over 64). */
const CALL_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const FAKE = /fake/i;

/**
 * Chat Completions as a local server with a strict Jinja template (llama.cpp `--jinja`, vLLM) checks it: the
 * OpenAI rules (every `tool_calls` id answered by a `tool` message right after, one system message first),
 * plus: call ids well-formed and not fake, no two user or two assistant messages in a row (tool messages
 * answer the assistant before them), the conversation starts with a user message, no assistant message is empty.
 */
export function validateLocalChat(request: RecordedRequest): string | undefined {
  const base = validateChatRequest(request.json, { developerRole: false, maxTokensField: 'max_tokens' });
  if (base) return base;
  const messages = (request.json as { messages: Json[] }).messages;
  let prev: string | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Json;
    if (m.role === 'system') continue;
    if (prev === undefined && m.role !== 'user')
      return `messages[${i}]: the conversation must start with a user message`;
    if (m.role === 'tool') {
      if (!CALL_ID.test(String(m.tool_call_id)) || FAKE.test(String(m.tool_call_id)))
        return `messages[${i}]: bad tool_call_id`;
    } else if (m.role === prev) {
      return `Conversation roles must alternate user/assistant/user/assistant/... (messages[${i}] is another ${String(m.role)})`;
    }
    if (m.role === 'assistant') {
      const calls = (m.tool_calls as Json[] | undefined) ?? [];
      if (calls.length === 0 && (typeof m.content !== 'string' || m.content === ''))
        return `messages[${i}]: empty assistant message`;
      for (const c of calls)
        if (!CALL_ID.test(String(c.id)) || FAKE.test(String(c.id)))
          return `messages[${i}]: bad tool call id ${String(c.id)}`;
    }
    prev = String(m.role);
  }
  return undefined;
}

/** The OpenAI Responses rules, plus: no fake ids, and `function_call_output` only right after its calls. */
export function validateResponses(request: RecordedRequest): string | undefined {
  const base = validateResponsesRequest(request);
  if (base) return base;
  for (const item of (request.json as { input: Json[] }).input) {
    if (
      (item.type === 'function_call' || item.type === 'function_call_output') &&
      FAKE.test(String(item.call_id))
    )
      return `fake call_id ${String(item.call_id)}`;
  }
  return undefined;
}

/** The Anthropic Messages rules (alternation, tool_result right after its tool_use, ids), plus no fake ids. */
export function validateAnthropic(request: RecordedRequest): string | undefined {
  const base = validateAnthropicRequest(request);
  if (base) return base;
  return FAKE.test(JSON.stringify((request.json as Json).messages)) ? 'fake id in messages' : undefined;
}

/** The strict validator of an API. */
export function validatorFor(api: ScenarioApi): (request: RecordedRequest) => string | undefined {
  if (api === 'openai-chat') return validateLocalChat;
  if (api === 'openai-responses') return validateResponses;
  return validateAnthropic;
}

/** A 400 in the API's error shape. */
export function rejection(api: ScenarioApi, problem: string): ScriptedResponse {
  const body =
    api === 'anthropic-messages'
      ? { type: 'error', error: { type: 'invalid_request_error', message: `strict server: ${problem}` } }
      : { error: { message: `strict server: ${problem}`, type: 'invalid_request_error' } };
  return { status: 400, contentType: 'application/json', body: JSON.stringify(body) };
}
