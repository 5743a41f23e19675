/**
 * `none` means "no limit" for the time limits wherever they are documented (README "Time limits",
 * docs/cli.md config sample): `OPEN_AGENT_*_TIMEOUT_MS` and the config file's `timeouts`, mapped to
 * `Infinity` (which `StreamOptions.timeouts` reads as no limit). And `ollama-chat` is a built-in API that
 * config files and `--api` accept.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/index.js';
import { BUILTIN_APIS } from '../../src/index.js';

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-timeouts-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const project = (yaml: string) => writeFileSync(join(dir, 'open-agent.config.yaml'), yaml);

describe('timeouts accept none', () => {
  it.each([
    ['OPEN_AGENT_CONNECT_TIMEOUT_MS', 'connectMs', 'none'],
    ['OPEN_AGENT_FIRST_BYTE_TIMEOUT_MS', 'firstByteMs', 'NONE'],
    ['OPEN_AGENT_IDLE_TIMEOUT_MS', 'idleMs', 'Infinity'],
    ['OPEN_AGENT_TOTAL_TIMEOUT_MS', 'totalMs', ' none '],
  ])('%s=%s is no limit', (name, key, value) => {
    const resolved = resolveConfig({ env: { [name]: value }, cwd: dir, home: dir });
    expect(resolved.timeouts).toEqual({ [key]: Number.POSITIVE_INFINITY });
  });

  it('the config file takes none per key; the environment still wins', () => {
    project('timeouts:\n  firstByteMs: none\n  idleMs: 5000\n  totalMs: none\n');
    expect(resolveConfig({ env: {}, cwd: dir, home: dir }).timeouts).toEqual({
      firstByteMs: Number.POSITIVE_INFINITY,
      idleMs: 5000,
      totalMs: Number.POSITIVE_INFINITY,
    });
    const env = { OPEN_AGENT_TOTAL_TIMEOUT_MS: '9000', OPEN_AGENT_IDLE_TIMEOUT_MS: 'none' };
    expect(resolveConfig({ env, cwd: dir, home: dir }).timeouts).toEqual({
      firstByteMs: Number.POSITIVE_INFINITY,
      idleMs: Number.POSITIVE_INFINITY,
      totalMs: 9000,
    });
  });

  it.each([
    ['never', /OPEN_AGENT_IDLE_TIMEOUT_MS must be a positive integer \(ms\) or "none"/],
    ['0', /OPEN_AGENT_IDLE_TIMEOUT_MS must be a positive integer/],
    ['-5', /OPEN_AGENT_IDLE_TIMEOUT_MS must be a positive integer/],
  ])('other words are still refused: %s', (value, message) => {
    expect(() => resolveConfig({ env: { OPEN_AGENT_IDLE_TIMEOUT_MS: value }, cwd: dir, home: dir })).toThrow(
      message,
    );
    expect(() => resolveConfig({ env: { OPEN_AGENT_IDLE_TIMEOUT_MS: value }, cwd: dir, home: dir })).toThrow(
      ConfigError,
    );
  });

  it('a config file word other than none is refused, naming the key', () => {
    project('timeouts:\n  idleMs: later\n');
    expect(() => resolveConfig({ env: {}, cwd: dir, home: dir })).toThrow(
      /positive integers \(ms\) or "none" \(no limit\); idleMs is not/,
    );
  });
});

describe('ollama-chat is a built-in API', () => {
  it('is listed, and accepted by --api and the config file', () => {
    expect(BUILTIN_APIS).toContain('ollama-chat');
    expect(resolveConfig({ flags: { api: 'ollama-chat' }, env: {}, cwd: dir, home: dir }).api).toBe(
      'ollama-chat',
    );
    project('api: ollama-chat\n');
    expect(resolveConfig({ env: {}, cwd: dir, home: dir }).api).toBe('ollama-chat');
    expect(() => resolveConfig({ flags: { api: 'ollama' }, env: {}, cwd: dir, home: dir })).toThrow(
      /--api must be one of openai-chat, openai-responses, anthropic-messages, ollama-chat/,
    );
  });
});
