import { SdkError } from '../../errors/sdk-error.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import type { ResolvedLimits } from '../../http/limits.js';
import { NdjsonDecoder } from '../../http/ndjson.js';
import { redactSecrets } from '../../http/redact.js';
import { SseDecoder, type SseEvent } from '../../http/sse.js';
import type { ResponseHandler } from './response-handler.js';

type BodyKind = 'sse' | 'ndjson' | 'json' | 'unknown';

function bodyKind(contentType: string): BodyKind {
  const ct = contentType.toLowerCase();
  if (ct.includes('text/event-stream')) return 'sse';
  if (ct.includes('ndjson') || ct.includes('jsonl')) return 'ndjson';
  if (ct.includes('json')) return 'json';
  return 'unknown';
}

/** Guesses from the first bytes: SSE fields, a JSON object, or something else. */
function sniff(first: Uint8Array): BodyKind {
  const head = new TextDecoder()
    .decode(first.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(data|event|id|retry)\s*:/.test(head) || head.startsWith(':')) return 'sse';
  if (head.startsWith('{')) return 'json';
  return 'unknown';
}

/**
 * Decodes one 2xx response body into a provider's {@link ResponseHandler}: Server-Sent Events chunk by
 * chunk, NDJSON line by line (`application/x-ndjson`, for handlers with `ndjson`), or a whole JSON body (a server or proxy that ignored `stream: true`). The kind comes from the
 * `content-type`, else from the first bytes. Holds no chunk after `push`. (`maxResponseBytes` is the
 * driver's: it counts the bytes of the attempt.)
 */
export class BodyDecoder {
  readonly #handler: ResponseHandler;
  readonly #limits: ResolvedLimits;
  readonly #url: string;
  readonly #secrets: readonly string[];
  readonly #contentType: string;
  #kind: BodyKind;
  #sse: SseDecoder | undefined;
  #json: Uint8Array[] | undefined;
  #ndjson: NdjsonDecoder | undefined;
  #ended = false;
  readonly #onEvent = (event: SseEvent): void => {
    if (this.#ended) return;
    try {
      if (this.#handler.sse?.(event) === true) this.#ended = true;
    } catch (error) {
      throw this.#malformed(error, event.data);
    }
  };
  /** Made with the NDJSON decoder only: an SSE stream does not carry a second closure. */
  #onLine: ((line: string) => void) | undefined;

  #line(line: string): void {
    if (this.#ended) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      const excerpt = redactSecrets(line.slice(0, 200), this.#secrets);
      throw new StreamParseError(
        `A line of the NDJSON response from ${this.#url} is not valid JSON: ${JSON.stringify(excerpt)}`,
        { kind: 'invalid_json', url: this.#url, excerpt },
      );
    }
    try {
      if (this.#handler.ndjson?.(value) === true) this.#ended = true;
    } catch (error) {
      throw this.#malformed(error, line);
    }
  }

  constructor(
    handler: ResponseHandler,
    contentType: string | null,
    limits: ResolvedLimits,
    url: string,
    secrets: readonly string[],
  ) {
    this.#handler = handler;
    this.#limits = limits;
    this.#url = url;
    this.#secrets = secrets;
    this.#contentType = contentType ?? 'none';
    this.#kind = this.#supported(bodyKind(contentType ?? ''));
  }

  /**
   * `kind`, or `unknown` when the handler cannot read that kind (it is then rejected, or sniffed). A
   * handler that reads NDJSON reads JSON bodies line by line too: Ollama serves its stream as
   * `application/json` on some hosts (ollama.com), and a one-line JSON body is one NDJSON line.
   */
  #supported(kind: BodyKind): BodyKind {
    if (kind === 'sse' && this.#handler.sse === undefined) return 'unknown';
    if (kind === 'ndjson' && this.#handler.ndjson === undefined) return 'unknown';
    if (kind === 'json' && this.#handler.ndjson !== undefined) return 'ndjson';
    return kind;
  }

  /** True once the handler saw the stream's end marker (`[DONE]`, `message_stop`, a last NDJSON line). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Decodes the next chunk.
   * @throws {StreamParseError} kind `limit` past `maxEventBytes`, `unexpected_body`
   *   for a body that is neither SSE nor JSON; or what the handler throws.
   */
  push(chunk: Uint8Array): void {
    if (this.#kind === 'unknown') this.#kind = this.#supported(sniff(chunk));
    if (this.#kind === 'sse') {
      this.#sse ??= new SseDecoder({ maxEventBytes: this.#limits.maxEventBytes });
      this.#sse.push(chunk, this.#onEvent);
    } else if (this.#kind === 'ndjson') {
      this.#ndjson ??= new NdjsonDecoder({ maxLineBytes: this.#limits.maxEventBytes });
      this.#onLine ??= (line) => this.#line(line);
      this.#ndjson.push(chunk, this.#onLine);
    } else if (this.#kind === 'json') {
      this.#json ??= [];
      this.#json.push(chunk);
    } else {
      const excerpt = redactSecrets(new TextDecoder().decode(chunk.subarray(0, 200)), this.#secrets);
      throw new StreamParseError(
        `Unexpected response body from ${this.#url} (content-type ${this.#contentType}): expected ${this.#expected()}. Body starts: ${JSON.stringify(excerpt)}`,
        { kind: 'unexpected_body', url: this.#url, excerpt },
      );
    }
  }

  /** The body ended: dispatches what is pending (the last SSE event, or the whole JSON body). */
  end(): void {
    if (this.#kind === 'sse') this.#sse?.end(this.#onEvent);
    else if (this.#kind === 'ndjson' && this.#onLine) this.#ndjson?.end(this.#onLine);
    else if (this.#kind === 'json') {
      const value = this.#parseJson(this.#json ?? []);
      try {
        this.#handler.json(value);
      } catch (error) {
        throw this.#malformed(error, JSON.stringify(value) ?? '');
      }
    }
  }

  /**
   * A handler that failed on data of the wrong shape (`null` in `choices`, `tool_calls` or `content`, a
   * non-array `output`) threw a plain `TypeError`: that is malformed server data, reported as a
   * `StreamParseError` with an excerpt, not a broken connection. SDK errors pass through.
   */
  #malformed(error: unknown, data: string): unknown {
    if (SdkError.isInstance(error)) return error;
    const excerpt = redactSecrets(data.slice(0, 200), this.#secrets);
    const reason = error instanceof Error ? error.message : String(error);
    return new StreamParseError(
      `Malformed data from ${this.#url} (${reason}). Data starts: ${JSON.stringify(excerpt)}`,
      { kind: 'unexpected_body', url: this.#url, excerpt },
    );
  }

  #expected(): string {
    const kinds = [this.#handler.sse && 'Server-Sent Events', this.#handler.ndjson && 'NDJSON', 'JSON'];
    return kinds.filter(Boolean).join(' or ');
  }

  #parseJson(chunks: Uint8Array[]): unknown {
    const decoder = new TextDecoder();
    let text = '';
    for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
    try {
      return JSON.parse(text);
    } catch {
      const excerpt = redactSecrets(text.slice(0, 200), this.#secrets);
      throw new StreamParseError(
        `Response body from ${this.#url} is not valid JSON. Body starts: ${JSON.stringify(excerpt)}`,
        { kind: 'invalid_json', url: this.#url, excerpt },
      );
    }
  }
}
