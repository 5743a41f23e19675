import { AbortError } from '../../errors/abort-error.js';
import { SdkError } from '../../errors/sdk-error.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import { Attempt } from '../../http/attempt.js';
import { limitError, type ResolvedLimits, resolveLimits } from '../../http/limits.js';
import { defaultFetch } from '../../http/node-fetch.js';
import { postJson } from '../../http/post.js';
import { redactError, redactHeaders, redactSecrets, redactUrl } from '../../http/redact.js';
import { resolveRetryPolicy, retryDecision, sleep } from '../../http/retry.js';
import { SseDecoder, type SseEvent } from '../../http/sse.js';
import { PhaseTimer, type ResolvedTimeouts, resolveTimeouts } from '../../http/timeouts.js';
import type { AssistantEvent } from '../../types/events.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { AssistantStream } from './assistant-stream.js';
import { MessageBuilder } from './message-builder.js';
import type { ResponseHandler } from './response-handler.js';

/** A request a provider has prepared. */
export interface PreparedRequest {
  /** Full endpoint URL. */
  url: string;
  /** Headers, credentials included. */
  headers: Record<string, string>;
  /** JSON body. */
  body: Record<string, unknown>;
  /** Settings the server cannot honour. */
  warnings: string[];
  /** Secrets to scrub from error text (the API key). */
  secrets: string[];
  /** Advice for connection failures (how to start this server). */
  connectionHint?: string;
}

/** What a provider plugs into {@link runStream}. */
export interface ProviderHooks {
  /** Builds the request; may throw `InvalidArgumentError` (reported as an `error` event, never thrown). */
  prepare(): PreparedRequest | Promise<PreparedRequest>;
  /** Creates the parser for one response. */
  handler(builder: MessageBuilder, url: string): ResponseHandler;
}

function toError(error: unknown, secrets: readonly string[]): SdkError {
  if (SdkError.isInstance(error)) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new SdkError(redactSecrets(text, secrets), { cause: undefined });
}

type BodyKind = 'sse' | 'json' | 'unknown';

function bodyKind(contentType: string): BodyKind {
  const ct = contentType.toLowerCase();
  if (ct.includes('text/event-stream')) return 'sse';
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
 * The one streaming driver every provider uses: prepares the request, POSTs it, decodes the body (SSE,
 * or a whole JSON response), feeds the provider's handler, and turns every failure into a terminal
 * `error` event whose message keeps the partial content.
 *
 * Reliability lives here and in `src/http/`: the retry loop (rules in `http/retry.ts`; a `retry` event per
 * retry; never once a body byte arrived), the per-phase time limits (`http/timeouts.ts`: first byte, idle,
 * total; connect through the Node dispatcher of `http/node-fetch.ts`), the hostile-stream limits
 * (`http/limits.ts`) and secret redaction of every error. Handles abort, consumer break and cleanup (no
 * timers, sockets or listeners are left behind).
 */
export function runStream(model: Model, options: StreamOptions, hooks: ProviderHooks): AssistantStream {
  const builder = new MessageBuilder(model);
  return new AssistantStream(builder.message, drive(builder, options, hooks));
}

/** Everything one attempt needs. */
interface CallContext {
  builder: MessageBuilder;
  options: StreamOptions;
  hooks: ProviderHooks;
  prepared: PreparedRequest;
  url: string;
  body: string;
  doFetch: typeof fetch;
  timeouts: ResolvedTimeouts;
  limits: ResolvedLimits;
}

async function* drive(
  builder: MessageBuilder,
  options: StreamOptions,
  hooks: ProviderHooks,
): AsyncGenerator<AssistantEvent | AssistantEvent[], void, undefined> {
  const call = new AbortController();
  const userSignal = options.signal;
  const onAbort = () => call.abort(userSignal?.reason);
  userSignal?.addEventListener('abort', onAbort, { once: true });
  let total: PhaseTimer | undefined;
  let attempt: Attempt | undefined;
  let secrets: string[] = [];
  try {
    let prepared: PreparedRequest;
    try {
      prepared = await hooks.prepare();
    } catch (error) {
      builder.start([]);
      throw error;
    }
    secrets = prepared.secrets;
    const url = redactUrl(prepared.url);
    const timeouts = resolveTimeouts(options.timeouts);
    const limits = resolveLimits(options.limits);
    builder.url = url;
    builder.limits = limits;
    builder.start(prepared.warnings);
    yield builder.drain();
    if (userSignal?.aborted) throw new AbortError('The request was aborted before it was sent.');

    let payload = prepared.body;
    if (options.onPayload) payload = options.onPayload(payload) ?? payload;
    total = new PhaseTimer(call, url);
    total.arm('total', timeouts.totalMs);
    const doFetch = options.fetch ?? defaultFetch(timeouts.connectMs);
    const ctx: CallContext = {
      builder,
      options,
      hooks,
      prepared,
      url,
      body: JSON.stringify(payload),
      doFetch,
      timeouts,
      limits,
    };
    const policy = resolveRetryPolicy(options.retry);
    for (let retryIndex = 0; ; retryIndex++) {
      attempt = new Attempt(call.signal, url);
      try {
        yield* runAttempt(ctx, attempt);
        break;
      } catch (error) {
        const err = redactError(attempt.classify(error, url, secrets), secrets);
        const decision = attempt.received ? undefined : retryDecision(err, retryIndex, policy);
        if (decision === undefined) throw err;
        attempt.close();
        yield {
          type: 'retry',
          attempt: retryIndex + 2,
          delayMs: decision.delayMs,
          reason: decision.reason,
          error: err,
        };
        await sleep(decision.delayMs, call.signal);
      } finally {
        attempt.close();
      }
    }
  } catch (error) {
    const aborted = AbortError.isInstance(error) || (call.signal.aborted && !SdkError.isInstance(error));
    const err = aborted
      ? AbortError.isInstance(error)
        ? error
        : new AbortError('The request was aborted.')
      : redactError(toError(error, secrets), secrets);
    builder.fail(aborted ? 'aborted' : 'error', err);
    yield builder.drain();
  } finally {
    total?.clear();
    userSignal?.removeEventListener('abort', onAbort);
    if (!builder.finished) {
      // The consumer stopped iterating: close the request and mark the message.
      builder.message.stopReason = 'aborted';
      builder.message.errorMessage = 'The consumer stopped reading the stream before it ended.';
    }
    attempt?.close();
  }
}

/**
 * One attempt: POST, then read and decode the body into the builder, yielding its events as they come.
 * Returns normally once the message is finished; throws on any failure (the caller decides on a retry).
 */
async function* runAttempt(
  ctx: CallContext,
  attempt: Attempt,
): AsyncGenerator<AssistantEvent | AssistantEvent[], void, undefined> {
  const { builder, options, prepared, url, timeouts, limits } = ctx;
  attempt.timer.arm('firstByte', timeouts.firstByteMs);
  const response = await postJson({
    url: prepared.url,
    headers: prepared.headers,
    body: ctx.body,
    signal: attempt.controller.signal,
    fetch: ctx.doFetch,
    secrets: prepared.secrets,
    ...(prepared.connectionHint !== undefined && { connectionHint: prepared.connectionHint }),
  });
  options.onResponse?.({ status: response.status, headers: redactHeaders(response.headers) });
  const handler = ctx.hooks.handler(builder, url);
  if (!response.body)
    throw new StreamParseError(`Empty response body from ${url}.`, { kind: 'truncated', url });
  const reader = response.body.getReader();
  attempt.reader = reader;

  let kind = bodyKind(response.headers.get('content-type') ?? '');
  const decoder = new SseDecoder({ maxEventBytes: limits.maxEventBytes });
  let ended = false;
  const onEvent = (event: SseEvent) => {
    if (!ended && handler.sse(event) === true) ended = true;
  };
  const jsonChunks: Uint8Array[] = [];
  for (;;) {
    const step = await reader.read();
    if (step.done) {
      attempt.bodyDone = true;
      break;
    }
    const chunk = step.value;
    attempt.timer.arm('idle', timeouts.idleMs);
    attempt.bytes += chunk.byteLength;
    if (attempt.bytes > limits.maxResponseBytes) {
      throw limitError('response body too large', 'maxResponseBytes', limits.maxResponseBytes, url);
    }
    if (kind === 'unknown') kind = sniff(chunk);
    if (kind === 'sse') {
      decoder.push(chunk, onEvent);
      if (builder.queue.length > 0) yield builder.drain();
    } else if (kind === 'json') {
      jsonChunks.push(chunk);
    } else {
      const excerpt = redactSecrets(new TextDecoder().decode(chunk.subarray(0, 200)), prepared.secrets);
      throw new StreamParseError(
        `Unexpected response body from ${url} (content-type ${response.headers.get('content-type') ?? 'none'}): expected Server-Sent Events or JSON. Body starts: ${JSON.stringify(excerpt)}`,
        { kind: 'unexpected_body', url, excerpt },
      );
    }
  }
  attempt.timer.clear();
  if (kind === 'sse') decoder.end(onEvent);
  else if (kind === 'json') handler.json(parseJsonBody(jsonChunks, url, prepared.secrets));
  const { info, error } = handler.end();
  builder.finish(info, error ? redactError(error, prepared.secrets) : undefined);
  yield builder.drain();
}

function parseJsonBody(chunks: Uint8Array[], url: string, secrets: readonly string[]): unknown {
  const decoder = new TextDecoder();
  let text = '';
  for (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  text += decoder.decode();
  try {
    return JSON.parse(text);
  } catch {
    const excerpt = redactSecrets(text.slice(0, 200), secrets);
    throw new StreamParseError(
      `Response body from ${url} is not valid JSON. Body starts: ${JSON.stringify(excerpt)}`,
      { kind: 'invalid_json', url, excerpt },
    );
  }
}
