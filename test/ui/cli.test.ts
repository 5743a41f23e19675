/** `open-agent ui` flags and the API's answers to bad requests, over real HTTP against the built CLI. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli.js';
import { type RunningUi, startUi } from './scenario.mjs';

let dir: string;
let ui: RunningUi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oa-ui-cli-'));
  // No model anywhere: chat is off, the dashboard still starts.
  ui = await startUi({ cwd: dir, sessionsDir: join(dir, 'sessions'), baseUrl: 'http://127.0.0.1:1/v1' });
}, 30_000);

afterAll(async () => {
  await ui?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('open-agent ui', () => {
  it('a bad --port is a usage error (exit 2)', async () => {
    const result = await runCli(['ui', '--port', 'abc', '--no-open']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be an integer from 0 to 65535');
  });

  it('binds 127.0.0.1; without a model, chat is off and the lists are empty', async () => {
    const url = new URL(ui.url);
    expect(url.hostname).toBe('127.0.0.1');
    const auth = { 'x-open-agent-token': url.searchParams.get('token') as string };
    const get = async (path: string) => {
      const res = await fetch(new URL(path, url), { headers: auth });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    expect(await get('/api/agents')).toEqual({ status: 200, json: { agents: [] } });
    expect(await get('/api/runs')).toEqual({ status: 200, json: { sessions: [], traces: [], problems: [] } });
    expect((await get('/api/sessions/none')).status).toBe(404);
    expect((await get('/api/nothing')).status).toBe(404);
    expect(ui.output().stderr).toContain('chat is off');
  });

  it('bad POST bodies are 400, unknown agents and calls 404', async () => {
    const url = new URL(ui.url);
    const token = url.searchParams.get('token') as string;
    const post = async (path: string, body: string, type = 'application/json') => {
      const res = await fetch(new URL(path, url), {
        method: 'POST',
        headers: { 'x-open-agent-token': token, 'content-type': type },
        body,
      });
      return { status: res.status, json: (await res.json()) as { error?: string } };
    };
    expect((await post('/api/chat', '{"text":"hi"}', 'text/plain')).status).toBe(400);
    expect((await post('/api/chat', 'not json')).status).toBe(400);
    expect((await post('/api/chat', '{"text":1}')).status).toBe(400);
    const unknown = await post('/api/chat', '{"text":"hi","agent":"nobody"}');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toContain('Unknown agent');
    const decision = await post('/api/decisions', '{"sessionId":"../x","toolCallId":"c","approved":true}');
    expect(decision.status).toBe(404);
    expect((await post('/api/decisions', '{"sessionId":"s","toolCallId":"c"}')).status).toBe(400);
  });
});
