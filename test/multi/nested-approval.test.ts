import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleNestedChild } from './fixtures/bundle.js';
import { scenario } from './harness.js';
import { APIS } from './wire.js';

const exec = promisify(execFile);
let child = '';
let dir = '';
beforeAll(async () => {
  ({ file: child, dir } = await bundleNestedChild());
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(APIS)('a nested approval over %s', (api) => {
  it('pauses the outer run, is serialized, restored in a NEW process, approved inside the nested run, and finishes', async () => {
    const s = await scenario(api, [
      { calls: [{ id: 'call_o1', name: 'deployer', args: '{"input":"deploy prod"}' }] },
      { calls: [{ id: 'call_n1', name: 'deploy', args: '{"target":"prod"}' }] },
      { text: 'Deployed prod.' },
      { text: 'All done: prod is deployed.' },
    ]);
    const stateFile = join(dir, `${api}.json`);
    const paused = await exec(process.execPath, [child, 'pause', api, s.server.baseUrl, stateFile]);
    const first = JSON.parse(paused.stdout) as { status: string; interruptions: unknown[]; ran: string[] };
    expect(first.status).toBe('interrupted');
    expect(first.ran).toEqual([]);
    expect(first.interruptions).toEqual([
      {
        toolCallId: 'call_n1',
        toolName: 'deploy',
        arguments: { target: 'prod' },
        agentPath: ['triage', 'deployer'],
        parentToolCallId: 'call_o1',
      },
    ]);
    // the outer log keeps the nested run's state as plain JSON; the outer call has no result yet
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      v: number;
      entries: Record<string, unknown>[];
    };
    expect(saved.v).toBe(2);
    const interruption = saved.entries.find((e) => e.type === 'interruption') as {
      nested: Record<string, { agent: string; v: number }>;
    };
    expect(interruption.nested.call_o1).toMatchObject({ v: 2, agent: 'deployer', status: 'interrupted' });
    expect(saved.entries.some((e) => e.type === 'tool_result')).toBe(false);
    expect(s.server.requests).toHaveLength(2);

    const resumed = await exec(process.execPath, [child, 'resume', api, s.server.baseUrl, stateFile]);
    const outcome = JSON.parse(resumed.stdout) as Record<string, unknown>;
    expect(outcome).toMatchObject({
      status: 'completed',
      finalOutput: 'All done: prod is deployed.',
      ran: ['deploy'],
      agentPaths: [['triage', 'deployer'], ['triage']],
    });
    expect(s.server.requests).toHaveLength(4);
    expect(s.problems).toEqual([]);
  }, 60_000);
});
