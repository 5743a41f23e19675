import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sessionsDirectory } from '../../src/cli/session-store.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { parseDocument, runCli, textAnswer } from './cli.js';

let server: FixtureServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

type Wire = { messages: { role: string; content: unknown }[] };

describe('open-agent run --session and open-agent sessions', () => {
  it('run --session twice: the second request carries the first exchange; list, show and rm', async () => {
    dir = mkdtempSync(join(tmpdir(), 'oa-sessions-'));
    const answers = ['Hello Ana.', 'Your name is Ana.'];
    server = await startFixtureServer({ responses: (_r, i) => ({ body: textAnswer([answers[i] ?? '?']) }) });
    const env = { OPEN_AGENT_SESSIONS_DIR: '', XDG_DATA_HOME: join(dir, 'data') };
    const base = ['--base-url', server.baseUrl, '--model', 'm', '--no-tools'];
    const first = await runCli(['run', 'I am Ana.', '--session', 'ana', ...base, '--output', 'json'], {
      env,
    });
    expect(first.code).toBe(0);
    expect(parseDocument(first.stdout)).toMatchObject({ session: 'ana', text: 'Hello Ana.' });

    const second = await runCli(['run', 'What is my name?', '--session', 'ana', ...base], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Your name is Ana.\n');
    const wire = server.requests[1]?.json as Wire;
    expect(wire.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'I am Ana.'],
      ['assistant', 'Hello Ana.'],
      ['user', 'What is my name?'],
    ]);

    // Under the XDG data directory, the file is private.
    const sessions = join(dir, 'data', 'open-agent', 'sessions');
    expect(readdirSync(sessions)).toEqual(['ana.jsonl']);
    expect(statSync(join(sessions, 'ana.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(sessions).mode & 0o777).toBe(0o700);

    const list = await runCli(['sessions', 'list', '--output', 'json'], { env });
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as { directory: string; sessions: { id: string }[] };
    expect(listed).toMatchObject({ directory: sessions, sessions: [{ id: 'ana' }] });

    const show = await runCli(['sessions', 'show', 'ana'], { env });
    expect(show.code).toBe(0);
    expect(show.stdout).toBe(
      'user: I am Ana.\nassistant: Hello Ana.\nuser: What is my name?\nassistant: Your name is Ana.\n',
    );
    const shown = await runCli(['sessions', 'show', 'ana', '--output', 'json'], { env });
    expect((JSON.parse(shown.stdout) as { entries: { type: string }[] }).entries.map((e) => e.type)).toEqual([
      'input',
      'model_response',
      'input',
      'model_response',
    ]);

    const rm = await runCli(['sessions', 'rm', 'ana'], { env });
    expect(rm.code).toBe(0);
    expect(readdirSync(sessions)).toEqual([]);
    const missing = await runCli(['sessions', 'show', 'ana'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: no session named "ana"\n');
    const again = await runCli(['sessions', 'rm', 'ana'], { env });
    expect(again.code).toBe(1);
  });

  it('OPEN_AGENT_SESSIONS_DIR wins; an unreadable session fails before anything is sent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'oa-sessions-'));
    server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    const own = join(dir, 'own');
    const env = { OPEN_AGENT_SESSIONS_DIR: own, XDG_DATA_HOME: join(dir, 'data') };
    const base = ['--base-url', server.baseUrl, '--model', 'm', '--no-tools'];
    expect((await runCli(['run', 'hi', '--session', 's1', ...base], { env })).code).toBe(0);
    expect(readdirSync(own)).toEqual(['s1.jsonl']);
    writeFileSync(join(own, 'broken.jsonl'), 'not json\n{"also":"not a header"}\n');
    const broken = await runCli(['run', 'hi', '--session', 'broken', ...base], { env });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: .*broken/m);
    expect(server.requests).toHaveLength(1);
    const bad = await runCli(['run', 'hi', '--session', '', ...base], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--session must be 1 to 256 characters/);
  });

  it('sessionsDirectory: env > config > XDG_DATA_HOME > ~/.local/share', () => {
    expect(sessionsDirectory({ OPEN_AGENT_SESSIONS_DIR: '/a', XDG_DATA_HOME: '/x' }, '/c')).toBe('/a');
    expect(sessionsDirectory({ XDG_DATA_HOME: '/x' }, 'rel', '/cwd')).toBe('/cwd/rel');
    expect(sessionsDirectory({ XDG_DATA_HOME: '/x' })).toBe('/x/open-agent/sessions');
    expect(sessionsDirectory({ HOME: '/home/u', XDG_DATA_HOME: '' })).toBe(
      '/home/u/.local/share/open-agent/sessions',
    );
  });
});
