import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  type Context,
  countTokens,
  estimateTokens,
  type Model,
  TimeoutError,
} from '../../src/index.js';

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  json: Record<string, unknown>;
}
type Reply = (seen: Seen, res: ServerResponse) => void;

let servers: { server: Server; sockets: Set<Socket> }[] = [];
afterEach(async () => {
  for (const { server, sockets } of servers) {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  servers = [];
});

/** A loopback server answering by path with the exact bytes a real server sends. */
async function serve(
  routes: Record<string, Reply>,
): Promise<{ baseUrl: string; seen: Seen[]; sockets: Set<Socket> }> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const entry = {
        path: req.url ?? '',
        headers: req.headers,
        json: body ? (JSON.parse(body) as Record<string, unknown>) : {},
      };
      seen.push(entry);
      const route = routes[entry.path];
      if (route) route(entry, res);
      else {
        // Ollama / Go net/http for an unknown route
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('404 page not found');
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ server, sockets });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen, sockets };
}

const vllmTokenize: Reply = (seen, res) => {
  // FastAPI JSONResponse(content=TokenizeResponse.model_dump()): compact JSON, application/json.
  const body = `{"count":57,"max_model_len":8192,"tokens":[${Array.from({ length: 57 }, (_, i) => i + 100).join(',')}],"token_strs":null}`;
  res.writeHead(200, {
    'content-type': 'application/json',
    server: 'uvicorn',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  void seen;
};
const LLAMA_JSON = { 'Content-Type': 'application/json; charset=utf-8', Server: 'llama.cpp' };
const llamaTemplate: Reply = (_seen, res) => {
  res.writeHead(200, LLAMA_JSON);
  res.end(
    '{"prompt":"<|im_start|>system\\nBe brief.<|im_end|>\\n<|im_start|>user\\nHello there<|im_end|>\\n<|im_start|>assistant\\n"}',
  );
};
const llamaTokenize: Reply = (_seen, res) => {
  res.writeHead(200, LLAMA_JSON);
  res.end(
    '{"tokens":[151644,8948,198,3430,9814,13,151645,198,151644,872,198,9707,1052,151645,198,151644,77091,198]}',
  );
};

const context: Context = {
  systemPrompt: 'Be brief.',
  messages: [{ role: 'user', content: 'Hello there' }],
  tools: [
    {
      name: 'lookup',
      description: 'Look a word up.',
      parameters: { type: 'object', properties: { word: { type: 'string' } } },
    },
  ],
};
const model = (baseUrl: string, provider: string): Model => ({
  id: 'qwen3-8b',
  api: 'openai-chat',
  provider,
  baseUrl,
});

describe('countTokens', () => {
  it('asks vLLM POST /tokenize with the chat messages and tools, and returns its count and window', async () => {
    const server = await serve({ '/tokenize': vllmTokenize });
    const result = await countTokens(model(server.baseUrl, 'vllm'), context, { apiKey: 'sk-vllm-secret' });
    expect(result).toMatchObject({ tokens: 57, exact: true, source: 'vllm', window: 8192 });
    expect(server.seen).toHaveLength(1);
    const sent = server.seen[0]!;
    expect(sent.path).toBe('/tokenize');
    expect(sent.headers.authorization).toBe('Bearer sk-vllm-secret');
    expect(sent.json).toMatchObject({
      model: 'qwen3-8b',
      add_generation_prompt: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup' } }],
    });
    expect(result.estimate.total).toBe(estimateTokens(context, 'qwen3-8b').total);
  });

  it('applies the chat template on llama.cpp, then tokenizes the prompt with special tokens', async () => {
    const server = await serve({ '/apply-template': llamaTemplate, '/tokenize': llamaTokenize });
    const result = await countTokens(model(server.baseUrl, 'llamacpp'), context);
    expect(result).toMatchObject({ tokens: 18, exact: true, source: 'llamacpp' });
    expect(result.window).toBeUndefined();
    expect(server.seen.map((s) => s.path)).toEqual(['/apply-template', '/tokenize']);
    expect(server.seen[0]!.json).toMatchObject({
      messages: [{ role: 'system' }, { role: 'user' }],
      tools: [{ type: 'function' }],
    });
    expect(server.seen[1]!.json).toEqual({
      content:
        '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n',
      add_special: true,
      parse_special: true,
    });
  });

  it('adds the images from the estimate on llama.cpp (its template holds only a media marker)', async () => {
    const server = await serve({ '/apply-template': llamaTemplate, '/tokenize': llamaTokenize });
    const PNG = 'iVBORw0KGgoAAAANSUhEUgAABAAAAAMACAIAAAA12IJa'; // 1024×768 header
    const withImage: Context = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', data: PNG, mimeType: 'image/png' },
          ],
        },
      ],
    };
    const result = await countTokens(model(server.baseUrl, 'llamacpp'), withImage);
    expect(result).toMatchObject({ exact: true, imagesEstimated: true, tokens: 18 + result.estimate.images });
    expect(result.estimate.images).toBe(765);
  });

  it('falls back to the estimate on 404 and 405, says so, and the next call still works', async () => {
    const none = await serve({});
    const est = await countTokens(model(none.baseUrl, 'vllm'), context);
    expect(est).toMatchObject({ exact: false, source: 'estimate', tokens: est.estimate.total });
    expect(est.fallbackReason).toMatch(/HTTP 404/);
    const notAllowed = await serve({
      '/tokenize': (_s, res) => {
        res.writeHead(405, { 'content-type': 'application/json' });
        res.end('{"detail":"Method Not Allowed"}');
      },
    });
    expect((await countTokens(model(notAllowed.baseUrl, 'vllm'), context)).fallbackReason).toMatch(
      /HTTP 405/,
    );
    const good = await serve({ '/tokenize': vllmTokenize });
    expect((await countTokens(model(good.baseUrl, 'vllm'), context)).exact).toBe(true);
  });

  it('only estimates for servers without a known tokenizer endpoint (no request is made)', async () => {
    const server = await serve({ '/tokenize': vllmTokenize });
    const result = await countTokens(model(server.baseUrl, 'ollama'), context);
    expect(result).toMatchObject({ exact: false, source: 'estimate' });
    expect(result.fallbackReason).toMatch(/ollama/);
    expect(server.seen).toHaveLength(0);
  });

  it('throws a typed ApiError for a server error, without the key in the message', async () => {
    const server = await serve({
      '/tokenize': (_s, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          '{"error":{"message":"tokenizer crashed","type":"InternalServerError","param":null,"code":500}}',
        );
      },
    });
    const error = await countTokens(model(server.baseUrl, 'vllm'), context, {
      apiKey: 'sk-hidden-1234',
    }).catch((e: unknown) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect((error as ApiError).status).toBe(500);
    expect((error as ApiError).message).toMatch(/tokenizer crashed/);
    expect(JSON.stringify(error)).not.toContain('sk-hidden-1234');
  });

  it('aborts with the signal: AbortError, the connection is closed, no timer is left', async () => {
    const server = await serve({ '/tokenize': () => {} }); // never answers
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const controller = new AbortController();
    const pending = countTokens(model(server.baseUrl, 'vllm'), context, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    for (let i = 0; i < 50 && server.sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.sockets.size).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(
      timersBefore,
    );
  });

  it('ends with a TimeoutError when the server does not answer within timeoutMs', async () => {
    const server = await serve({ '/tokenize': () => {} });
    const error = await countTokens(model(server.baseUrl, 'vllm'), context, { timeoutMs: 80 }).catch(
      (e: unknown) => e,
    );
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).timeoutMs).toBe(80);
  });

  it('falls back when the answer has another shape', async () => {
    const server = await serve({
      '/tokenize': (_s, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    });
    const result = await countTokens(model(server.baseUrl, 'vllm'), context);
    expect(result.exact).toBe(false);
    expect(result.fallbackReason).toMatch(/count/);
  });
});
