import { AbortError } from '../../errors/abort-error.js';
import { SdkError } from '../../errors/sdk-error.js';
import { StreamParseError } from '../../errors/stream-parse-error.js';
import type { TimeoutError } from '../../errors/timeout-error.js';
import { Attempt } from '../../http/attempt.js';
import { CallTimer } from '../../http/call-timer.js';
import { limitError, type ResolvedLimits, resolveLimits } from '../../http/limits.js';
import { defaultTransport } from '../../http/node-fetch.js';
import { postJson } from '../../http/post.js';
import { redactError, redactHeaders, redactSecrets, redactUrl } from '../../http/redact.js';
import { type RetryPolicy, resolveRetryPolicy, retryDecision, sleep } from '../../http/retry.js';
import { type ResolvedTimeouts, resolveTimeouts, timeoutError } from '../../http/timeouts.js';
import { type BodyReader, fetchTransport, type Transport } from '../../http/transport.js';
import type { AssistantEvent } from '../../types/events.js';
import type { StreamOptions } from '../../types/options.js';
import { BodyDecoder } from './body-decoder.js';
import type { MessageBuilder } from '../../stream/message-builder.js';
import type { ResponseHandler } from './response-handler.js';
import type { PreparedRequest, ProviderHooks } from './run-stream.js';

type Phase = 'prepare' | 'open' | 'send' | 'read' | 'finished' | 'closed';
type Step = IteratorResult<AssistantEvent[], void>;

const DONE: Step = Object.freeze({ done: true, value: undefined }) as Step;
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function toError(error: unknown, secrets: readonly string[]): SdkError {
  if (SdkError.isInstance(error)) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new SdkError(redactSecrets(text, secrets), { cause: undefined });
}

/**
 * One model call as a pull-based state machine: every `next()` runs the call forward until the message
 * builder has events (one body chunk's worth, as a batch), and nothing runs between pulls. Phases:
 * `prepare` (build the request, `start` event) → `open` (serialize, arm the total limit) → `send` (one
 * attempt: POST, first-byte limit; after a retryable failure, the backoff sleep first) → `read` (body
 * chunks, idle limit) → `finished` (terminal event delivered) or `closed` (the consumer stopped).
 *
 * A hand-written iterator rather than an async generator: a suspended generator keeps its whole register
 * file (the request payload, the last body chunk, every local) for as long as the consumer holds the
 * stream, and each event crossed two generator layers. Here the state is exactly these fields.
 *
 * Reliability rules: retries follow `http/retry.ts` (a `retry` event each, never once a body byte
 * arrived); the first-byte and idle limits are the attempt's, the total limit is the call's and aborts the
 * current attempt; the caller's signal aborts the attempt directly (no controller of the call's own, which
 * costs about 1 KB per open stream on Node). Every failure becomes the terminal `error` event, redacted.
 */
export class ModelCall implements AsyncIterator<AssistantEvent[], void, undefined> {
  readonly #builder: MessageBuilder;
  readonly #options: StreamOptions;
  readonly #hooks: ProviderHooks;
  #phase: Phase = 'prepare';
  /** The prepared request, until it is serialized. */
  #prepared: PreparedRequest | undefined;
  /** What each attempt sends: the full URL (credentials may be in it), headers, JSON text. */
  #endpoint = '';
  #headers: Record<string, string> = NO_HEADERS;
  #connectionHint: string | undefined;
  /** The redacted URL, for messages. */
  #url = '';
  #secrets: readonly string[] = [];
  #body = '';
  #timeouts: ResolvedTimeouts | undefined;
  #limits: ResolvedLimits | undefined;
  #transport: Transport | undefined;
  #policy: RetryPolicy | undefined;
  #timer: CallTimer | undefined;
  #deadline = 0;
  #expired: TimeoutError | undefined;
  #retryIndex = 0;
  #delayMs = -1;
  #attempt: Attempt | undefined;
  #handler: ResponseHandler | undefined;
  #reader: BodyReader | undefined;
  #decoder: BodyDecoder | undefined;

  constructor(builder: MessageBuilder, options: StreamOptions, hooks: ProviderHooks) {
    this.#builder = builder;
    this.#options = options;
    this.#hooks = hooks;
  }

  /** Runs the call until the next batch of events, or reports the end. Never rejects. */
  next(): Promise<Step> {
    if (this.#phase === 'finished' || this.#phase === 'closed') return Promise.resolve(DONE);
    return this.#advance();
  }

  /**
   * A time limit passed (see {@link CallTimer}): aborts the current attempt with its `TimeoutError`; the
   * total limit also ends the call (no retry after it).
   */
  onTimeout(error: TimeoutError): void {
    if (error.phase === 'total') this.#expired = error;
    this.#attempt?.abort(error);
  }

  /** The consumer stopped: closes the request, clears the timers, marks an unfinished message aborted. */
  return(): Promise<Step> {
    this.#close();
    return Promise.resolve(DONE);
  }

  async #advance(): Promise<Step> {
    try {
      if (this.#phase === 'prepare') return await this.#prepare();
      if (this.#phase === 'open') this.#open();
      try {
        if (this.#phase === 'send') await this.#send();
        return await this.#read();
      } catch (error) {
        return this.#retryOrThrow(error);
      }
    } catch (error) {
      return this.#fail(error);
    }
  }

  #batch(): Step {
    return { done: false, value: this.#builder.drain() };
  }

  async #prepare(): Promise<Step> {
    const builder = this.#builder;
    let prepared: PreparedRequest;
    try {
      prepared = await this.#hooks.prepare();
    } catch (error) {
      builder.start([]);
      throw error;
    }
    this.#prepared = prepared;
    this.#secrets = prepared.secrets;
    this.#url = redactUrl(prepared.url);
    this.#timeouts = resolveTimeouts(this.#options.timeouts);
    this.#limits = resolveLimits(this.#options.limits);
    builder.url = this.#url;
    builder.limits = this.#limits;
    builder.start(prepared.warnings);
    this.#phase = 'open';
    return this.#batch();
  }

  /** After `start` was delivered: serialize once (retries resend the text) and arm the total limit. */
  #open(): void {
    const options = this.#options;
    if (options.signal?.aborted) throw new AbortError('The request was aborted before it was sent.');
    const prepared = this.#prepared as PreparedRequest;
    let payload = prepared.body;
    if (options.onPayload) payload = options.onPayload(payload) ?? payload;
    this.#body = JSON.stringify(payload);
    // Only the JSON text is needed from here on: the payload object (the history in wire form) is let go.
    this.#endpoint = prepared.url;
    this.#headers = prepared.headers;
    this.#connectionHint = prepared.connectionHint;
    this.#prepared = undefined;
    const timeouts = this.#timeouts as ResolvedTimeouts;
    this.#timer = new CallTimer(this, this.#url, timeouts);
    this.#timer.start();
    this.#deadline = this.#timer.totalDeadline;
    this.#transport = options.fetch ? fetchTransport(options.fetch) : defaultTransport(timeouts.connectMs);
    this.#policy = resolveRetryPolicy(options.retry);
    this.#phase = 'send';
  }

  /** One attempt up to the response headers (after the backoff, when this is a retry). */
  async #send(): Promise<void> {
    const signal = this.#options.signal;
    const timeouts = this.#timeouts as ResolvedTimeouts;
    if (this.#delayMs >= 0) {
      // Never past the total limit: wake when it passes, then end with its error.
      await sleep(Math.max(0, Math.min(this.#delayMs, this.#deadline - performance.now())), signal);
      this.#delayMs = -1;
      if (this.#expired === undefined && performance.now() >= this.#deadline) {
        this.#expired = timeoutError('total', timeouts.totalMs, this.#url);
      }
    }
    if (this.#expired) throw this.#expired;
    const attempt = new Attempt(signal);
    this.#attempt = attempt;
    const url = this.#url;
    this.#timer?.phase('firstByte');
    const response = await postJson({
      url: this.#endpoint,
      headers: this.#headers,
      body: this.#body,
      signal: attempt.signal,
      transport: this.#transport as Transport,
      secrets: this.#secrets,
      ...(this.#connectionHint !== undefined && { connectionHint: this.#connectionHint }),
    });
    this.#options.onResponse?.({ status: response.status, headers: redactHeaders(response.headers) });
    const handler = this.#hooks.handler(this.#builder, url);
    if (!response.body)
      throw new StreamParseError(`Empty response body from ${url}.`, { kind: 'truncated', url });
    this.#handler = handler;
    this.#reader = response.body.getReader();
    attempt.reader = this.#reader;
    const limits = this.#limits as ResolvedLimits;
    this.#decoder = new BodyDecoder(
      handler,
      response.headers.get('content-type'),
      limits,
      url,
      this.#secrets,
    );
    this.#phase = 'read';
  }

  /** Reads body chunks until the builder has events; at the end of the body, finishes the message. */
  async #read(): Promise<Step> {
    const attempt = this.#attempt as Attempt;
    const reader = this.#reader as BodyReader;
    const decoder = this.#decoder as BodyDecoder;
    const builder = this.#builder;
    const timer = this.#timer as CallTimer;
    const maxBytes = (this.#limits as ResolvedLimits).maxResponseBytes;
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      timer.phase('idle');
      attempt.bytes += step.value.byteLength;
      if (attempt.bytes > maxBytes) {
        throw limitError('response body too large', 'maxResponseBytes', maxBytes, this.#url);
      }
      decoder.push(step.value);
      if (builder.queue.length > 0) return this.#batch();
    }
    attempt.bodyDone = true;
    timer.phase(undefined);
    decoder.end();
    const { info, error } = (this.#handler as ResponseHandler).end();
    builder.finish(info, error ? redactError(error, this.#secrets) : undefined);
    this.#finish();
    return this.#batch();
  }

  /** A failed attempt: the `retry` event when the policy allows one, else rethrows the typed error. */
  #retryOrThrow(error: unknown): Step {
    const attempt = this.#attempt;
    if (attempt === undefined || this.#phase === 'closed') throw error;
    const err = redactError(attempt.classify(error, this.#url, this.#secrets), this.#secrets);
    const decision = attempt.received
      ? undefined
      : retryDecision(err, this.#retryIndex, this.#policy as RetryPolicy);
    if (decision === undefined) throw err;
    attempt.close();
    this.#timer?.phase(undefined);
    this.#attempt = undefined;
    this.#handler = undefined;
    this.#reader = undefined;
    this.#decoder = undefined;
    this.#retryIndex++;
    this.#delayMs = decision.delayMs;
    this.#phase = 'send';
    return {
      done: false,
      value: [
        {
          type: 'retry',
          attempt: this.#retryIndex + 1,
          delayMs: decision.delayMs,
          reason: decision.reason,
          error: err,
        },
      ],
    };
  }

  /** Any failure: the terminal `error` event (`aborted` for the caller's abort), redacted. */
  #fail(error: unknown): Step {
    if (this.#phase === 'closed') return DONE;
    const builder = this.#builder;
    const stopped = this.#options.signal?.aborted === true || this.#expired !== undefined;
    const aborted = AbortError.isInstance(error) || (stopped && !SdkError.isInstance(error));
    const secrets = this.#secrets;
    const err = aborted
      ? AbortError.isInstance(error)
        ? error
        : new AbortError('The request was aborted.')
      : redactError(toError(error, secrets), secrets);
    builder.fail(aborted ? 'aborted' : 'error', err);
    this.#finish();
    return this.#batch();
  }

  /** The terminal event is queued: release everything (the body was read to its end, or failed). */
  #finish(): void {
    this.#phase = 'finished';
    this.#release();
  }

  #close(): void {
    if (this.#phase === 'closed') return;
    const builder = this.#builder;
    if (!builder.finished) {
      builder.message.stopReason = 'aborted';
      builder.message.errorMessage = 'The consumer stopped reading the stream before it ended.';
    }
    this.#phase = 'closed';
    this.#release();
  }

  #release(): void {
    this.#timer?.clear();
    this.#attempt?.close();
    this.#prepared = undefined;
    this.#body = '';
    this.#headers = NO_HEADERS;
    this.#handler = undefined;
    this.#reader = undefined;
    this.#decoder = undefined;
  }
}
