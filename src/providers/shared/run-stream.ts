import { AbortError } from '../../errors/abort-error.js';
import { SdkError } from '../../errors/sdk-error.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import type { TimeoutError } from '../../errors/timeout-error.js';
import { Attempt } from '../../http/attempt.js';
import { type ResolvedLimits, resolveLimits } from '../../http/limits.js';
import { defaultTransport } from '../../http/node-fetch.js';
import { postJson } from '../../http/post.js';
import { redactError, redactHeaders, redactSecrets, redactUrl } from '../../http/redact.js';
import { resolveRetryPolicy, retryDecision, sleep } from '../../http/retry.js';
import { PhaseTimer, type ResolvedTimeouts, resolveTimeouts, timeoutError } from '../../http/timeouts.js';
import { type BodyReader, fetchTransport, type Transport } from '../../http/transport.js';
import type { AssistantEvent } from '../../types/events.js';
import type { Model } from '../../types/model.js';
import type { StreamOptions } from '../../types/options.js';
import { AssistantStream } from './assistant-stream.js';
import { BodyDecoder } from './body-decoder.js';
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
  /** The prepared request without its body object (only the serialized `body` is kept). */
  prepared: Omit<PreparedRequest, 'body'>;
  url: string;
  body: string;
  transport: Transport;
  timeouts: ResolvedTimeouts;
  limits: ResolvedLimits;
}

async function* drive(
  builder: MessageBuilder,
  options: StreamOptions,
  hooks: ProviderHooks,
): AsyncGenerator<AssistantEvent | AssistantEvent[], void, undefined> {
  // No AbortController of the call's own (one costs about 1 KB per open stream on Node): the caller's
  // signal aborts each attempt directly, and the total limit aborts the current attempt and ends the call.
  const userSignal = options.signal;
  let total: PhaseTimer | undefined;
  let expired: TimeoutError | undefined;
  let attempt: Attempt | undefined;
  let secrets: string[] = [];
  try {
    let prepared: PreparedRequest | undefined;
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

    let payload: Record<string, unknown> | undefined = prepared.body;
    if (options.onPayload) payload = options.onPayload(payload) ?? payload;
    const { body: _sent, ...kept } = prepared;
    const body = JSON.stringify(payload);
    // Only the JSON text is needed from here on (retries resend it). A suspended generator keeps every
    // local, so the payload object (the whole history in wire form) is released explicitly.
    payload = undefined;
    prepared = undefined;
    total = new PhaseTimer((error) => {
      expired = error;
      attempt?.abort(error);
    }, url);
    total.arm('total', timeouts.totalMs);
    const deadline = Date.now() + timeouts.totalMs;
    const transport = options.fetch ? fetchTransport(options.fetch) : defaultTransport(timeouts.connectMs);
    const ctx: CallContext = {
      builder,
      options,
      hooks,
      prepared: kept,
      url,
      body,
      transport,
      timeouts,
      limits,
    };
    const policy = resolveRetryPolicy(options.retry);
    for (let retryIndex = 0; ; retryIndex++) {
      if (expired) throw expired;
      attempt = new Attempt(userSignal, url);
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
        // Never past the total limit: wake when it passes, then end with its error.
        await sleep(Math.max(0, Math.min(decision.delayMs, deadline - Date.now())), userSignal);
        if (expired === undefined && Date.now() >= deadline)
          expired = timeoutError('total', timeouts.totalMs, url);
      } finally {
        attempt.close();
      }
    }
  } catch (error) {
    const stopped = userSignal?.aborted === true || expired !== undefined;
    const aborted = AbortError.isInstance(error) || (stopped && !SdkError.isInstance(error));
    const err = aborted
      ? AbortError.isInstance(error)
        ? error
        : new AbortError('The request was aborted.')
      : redactError(toError(error, secrets), secrets);
    builder.fail(aborted ? 'aborted' : 'error', err);
    yield builder.drain();
  } finally {
    total?.clear();
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
    transport: ctx.transport,
    secrets: prepared.secrets,
    ...(prepared.connectionHint !== undefined && { connectionHint: prepared.connectionHint }),
  });
  options.onResponse?.({ status: response.status, headers: redactHeaders(response.headers) });
  const handler = ctx.hooks.handler(builder, url);
  if (!response.body)
    throw new StreamParseError(`Empty response body from ${url}.`, { kind: 'truncated', url });
  const reader = response.body.getReader();
  attempt.reader = reader;
  const body = new BodyDecoder(handler, response.headers.get('content-type'), limits, url, prepared.secrets);
  // Reads in a helper: a suspended generator keeps every register, so a chunk read here would stay
  // referenced while the consumer holds the stream (memory per open stream).
  while (await readChunk(reader, attempt, body, timeouts.idleMs)) {
    if (builder.queue.length > 0) yield builder.drain();
  }
  attempt.bodyDone = true;
  attempt.timer.clear();
  body.end();
  const { info, error } = handler.end();
  builder.finish(info, error ? redactError(error, prepared.secrets) : undefined);
  yield builder.drain();
}

/** Reads and decodes the next body chunk; false at the end of the body. */
async function readChunk(
  reader: BodyReader,
  attempt: Attempt,
  body: BodyDecoder,
  idleMs: number,
): Promise<boolean> {
  const step = await reader.read();
  if (step.done) return false;
  attempt.timer.arm('idle', idleMs);
  attempt.bytes += step.value.byteLength;
  body.push(step.value);
  return true;
}
