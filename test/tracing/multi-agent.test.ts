import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  asTool,
  defineAgent,
  InputGuardrailTripwireTriggered,
  run,
  ToolGuardrailTripwireTriggered,
  tool,
  withToolGuardrails,
} from '../../src/index.js';
import { ATTR } from '../../src/tracing/index.js';
import { scenario } from '../multi/harness.js';
import { dump, memoryTracing, only, parentOf } from './helpers.js';

const CANARY = 'sk-canary-7f3a9c1e5b2d4f6a8c0e';
const api = 'openai-chat' as const;
const idOf = (s: ReadableSpan) => s.spanContext().spanId;

/** The span tree as indented names (children in start order), for the docs and for readable failures. */
function tree(spans: ReadableSpan[]): string[] {
  const sorted = [...spans].sort(
    (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
  );
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const s of sorted.filter((x) => parentOf(x) === parent)) {
      lines.push(`${'  '.repeat(depth)}${s.name}`);
      walk(idOf(s), depth + 1);
    }
  };
  walk('', 0);
  return lines;
}

const refundTool = tool({
  name: 'issue_refund',
  parameters: { type: 'object', properties: { order: { type: 'string' } }, required: ['order'] },
  execute: ({ args }) => `refunded ${(args as { order: string }).order}`,
});

describe.each([false, true])('tracing multi-agent runs (captureContent: %s)', (captureContent) => {
  it('a handoff: invoke_agent refunds is a child of invoke_agent triage, after a handoff event', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_h1', name: 'transfer_to_refunds', args: '{}' }] },
      { calls: [{ id: 'call_r1', name: 'issue_refund', args: '{"order":"A7"}' }] },
      { text: 'Refunded.' },
    ]);
    const refunds = defineAgent({
      name: 'refunds',
      instructions: 'You refund.',
      model: s.model(),
      tools: [refundTool],
    });
    const triage = defineAgent({
      name: 'triage',
      instructions: 'You triage.',
      model: s.model(),
      handoffs: [refunds],
    });
    const tracing = memoryTracing({ captureContent, secrets: [CANARY] });
    const outcome = await run(triage, 'refund A7', {
      observers: [tracing.observer],
      streamOptions: { apiKey: CANARY },
    });
    expect(outcome.status).toBe('completed');
    const spans = tracing.spans();
    expect(tree(spans)).toEqual([
      'invoke_agent triage',
      '  chat test-model',
      '  execute_tool transfer_to_refunds',
      '  invoke_agent refunds',
      '    chat test-model',
      '    execute_tool issue_refund',
      '    chat test-model',
    ]);
    const triageSpan = only(spans, 'invoke_agent triage');
    const refundsSpan = only(spans, 'invoke_agent refunds');
    for (const span of [triageSpan, refundsSpan]) {
      expect(span.kind).toBe(SpanKind.INTERNAL);
      expect(span.attributes[ATTR.operation]).toBe('invoke_agent');
      expect(span.spanContext().traceId).toBe(triageSpan.spanContext().traceId);
    }
    expect(triageSpan.attributes).toMatchObject({
      [ATTR.agentName]: 'triage',
      [ATTR.runStatus]: 'completed',
      [ATTR.runTurns]: 3,
      [ATTR.runId]: outcome.runId,
    });
    expect(refundsSpan.attributes).toMatchObject({
      [ATTR.agentName]: 'refunds',
      [ATTR.runId]: outcome.runId,
      [ATTR.runStatus]: 'completed',
    });
    const handoff = triageSpan.events.find((e) => e.name === 'handoff');
    expect(handoff?.attributes).toEqual({
      [ATTR.handoffFrom]: 'triage',
      [ATTR.handoffTo]: 'refunds',
      [ATTR.toolCallId]: 'call_h1',
    });
    const transfer = only(spans, 'execute_tool transfer_to_refunds');
    expect(transfer.attributes).toMatchObject({
      [ATTR.toolName]: 'transfer_to_refunds',
      [ATTR.toolOutcome]: 'ok',
    });
    for (const chat of spans.filter((x) => x.name === 'chat test-model')) {
      expect(chat.kind).toBe(SpanKind.CLIENT);
    }
    expect(parentOf(only(spans, 'execute_tool issue_refund'))).toBe(idOf(refundsSpan));
    expect(dump(spans)).not.toContain(CANARY);
    if (captureContent) expect(dump(spans)).toContain('refund A7');
    else expect(dump(spans)).not.toContain('refund A7');
    await tracing.shutdown();
  });

  it('an agent used as a tool: the nested invoke_agent is a child of the outer execute_tool', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_a1', name: 'researcher', args: '{"input":"find A7"}' }] },
      { text: 'A7 is a blue mug.' },
      { text: 'It is a blue mug.' },
    ]);
    const researcher = defineAgent({ name: 'researcher', instructions: 'You research.', model: s.model() });
    const triage = defineAgent({
      name: 'triage',
      model: s.model(),
      tools: [asTool(researcher, { toolName: 'researcher' })],
    });
    const tracing = memoryTracing({ captureContent, secrets: [CANARY] });
    const outcome = await run(triage, 'What is A7?', {
      observers: [tracing.observer],
      streamOptions: { apiKey: CANARY },
    });
    expect(outcome.status).toBe('completed');
    const spans = tracing.spans();
    expect(tree(spans)).toEqual([
      'invoke_agent triage',
      '  chat test-model',
      '  execute_tool researcher',
      '    invoke_agent researcher',
      '      chat test-model',
      '  chat test-model',
    ]);
    const call = only(spans, 'execute_tool researcher');
    const nested = only(spans, 'invoke_agent researcher');
    expect(parentOf(nested)).toBe(idOf(call));
    expect(nested.attributes).toMatchObject({
      [ATTR.operation]: 'invoke_agent',
      [ATTR.agentName]: 'researcher',
      [ATTR.agentPath]: ['triage', 'researcher'],
      [ATTR.runStatus]: 'completed',
    });
    expect(nested.attributes[ATTR.runId]).not.toBe(outcome.runId); // the nested run has its own id
    expect(dump(spans)).not.toContain(CANARY);
    await tracing.shutdown();
  });

  it('guardrails: a tripped input guardrail and a tool guardrail are span events with error.type', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_g1', name: 'echo', args: `{"text":"${CANARY}"}` }] },
      { text: 'unused' },
    ]);
    const echo = withToolGuardrails(
      tool({
        name: 'echo',
        parameters: { type: 'object', properties: { text: { type: 'string' } } },
        execute: ({ args }) => `echo ${(args as { text: string }).text}`,
      }),
      {
        output: [
          {
            name: 'no_keys',
            execute: ({ output }) =>
              String(output).includes('sk-')
                ? { type: 'throwException', outputInfo: 'key' }
                : { type: 'allow' },
          },
        ],
      },
    );
    const tracing = memoryTracing({ captureContent, secrets: [CANARY] });
    const guarded = defineAgent({ name: 'guarded', model: s.model(), tools: [echo] });
    const tripped = await run(guarded, 'echo my key', {
      observers: [tracing.observer],
      streamOptions: { apiKey: CANARY },
    });
    expect(ToolGuardrailTripwireTriggered.isInstance(tripped.error)).toBe(true);
    const blocked = defineAgent({
      name: 'blocked',
      model: s.model(),
      inputGuardrails: [{ name: 'no_abuse', execute: () => ({ tripwireTriggered: true }) }],
    });
    const refused = await run(blocked, 'abuse', {
      observers: [tracing.observer],
      streamOptions: { apiKey: CANARY },
    });
    expect(InputGuardrailTripwireTriggered.isInstance(refused.error)).toBe(true);
    const spans = tracing.spans();
    const toolRun = only(spans, 'invoke_agent guarded');
    expect(toolRun.attributes[ATTR.errorType]).toBe('ToolGuardrailTripwireTriggered');
    expect(toolRun.status.code).toBe(SpanStatusCode.ERROR);
    expect(toolRun.events.find((e) => e.name === 'guardrail_tripped')?.attributes).toEqual({
      [ATTR.guardrailName]: 'no_keys',
      [ATTR.guardrailKind]: 'tool_output',
      [ATTR.toolName]: 'echo',
      [ATTR.toolCallId]: 'call_g1',
    });
    const inputRun = only(spans, 'invoke_agent blocked');
    expect(inputRun.attributes[ATTR.errorType]).toBe('InputGuardrailTripwireTriggered');
    expect(inputRun.events.find((e) => e.name === 'guardrail_tripped')?.attributes).toEqual({
      [ATTR.guardrailName]: 'no_abuse',
      [ATTR.guardrailKind]: 'input',
    });
    expect(spans.filter((x) => x.name.startsWith('chat'))).toHaveLength(1); // the input guardrail blocked
    expect(dump(spans)).not.toContain(CANARY);
    await tracing.shutdown();
  });
});
