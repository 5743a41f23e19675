import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonlFileStore } from '../../src/sessions/jsonl-file-store.js';
import type { SessionStore } from '../../src/sessions/store.js';
import { type FixtureServer, type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { bundleChild } from './fixtures/child.js';

/** Sessions killed and resumed (the issue asks for 100). `OA_KILL_RUNS` lowers or raises it. */
const RUNS = Number(process.env.OA_KILL_RUNS ?? 100);
/** Tool turns per run (each run is 3 tool calls, 4 model calls). */
const STEPS = 3;
/** Attempts per session before the last one, which is never killed. */
const MAX_KILLS = 4;
const CONCURRENCY = 4;

let child = '';
let dir = '';
let server: FixtureServer;
beforeAll(async () => {
  child = await bundleChild();
  dir = mkdtempSync(join(tmpdir(), 'oa-kill-'));
  // The answer depends only on the history, so a resumed run that asks again gets the same answer.
  server = await startFixtureServer({
    responses: (request: RecordedRequest) => {
      const done = wireMessages(request).filter((m) => m.role === 'tool').length;
      const body =
        done < STEPS
          ? toolCallBody([{ id: `call_${done + 1}`, name: 'step', args: `{"k":${done + 1}}` }])
          : textStream(['all steps done']);
      return { body, headersDelayMs: Math.floor(Math.random() * 20) };
    },
  });
}, 60_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function attempt(id: string, killAfterMs: number | undefined): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const proc: ChildProcess = spawn(process.execPath, [
      child,
      'session',
      server.baseUrl,
      dir,
      id,
      join(dir, `${id}.effects`),
    ]);
    let out = '';
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    proc.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function killAndResume(id: string): Promise<{ kills: number }> {
  let kills = 0;
  for (let i = 0; i < MAX_KILLS; i++) {
    // node start-up is most of a child's life; kill anywhere from before the first request to after the end
    const { code } = await attempt(id, 80 + Math.floor(Math.random() * 700));
    if (code === 0) return { kills };
    kills++;
  }
  const last = await attempt(id, undefined);
  expect(last.code, last.out).toBe(0);
  return { kills };
}

async function check(store: SessionStore, id: string): Promise<void> {
  const { entries } = await store.load(id);
  const roles = entries.map((e) => (e.item.message as { role?: string } | undefined)?.role ?? e.item.type);
  // no turn lost, none doubled: exactly the prompt, 3 tool turns and the answer
  expect(roles, id).toEqual([
    'user',
    'assistant',
    'toolResult',
    'assistant',
    'toolResult',
    'assistant',
    'toolResult',
    'assistant',
  ]);
  const runIds = new Set(entries.map((e) => e.item.runId));
  expect(runIds.size, id).toBe(1);
  const [runId] = runIds;
  // every call's effect applied once (the tool dedupes by its idempotency key `runId:callId`)
  const effects = readFileSync(join(dir, `${id}.effects`), 'utf8')
    .trim()
    .split('\n');
  expect(effects.sort(), id).toEqual([1, 2, 3].map((k) => `${runId}:call_${k}`));
}

describe('crash-safe resume (SIGKILL at random points)', () => {
  it(`${RUNS} sessions killed and resumed: no turn lost, no effect twice, every file parses`, async () => {
    const store = new JsonlFileStore({ directory: dir });
    let kills = 0;
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < RUNS; i = next++) {
        const id = `s${i}`;
        kills += (await killAndResume(id)).kills;
        await check(store, id);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // every line of every session file is complete JSON
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
      for (const line of readFileSync(join(dir, name), 'utf8').trimEnd().split('\n'))
        expect(() => JSON.parse(line)).not.toThrow();
    }
    // calls re-executed after a kill (started, not yet checkpointed) are counted, not hidden
    let invocations = 0;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.calls'))) {
      invocations += readFileSync(join(dir, name), 'utf8').trim().split('\n').length;
    }
    console.info(
      `kill test: ${RUNS} sessions, ${kills} kills, ${invocations} tool invocations for ${RUNS * STEPS} calls`,
    );
    expect(kills).toBeGreaterThan(0);
  }, 600_000);
});
