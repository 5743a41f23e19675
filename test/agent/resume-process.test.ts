import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../../src/testing/index.js';
import { scriptedModel, toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { bundleChild } from './fixtures/child.js';

const exec = promisify(execFile);
let child = '';
let dir = '';
beforeAll(async () => {
  child = await bundleChild();
  dir = mkdtempSync(join(tmpdir(), 'oa-resume-'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pauseThenResume(decision: 'approve' | 'reject') {
  const server = await startFixtureServer({
    responses: scriptedModel([
      toolCallBody([{ id: 'call_d', name: 'deploy', args: '{"target":"prod"}' }]),
      textStream(['all set']),
    ]),
  });
  try {
    const stateFile = join(dir, `${decision}.json`);
    const paused = await exec(process.execPath, [child, 'pause', server.baseUrl, stateFile]);
    expect(JSON.parse(paused.stdout)).toEqual({ status: 'interrupted' });
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { v: number; status: string };
    expect(saved.v).toBe(2);
    expect(saved.status).toBe('interrupted');
    expect(server.requests).toHaveLength(1);
    // a NEW process restores the state, decides, and finishes the run
    const resumed = await exec(process.execPath, [child, 'resume', server.baseUrl, stateFile, decision]);
    const outcome = JSON.parse(resumed.stdout) as { status: string; finalOutput: string; turns: number };
    expect(outcome).toEqual({ status: 'completed', finalOutput: 'all set', turns: 2 });
    expect(server.requests).toHaveLength(2);
    return wireMessages(server.requests[1] as never);
  } finally {
    await server.close();
  }
}

describe('resume in another process', () => {
  it('approve: the new process runs the tool and the server sees its result', async () => {
    const history = await pauseThenResume('approve');
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(history[2]?.content).toBe('deployed prod');
  }, 60_000);

  it('reject: the tool does not run; the server sees the rejection message', async () => {
    const history = await pauseThenResume('reject');
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(history[2]?.content).toBe('Deploys are frozen today.');
  }, 60_000);
});
