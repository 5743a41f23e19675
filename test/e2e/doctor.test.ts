import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { parseDocument, runCli } from '../cli/cli.js';
import { closedPort } from '../helpers/ports.js';
import {
  GENERIC,
  imitate,
  LLAMACPP,
  LLAMACPP_NO_JINJA,
  LMSTUDIO,
  OLLAMA,
  type Routes,
  VLLM,
} from './fake-servers.js';

let servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(routes: Routes): Promise<FixtureServer> {
  const server = await startFixtureServer({ responses: imitate(routes) });
  servers.push(server);
  return server;
}

function portOf(server: FixtureServer): string {
  return new URL(server.url).port;
}

async function doctorJson(server: FixtureServer, ...extra: string[]): Promise<Record<string, unknown>> {
  const result = await runCli(['doctor', '--base-url', server.baseUrl, '--output', 'json', ...extra]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('open-agent doctor identifies each server', () => {
  it('Ollama: version, models, capabilities, and a warning for the small default context', async () => {
    const s = await fake(OLLAMA);
    const profile = await doctorJson(s);
    expect(profile).toMatchObject({
      schemaVersion: 1,
      server: 'ollama',
      provider: 'ollama',
      version: '0.12.3',
      model: 'qwen3:8b',
      contextWindow: 4096,
      tools: true,
      vision: false,
      reasoning: true,
      compat: { reasoningField: 'reasoning', parallelToolCalls: false },
    });
    expect((profile.models as unknown[])[0]).toMatchObject({
      id: 'qwen3:8b',
      contextWindow: 4096,
      maxContextWindow: 40960,
    });
    expect(profile.warnings).toEqual([
      expect.stringMatching(/context of 4096 tokens.*OLLAMA_CONTEXT_LENGTH=32768/),
    ]);
    const show = s.requests.find((r) => r.path === '/api/show');
    expect(show?.json).toEqual({ model: 'qwen3:8b' });
  });

  it('Ollama: the text report is readable', async () => {
    const s = await fake(OLLAMA);
    const result = await runCli(['doctor', '--base-url', s.baseUrl, '--model', 'qwen3:8b']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Server     Ollama 0.12.3 at ${s.baseUrl}`);
    expect(result.stdout).toContain('Context    4,096 tokens (the model supports 40,960)');
    expect(result.stdout).toContain('Tools      yes');
    expect(result.stdout).toMatch(/warning: Ollama will run qwen3:8b with a context of 4096 tokens/);
  });

  it('llama.cpp: n_ctx, template capabilities and build', async () => {
    const profile = await doctorJson(await fake(LLAMACPP));
    expect(profile).toMatchObject({
      server: 'llamacpp',
      provider: 'llamacpp',
      version: 'b6500-1a2b3c',
      model: 'gpt-oss-20b',
      contextWindow: 32768,
      tools: true,
      vision: false,
      reasoning: true,
      warnings: [],
    });
    expect(profile.chatTemplate).toEqual({ hints: ['the chat template emits <think> reasoning'] });
  });

  it('llama.cpp without --jinja: warns that the template has no tools', async () => {
    const profile = await doctorJson(await fake(LLAMACPP_NO_JINJA));
    expect(profile).toMatchObject({ server: 'llamacpp', tools: false, contextWindow: 4096 });
    expect(profile.warnings).toEqual([expect.stringMatching(/--jinja/)]);
  });

  it('vLLM: version and max_model_len', async () => {
    const profile = await doctorJson(await fake(VLLM));
    expect(profile).toMatchObject({
      server: 'vllm',
      provider: 'vllm',
      version: '0.10.1',
      model: 'Qwen/Qwen3-8B',
      contextWindow: 32768,
    });
  });

  it('LM Studio: loaded model, loaded context, vision models, no embeddings', async () => {
    const profile = await doctorJson(await fake(LMSTUDIO));
    expect(profile).toMatchObject({
      server: 'lmstudio',
      model: 'qwen/qwen3-8b',
      contextWindow: 8192,
      tools: true,
      vision: false,
    });
    expect((profile.models as { id: string }[]).map((m) => m.id)).toEqual([
      'qwen/qwen3-8b',
      'google/gemma-3-4b',
    ]);
    expect((profile.models as unknown[])[1]).toMatchObject({
      vision: true,
      loaded: false,
      contextWindow: 131072,
    });
  });

  it('any other server: plain /v1/models', async () => {
    const profile = await doctorJson(await fake(GENERIC));
    expect(profile).toMatchObject({
      server: 'openai-compatible',
      provider: 'custom',
      model: 'some-model',
      warnings: [],
    });
  });

  it('a named server that does not answer: exit 1 with the reason', async () => {
    const result = await runCli(['doctor', '--base-url', `http://127.0.0.1:${await closedPort()}/v1`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: No model server answered at http:\/\/127\.0\.0\.1:\d+\/v1/);
  });
});

describe('probing the local ports (OPEN_AGENT_PROBE_PORTS stands in for 11434, 1234, 8080, 8000)', () => {
  it('doctor without a server probes the ports and reports the first that answers', async () => {
    const closed = await closedPort();
    const lm = await fake(LMSTUDIO);
    const vllm = await fake(VLLM);
    const result = await runCli(['doctor'], {
      env: { OPEN_AGENT_PROBE_PORTS: `${closed},${portOf(lm)},${portOf(vllm)}` },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Server     LM Studio at http://127.0.0.1:${portOf(lm)}/v1`);
    expect(result.stdout).toContain(`Also found http://127.0.0.1:${portOf(vllm)}/v1`);
  });

  it('doctor with nothing running says how to start a server', async () => {
    const result = await runCli(['doctor'], { env: { OPEN_AGENT_PROBE_PORTS: String(await closedPort()) } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^No model server found on 127\.0\.0\.1 ports \d+\.\nStart one:\n {2}Ollama {6}ollama serve/,
    );
  });

  it('run without a server uses the one found and says so on stderr', async () => {
    const ollama = await fake(OLLAMA);
    const result = await runCli(['run', 'ping', '--no-tools', '--output', 'json'], {
      env: { OPEN_AGENT_PROBE_PORTS: portOf(ollama) },
    });
    expect(result.code).toBe(0);
    expect(parseDocument(result.stdout).text).toBe('pong');
    expect(result.stderr).toContain(
      `open-agent: no server given; found Ollama 0.12.3 at http://127.0.0.1:${portOf(ollama)}/v1, using model qwen3:8b`,
    );
    // doctor names the same server the same way (one naming function).
    const doctor = await runCli(['doctor'], { env: { OPEN_AGENT_PROBE_PORTS: portOf(ollama) } });
    expect(doctor.stdout).toContain(`Server     Ollama 0.12.3 at http://127.0.0.1:${portOf(ollama)}/v1\n`);
    expect(result.stderr).toMatch(/warning: Ollama will run qwen3:8b with a context of 4096 tokens/);
    const chat = ollama.requests.find((r) => r.path === '/v1/chat/completions');
    expect((chat?.json as { model?: string } | undefined)?.model).toBe('qwen3:8b');
  });

  it('run with nothing found: exit 2, one line naming the ports, a start command and --base-url', async () => {
    const result = await runCli(['run', 'ping', '--model', 'm'], {
      env: { OPEN_AGENT_PROBE_PORTS: String(await closedPort()) },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: no server given and none found on 127\.0\.0\.1 ports \d+: start one \(e\.g\. `ollama serve`.*--base-url URL or set OPENAI_BASE_URL.*\n$/,
    );
  });

  it('models lists the models of the server', async () => {
    const s = await fake(LMSTUDIO);
    const text = await runCli(['models', '--base-url', s.baseUrl]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      'qwen/qwen3-8b  (loaded, context 8,192, tools)\ngoogle/gemma-3-4b  (context 131,072, vision)\n',
    );
    const json = await runCli(['models', '--base-url', s.baseUrl, '--output', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      server: 'lmstudio',
      models: [{ id: 'qwen/qwen3-8b' }, { id: 'google/gemma-3-4b' }],
    });
  });
});
