/**
 * Streamable HTTP serving on loopback: a `node:http` server in front of the MCP SDK's web-standard handler
 * that checks, in order, the `Host` header (DNS rebinding), the `Origin` header (browsers), the path, and
 * a bearer token; only then does a request reach the handler (which itself checks none of these:
 * `@modelcontextprotocol/server` docs, "Serve over HTTP").
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { loadServerSdk } from './load-sdk.js';
import { McpError } from './mcp-error.js';

/** Default port of `serve mcp` over HTTP (as in the seed); shared with several local servers. */
export const DEFAULT_MCP_HTTP_PORT = 8080;

/** Local servers known to default to port 8080, named in the `EADDRINUSE` message. */
export const PORT_8080_NEIGHBOURS = [
  'whisper-server (whisper.cpp)',
  'LocalAI',
  'llama.cpp server examples',
  'the Restate ingress',
] as const;

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;

/** How to serve over HTTP. */
export interface HttpServeOptions {
  /** TCP port; `0` picks a free one. @default 8080 */
  port?: number;
  /** Loopback address to bind (no other is accepted). @default '127.0.0.1' */
  host?: (typeof LOOPBACK_HOSTS)[number];
  /**
   * Bearer token every request must carry (`Authorization: Bearer <token>`). `undefined` generates a
   * random one (read it from the result); `false` turns the check off (not recommended). @default random
   */
  token?: string | false;
  /** Path of the MCP endpoint. @default '/mcp' */
  path?: string;
}

/** A running HTTP server. */
export interface McpHttpServer {
  /** The endpoint URL, e.g. `http://127.0.0.1:8080/mcp`. */
  url: string;
  /** The bound port. */
  port: number;
  /** The bearer token clients must send (undefined when turned off). Never log it. */
  token: string | undefined;
  /** Stops accepting connections, ends in-flight exchanges and closes the server. */
  close(): Promise<void>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from((match[1] as string).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reject(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject_) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code !== 'EADDRINUSE') {
        reject_(error);
        return;
      }
      const also =
        port === DEFAULT_MCP_HTTP_PORT
          ? ` Port ${port} is also the default of ${PORT_8080_NEIGHBOURS.join(', ')}.`
          : '';
      reject_(
        new McpError(
          `Port ${port} on ${host} is already in use.${also} Stop that server or pick another port with --port.`,
          {
            server: 'serve',
            code: 'EADDRINUSE',
            cause: error,
          },
        ),
      );
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Serves `handler` over Streamable HTTP on loopback with Host, Origin and bearer-token checks.
 * @throws InvalidArgumentError for a non-loopback host or a bad port; McpError (`code: 'EADDRINUSE'`) when
 *   the port is taken, naming the local servers that default to 8080.
 */
export async function serveHttp(
  node: Awaited<ReturnType<typeof loadServerSdk>>['node'],
  handler: McpHttpHandler,
  options: HttpServeOptions,
): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.includes(host))
    throw new InvalidArgumentError(
      `serve mcp binds loopback only (${LOOPBACK_HOSTS.join(', ')}), not ${JSON.stringify(host)}.`,
      { argument: 'host' },
    );
  const port = options.port ?? DEFAULT_MCP_HTTP_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidArgumentError(`Port must be an integer from 0 to 65535, got ${port}.`, {
      argument: 'port',
    });
  const token =
    options.token === false ? undefined : (options.token ?? randomBytes(24).toString('base64url'));
  const path = options.path ?? '/mcp';
  const validateHost = node.localhostHostValidation();
  const validateOrigin = node.localhostOriginValidation();
  const nodeHandler = node.toNodeHandler(handler);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!validateHost(req, res) || !validateOrigin(req, res)) return;
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== path)
      return reject(res, 404, `Not found: the MCP endpoint is ${path}.`);
    if (token !== undefined && !tokenMatches(req.headers.authorization, token))
      return reject(res, 401, 'Missing or wrong bearer token.', { 'www-authenticate': 'Bearer' });
    void nodeHandler(req, res);
  });
  await listen(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host === '::1' ? '[::1]' : host;
  return {
    url: `http://${shownHost}:${bound}${path}`,
    port: bound,
    token,
    async close() {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
