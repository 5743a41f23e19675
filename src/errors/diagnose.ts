/**
 * Diagnoses for the mistakes people make when pointing a client at a model server: a pasted endpoint URL
 * as the base URL, a base URL without `/v1`, `https://` to a plain-HTTP port, a host name that does not
 * resolve, a cloud preset without its key, a refused key. Pure functions (and two small GET requests to
 * the configured origin); the CLI prints their results as `hint:` lines, and connection errors of the
 * library carry the same plain words in their message.
 */
import { originOf } from '../presets/preset-table.js';
import { GLOBAL_PRESETS } from '../presets/presets.js';

/** Endpoint paths people paste as part of a base URL, longest first. */
const ENDPOINT_SUFFIXES = ['/chat/completions', '/completions', '/messages', '/responses'] as const;

/** A base URL with a pasted endpoint path removed. */
export interface TrimmedBaseUrl {
  /** The base URL to use (unchanged when nothing was removed). */
  baseUrl: string;
  /** The endpoint path that was removed (`/chat/completions`, `/messages`, `/responses`), if any. */
  removed?: string;
}

/**
 * Removes an endpoint path pasted at the end of a base URL: `http://host/v1/chat/completions` →
 * `http://host/v1` (also `/completions`, `/messages` as in `https://api.anthropic.com/v1/messages`, and
 * `/responses`). A trailing slash is ignored; a query string or fragment is kept. A URL that does not
 * parse is returned unchanged (the caller's validation reports it).
 */
export function trimEndpointPath(baseUrl: string): TrimmedBaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { baseUrl };
  }
  const path = url.pathname.replace(/\/+$/, '');
  const removed = ENDPOINT_SUFFIXES.find((suffix) => path.endsWith(suffix));
  if (removed === undefined) return { baseUrl };
  url.pathname = path.slice(0, -removed.length) || '/';
  const trimmed = url.toString();
  // URL keeps a lone "/" path; a base URL reads better without it.
  return { baseUrl: url.pathname === '/' ? trimmed.replace(/\/(?=$|[?#])/, '') : trimmed, removed };
}

/** System error codes of a host name that does not resolve. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** How OpenSSL and Node report a TLS handshake answered by a plain-HTTP server. */
const PLAIN_HTTP_TLS = /wrong version number|packet length too long|http request|unknown protocol/i;

/**
 * Plain words for a connection failure that has a well-known cause, or undefined:
 * - a host name that does not resolve (`ENOTFOUND`, `EAI_AGAIN`): DNS, not the server;
 * - `https://` spoken to a plain-HTTP port (`EPROTO`, `ERR_SSL_WRONG_VERSION_NUMBER`, OpenSSL's "wrong
 *   version number"): use `http://`.
 *
 * @param url the request URL (only its host and scheme are used).
 * @param code the system error code, if known.
 * @param detail the innermost error message (OpenSSL's text for TLS errors).
 */
export function connectionDiagnosis(url: string, code: string | undefined, detail = ''): string | undefined {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const host = parsed?.hostname ?? url;
  if (code !== undefined && DNS_CODES.has(code)) {
    const temporary =
      code === 'EAI_AGAIN' ? ' (the DNS lookup failed; maybe no network or no DNS server)' : '';
    return `The host name ${host} does not resolve${temporary}: check its spelling, or use an IP address (127.0.0.1 for this machine).`;
  }
  const tls =
    code === 'EPROTO' ||
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    PLAIN_HTTP_TLS.test(detail);
  if (tls && parsed?.protocol === 'https:') {
    return `The server at ${parsed.host} does not speak TLS (https): it looks like a plain-HTTP server. Use http://${parsed.host} instead of https://${parsed.host} in the base URL (local model servers are plain HTTP).`;
  }
  return undefined;
}

/** The preset whose key a model at `baseUrl` needs, when it is a cloud preset at its own origin. */
export interface KeyRequirement {
  /** Preset name (`openai`, `anthropic`, ...). */
  preset: string;
  /** The environment variable that holds its key (`OPENAI_API_KEY`, ...). */
  keyEnv: string;
}

/**
 * The cloud preset (not local, with an API-key variable) whose origin `baseUrl` is, or undefined: such a
 * server always needs a key. Looks at the global preset table (built-in and registered presets).
 */
export function keyRequirement(baseUrl: string): KeyRequirement | undefined {
  const preset = GLOBAL_PRESETS.forBaseUrl(baseUrl);
  if (preset === undefined || preset.local || preset.apiKeyEnv === undefined) return undefined;
  if (originOf(preset.baseUrl) !== originOf(baseUrl)) return undefined;
  return { preset: preset.name, keyEnv: preset.apiKeyEnv };
}

/** What is known about the key of a request refused with 401 or 403. */
export interface UnauthorizedFacts {
  /** The base URL the request went to. */
  baseUrl: string;
  /** Where the key that was sent came from (`--api-key`, `OPENAI_API_KEY`, ...), or undefined when none was sent. */
  keySource: string | undefined;
}

/**
 * The hint for an HTTP 401/403: whether a key was sent (and from where), and which variable or flag would
 * supply it for this server: the preset's variable at a cloud preset's origin, else `--api-key` or
 * `OPENAI_API_KEY` together with `OPENAI_BASE_URL` (a key from the environment only goes to that origin).
 */
export function unauthorizedHint(facts: UnauthorizedFacts): string {
  const origin = originOf(facts.baseUrl) ?? facts.baseUrl;
  if (facts.keySource !== undefined)
    return `an API key was sent (from ${facts.keySource}) and ${origin} refused it: check that the key is valid for this server and not expired`;
  const need = keyRequirement(facts.baseUrl);
  if (need !== undefined)
    return `no API key was sent: set ${need.keyEnv} or pass --api-key (or --api-key-file)`;
  return `no API key was sent: pass --api-key (or --api-key-file), or set OPENAI_API_KEY together with OPENAI_BASE_URL=${facts.baseUrl} (OPENAI_API_KEY only goes to the origin of OPENAI_BASE_URL)`;
}

/** Options of {@link suggestBaseUrl} and {@link checkModelsEndpoint}. */
export interface EndpointCheckOptions {
  /** Sent as `Authorization: Bearer` (only to the configured origin). */
  apiKey?: string;
  /** Time allowed per request, in ms. @default 3000 */
  timeoutMs?: number;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** What `GET <base>/models` gave. */
export type ModelsCheck = { ok: true; count: number } | { ok: false; reason: string };

/**
 * Asks `GET <baseUrl>/models` (no redirects followed) and checks the answer is a 2xx JSON object with a
 * `data` array (the OpenAI list shape every compatible server uses). Never throws: a failure is
 * `{ ok: false, reason }` in plain words (`HTTP 500`, `not JSON`, `no data array`, or the network error).
 */
export async function checkModelsEndpoint(
  baseUrl: string,
  options: EndpointCheckOptions = {},
): Promise<ModelsCheck> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
      headers: {
        accept: 'application/json',
        ...(options.apiKey !== undefined && { authorization: `Bearer ${options.apiKey}` }),
      },
    });
    const text = await response.text();
    if (response.status < 200 || response.status > 299)
      return { ok: false, reason: `HTTP ${response.status}` };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'the answer is not JSON' };
    }
    const data = (body as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) return { ok: false, reason: 'the answer has no "data" list of models' };
    return { ok: true, count: data.length };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * After a 404 from an endpoint under `baseUrl`: the base URL the server really answers at, or undefined.
 * Tries `<baseUrl>/v1` (when the path does not end with `/v1`), then the parent path (one segment up),
 * and returns the first whose `GET …/models` gives a model list ({@link checkModelsEndpoint}). Only the
 * configured origin is contacted.
 */
export async function suggestBaseUrl(
  baseUrl: string,
  options: EndpointCheckOptions = {},
): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  const candidates: string[] = [];
  if (!path.endsWith('/v1')) candidates.push(`${url.origin}${path}/v1`);
  if (path !== '') candidates.push(`${url.origin}${path.slice(0, path.lastIndexOf('/'))}`);
  for (const candidate of candidates) {
    if ((await checkModelsEndpoint(candidate, options)).ok) return candidate;
  }
  return undefined;
}
