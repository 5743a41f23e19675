import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/index.js';
import { modelFor } from '../../src/presets/model-for.js';
import { resolveCompat } from '../../src/providers/openai-chat/index.js';

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-config-env-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const configFile = (): string => join(dir, 'open-agent.config.yaml');

describe('compat overrides: environment > config file > probe > preset > defaults', () => {
  it('OPEN_AGENT_COMPAT_* is typed by the flag (boolean, enum, number, list) and wins over the file', () => {
    writeFileSync(configFile(), 'compat:\n  usageInStream: true\n  strictTools: true\n');
    const resolved = resolveConfig({
      env: {
        OPEN_AGENT_COMPAT_USAGE_IN_STREAM: 'false',
        OPEN_AGENT_COMPAT_MAX_TOKENS_FIELD: 'max_completion_tokens',
        OPEN_AGENT_COMPAT_DEFAULT_MAX_TOKENS: '1024',
        OPEN_AGENT_COMPAT_STRUCTURED_RUNGS: 'json_object, prompt',
      },
      cwd: dir,
    });
    expect(resolved.compat).toEqual({
      usageInStream: false,
      strictTools: true,
      maxTokensField: 'max_completion_tokens',
      defaultMaxTokens: 1024,
      structuredRungs: ['json_object', 'prompt'],
    });
    expect(resolved.origins).toMatchObject({
      'compat.usageInStream': 'env:OPEN_AGENT_COMPAT_USAGE_IN_STREAM',
      'compat.strictTools': `file:${configFile()}`,
      'compat.maxTokensField': 'env:OPEN_AGENT_COMPAT_MAX_TOKENS_FIELD',
    });
  });

  it.each([
    ['OPEN_AGENT_COMPAT_USAGE_IN_STREAM', 'maybe', /OPEN_AGENT_COMPAT_USAGE_IN_STREAM must be a boolean/],
    [
      'OPEN_AGENT_COMPAT_SYSTEM_ROLE',
      'root',
      /OPEN_AGENT_COMPAT_SYSTEM_ROLE must be one of system, developer/,
    ],
    ['OPEN_AGENT_COMPAT_DEFAULT_MAX_TOKENS', '-5', /must be a positive integer, got "-5"/],
    ['OPEN_AGENT_COMPAT_NO_SUCH_FLAG', '1', /OPEN_AGENT_COMPAT_NO_SUCH_FLAG: no such compat flag/],
    ['VLLM_TOOL_CHOICE', 'sometimes', /VLLM_TOOL_CHOICE must be one of unset, auto, none, required/],
    ['VLLM_MIN_PAYLOAD', 'please', /VLLM_MIN_PAYLOAD must be a boolean/],
  ])('%s=%s is a ConfigError naming the variable', (name, value, message) => {
    const run = () => resolveConfig({ env: { [name]: value }, cwd: dir });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('a bad compat mapping in the file names the file and the flag', () => {
    writeFileSync(configFile(), 'compat:\n  usageInStream: sometimes\n');
    expect(() => resolveConfig({ env: {}, cwd: dir })).toThrow(
      /open-agent\.config\.yaml: key "compat" must be a mapping of compat flags where usageInStream is a boolean/,
    );
    writeFileSync(configFile(), 'compat:\n  usageInStreem: false\n');
    expect(() => resolveConfig({ env: {}, cwd: dir })).toThrow(/"usageInStreem" is unknown/);
  });

  it('the VLLM_* aliases set the flags with the same effect; OPEN_AGENT_COMPAT_* wins over an alias', () => {
    const resolved = resolveConfig({
      env: {
        VLLM_MIN_PAYLOAD: '1',
        VLLM_FORCE_FUNCTIONS: 'true',
        VLLM_DISABLE_PARALLEL_TOOL_CALLS: '1',
        VLLM_TOOL_CHOICE: 'required',
        VLLM_DISABLE_TOOLS_IN_LLM: '1',
        OPEN_AGENT_COMPAT_DEFAULT_TOOL_CHOICE: 'auto',
      },
      cwd: dir,
    });
    expect(resolved.compat).toEqual({
      minimalPayload: true,
      legacyFunctions: true,
      disableParallelToolCalls: true,
      defaultToolChoice: 'auto',
      sendTools: false,
    });
    expect(resolved.origins['compat.legacyFunctions']).toBe('env:VLLM_FORCE_FUNCTIONS');
    expect(resolved.origins['compat.sendTools']).toBe('env:VLLM_DISABLE_TOOLS_IN_LLM');
    expect(resolved.origins['compat.defaultToolChoice']).toBe('env:OPEN_AGENT_COMPAT_DEFAULT_TOOL_CHOICE');
    // VLLM_DISABLE_TOOLS_IN_LLM=0 leaves tools on.
    expect(resolveConfig({ env: { VLLM_DISABLE_TOOLS_IN_LLM: '0' }, cwd: dir }).compat).toEqual({
      sendTools: true,
    });
  });

  it('on the model record the overrides win over the preset and the probe, and reach the resolved profile', () => {
    // The vllm preset turns usage in streams on; the environment turns it off.
    const { compat } = resolveConfig({ env: { OPEN_AGENT_COMPAT_USAGE_IN_STREAM: 'off' }, cwd: dir });
    const model = modelFor({ id: 'm', provider: 'vllm', overrides: { ...(compat && { compat }) } });
    const probed = { usageInStream: true, toolChoice: false };
    expect(resolveCompat(model, probed)).toMatchObject({ usageInStream: false, toolChoice: false });
  });
});

describe('OPEN_AGENT__KEY and OPEN_AGENT__SECTION__KEY override config-file keys', () => {
  it('matches keys case-insensitively without underscores, typed by the schema, sections merged key by key', () => {
    writeFileSync(configFile(), 'maxTurns: 9\nmodel: file-model\ntimeouts:\n  idleMs: 5000\n');
    const resolved = resolveConfig({
      env: {
        OPEN_AGENT__MAX_TURNS: '3',
        OPEN_AGENT__TIMEOUTS__FIRST_BYTE: '60000',
        OPEN_AGENT__TIMEOUTS__TOTAL_MS: 'none',
        OPEN_AGENT__TOOLS: 'read_file, grep',
        OPEN_AGENT__SYSTEM: '42',
        OPEN_AGENT__COMPAT__USAGE_IN_STREAM: 'false',
      },
      cwd: dir,
    });
    expect(resolved).toMatchObject({
      maxTurns: 3,
      model: 'file-model',
      system: '42',
      tools: ['read_file', 'grep'],
      timeouts: { idleMs: 5000, firstByteMs: 60000, totalMs: Number.POSITIVE_INFINITY },
      compat: { usageInStream: false },
    });
    expect(resolved.origins).toMatchObject({
      maxTurns: 'env:OPEN_AGENT__MAX_TURNS',
      model: `file:${configFile()}`,
      'timeouts.idleMs': `file:${configFile()}`,
      'timeouts.firstByteMs': 'env:OPEN_AGENT__TIMEOUTS__FIRST_BYTE',
      'compat.usageInStream': 'env:OPEN_AGENT__COMPAT__USAGE_IN_STREAM',
    });
  });

  it('the dedicated variables and flags still win over OPEN_AGENT__ (it stands in for the file)', () => {
    const resolved = resolveConfig({
      flags: { maxTurns: '2' },
      env: { OPEN_AGENT__MAX_TURNS: '3', OPEN_AGENT__MODEL: 'a', OPENAI_MODEL: 'b' },
      cwd: dir,
    });
    expect(resolved).toMatchObject({ maxTurns: 2, model: 'b' });
    expect(resolved.origins).toMatchObject({ maxTurns: 'flag', model: 'env:OPENAI_MODEL' });
  });

  it.each([
    ['OPEN_AGENT__MAX_TURNS', 'three', /OPEN_AGENT__MAX_TURNS: key "maxTurns" must be a positive integer/],
    ['OPEN_AGENT__MAXX_TURNS', '3', /OPEN_AGENT__MAXX_TURNS: no such config key/],
    ['OPEN_AGENT__TIMEOUTS__SOON', '3', /OPEN_AGENT__TIMEOUTS__SOON: no such timeout/],
    ['OPEN_AGENT__API_KEY', 'sk-canary-0000', /no such config key/],
    ['OPEN_AGENT__BASE_URL', 'localhost:1', /OPEN_AGENT__BASE_URL: key "baseUrl" must be an http\(s\) URL/],
  ])('%s=%s is a ConfigError naming the variable', (name, value, message) => {
    const run = () => resolveConfig({ env: { [name]: value }, cwd: dir });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });
});

describe('.yml beside .yaml', () => {
  it('reads open-agent.config.yml and ~/.config/open-agent/config.yml; .yaml first when both exist', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'open-agent'), { recursive: true });
    writeFileSync(join(home, '.config', 'open-agent', 'config.yml'), 'system: from user yml\n');
    writeFileSync(join(dir, 'open-agent.config.yml'), 'model: from-yml\n');
    const resolved = resolveConfig({ env: { HOME: home }, cwd: dir });
    expect(resolved).toMatchObject({ model: 'from-yml', system: 'from user yml' });
    expect(resolved.files).toEqual([
      join(home, '.config', 'open-agent', 'config.yml'),
      join(dir, 'open-agent.config.yml'),
    ]);
    writeFileSync(configFile(), 'model: from-yaml\n');
    expect(resolveConfig({ env: {}, cwd: dir }).model).toBe('from-yaml');
  });
});
