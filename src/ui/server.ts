/**
 * The dashboard's HTTP server (`open-agent ui`): the page (built at package build time into
 * `dist/ui/web/`), a JSON API over the session store and `--trace` files, live events over SSE, chat and
 * decisions. Every request passes the checks of `./guard.js` first; every response carries a CSP of
 * `default-src 'self'` and is scrubbed of the secrets it is given (the API key).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonlFileStore } from '../sessions/jsonl-file-store.js';
import { checkRequest, tokenCookie } from './guard.js';
import { DashboardRequestError, type LiveRuns } from './live-runs.js';
import { collectRuns, interruptionsOf, sessionOf, traceOf } from './sources.js';
import { webAsset } from './web-root.js';

/** How to start the dashboard server. */
export interface DashboardOptions {
  /** Where sessions are read (and dashboard chats written). */
  store: JsonlFileStore;
  /** `--trace` files to read. @default [] */
  traceFiles?: readonly string[];
  /** Chats and decisions. */
  live: LiveRuns;
  /** Address to bind. @default '127.0.0.1' */
  host?: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Strings never sent to the page (API keys): replaced by `[redacted]` in every response. */
  secrets?: readonly string[];
  /** The token; random (24 bytes, base64url) by default. */
  token?: string;
}

/** A running dashboard. */
export interface DashboardServer {
  /** The page URL with the token: `http://127.0.0.1:PORT/?token=…`. Print it; never log it elsewhere. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
} as const;

const MAX_BODY_BYTES = 1024 * 1024;

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    throw new DashboardRequestError('Send the body as application/json.', 400);
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new DashboardRequestError('The body is over 1 MiB.', 400);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new DashboardRequestError('The body is not JSON.', 400);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new DashboardRequestError('The body must be a JSON object.', 400);
  return value as Record<string, unknown>;
}

function field(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = body[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string') throw new DashboardRequestError(`"${name}" must be a string.`, 400);
  return v;
}

/**
 * Starts the dashboard server.
 * @throws the `listen` error (`EADDRINUSE`, `EADDRNOTAVAIL`) when the address cannot be bound.
 */
export async function startDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const traceFiles = options.traceFiles ?? [];
  const sse = new Set<ServerResponse>();
  let port = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = scrub(JSON.stringify(body), secrets);
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      ...headers,
    });
    res.end(text);
  };

  const api = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/api/runs') {
      const runs = await collectRuns(options.store, traceFiles);
      for (const r of runs.sessions) if (options.live.running.has(r.id)) r.status = 'running';
      return send(res, 200, runs);
    }
    if (method === 'GET' && path === '/api/agents')
      return send(res, 200, { agents: options.live.agentNames() });
    if (method === 'GET' && path === '/api/interruptions')
      return send(res, 200, { interruptions: await interruptionsOf(options.store) });
    const session = /^\/api\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && session) {
      const view = await sessionOf(options.store, decodeURIComponent(session[1] as string));
      if (!view) return send(res, 404, { error: 'No such session.' });
      if (options.live.running.has(view.summary.id)) view.summary.status = 'running';
      return send(res, 200, view);
    }
    const trace = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (method === 'GET' && trace) {
      const view = await traceOf(traceFiles, decodeURIComponent(trace[1] as string));
      return view ? send(res, 200, view) : send(res, 404, { error: 'No such trace.' });
    }
    if (method === 'GET' && path === '/api/events') return openEvents(res);
    if (method === 'POST' && path === '/api/chat') {
      const body = await readJson(req);
      const text = field(body, 'text', true) as string;
      const agent = field(body, 'agent', false);
      const sessionId = field(body, 'sessionId', false);
      const started = options.live.chat({
        text,
        ...(agent !== undefined && { agent }),
        ...(sessionId !== undefined && { sessionId }),
      });
      return send(res, 202, started);
    }
    if (method === 'POST' && path === '/api/decisions') {
      const body = await readJson(req);
      if (typeof body.approved !== 'boolean')
        throw new DashboardRequestError('"approved" must be true or false.', 400);
      const message = field(body, 'message', false);
      const result = await options.live.decide({
        sessionId: field(body, 'sessionId', true) as string,
        toolCallId: field(body, 'toolCallId', true) as string,
        approved: body.approved,
        ...(message !== undefined && { message }),
      });
      return send(res, 200, result);
    }
    send(res, 404, { error: `No API ${method} ${path}.` });
  };

  const openEvents = (res: ServerResponse): void => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    sse.add(res);
    const stop = options.live.subscribe((event) => {
      res.write(`data: ${scrub(JSON.stringify(event), secrets)}\n\n`);
    });
    res.on('close', () => {
      stop();
      sse.delete(res);
    });
  };

  const server: Server = createServer((req, res) => {
    const verdict = checkRequest(req, { hostNames: hostNames(host), port, token });
    if (!verdict.ok) return send(res, verdict.status, { error: verdict.message });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (verdict.setCookie && path === '/') {
      // The token leaves the address bar (and history) at once; later requests carry the cookie.
      res.writeHead(303, { ...SECURITY_HEADERS, location: '/', 'set-cookie': tokenCookie(token) });
      res.end();
      return;
    }
    const handle = async (): Promise<void> => {
      if (path.startsWith('/api/')) return api(req, res, path);
      const asset = await webAsset(path);
      if (!asset || req.method !== 'GET') return send(res, 404, { error: 'Not found.' });
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type });
      res.end(asset.body);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      if (error instanceof DashboardRequestError) return send(res, error.status, { error: error.message });
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      send(res, 500, { error: message, name });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    async close() {
      options.live.close();
      for (const res of sse) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Host names the guard accepts for a bind address: the loopback names, or the explicit host. */
function hostNames(host: string): string[] {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'];
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') return loopback;
  return [host.includes(':') ? `[${host}]` : host];
}
