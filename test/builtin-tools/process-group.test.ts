/**
 * `run_command` stops the whole process group of a command: a background grandchild (`sleep 1000 &`) and
 * a shell that ignores SIGTERM are both gone after a timeout, an abort, and when the command exits
 * leaving background jobs. The tool returns within the grace period, not the engine's backstop.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CommandSpawner, runCommandTool } from '../../src/node/index.js';
import { readPids, survivors, treeScript, waitForFile } from '../helpers/processes.js';
import { tempDir } from './harness.js';

const spawner = new CommandSpawner();
afterAll(() => spawner.close());

const cases = [
  { name: 'timeout', tail: 'wait', timeoutMs: 500, abortAfterStart: false, expect: /timed out after 500 ms/ },
  { name: 'abort', tail: 'wait', timeoutMs: 30_000, abortAfterStart: true, expect: /was killed by SIGKILL/ },
  {
    name: 'leader exits leaving jobs',
    tail: 'exit 0',
    timeoutMs: 30_000,
    abortAfterStart: false,
    expect: /succeeded \(no output\)/,
  },
] as const;

describe('run_command stops the whole process group', () => {
  for (const c of cases) {
    it(`${c.name}: the grandchild and the TERM-ignoring shell are gone`, async () => {
      const { dir, cleanup } = tempDir();
      try {
        const tool = runCommandTool({ root: dir, timeoutMs: c.timeoutMs, killGraceMs: 500, spawner });
        const controller = new AbortController();
        const started = Date.now();
        const pending = tool.execute({
          args: { command: 'sh', args: ['-c', treeScript(c.tail)] },
          signal: controller.signal,
          toolCallId: 'call_1',
          idempotencyKey: 'call_1',
          context: undefined,
          update: () => {},
        });
        await waitForFile(join(dir, 'pids'));
        const pids = readPids(dir);
        expect(pids).toHaveLength(3);
        if (c.abortAfterStart) controller.abort();
        const output = await pending;
        expect(JSON.stringify(output)).toMatch(c.expect);
        // Returned within timeout + grace (+ slack), far below the 5 s backstop of old.
        expect(Date.now() - started).toBeLessThan(Math.min(c.timeoutMs, 1000) + 500 + 1500);
        expect(await survivors(pids)).toEqual([]);
      } finally {
        cleanup();
      }
    });
  }

  it('the next command on the same spawner still works', async () => {
    const tool = runCommandTool({ spawner });
    const output = await tool.execute({
      args: { command: 'echo', args: ['still here'] },
      signal: new AbortController().signal,
      toolCallId: 'call_2',
      idempotencyKey: 'call_2',
      context: undefined,
      update: () => {},
    });
    expect(JSON.stringify(output)).toContain('still here');
  });

  it("a command's parent is the spawner: no key in /proc/$PPID/environ or cmdline", async () => {
    const canary = 'sk-CANARY-ppid-0123456789';
    process.env.OA_PPID_CANARY = canary;
    try {
      const tool = runCommandTool({ spawner });
      const output = await tool.execute({
        args: {
          command: 'sh',
          args: [
            '-c',
            'echo "ppid=$PPID"; tr "\\0" "\\n" < /proc/$PPID/environ; tr "\\0" " " < /proc/$PPID/cmdline',
          ],
        },
        signal: new AbortController().signal,
        toolCallId: 'call_3',
        idempotencyKey: 'call_3',
        context: undefined,
        update: () => {},
      });
      const text = JSON.stringify(output);
      expect(text).toContain(`ppid=${spawner.pid}`);
      expect(text).toContain('open-agent-spawner');
      expect(text).not.toContain(canary);
      expect(text).not.toContain('OA_PPID_CANARY');
    } finally {
      delete process.env.OA_PPID_CANARY;
    }
  });

  it('closing the spawner stops the commands it runs', async () => {
    const { dir, cleanup } = tempDir();
    const own = new CommandSpawner();
    try {
      const tool = runCommandTool({ root: dir, killGraceMs: 300, spawner: own });
      const pending = tool.execute({
        args: { command: 'sh', args: ['-c', treeScript('wait')] },
        signal: new AbortController().signal,
        toolCallId: 'call_4',
        idempotencyKey: 'call_4',
        context: undefined,
        update: () => {},
      });
      await waitForFile(join(dir, 'pids'));
      const pids = readPids(dir);
      const spawnerPid = own.pid as number;
      own.close();
      await expect(pending).rejects.toThrow(/the command spawner stopped/);
      expect(await survivors([...pids, spawnerPid])).toEqual([]);
    } finally {
      own.close();
      cleanup();
    }
  });
});
