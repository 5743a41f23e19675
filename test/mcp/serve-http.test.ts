import { request } from 'node:http';
import { createServer } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentMcpServer, McpError, type McpHttpServer, servedAgent } from '../../src/mcp/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { scriptedModel } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function serve(
  answer = ['The answer ', 'is 42.'],
): Promise<{ http: McpHttpServer; model: FixtureServer }> {
  const model = await startFixtureServer({
    responses: scriptedModel([textStream(answer), textStream(answer)]),
  });
  cleanup.push(() => model.close());
  const agent = servedAgent(
    'helper',
    { model: loopbackModel(model.baseUrl), systemPrompt: 'Be brief.' },
    { description: 'A helpful agent.' },
  );
  const http = await createAgentMcpServer({ agents: [agent] }).listen({ port: 0 });
  cleanup.push(() => http.close());
  return { http, model };
}

function raw(url: string, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('createAgentMcpServer over Streamable HTTP (official SDK client)', () => {
  it('lists the agent tool and calls it: text, structuredContent and progress', async () => {
    const { http, model } = await serve();
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: 'test', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { authorization: `Bearer ${http.token}` } },
    });
    await client.connect(transport);
    cleanup.push(() => client.close());
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['helper']);
    expect(tools[0]?.inputSchema).toMatchObject({
      properties: { input: { type: 'string' } },
      required: ['input'],
    });
    const progress: unknown[] = [];
    const result = await client.callTool(
      { name: 'helper', arguments: { input: 'What is the answer?' } },
      { onprogress: (p) => progress.push(p) },
    );
    expect(result.content).toEqual([{ type: 'text', text: 'The answer is 42.' }]);
    expect(result.structuredContent).toMatchObject({
      text: 'The answer is 42.',
      stopReason: 'stop',
      turns: 1,
    });
    expect(result.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    const sent = model.requests[0]?.json as { messages: { role: string; content: unknown }[] };
    expect(sent.messages.at(-1)).toMatchObject({ role: 'user', content: 'What is the answer?' });
  });

  it('refuses a foreign Host or Origin (403), a missing or wrong token (401), another path (404)', async () => {
    const { http } = await serve();
    const auth = { authorization: `Bearer ${http.token}` };
    const port = http.port;
    expect(await raw(http.url, { ...auth, host: 'evil.example' })).toBe(403);
    expect(await raw(http.url, { ...auth, origin: 'https://evil.example' })).toBe(403);
    expect(await raw(http.url, {})).toBe(401);
    expect(await raw(http.url, { authorization: 'Bearer wrong' })).toBe(401);
    expect(await raw(`http://127.0.0.1:${port}/other`, auth)).toBe(404);
    expect(await raw(http.url, { ...auth, origin: `http://localhost:${port}` })).toBe(200);
  });

  it('EADDRINUSE names the local servers that default to 8080', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => {
      blocker.once('error', () => resolve()); // something else already holds 8080: same outcome
      blocker.listen(8080, '127.0.0.1', () => resolve());
    });
    cleanup.push(
      () => new Promise<void>((resolve) => (blocker.listening ? blocker.close(() => resolve()) : resolve())),
    );
    const agent = servedAgent('a', { model: loopbackModel('http://127.0.0.1:1/v1') });
    const error = await createAgentMcpServer({ agents: [agent] })
      .listen({})
      .catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as McpError).code).toBe('EADDRINUSE');
    expect((error as Error).message).toMatch(/whisper-server.*LocalAI.*llama\.cpp.*Restate.*--port/);
  });

  it('rejects a non-loopback host', async () => {
    const agent = servedAgent('a', { model: loopbackModel('http://127.0.0.1:1/v1') });
    await expect(
      createAgentMcpServer({ agents: [agent] }).listen({ host: '0.0.0.0' as '127.0.0.1', port: 0 }),
    ).rejects.toThrow(/loopback only/);
  });
});
