import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { runCli } from '../cli/cli.js';
import { GENERIC, imitate, OLLAMA, type Routes } from './fake-servers.js';

let servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(routes: Routes, chat?: Parameters<typeof imitate>[1]): Promise<FixtureServer> {
  const server = await startFixtureServer({ responses: imitate(routes, chat) });
  servers.push(server);
  return server;
}

/** A server whose routes answer as given (status, raw body), else 404. */
async function raw(routes: Record<string, { status: number; body: string }>): Promise<FixtureServer> {
  const server = await startFixtureServer({
    responses: (request: RecordedRequest) => {
      const route = routes[`${request.method} ${request.path.split('?')[0]}`];
      return route
        ? { status: route.status, contentType: 'application/json', body: route.body }
        : { status: 404, contentType: 'application/json', body: '{"error":"not found"}' };
    },
  });
  servers.push(server);
  return server;
}

const origin = (s: FixtureServer): string => new URL(s.url).origin;
const run = (baseUrl: string, ...extra: string[]) =>
  runCli(['run', '--base-url', baseUrl, '--model', 'some-model', '--no-tools', ...extra, 'hi']);

describe('after a 404, the base URL the server answers at', () => {
  it('a base URL without /v1: hint to add it', async () => {
    const s = await fake(GENERIC);
    const result = await run(origin(s));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: HTTP 404 from /);
    expect(result.stderr).toContain(
      `\nhint: the server answers at ${origin(s)}/v1; try --base-url ${origin(s)}/v1\n`,
    );
  });

  it('a base URL one segment too deep: hint with the parent', async () => {
    const s = await fake(GENERIC);
    const result = await run(`${origin(s)}/v1/api`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `\nhint: the server answers at ${origin(s)}/v1; try --base-url ${origin(s)}/v1\n`,
    );
  });

  it('no hint when nothing answers a model list', async () => {
    const s = await raw({});
    const result = await run(`${origin(s)}/v1`);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('hint:');
  });
});

describe('a pasted endpoint URL is trimmed with a warning', () => {
  it.each(['/v1/chat/completions', '/v1/chat/completions/', '/v1/responses', '/v1/messages'])(
    '%s',
    async (suffix) => {
      const s = await fake(GENERIC);
      const result = await run(`${origin(s)}${suffix}`, '--api', 'openai-chat');
      expect(result.stderr).toBe(
        `warning: the base URL ends with the endpoint path ${suffix.replace(/^\/v1|\/$/g, '')}; using ${origin(s)}/v1 (the base URL stops before it, e.g. http://localhost:11434/v1)\n`,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('pong\n');
      expect(s.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
    },
  );

  it('doctor trims it too', async () => {
    const s = await fake(GENERIC);
    const result = await runCli(['doctor', '--base-url', `${origin(s)}/v1/chat/completions`]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: the base URL ends with the endpoint path /chat/completions');
    expect(result.stdout).toContain(`at ${origin(s)}/v1\n`);
  });
});

describe('doctor and models never report success when the model list fails', () => {
  const broken = (models: { status: number; body: string }) => {
    const routes: Record<string, { status: number; body: string }> = {
      'GET /api/version': { status: 200, body: '{"version":"0.12.3"}' },
      'GET /api/ps': { status: 200, body: '{"models":[]}' },
      'GET /v1/models': models,
    };
    return raw(routes);
  };

  it.each([
    ['HTTP 500', { status: 500, body: '{"error":"boom"}' }],
    ['the answer is not JSON', { status: 200, body: '<html>proxy</html>' }],
    ['the answer has no "data" list of models', { status: 200, body: '{"models":[]}' }],
  ])('%s', async (reason, models) => {
    const s = await broken(models);
    const base = `${origin(s)}/v1`;
    const expected = `error: GET ${base}/models did not give a model list (${reason}): the server at ${base} cannot list its models; check the base URL (it usually ends with /v1) and the server's log\n`;
    for (const command of ['doctor', 'models']) {
      const result = await runCli([command, '--base-url', base]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(expected);
    }
  });

  it('a working Ollama still passes', async () => {
    const s = await fake(OLLAMA);
    expect((await runCli(['doctor', '--base-url', `${origin(s)}/v1`])).code).toBe(0);
  });
});

describe('connection failures in plain words', () => {
  it('https:// to a plain-HTTP server: use http://', async () => {
    const s = await fake(GENERIC);
    const host = new URL(s.url).host;
    const result = await run(`https://${host}/v1`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: Could not connect to ${host} (EPROTO) for https://${host}/v1/chat/completions. The server at ${host} does not speak TLS (https): it looks like a plain-HTTP server. Use http://${host} instead of https://${host} in the base URL (local model servers are plain HTTP).\n`,
    );
  });

  it('a host name that does not resolve (.invalid never does): DNS, not the server', async () => {
    const result = await run('http://no-such-model-server.invalid:8080/v1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: Could not connect to no-such-model-server\.invalid:8080 \((ENOTFOUND|EAI_AGAIN)[^)]*\) for http:\/\/no-such-model-server\.invalid:8080\/v1\/chat\/completions\. The host name no-such-model-server\.invalid does not resolve( \(the DNS lookup failed; maybe no network or no DNS server\))?: check its spelling, or use an IP address \(127\.0\.0\.1 for this machine\)\.\n$/,
    );
  });
});

describe('API keys', () => {
  it.each([
    ['anthropic', 'ANTHROPIC_API_KEY', 'https://api.anthropic.com/v1'],
    ['openai', 'OPENAI_API_KEY', 'https://api.openai.com/v1'],
    ['groq', 'GROQ_API_KEY', 'https://api.groq.com/openai/v1'],
  ])('the %s preset without its key stops before sending and names %s', async (preset, variable, base) => {
    const result = await runCli(['run', '--provider', preset, '--model', 'm', '--no-tools', 'hi']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: ${base} (the ${preset} preset) needs an API key and none was given: set ${variable} or pass --api-key (nothing was sent)\n`,
    );
  });

  const refusing = () =>
    fake(GENERIC, () => ({
      status: 401,
      contentType: 'application/json',
      body: '{"error":{"message":"Invalid API key"}}',
    }));

  it('a 401 without a key says none was sent and which variable would supply it', async () => {
    const s = await refusing();
    const base = `${origin(s)}/v1`;
    const result = await run(base);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `\nhint: no API key was sent: pass --api-key (or --api-key-file), or set OPENAI_API_KEY together with OPENAI_BASE_URL=${base} (OPENAI_API_KEY only goes to the origin of OPENAI_BASE_URL)\n`,
    );
  });

  it('a 401 with a key from --api-key or OPENAI_API_KEY says it was sent and refused', async () => {
    const s = await refusing();
    const base = `${origin(s)}/v1`;
    const flag = await run(base, '--api-key', 'sk-test-123');
    expect(flag.stderr).toContain(
      `\nhint: an API key was sent (from --api-key) and ${origin(s)} refused it: check that the key is valid for this server and not expired\n`,
    );
    expect(flag.stderr).not.toContain('sk-test-123');
    const env = await runCli(['run', '--model', 'some-model', '--no-tools', 'hi'], {
      env: { OPENAI_BASE_URL: base, OPENAI_API_KEY: 'sk-env-456' },
    });
    expect(env.stderr).toContain(
      `\nhint: an API key was sent (from OPENAI_API_KEY) and ${origin(s)} refused it:`,
    );
    expect(env.stderr).not.toContain('sk-env-456');
  });
});
