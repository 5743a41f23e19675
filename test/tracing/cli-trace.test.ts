import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { runCli } from '../cli/cli.js';
import { textStream } from '../helpers/sse.js';

const CANARY = 'sk-canary-cli-0d1e2f3a4b5c6d7e';

let model: FixtureServer | undefined;
let receiver: Server | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await model?.close();
  model = undefined;
  if (receiver) await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  receiver = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function flags(baseUrl: string): string[] {
  return ['--base-url', baseUrl, '--model', 'test-model', '--api-key', CANARY, '--no-tools'];
}

/** A loopback OTLP/HTTP receiver: records each request's path, content type and body. */
async function startReceiver(): Promise<{
  url: string;
  requests: { path: string; type: string; body: string }[];
}> {
  const requests: { path: string; type: string; body: string }[] = [];
  receiver = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({ path: req.url ?? '', type: String(req.headers['content-type']), body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests };
}

describe('open-agent run --trace and OTLP export', () => {
  it('--trace FILE writes one JSON span per line, parented, without the key', async () => {
    model = await startFixtureServer({ responses: [{ body: textStream(['Hello.']) }] });
    const dir = mkdtempSync(join(tmpdir(), 'oa-trace-'));
    dirs.push(dir);
    const file = join(dir, 'trace.jsonl');
    const result = await runCli(['run', 'Hi', ...flags(model.baseUrl), '--trace', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(CANARY);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.name).sort()).toEqual(['chat test-model', 'invoke_agent agent']);
    const root = lines.find((l) => l.name === 'invoke_agent agent');
    const chat = lines.find((l) => l.name === 'chat test-model');
    expect(root).toMatchObject({ v: 1, kind: 'INTERNAL', status: { code: 'UNSET' } });
    expect(root.parentSpanId).toBeUndefined();
    expect(chat).toMatchObject({ v: 1, kind: 'CLIENT', traceId: root.traceId, parentSpanId: root.spanId });
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'test-model',
      'server.address': '127.0.0.1',
      'gen_ai.usage.output_tokens': 1,
    });
    expect(chat.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('exports over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    model = await startFixtureServer({ responses: [{ body: textStream(['Hello.']) }] });
    const otlp = await startReceiver();
    const result = await runCli(['run', 'Hi', ...flags(model.baseUrl)], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_SERVICE_NAME: 'oa-test' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(otlp.requests.length).toBeGreaterThan(0);
    const request = otlp.requests[0];
    expect(request?.path).toBe('/v1/traces');
    expect(request?.type).toContain('application/json');
    const all = otlp.requests.map((r) => r.body).join('\n');
    expect(all).toContain('"oa-test"'); // service.name from OTEL_SERVICE_NAME
    expect(all).not.toContain(CANARY);
    const payload = JSON.parse(request?.body ?? '{}') as {
      resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
    };
    const names = payload.resourceSpans.flatMap((r) =>
      r.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.name)),
    );
    expect(names.sort()).toEqual(['chat test-model', 'invoke_agent agent']);
  });
});
