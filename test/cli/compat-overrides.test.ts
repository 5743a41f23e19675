import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { runCli, textAnswer } from './cli.js';

let server: FixtureServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs `open-agent run` (read-only tools on) with `env` and returns the one request body. */
async function bodyWith(env: Record<string, string>, args: string[] = []): Promise<Record<string, unknown>> {
  server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
  const result = await runCli(['run', 'Hi', '--base-url', server.baseUrl, '--model', 'm', ...args], { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(server.requests).toHaveLength(1);
  return server.requests[0]?.json as Record<string, unknown>;
}

describe('compat overrides change the request open-agent run sends', () => {
  it('without overrides: tools, stream_options, no tool_choice or parallel_tool_calls', async () => {
    const body = await bodyWith({});
    expect(body.tools).toBeInstanceOf(Array);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('VLLM_TOOL_CHOICE sets the default tool_choice', async () => {
    expect((await bodyWith({ VLLM_TOOL_CHOICE: 'required' })).tool_choice).toBe('required');
  });

  it('VLLM_DISABLE_PARALLEL_TOOL_CALLS sends parallel_tool_calls: false', async () => {
    expect((await bodyWith({ VLLM_DISABLE_PARALLEL_TOOL_CALLS: '1' })).parallel_tool_calls).toBe(false);
  });

  it('VLLM_DISABLE_TOOLS_IN_LLM sends no tools (nor tool_choice / parallel_tool_calls)', async () => {
    const body = await bodyWith({
      VLLM_DISABLE_TOOLS_IN_LLM: '1',
      VLLM_TOOL_CHOICE: 'required',
      VLLM_DISABLE_PARALLEL_TOOL_CALLS: '1',
    });
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
  });

  it('VLLM_MIN_PAYLOAD leaves out stream_options and tool_choice "auto", keeps tools', async () => {
    const body = await bodyWith({ VLLM_MIN_PAYLOAD: 'true', VLLM_TOOL_CHOICE: 'auto' });
    expect(body).not.toHaveProperty('stream_options');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body.tools).toBeInstanceOf(Array);
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream', 'tools']);
  });

  it('OPEN_AGENT_COMPAT_* wins over the VLLM_* alias and over the config file', async () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'oa-compat-')));
    writeFileSync(
      join(dir, 'open-agent.config.yaml'),
      'compat:\n  defaultToolChoice: none\n  usageInStream: false\n',
    );
    const body = await bodyWith(
      { VLLM_TOOL_CHOICE: 'required', OPEN_AGENT_COMPAT_DEFAULT_TOOL_CHOICE: 'auto' },
      ['--cwd', dir],
    );
    expect(body.tool_choice).toBe('auto');
    expect(body).not.toHaveProperty('stream_options');
    const fromFile = await (async () => {
      await server?.close();
      return bodyWith({}, ['--cwd', dir as string]);
    })();
    expect(fromFile.tool_choice).toBe('none');
  });

  it('OPEN_AGENT__COMPAT__FLAG works like OPEN_AGENT_COMPAT_FLAG', async () => {
    const body = await bodyWith({ OPEN_AGENT__COMPAT__MAX_TOKENS_FIELD: 'max_completion_tokens' }, [
      '--max-tokens',
      '9',
    ]);
    expect(body.max_completion_tokens).toBe(9);
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('a bad value exits 2 before anything is sent, naming the variable', async () => {
    server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
    const result = await runCli(['run', 'Hi', '--base-url', server.baseUrl, '--model', 'm'], {
      env: { VLLM_TOOL_CHOICE: 'whatever' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: VLLM_TOOL_CHOICE must be one of unset, auto, none, required, got "whatever"\n',
    );
    expect(server.requests).toHaveLength(0);
  });
});
