import type { Api, Model } from '../../src/index.js';
import { modelFor } from '../../src/index.js';
import type { RecordedRequest } from '../../src/testing/index.js';
import { anthropicEvents } from '../anthropic-messages/strict-anthropic.js';
import { toolCallBody } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { responsesEvents } from '../openai-responses/strict-responses.js';

/** One scripted model turn, in API-neutral form (synthetic test data). */
export type ScriptTurn =
  | { text: string }
  | { calls: { id: string; name: string; args: string }[]; text?: string };

/** The three wire protocols every scenario runs over. */
export const APIS = [
  'openai-chat',
  'openai-responses',
  'anthropic-messages',
] as const satisfies readonly Api[];
export type ScenarioApi = (typeof APIS)[number];

/** A model on the loopback server: Chat Completions with the llama.cpp preset, or Responses, or Anthropic. */
export function scenarioModel(api: ScenarioApi, baseUrl: string, id = 'test-model'): Model {
  if (api === 'openai-chat') return modelFor({ provider: 'llamacpp', baseUrl, id });
  return { id, api, provider: 'custom', baseUrl };
}

/** The SSE body of a turn in `api`'s format. */
export function bodyOf(api: ScenarioApi, turn: ScriptTurn): string {
  if (api === 'openai-chat')
    return 'calls' in turn ? toolCallBody(turn.calls, turn.text) : textStream([turn.text]);
  if (api === 'openai-responses') return responsesBody(turn);
  return anthropicBody(turn);
}

function responsesBody(turn: ScriptTurn): string {
  const items: Record<string, unknown>[] = [];
  if ('text' in turn && turn.text) {
    items.push({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: turn.text, annotations: [] }],
    });
  }
  if ('calls' in turn) {
    for (const [i, c] of turn.calls.entries()) {
      items.push({
        id: `fc_${i}_${c.id}`,
        type: 'function_call',
        status: 'completed',
        call_id: c.id,
        name: c.name,
        arguments: c.args,
      });
    }
  }
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: { id: 'resp_1', status: 'in_progress', output: [] } },
  ];
  items.forEach((item, i) => {
    events.push({ type: 'response.output_item.added', output_index: i, item });
    events.push({ type: 'response.output_item.done', output_index: i, item });
  });
  events.push({
    type: 'response.completed',
    response: {
      id: 'resp_1',
      status: 'completed',
      output: items,
      usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 },
    },
  });
  return responsesEvents(events);
}

function anthropicBody(turn: ScriptTurn): string {
  const events: Record<string, unknown>[] = [
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [],
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    },
  ];
  let index = 0;
  if ('text' in turn && turn.text) {
    events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
    events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: turn.text } });
    events.push({ type: 'content_block_stop', index });
    index++;
  }
  const calls = 'calls' in turn ? turn.calls : [];
  for (const c of calls) {
    events.push({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} },
    });
    events.push({
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: c.args },
    });
    events.push({ type: 'content_block_stop', index });
    index++;
  }
  events.push({
    type: 'message_delta',
    delta: { stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: 3 },
  });
  events.push({ type: 'message_stop' });
  return anthropicEvents(events);
}

/** The system prompt of a recorded request, whatever the API. */
export function systemOf(api: ScenarioApi, request: RecordedRequest): string {
  const body = request.json as Record<string, unknown>;
  if (api === 'anthropic-messages') {
    const s = body.system;
    return typeof s === 'string'
      ? s
      : Array.isArray(s)
        ? s.map((b) => (b as { text: string }).text).join('')
        : '';
  }
  if (api === 'openai-responses') {
    if (typeof body.instructions === 'string') return body.instructions;
    const first = (body.input as Record<string, unknown>[])[0];
    return first && (first.role === 'system' || first.role === 'developer')
      ? JSON.stringify(first.content)
      : '';
  }
  const first = (body.messages as Record<string, unknown>[])[0];
  return first?.role === 'system' ? String(first.content) : '';
}

/** The tool names a recorded request offered, whatever the API. */
export function toolNamesOf(api: ScenarioApi, request: RecordedRequest): string[] {
  const tools = ((request.json as Record<string, unknown>).tools ?? []) as Record<string, unknown>[];
  return tools.map((t) => String(api === 'openai-chat' ? (t.function as { name: string }).name : t.name));
}
