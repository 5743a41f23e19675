/** A loopback `node:http` server for audio/image endpoint tests: records requests, counts disconnects. */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Uint8Array;
}

export type Handler = (request: SeenRequest, res: ServerResponse, index: number) => void | Promise<void>;

export interface Loopback {
  url: string;
  baseUrl: string;
  requests: SeenRequest[];
  /** Responses whose client went away before `res.end()`. */
  disconnects: () => number;
  openSockets: () => number;
  close: () => Promise<void>;
}

export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let disconnects = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: new Uint8Array(Buffer.concat(chunks)),
      };
      requests.push(seen);
      res.on('close', () => {
        if (!res.writableFinished) disconnects++;
      });
      Promise.resolve(handler(seen, res, requests.length - 1)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    disconnects: () => disconnects,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Parses a recorded multipart body with the platform's own parser (undici's `Request.formData`). */
export async function parseForm(request: SeenRequest): Promise<FormData> {
  return new Request('http://x/', {
    method: 'POST',
    headers: { 'content-type': String(request.headers['content-type']) },
    body: request.body.slice(),
  }).formData();
}

/** Writes SSE events, one `data:` line each, with a pause between them. */
export async function writeSse(res: ServerResponse, events: unknown[], delayMs = 5): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const event of events) {
    if (res.destroyed) return;
    res.write(`data: ${JSON.stringify(event)}\n\n`);
    await new Promise((r) => setTimeout(r, delayMs));
  }
  res.end();
}

/** Waits until `check()` is true (bounded: 200 tries of 10 ms). */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not reached in 2 s');
}
