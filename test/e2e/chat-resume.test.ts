import { mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IPty, spawn } from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { BIN, cleanEnv, textAnswer } from '../cli/cli.js';

/** One chat process in a pseudo-terminal. */
class Terminal {
  output = '';
  readonly exit: Promise<number>;
  readonly #pty: IPty;
  #waiters: { text: string | RegExp; from: number; resolve: () => void }[] = [];

  constructor(args: string[], env: Record<string, string>) {
    this.#pty = spawn(process.execPath, [BIN, ...args], {
      cols: 160,
      rows: 40,
      env: cleanEnv({ TERM: 'xterm', ...env }),
    });
    this.#pty.onData((data) => {
      this.output += data;
      this.#waiters = this.#waiters.filter((w) => {
        const rest = this.output.slice(w.from);
        const hit = typeof w.text === 'string' ? rest.includes(w.text) : w.text.test(rest);
        if (hit) w.resolve();
        return !hit;
      });
    });
    this.exit = new Promise((resolve) => this.#pty.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Resolves once `text` appears after position `from` (vitest's timeout bounds the wait). */
  waitFor(text: string | RegExp, from = 0): Promise<void> {
    const rest = this.output.slice(from);
    if (typeof text === 'string' ? rest.includes(text) : text.test(rest)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ text, from, resolve }));
  }

  write(data: string): void {
    this.#pty.write(data);
  }

  kill(): void {
    this.#pty.kill();
  }
}

let terminals: Terminal[] = [];
let server: FixtureServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  for (const t of terminals) t.kill();
  terminals = [];
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function chat(args: string[], env: Record<string, string>): Terminal {
  const terminal = new Terminal(['chat', ...args], env);
  terminals.push(terminal);
  return terminal;
}

type Wire = { messages: { role: string; content: unknown }[] };

describe('open-agent chat --resume (two processes, pseudo-terminals)', () => {
  it('a second chat process continues the first conversation, showing the context use', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-resume-')));
    const answers = ['Hello, Ada!', 'You are Ada.'];
    server = await startFixtureServer({ responses: (_r, i) => ({ body: textAnswer([answers[i] ?? '?']) }) });
    const sessions = join(dir, 'sessions');
    const env = { OPEN_AGENT_SESSIONS_DIR: sessions };
    const flags = ['--base-url', server.baseUrl, '--model', 'm', '--no-tools', '--cwd', dir];

    const first = chat(flags, env);
    await first.waitFor('> ');
    const id = /session (chat-\d{8}-\d{6}-[0-9a-f]{4})/.exec(first.output)?.[1];
    expect(id).toBeDefined();
    first.write('I am Ada\r');
    await first.waitFor(/Hello, Ada!\r?\n.*\[m · turn .* · context ~\d+ tokens\]/);
    first.write('/exit\r');
    expect(await first.exit).toBe(0);
    expect(readdirSync(sessions)).toEqual([`${id}.jsonl`]);
    expect(statSync(join(sessions, `${id}.jsonl`)).mode & 0o777).toBe(0o600);

    // A new process: --resume without a name takes the most recent session.
    const second = chat([...flags, '--resume'], env);
    await second.waitFor('> ');
    expect(second.output).toMatch(new RegExp(`session ${id} · resumed 2 messages, context ~\\d+ tokens`));
    const mark = second.output.length;
    second.write('Who am I?\r');
    await second.waitFor(/You are Ada\.\r?\n.*\[m · turn .* · context ~\d+ tokens\]/, mark);
    const wire = server.requests[1]?.json as Wire;
    expect(wire.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'I am Ada'],
      ['assistant', 'Hello, Ada!'],
      ['user', 'Who am I?'],
    ]);
    second.write('/exit\r');
    expect(await second.exit).toBe(0);

    // The session holds both exchanges; it can be resumed by name.
    const third = chat([...flags, '--resume', id as string], env);
    await third.waitFor('> ');
    expect(third.output).toContain(`session ${id} · resumed 4 messages`);
    third.write('/exit\r');
    expect(await third.exit).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it('--resume with no saved session, or an unknown name, is a usage error', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-resume-')));
    server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    const env = { OPEN_AGENT_SESSIONS_DIR: join(dir, 'sessions') };
    const flags = ['--base-url', server.baseUrl, '--model', 'm', '--no-tools', '--cwd', dir];
    const none = chat([...flags, '--resume'], env);
    expect(await none.exit).toBe(2);
    expect(none.output).toContain('error: no saved session to resume in');
    const unknown = chat([...flags, '--resume', 'nope'], env);
    expect(await unknown.exit).toBe(2);
    expect(unknown.output).toContain('error: no session named "nope"');
    expect(server.requests).toHaveLength(0);
  });
});
