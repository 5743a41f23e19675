import { type DebugSwitches, debugLog, debugSwitches } from '../debug/debug.js';
import { AbortError } from '../errors/abort-error.js';
import { ApiError } from '../errors/api-error.js';
import { SdkError } from '../errors/sdk-error.js';
import { StreamParseError } from '../errors/stream-parse-error.js';
import type { TimeoutError } from '../errors/timeout-error.js';
import { Attempt } from '../http/attempt.js';
import { CallTimer } from '../http/call-timer.js';
import { limitError, type ResolvedLimits, resolveLimits } from '../http/limits.js';
import { defaultTransport } from '../http/node-fetch.js';
import { type OriginTicket, originKey, resolveMaxConcurrent, takeSlot } from '../http/origin-limiter.js';
import { sendAttempt } from '../http/post.js';
import { redactError, redactHeaders, redactSecrets, redactUrl, redactValue } from '../http/redact.js';
import { type RetryPolicy, resolveRetryPolicy, retryDecision, sleep } from '../http/retry.js';
import { type ResolvedTimeouts, resolveTimeouts, timeoutError } from '../http/timeouts.js';
import { type BodyReader, fetchTransport, type Transport } from '../http/transport.js';
import type { EventSource } from '../stream/driver.js';
import type { MessageBuilder } from '../stream/message-builder.js';
import type { StreamOptions } from '../types/options.js';
import { BodyDecoder } from './shared/body-decoder.js';
import type { ResponseHandler } from './shared/response-handler.js';

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

/** What an HTTP provider plugs into {@link HttpSource}. */
export interface ProviderHooks {
  /** Builds the request; may throw `InvalidArgumentError` (reported as an `error` event, never thrown). */
  prepare(): PreparedRequest | Promise<PreparedRequest>;
  /** Creates the parser for one response (one per attempt). */
  handler(builder: MessageBuilder, url: string): ResponseHandler;
}

/** What every attempt of the call shares, fixed once the request is serialized. */
interface Call {
  /** The full URL (credentials may be in it), headers and JSON text each attempt sends. */
  readonly endpoint: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly connectionHint: string | undefined;
  readonly transport: Transport;
  readonly timer: CallTimer;
  readonly deadline: number;
  /** Resolved on the first failure (most calls never need it: two environment reads saved). */
  policy?: RetryPolicy;
}

/** One attempt whose response headers arrived: the body is being read (kept in the state itself: one object less per open stream). */
interface Reading {
  readonly phase: 'reading';
  readonly call: Call;
  readonly attempt: Attempt;
  readonly reader: BodyReader;
  readonly decoder: BodyDecoder;
  readonly handler: ResponseHandler;
}

/**
 * The call's state, one phase at a time (each holds exactly what it needs, so nothing is read before it
 * exists): `prepared` (request built, not yet serialized) → `sending` (an attempt is due; after a retryable
 * failure, `delayMs` of backoff first) → `reading` (a 2xx body) → `ended` (everything released).
 */
type State =
  | { readonly phase: 'idle' }
  | { readonly phase: 'prepared'; readonly request: PreparedRequest }
  | { readonly phase: 'sending'; readonly call: Call; readonly delayMs: number; attempt?: Attempt }
  | Reading
  | { readonly phase: 'ended' };

const ENDED: State = Object.freeze({ phase: 'ended' });

/**
 * After the end marker: true when the body's end is already there (the usual case, so the connection is
 * reused); false when the server keeps sending or holds the socket open (the caller then cancels it).
 * A reader that knows it without a read (`BodyReader.ended`, the Node transport) answers; otherwise this
 * waits one macrotask at most for the end of the body.
 */
async function bodyEndsNow(reader: BodyReader): Promise<boolean> {
  const known = reader.ended?.();
  if (known !== undefined && known !== false) return known;
  // setImmediate (Node, Bun, Deno) runs after pending I/O without a timer's 1 ms clamp or timer-list cost.
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = new Promise<undefined>((resolve) => {
    if (immediate) immediate(() => resolve(undefined));
    else timer = setTimeout(() => resolve(undefined), 0);
  });
  const next = await Promise.race([reader.read().catch(() => undefined), later]);
  if (timer !== undefined) clearTimeout(timer);
  return next?.done === true;
}

/**
 * One HTTP model call as an {@link EventSource}: prepares the request, POSTs it, decodes the body (SSE,
 * NDJSON or a whole JSON response) into the provider's handler, retries what may be retried.
 *
 * Reliability rules: retries follow `http/retry.ts` (a `retry` event each, never once a body byte
 * arrived); the first-byte and idle limits are the attempt's, the total limit is the call's and aborts the
 * current attempt; the caller's signal aborts the attempt directly (no controller of the call's own, which
 * costs about 1 KB per open stream on Node). Every error it throws is typed and redacted.
 */
export class HttpSource implements EventSource {
  readonly #options: StreamOptions;
  readonly #hooks: ProviderHooks;
  #state: State = { phase: 'idle' };
  /** The redacted URL, for messages. */
  #url = '';
  #secrets: readonly string[] = [];
  #timeouts: ResolvedTimeouts | undefined;
  #limits: ResolvedLimits | undefined;
  #expired: TimeoutError | undefined;
  #retryIndex = 0;
  /** Attempts sent so far, and whether the credentials were refreshed after a 401 (once per call). */
  #attempts = 0;
  #refresh: 'no' | 'due' | 'done' = 'no';
  /** When the body was serialized (`performance.now()`), for the `open-agent:http` debug timings. */
  #startedAt = 0;
  /** `model.maxConcurrentRequests` (the probed default), the call's limit once resolved, and its origin. */
  readonly #modelLimit: number | undefined;
  #limit: number | undefined;
  #origin = '';
  /** The origin slot of the current attempt (held or waited for); only with a limit. */
  #slot: OriginTicket | undefined;
  /** The `DEBUG` switches, read once per call in `open` (each `process.env` read is a C++ call). */
  #debug: DebugSwitches | undefined;
  /** `open-agent:http` is on: the per-chunk and per-attempt lines are built only then. */
  #debugHttp = false;

  /**
   * @param modelLimit - `model.maxConcurrentRequests`: the limit when neither the option nor the
   *   environment sets one.
   */
  constructor(options: StreamOptions, hooks: ProviderHooks, modelLimit?: number) {
    this.#options = options;
    this.#hooks = hooks;
    this.#modelLimit = modelLimit;
  }

  async open(builder: MessageBuilder): Promise<readonly string[]> {
    const prepared = await this.#hooks.prepare();
    this.#debug = debugSwitches();
    this.#debugHttp = this.#debug.enabled('open-agent:http');
    this.#secrets = prepared.secrets;
    this.#url = redactUrl(prepared.url);
    this.#timeouts = resolveTimeouts(this.#options.timeouts);
    this.#limits = resolveLimits(this.#options.limits);
    this.#limit = resolveMaxConcurrent(this.#options.maxConcurrentRequests, this.#modelLimit);
    if (this.#limit !== undefined) this.#origin = originKey(prepared.url);
    builder.url = this.#url;
    builder.limits = this.#limits;
    this.#state = { phase: 'prepared', request: prepared };
    return prepared.warnings;
  }

  pull(builder: MessageBuilder): Promise<void> {
    const state = this.#state;
    // Every pull after the first reads the body: no suspended frame of its own while the read waits.
    return state.phase === 'reading' ? this.#readBody(builder, state) : this.#advance(builder);
  }

  /**
   * Reads the body until the builder has events; a failed read queues the `retry` event when one is
   * allowed, else rejects with the typed error.
   */
  #readBody(builder: MessageBuilder, state: Reading): Promise<void> {
    return this.#read(builder, state.call, state).catch((error: unknown) => {
      try {
        this.#retry(builder, error, state.attempt, state.call);
      } catch (failure) {
        throw this.#typed(failure);
      }
    });
  }

  /** Prepares, sends and starts reading, through retries and waits for an origin slot. */
  async #advance(builder: MessageBuilder): Promise<void> {
    try {
      for (;;) {
        const state = this.#state;
        if (state.phase === 'prepared') this.#serialize(state.request);
        else if (state.phase === 'sending') {
          try {
            await this.#send(builder, state.call, state);
          } catch (error) {
            if (this.#retry(builder, error, state.attempt, state.call)) return;
          }
          // A `queued` event to deliver before waiting for the slot.
          if (builder.queue.length > 0) return;
        } else if (state.phase === 'reading') return await this.#readBody(builder, state);
        else return;
      }
    } catch (error) {
      throw this.#typed(error);
    }
  }

  /**
   * A time limit passed (see {@link CallTimer}): aborts the current attempt with its `TimeoutError`; the
   * total limit also ends the call (no retry after it).
   */
  onTimeout(error: TimeoutError): void {
    if (error.phase === 'total') this.#expired = error;
    const state = this.#state;
    if (state.phase === 'reading') state.attempt.abort(error);
    else if (state.phase === 'sending') {
      if (state.attempt) state.attempt.abort(error);
      else if (error.phase === 'total') this.#freeSlot(error);
    }
  }

  close(): void {
    const state = this.#state;
    this.#state = ENDED;
    if (this.#slot !== undefined) this.#freeSlot();
    if (state.phase === 'sending') {
      state.call.timer.clear();
      state.attempt?.close();
    } else if (state.phase === 'reading') {
      state.call.timer.clear();
      state.attempt.close();
    }
  }

  /** After `start` was delivered: serialize once (retries resend the text) and arm the total limit. */
  #serialize(prepared: PreparedRequest): void {
    const options = this.#options;
    if (options.signal?.aborted) throw new AbortError('The request was aborted before it was sent.');
    let payload = prepared.body;
    if (options.onPayload) payload = options.onPayload(payload) ?? payload;
    const timeouts = this.#timeouts as ResolvedTimeouts;
    const timer = new CallTimer(this, this.#url, timeouts);
    timer.start();
    // Only the JSON text is kept from here on: the payload object (the history in wire form) is let go.
    const call: Call = {
      endpoint: prepared.url,
      headers: prepared.headers,
      body: JSON.stringify(payload),
      connectionHint: prepared.connectionHint,
      transport: options.fetch ? fetchTransport(options.fetch) : defaultTransport(timeouts.connectMs),
      timer,
      deadline: timer.totalDeadline,
    };
    this.#state = { phase: 'sending', call, delayMs: -1 };
    this.#startedAt = performance.now();
    const debug = this.#debug as DebugSwitches;
    if (this.#debugHttp)
      debugLog(
        'open-agent:http',
        `POST ${this.#url} ${new TextEncoder().encode(call.body).length} bytes`,
        debug,
      );
    if (debug.enabled('open-agent:payload'))
      debugLog(
        'open-agent:payload',
        redactSecrets(JSON.stringify(redactValue(payload)), this.#secrets),
        debug,
      );
  }

  /** One `open-agent:http` line (the caller checked `#debugHttp`). */
  #debugLine(text: string): void {
    debugLog('open-agent:http', text, this.#debug);
  }

  /** Milliseconds since the body was serialized, for debug lines. */
  #elapsed(): string {
    return `${Math.round(performance.now() - this.#startedAt)} ms`;
  }

  /** One attempt up to the response headers (after the backoff, when this is a retry). */
  async #send(
    builder: MessageBuilder,
    call: Call,
    state: { readonly delayMs: number; attempt?: Attempt },
  ): Promise<void> {
    const signal = this.#options.signal;
    if (state.delayMs >= 0) {
      // Never past the total limit: wake when it passes, then end with its error.
      await sleep(Math.max(0, Math.min(state.delayMs, call.deadline - performance.now())), signal);
      if (this.#expired === undefined && performance.now() >= call.deadline) {
        this.#expired = timeoutError('total', (this.#timeouts as ResolvedTimeouts).totalMs, this.#url);
      }
    }
    if (this.#expired) throw this.#expired;
    if (this.#state !== state) return;
    if (this.#limit !== undefined && !(await this.#takeSlot(builder, call, state, this.#limit))) return;
    const headers = this.#options.credentials ? await this.#credentialHeaders(call) : call.headers;
    if (this.#expired) throw this.#expired;
    const attempt = new Attempt(signal);
    state.attempt = attempt;
    const url = this.#url;
    call.timer.phase('firstByte');
    const response = await sendAttempt({
      url: call.endpoint,
      headers,
      body: call.body,
      signal: attempt.signal,
      transport: call.transport,
      secrets: this.#secrets,
      ...(call.connectionHint !== undefined && { connectionHint: call.connectionHint }),
    });
    this.#options.onResponse?.({ status: response.status, headers: redactHeaders(response.headers) });
    if (this.#debugHttp)
      this.#debugLine(`${response.status} ${this.#url} first byte after ${this.#elapsed()}`);
    const handler = this.#hooks.handler(builder, url);
    if (!response.body)
      throw new StreamParseError(`Empty response body from ${url}.`, { kind: 'truncated', url });
    const reader = response.body.getReader();
    attempt.reader = reader;
    const limits = this.#limits as ResolvedLimits;
    const decoder = new BodyDecoder(
      handler,
      response.headers.get('content-type'),
      limits,
      url,
      this.#secrets,
    );
    if (this.#state !== state) {
      attempt.close();
      return;
    }
    this.#state = { phase: 'reading', call, attempt, reader, decoder, handler };
  }

  /**
   * Takes this attempt's slot of the origin. When it has to wait: queues the `queued` event, moves to a
   * fresh `sending` state (no second backoff) and returns false, so `pull` delivers the event first; the
   * next `pull` waits for the slot (abort and the total limit end the wait).
   */
  async #takeSlot(
    builder: MessageBuilder,
    call: Call,
    state: { readonly delayMs: number },
    limit: number,
  ): Promise<boolean> {
    let ticket = this.#slot;
    if (ticket === undefined) {
      ticket = takeSlot(this.#origin, limit, this.#options.signal);
      this.#slot = ticket;
      if (!ticket.granted) {
        builder.queue.push({ type: 'queued', position: ticket.position, limit, origin: this.#origin });
        this.#state = { phase: 'sending', call, delayMs: -1 };
        return false;
      }
    }
    await ticket.ready;
    if (this.#expired) throw this.#expired;
    return this.#state === state;
  }

  /** Frees the origin slot (or leaves the line; a waiting `ready` rejects with `reason`). */
  #freeSlot(reason?: Error): void {
    const slot = this.#slot;
    this.#slot = undefined;
    slot?.release(reason);
  }

  /** The call's headers with this attempt's credentials over them (their values become secrets). */
  async #credentialHeaders(call: Call): Promise<Record<string, string>> {
    const hook = this.#options.credentials as NonNullable<StreamOptions['credentials']>;
    const refresh = this.#refresh === 'due';
    if (refresh) this.#refresh = 'done';
    const extra = await hook({ attempt: this.#attempts++, refresh });
    const headers = { ...call.headers };
    const secrets = [...this.#secrets];
    for (const [name, value] of Object.entries(extra)) {
      headers[name.toLowerCase()] = value;
      const secret = value.replace(/^Bearer\s+/i, '');
      if (secret.length >= 8) secrets.push(secret);
    }
    this.#secrets = secrets;
    return headers;
  }

  /** Reads body chunks until the builder has events; at the end of the body, finishes the message. */
  async #read(builder: MessageBuilder, call: Call, read: Reading): Promise<void> {
    const { attempt, reader, decoder } = read;
    const timer = call.timer;
    const maxBytes = (this.#limits as ResolvedLimits).maxResponseBytes;
    for (;;) {
      const step = await reader.read();
      if (step.done) break;
      timer.phase('idle');
      if (attempt.bytes === 0 && this.#debugHttp) this.#debugLine(`first chunk after ${this.#elapsed()}`);
      attempt.bytes += step.value.byteLength;
      if (attempt.bytes > maxBytes) {
        throw limitError('response body too large', 'maxResponseBytes', maxBytes, this.#url);
      }
      decoder.push(step.value);
      // The end marker ends the call at once, even if the server keeps the socket open or sends more
      // (comments, keep-alives): close() then cancels the rest of the body.
      if (decoder.ended) break;
      if (builder.queue.length > 0) return;
    }
    attempt.bodyDone = !decoder.ended || (await bodyEndsNow(reader));
    timer.phase(undefined);
    decoder.end();
    if (this.#debugHttp) this.#debugLine(`done after ${this.#elapsed()}, ${attempt.bytes} bytes received`);
    const { info, error } = read.handler.end();
    builder.finish(info, error ? redactError(error, this.#secrets) : undefined);
  }

  /**
   * A failed attempt: queues the `retry` event and returns true when the policy allows one, else throws
   * the attempt's typed error.
   */
  #retry(builder: MessageBuilder, error: unknown, attempt: Attempt | undefined, call: Call): boolean {
    if (attempt === undefined || this.#state === ENDED) throw error;
    const err = redactError(attempt.classify(error, this.#url, this.#secrets), this.#secrets);
    const refresh =
      this.#refresh === 'no' &&
      this.#options.credentials !== undefined &&
      ApiError.isInstance(err) &&
      err.status === 401;
    if (refresh) this.#refresh = 'due';
    const decision = refresh
      ? { delayMs: 0, reason: 'HTTP 401, credentials refreshed' }
      : attempt.received
        ? undefined
        : retryDecision(err, this.#retryIndex, this.#policy(call));
    if (decision === undefined) throw err;
    attempt.close();
    if (this.#slot !== undefined) this.#freeSlot();
    call.timer.phase(undefined);
    this.#retryIndex++;
    this.#state = { phase: 'sending', call, delayMs: decision.delayMs };
    debugLog(
      'open-agent:retry',
      () => `attempt ${this.#retryIndex + 1} in ${decision.delayMs} ms: ${decision.reason}`,
      this.#debug,
    );
    builder.queue.push({
      type: 'retry',
      attempt: this.#retryIndex + 1,
      delayMs: decision.delayMs,
      reason: decision.reason,
      error: err,
    });
    return true;
  }

  /** The call's retry policy, resolved on its first failure. */
  #policy(call: Call): RetryPolicy {
    call.policy ??= resolveRetryPolicy(this.#options.retry);
    return call.policy;
  }

  /** The error the call ends with: typed and redacted; an abort (or the total limit) as `AbortError`. */
  #typed(error: unknown): unknown {
    if (SdkError.isInstance(error)) return redactError(error, this.#secrets);
    if (this.#expired !== undefined || this.#options.signal?.aborted === true) {
      return new AbortError('The request was aborted.');
    }
    const text = error instanceof Error ? error.message : String(error);
    return new SdkError(redactSecrets(text, this.#secrets));
  }
}
