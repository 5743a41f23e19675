import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/index.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { parseDocument, runCli, textAnswer } from './cli.js';

let dir: string;
let home: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-config-')));
  home = join(dir, 'home');
  mkdirSync(join(home, '.config', 'open-agent'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function project(yaml: string): void {
  writeFileSync(join(dir, 'open-agent.config.yaml'), yaml);
}

describe('resolveConfig: flags > environment > config file > preset', () => {
  it('takes each setting from the first source that has it', () => {
    writeFileSync(
      join(home, '.config', 'open-agent', 'config.yaml'),
      'model: user-model\nmaxTokens: 100\nsystem: from user\n',
    );
    project(
      'baseUrl: http://file-host:1/v1\nmodel: file-model\ntemperature: 0.5\nmaxRetries: 4\ntimeouts:\n  idleMs: 5000\n',
    );
    const env = { OPENAI_MODEL: 'env-model', OPEN_AGENT_MAX_RETRIES: '1', HOME: home };
    const resolved = resolveConfig({ flags: { maxTokens: '7' }, env, cwd: dir });
    expect(resolved).toMatchObject({
      baseUrl: 'http://file-host:1/v1',
      baseUrlSource: 'config',
      model: 'env-model',
      modelSource: 'env',
      maxTokens: 7,
      temperature: 0.5,
      system: 'from user',
      maxRetries: 1,
      timeouts: { idleMs: 5000 },
    });
    expect(resolved.files).toEqual([
      join(home, '.config', 'open-agent', 'config.yaml'),
      join(dir, 'open-agent.config.yaml'),
    ]);
    const flagged = resolveConfig({
      flags: { baseUrl: 'http://flag:2/v1', model: 'flag-model' },
      env,
      cwd: dir,
    });
    expect(flagged).toMatchObject({
      baseUrl: 'http://flag:2/v1',
      baseUrlSource: 'flag',
      model: 'flag-model',
    });
  });

  it('maxConcurrentRequests: the config file key, unless the environment variable (read by the SDK) is set', () => {
    project('maxConcurrentRequests: 2\n');
    expect(resolveConfig({ env: { HOME: home }, cwd: dir }).maxConcurrentRequests).toBe(2);
    const env = { HOME: home, OPEN_AGENT_MAX_CONCURRENT_REQUESTS: '3' };
    expect(resolveConfig({ env, cwd: dir }).maxConcurrentRequests).toBeUndefined();
    project('maxConcurrentRequests: 0\n');
    expect(() => resolveConfig({ env: { HOME: home }, cwd: dir })).toThrow(
      /key "maxConcurrentRequests" must be a positive integer/,
    );
  });

  it('falls back to the preset base URL, and has no server at all without one', () => {
    expect(resolveConfig({ flags: { provider: 'LMStudio' }, env: {}, cwd: dir })).toMatchObject({
      provider: 'lmstudio',
      baseUrl: 'http://localhost:1234/v1',
      baseUrlSource: 'preset',
    });
    const bare = resolveConfig({ env: {}, cwd: dir });
    expect(bare.baseUrl).toBeUndefined();
    expect(bare.model).toBeUndefined();
  });

  it.each([
    ['modle: x\n', /open-agent\.config\.yaml: unknown key "modle"; known keys: baseUrl, model/],
    ['apiKey: sk-123\n', /key "apiKey" is not allowed: API keys are not read from config files/],
    ['maxTokens: lots\n', /key "maxTokens" must be a positive integer, got "lots"/],
    ['baseUrl: localhost:11434\n', /key "baseUrl" must be an http\(s\) URL/],
    ['api: grpc\n', /key "api" must be one of openai-chat, openai-responses, anthropic-messages/],
    ['timeouts:\n  idle: 5\n', /key "timeouts" must be a mapping with connectMs.*unknown key "idle"/],
    ['model: [unclosed\n', /open-agent\.config\.yaml: not valid YAML/],
    ['- a\n- b\n', /must hold a mapping of settings/],
  ])('a bad config file %j is a ConfigError naming the file and key', (yaml, message) => {
    project(yaml);
    expect(() => resolveConfig({ env: {}, cwd: dir })).toThrow(ConfigError);
    expect(() => resolveConfig({ env: {}, cwd: dir })).toThrow(message);
  });

  it('OPEN_AGENT_CONFIG / --config name the only file read, which must exist', () => {
    project('model: project\n');
    writeFileSync(join(dir, 'other.yaml'), 'model: other\n');
    expect(resolveConfig({ env: { OPEN_AGENT_CONFIG: 'other.yaml' }, cwd: dir }).model).toBe('other');
    expect(() => resolveConfig({ flags: { config: 'missing.yaml' }, env: {}, cwd: dir })).toThrow(
      /missing\.yaml does not exist/,
    );
  });

  it('bad flag and environment values name the flag or variable', () => {
    expect(() => resolveConfig({ flags: { api: 'soap' }, env: {}, cwd: dir })).toThrow(
      '--api must be one of openai-chat, openai-responses, anthropic-messages, ollama-chat, got "soap"',
    );
    expect(() => resolveConfig({ env: { OPEN_AGENT_IDLE_TIMEOUT_MS: 'soon' }, cwd: dir })).toThrow(
      /OPEN_AGENT_IDLE_TIMEOUT_MS must be a positive integer/,
    );
  });
});

describe('open-agent run reads the config file', () => {
  it('uses baseUrl, model and system from open-agent.config.yaml in --cwd', async () => {
    const server = await startFixtureServer({ responses: [{ body: textAnswer(['ok']) }] });
    try {
      project(`baseUrl: ${server.baseUrl}\nmodel: from-file\nsystem: Be brief.\n`);
      const result = await runCli(['run', 'Hi', '--cwd', dir, '--no-tools', '--output', 'json']);
      expect(result.code).toBe(0);
      expect(parseDocument(result.stdout).text).toBe('ok');
      const body = server.requests[0]?.json as {
        model: string;
        messages: { role: string; content: string }[];
      };
      expect(body.model).toBe('from-file');
      expect(body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    } finally {
      await server.close();
    }
  });

  it('a bad key exits 2 with the file and key named', async () => {
    project('temprature: 0.3\n');
    const result = await runCli(['run', 'Hi', '--cwd', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: ${join(dir, 'open-agent.config.yaml')}: unknown key "temprature"; known keys: baseUrl, model, provider, api, system, maxTokens, temperature, maxTurns, timeouts, maxRetries, maxConcurrentRequests, contextWindow, tools, modelPath, agents, mcpServers, sessionsDir, compat, plugins\n`,
    );
  });

  it('--api is passed as the model api (an unregistered api ends in an error naming it)', async () => {
    const result = await runCli([
      'run',
      'Hi',
      '--base-url',
      'http://127.0.0.1:1/v1',
      '--model',
      'm',
      '--api',
      'anthropic-messages',
      '--output',
      'json',
    ]);
    expect([0, 1]).toContain(result.code);
    const doc = parseDocument(result.stdout);
    expect((doc.messages.at(-1) as { api?: string }).api).toBe('anthropic-messages');
  });
});
