import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { runCli, textAnswer } from './cli.js';

const CANARY = 'sk-canary-verbose-0123456789';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(extra: string[], env: Record<string, string> = {}) {
  server = await startFixtureServer({ responses: () => ({ body: textAnswer(['ok']) }) });
  const args = ['run', 'Hi', '--base-url', server.baseUrl, '--model', 'm', '--no-tools', '--api-key', CANARY];
  const result = await runCli([...args, ...extra], { env });
  expect(result.code).toBe(0);
  expect(result.stdout).toBe('ok\n');
  expect(result.stdout + result.stderr).not.toContain(CANARY);
  return { result, bytes: server.requests[0]?.body.length ?? -1 };
}

describe('--verbose', () => {
  it('prints the settings with their sources, the request size and the timings on stderr', async () => {
    const { result, bytes } = await run(['--verbose']);
    const lines = result.stderr.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^open-agent:config model\s+m\s+\(flag\)$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^open-agent:config apiKey\s+set \(from --api-key\)\s+\(flag\)$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^open-agent:config maxRetries\s+0\s+\(env:OPEN_AGENT_MAX_RETRIES\)$/),
    );
    expect(lines).toContain(`open-agent:http POST ${server?.baseUrl}/chat/completions ${bytes} bytes`);
    expect(lines).toContainEqual(
      expect.stringMatching(/^open-agent:http 200 \S+\/chat\/completions first byte after \d+ ms$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^open-agent:http first chunk after \d+ ms$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^open-agent:http done after \d+ ms, \d+ bytes received$/),
    );
  });

  it('reports retries', async () => {
    server = await startFixtureServer({
      responses: [
        { status: 503, contentType: 'application/json', body: '{"error":"busy"}' },
        { body: textAnswer(['ok']) },
      ],
    });
    const result = await runCli(
      ['run', 'Hi', '--base-url', server.baseUrl, '--model', 'm', '--no-tools', '--verbose'],
      {
        env: { OPEN_AGENT_MAX_RETRIES: '1' },
      },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^open-agent:retry attempt 2 in \d+ ms: .*503/m);
  });

  it('-v stays --version', async () => {
    const result = await runCli(['-v']);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('DEBUG=open-agent*', () => {
  it('DEBUG=open-agent:http writes only that namespace; without DEBUG nothing is written', async () => {
    const quiet = await run([]);
    expect(quiet.result.stderr).toBe('');
    const { result } = await run([], { DEBUG: 'open-agent:http' });
    const namespaces = new Set(
      result.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]),
    );
    expect([...namespaces]).toEqual(['open-agent:http']);
  });

  it('DEBUG=open-agent* includes the redacted payload; -open-agent:payload leaves it out', async () => {
    const all = await run(['--system', 'Be brief.'], { DEBUG: 'open-agent*' });
    const payload = all.result.stderr.split('\n').find((l) => l.startsWith('open-agent:payload '));
    expect(JSON.parse(payload?.slice('open-agent:payload '.length) ?? '')).toMatchObject({
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    const some = await run([], { DEBUG: 'open-agent*,-open-agent:payload' });
    expect(some.result.stderr).toContain('open-agent:http ');
    expect(some.result.stderr).not.toContain('open-agent:payload');
  });

  it('VLLM_DEBUG_PAYLOAD=1 prints the redacted request body', async () => {
    const { result } = await run([], { VLLM_DEBUG_PAYLOAD: '1' });
    expect(result.stderr).toMatch(/^open-agent:payload \{"model":"m","messages":\[/);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
