/**
 * Proxies from the environment on both Node transports (the SDK's `node:http` one and `createNodeFetch`):
 * a loopback proxy that handles absolute-URI requests and CONNECT sees the request for a host that only
 * it can reach (`model.test`, which it connects to 127.0.0.1), and sees nothing for `NO_PROXY` hosts and
 * loopback hosts.
 */
import { readFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { send } from '../../src/http/send.js';
import { ConnectionError, stream } from '../../src/index.js';
import { createNodeFetch } from '../../src/node/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, sseBody } from '../helpers/sse.js';

const TLS = new URL('../fixtures/tls/', import.meta.url);
const PROXY_VARS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NODE_TLS_REJECT_UNAUTHORIZED',
];
const PASSWORD = 'pr0xy-S3CRET-pass';

let saved: Record<string, string | undefined> = {};
const closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARS) delete process.env[name];
});
afterEach(async () => {
  for (const name of PROXY_VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await Promise.all(closers.splice(0).map((close) => close()));
});

function answer(_req: IncomingMessage, res: ServerResponse): void {
  _req.resume();
  _req.once('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(sseBody([chunk({ role: 'assistant', content: 'via' }), chunk({}, 'stop')]));
  });
}

async function listen(server: Server): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

/** A forward proxy: absolute-URI requests and CONNECT, always to 127.0.0.1 (so `model.test` resolves here only). */
async function startProxy() {
  const seen: string[] = [];
  const auth: (string | undefined)[] = [];
  const proxy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    auth.push(req.headers['proxy-authorization']);
    const target = new URL(req.url as string);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    auth.push(req.headers['proxy-authorization']);
    const port = Number((req.url as string).split(':').pop());
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listen(proxy);
  return { seen, auth, url: `http://127.0.0.1:${port}`, port };
}

const context = { messages: [{ role: 'user' as const, content: 'hi', timestamp: 0 }] };
// http-proxy-agent sends an absolute-URI request; undici's ProxyAgent tunnels http:// through CONNECT too.
const TRANSPORTS = [
  {
    name: 'node:http transport',
    options: () => ({}),
    httpVia: (port: number) => `POST http://model.test:${port}/v1/chat/completions`,
  },
  {
    name: 'createNodeFetch (undici)',
    options: () => ({ fetch: createNodeFetch() }),
    httpVia: (port: number) => `CONNECT model.test:${port}`,
  },
];

describe.each(TRANSPORTS)('proxies from the environment: $name', ({ options, httpVia }) => {
  it('HTTP_PROXY: an http:// model host goes through the proxy, with its credentials', async () => {
    const port = await listen(createServer(answer));
    const proxy = await startProxy();
    process.env.HTTP_PROXY = `http://agent:${PASSWORD}@127.0.0.1:${proxy.port}`;
    const model = loopbackModel(`http://model.test:${port}/v1`);
    const message = await stream(model, context, options()).result();
    expect(message.stopReason).toBe('stop');
    expect(message.content).toEqual([{ type: 'text', text: 'via' }]);
    expect(proxy.seen).toEqual([httpVia(port)]);
    expect(proxy.auth).toEqual([`Basic ${Buffer.from(`agent:${PASSWORD}`).toString('base64')}`]);
  });

  it('HTTPS_PROXY: an https:// model host goes through a CONNECT tunnel', async () => {
    const tls = createTlsServer(
      {
        key: readFileSync(new URL('model.test.key', TLS)),
        cert: readFileSync(new URL('model.test.crt', TLS)),
      },
      answer,
    );
    const port = await listen(tls);
    const proxy = await startProxy();
    process.env.https_proxy = proxy.url;
    // The fixture certificate is self-signed.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const model = loopbackModel(`https://model.test:${port}/v1`);
    const message = await stream(model, context, options()).result();
    expect(message.errorMessage).toBeUndefined();
    expect(message.stopReason).toBe('stop');
    expect(proxy.seen).toEqual([`CONNECT model.test:${port}`]);
  });

  it('NO_PROXY hosts and loopback hosts connect directly', async () => {
    const port = await listen(createServer(answer));
    const proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'example.org,.test';
    // Direct: model.test does not resolve without the proxy.
    const direct = await stream(loopbackModel(`http://model.test:${port}/v1`), context, {
      ...options(),
      retry: { maxRetries: 0 },
    }).result();
    expect(direct.stopReason).toBe('error');
    expect(proxy.seen).toEqual([]);
    delete process.env.NO_PROXY;
    for (const host of ['127.0.0.1', 'localhost']) {
      const message = await stream(loopbackModel(`http://${host}:${port}/v1`), context, options()).result();
      expect(message.stopReason).toBe('stop');
    }
    expect(proxy.seen).toEqual([]);
  });

  it("a proxy that fails: a typed ConnectionError that never shows the proxy's password", async () => {
    const closed = await listen(createServer());
    await closers.pop()?.();
    process.env.HTTP_PROXY = `http://agent:${PASSWORD}@127.0.0.1:${closed}`;
    const error = await send({
      url: `http://model.test:1/v1/models`,
      retry: { maxRetries: 0 },
      ...options(),
    }).catch((e: unknown) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    const text = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`;
    expect(text).not.toContain(PASSWORD);
    let cause: unknown = (error as Error).cause;
    while (cause instanceof Error) {
      expect(`${cause.message} ${cause.stack}`).not.toContain(PASSWORD);
      cause = cause.cause;
    }
  });
});
