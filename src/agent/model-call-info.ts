import type { Model } from '../types/model.js';
import type { StreamOptions } from '../types/options.js';
import type { ModelCallInfo } from './events.js';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * What a model call asks for (model, server host and port, sampling settings), for the assistant
 * `message_start` event. Reads only the base URL's host and port: never its user info, path or query, the
 * key or the headers.
 */
export function modelCallInfo(model: Model, options: StreamOptions | undefined): ModelCallInfo {
  const info: ModelCallInfo = {
    model: model.id,
    provider: model.provider,
    api: model.api,
    streaming: options?.streaming !== false,
    outputType: options?.responseFormat && options.responseFormat.type !== 'text' ? 'json' : 'text',
  };
  const server = serverOf(model.baseUrl);
  if (server) {
    info.serverAddress = server.address;
    if (server.port !== undefined) info.serverPort = server.port;
  }
  if (options?.maxTokens !== undefined) info.maxTokens = options.maxTokens;
  if (options?.temperature !== undefined) info.temperature = options.temperature;
  if (options?.topP !== undefined) info.topP = options.topP;
  if (options?.stop !== undefined) info.stop = [...options.stop];
  if (options?.seed !== undefined) info.seed = options.seed;
  return info;
}

type Server = { address: string; port?: number } | undefined;
/** The last base URL parsed and its server (a run calls one model server again and again). */
let lastUrl: string | undefined;
let lastServer: Server;

function serverOf(baseUrl: string | undefined): Server {
  if (baseUrl === lastUrl) return lastServer;
  lastServer = parseServer(baseUrl);
  lastUrl = baseUrl;
  return lastServer;
}

function parseServer(baseUrl: string | undefined): Server {
  if (!baseUrl) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  if (!url.hostname || DEFAULT_PORTS[url.protocol] === undefined) return undefined;
  const address = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return port === undefined ? { address } : { address, port };
}
