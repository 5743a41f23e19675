import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { cleanEnv } from '../cli/cli.js';
import { messagesOf, textTurn, toolCallTurn } from '../e2e/model-script.js';
import { validateLocalChat } from './validators.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

/** The triage example's model: triage transfers to refunds, refunds refunds A7, then confirms. */
function triageModel(problems: string[]) {
  return (request: RecordedRequest) => {
    const problem = validateLocalChat(request);
    if (problem) problems.push(problem);
    const messages = messagesOf(request);
    const system = String(messages[0]?.content ?? '');
    if (system.includes('front desk')) return toolCallTurn('transfer_to_refunds', {}, 'call_t1');
    if (!messages.some((m) => m.role === 'tool'))
      return toolCallTurn('issue_refund', { order: 'A7', euros: 20 }, 'call_r1');
    return textTurn('Order A7 is refunded.');
  };
}

async function runExample(args: string[], problems: string[]) {
  const server = await startFixtureServer({ responses: triageModel(problems) });
  closers.push(() => server.close());
  const child = spawn(process.execPath, [join(EXAMPLES, '11-triage.mjs'), ...args], {
    cwd: EXAMPLES,
    env: cleanEnv({ OPENAI_BASE_URL: server.baseUrl, OPENAI_MODEL: 'test-model' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, server };
}

describe('examples/11-triage.mjs against a loopback server', () => {
  it('hands off to refunds, which refunds the order (the filtered history is accepted)', async () => {
    const problems: string[] = [];
    const r = await runExample(['Refund order A7 please'], problems);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '[triage -> refunds]\n[refunds ran issue_refund]\nrefunds: Order A7 is refunded.\n',
    );
    expect(problems).toEqual([]);
    // removeAllTools: the refunds agent's first call sees no transfer call
    expect(messagesOf(r.server.requests[1] as RecordedRequest).map((m) => m.role)).toEqual([
      'system',
      'user',
    ]);
  }, 30_000);

  it('the input guardrail blocks before any model call', async () => {
    const r = await runExample(['you idiot, refund A7'], []);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Blocked by the no_abuse guardrail.\n');
    expect(r.server.requests).toHaveLength(0);
  }, 30_000);
});
