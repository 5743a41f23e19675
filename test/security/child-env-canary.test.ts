/**
 * Canary: the API key in the parent's environment never reaches a process started by a tool. The
 * `run_command` built-in (src/tools/builtin, with its environment allow-list) runs a probe that spawns the
 * real @modelcontextprotocol/server-everything over stdio with everything it inherited and calls its
 * `get-env` tool. Control: allowing the variable explicitly makes the canary appear, so the probe can see
 * a leak when there is one.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommandTool } from '../../src/node/index.js';
import { CANARY } from '../faults/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = 'test/security/fixtures/get-env-client.mjs';
const saved = { key: process.env.OPENAI_API_KEY, canary: process.env.OPEN_AGENT_CANARY };

afterEach(() => {
  if (saved.key === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = saved.key;
  if (saved.canary === undefined) delete process.env.OPEN_AGENT_CANARY;
  else process.env.OPEN_AGENT_CANARY = saved.canary;
});

async function getEnvThroughRunCommand(allowEnv: string[]): Promise<string> {
  process.env.OPENAI_API_KEY = CANARY;
  process.env.OPEN_AGENT_CANARY = CANARY;
  const runCommand = runCommandTool({ root: ROOT, allowEnv, timeoutMs: 30_000 });
  const output = await runCommand.execute({
    args: { command: process.execPath, args: [PROBE] },
    signal: new AbortController().signal,
    toolCallId: 'call_env',
    idempotencyKey: 'call_env',
    context: undefined,
    update: () => {},
  });
  const text =
    typeof output === 'object' && output !== null && 'content' in output
      ? JSON.stringify(output.content)
      : String(output);
  expect(text).toContain('PATH'); // the probe reached get-env and printed an environment
  return text;
}

describe('child processes of tools do not get the API key', () => {
  it('run_command → node → server-everything get-env: no canary', async () => {
    const text = await getEnvThroughRunCommand([]);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('OPENAI_API_KEY');
  }, 30_000);

  it('control: explicitly allowed, the canary is visible (the probe detects leaks)', async () => {
    const text = await getEnvThroughRunCommand(['OPEN_AGENT_CANARY']);
    expect(text).toContain(CANARY);
  }, 30_000);
});
