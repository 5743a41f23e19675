/**
 * A realtime session over WebSocket speaking the OpenAI Realtime event protocol (client events
 * `session.update`, `input_audio_buffer.append/commit`, `conversation.item.create`, `response.create`,
 * `response.cancel`; server events as in `realtime-events.ts`). Works with any server that speaks it
 * (OpenAI `wss://api.openai.com/v1/realtime?model=...`, speaches and LocalAI `ws://host/v1/realtime`).
 * Function calls run our {@link Tool}s and their results are sent back.
 *
 * @module
 */

import { Channel } from '../agent/channel.js';
import { AbortError } from '../errors/abort-error.js';
import { ConnectionError } from '../errors/connection-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { redactSecrets, redactUrl } from '../http/redact.js';
import { parseFinalArguments } from '../stream/tool-arguments.js';
import { executeToolCall } from '../tools/execute-tool-call.js';
import type { Tool } from '../tools/tool.js';
import { RealtimeError } from './realtime-error.js';
import type { RealtimeServerEvent, RealtimeSessionEvent } from './realtime-events.js';
import { loadWebSocket, type WsSocket } from './ws-loader.js';

/** A function call the model made, for {@link RealtimeOptions.approve}. */
export interface RealtimeToolCall {
  callId: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** Options of {@link RealtimeSession.connect}. */
export interface RealtimeOptions<Ctx = unknown> {
  /** The WebSocket URL (`ws:`/`wss:`; `http:`/`https:` are taken as `ws:`/`wss:`). The only host contacted. */
  url: string;
  /** Model id, added as `?model=` when the URL has none. */
  model?: string;
  /** Sent as `Authorization: Bearer <key>`; never in errors or events. */
  apiKey?: string;
  /** Extra handshake headers (e.g. `OpenAI-Beta: realtime=v1` for the beta protocol). */
  headers?: Record<string, string>;
  /** Session settings sent as `session.update` on connect (`type`, `instructions`, `audio`, ...), tools added. */
  session?: Record<string, unknown>;
  /** Tools the model may call; declared in `session.update` as `{ type: 'function', name, description, parameters }`. */
  tools?: Tool<unknown, Ctx>[];
  /** Context passed to the tools. */
  context?: Ctx;
  /** Asked before each function call runs; `false` sends a refusal as the output instead. */
  approve?: (call: RealtimeToolCall) => boolean | Promise<boolean>;
  /** Aborting closes the session (or stops connecting). */
  signal?: AbortSignal;
  /** Limit on the WebSocket handshake, ms. @default 10000 */
  connectTimeoutMs?: number;
}

function socketUrl(options: RealtimeOptions<unknown>): string {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new InvalidArgumentError(`Not a URL: ${JSON.stringify(redactUrl(options.url))}.`, {
      argument: 'url',
    });
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new InvalidArgumentError(`A realtime URL must be ws: or wss:, got ${url.protocol}`, {
      argument: 'url',
    });
  }
  if (options.model !== undefined && !url.searchParams.has('model'))
    url.searchParams.set('model', options.model);
  return url.toString();
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * A connected realtime session. Read {@link RealtimeSession.events} (one consumer) and send with the
 * methods; {@link RealtimeSession.close} (or the signal) closes the socket and aborts running tools.
 */
export class RealtimeSession<Ctx = unknown> {
  readonly #socket: WsSocket;
  readonly #options: RealtimeOptions<Ctx>;
  readonly #url: string;
  readonly #events = new Channel<RealtimeSessionEvent>();
  readonly #tools = new AbortController();
  /** Tool runs per response id; `response.create` follows once a response's calls all finished. */
  readonly #calls = new Map<string, Promise<void>[]>();
  #closed: Promise<void>;
  #onAbort: (() => void) | undefined;

  private constructor(socket: WsSocket, options: RealtimeOptions<Ctx>, url: string) {
    this.#socket = socket;
    this.#options = options;
    this.#url = url;
    this.#closed = new Promise<void>((resolve) => {
      socket.on('close', (code, reason) => {
        this.#tools.abort();
        this.#events.push({ type: 'closed', code, reason: String(reason ?? '') });
        this.#events.close();
        if (this.#onAbort) options.signal?.removeEventListener('abort', this.#onAbort);
        resolve();
      });
    });
    socket.on('message', (data) => this.#receive(data));
    socket.on('error', (error) =>
      this.#fail(
        new ConnectionError(this.#redact(`The realtime connection to ${url} failed: ${error.message}`), {
          url,
        }),
      ),
    );
    if (options.signal) {
      this.#onAbort = () => void this.close();
      options.signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /**
   * Opens the WebSocket, then sends `session.update` with `session` and the tools (when either is given).
   *
   * @throws {InvalidArgumentError} for a URL that is not ws/wss/http/https, or when `ws` is not installed.
   * @throws {RealtimeError} with `status` when the server refuses the handshake (401, 404 ...).
   * @throws {ConnectionError} when no connection is made (refused, handshake timeout).
   * @throws {AbortError} when `signal` aborts first.
   */
  static async connect<Ctx = unknown>(options: RealtimeOptions<Ctx>): Promise<RealtimeSession<Ctx>> {
    const url = socketUrl(options as RealtimeOptions<unknown>);
    const shown = redactUrl(url);
    if (options.signal?.aborted) throw new AbortError('The realtime connection was aborted.');
    const WebSocket = await loadWebSocket();
    const headers: Record<string, string> = { ...options.headers };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const socket = new WebSocket(url, {
      headers,
      handshakeTimeout: options.connectTimeoutMs ?? 10_000,
      followRedirects: false,
    });
    const secrets = [options.apiKey];
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        socket.terminate();
        reject(new AbortError('The realtime connection was aborted.'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (error?: SdkError): void => {
        options.signal?.removeEventListener('abort', onAbort);
        if (error) {
          socket.removeAllListeners();
          socket.on('error', () => {});
          socket.terminate();
          reject(error);
        } else resolve();
      };
      socket.on('open', () => settle());
      socket.on('unexpected-response', (_request, response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        settle(
          new RealtimeError(
            `The realtime server at ${shown} refused the connection: HTTP ${status} ${response.statusMessage ?? ''}`.trim(),
            { status },
          ),
        );
      });
      socket.on('error', (error) => {
        settle(
          new ConnectionError(
            redactSecrets(`Could not connect to the realtime server at ${shown}: ${error.message}`, secrets),
            { url: shown },
          ),
        );
      });
    });
    socket.removeAllListeners();
    const session = new RealtimeSession(socket, options, shown);
    const tools = options.tools ?? [];
    if (options.session !== undefined || tools.length > 0) {
      session.updateSession({
        ...options.session,
        ...(tools.length > 0 && {
          tools: tools.map((t) => ({
            type: 'function',
            name: t.name,
            description: t.spec.description ?? '',
            parameters: t.spec.parameters,
          })),
        }),
      });
    }
    return session;
  }

  /** The session's events, in order, ending with `closed`. One consumer. */
  events(): AsyncIterable<RealtimeSessionEvent> {
    return this.#events;
  }

  /** Sends a client event as is (`{ type: 'conversation.item.truncate', ... }`). Ignored once closed. */
  send(event: { type: string; [key: string]: unknown }): void {
    if (this.#socket.readyState !== 1) return;
    this.#socket.send(JSON.stringify(event), (error) => {
      if (error)
        this.#fail(
          new ConnectionError(this.#redact(`Sending to ${this.#url} failed: ${error.message}`), {
            url: this.#url,
          }),
        );
    });
  }

  /** `session.update` with `session` (`{ type: 'realtime', instructions, audio, tools, ... }`). */
  updateSession(session: Record<string, unknown>): void {
    this.send({ type: 'session.update', session });
  }

  /** `input_audio_buffer.append` with the audio (PCM16 at the session's input rate) base64-encoded; `commit` adds `input_audio_buffer.commit`. */
  sendAudio(audio: Uint8Array, options: { commit?: boolean } = {}): void {
    this.send({ type: 'input_audio_buffer.append', audio: toBase64(audio) });
    if (options.commit) this.commitAudio();
  }

  /** `input_audio_buffer.commit`: the buffered audio becomes a user message (needed without server VAD). */
  commitAudio(): void {
    this.send({ type: 'input_audio_buffer.commit' });
  }

  /** A user text message (`conversation.item.create`), then `response.create` unless `respond` is false. */
  sendText(text: string, options: { respond?: boolean } = {}): void {
    this.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
    });
    if (options.respond !== false) this.createResponse();
  }

  /** `response.create`, with optional response settings. */
  createResponse(response?: Record<string, unknown>): void {
    this.send({ type: 'response.create', ...(response !== undefined && { response }) });
  }

  /** `response.cancel`: stops the response in progress (barge-in). */
  cancelResponse(): void {
    this.send({ type: 'response.cancel' });
  }

  /**
   * Closes the session: aborts running tools, sends a close frame, and ends the socket (terminated after
   * `timeoutMs` if the server does not answer the close). Resolves once the socket is closed. Idempotent.
   */
  async close(timeoutMs = 2000): Promise<void> {
    this.#tools.abort();
    if (this.#socket.readyState < 2) this.#socket.close(1000, 'client closed');
    const timer = setTimeout(() => this.#socket.terminate(), timeoutMs);
    try {
      await this.#closed;
    } finally {
      clearTimeout(timer);
    }
  }

  #redact(text: string): string {
    return redactSecrets(text, [this.#options.apiKey]);
  }

  #fail(error: SdkError): void {
    this.#events.push({ type: 'error', error });
  }

  #receive(data: unknown): void {
    let event: RealtimeServerEvent;
    try {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array);
      event = JSON.parse(text) as RealtimeServerEvent;
      if (typeof event !== 'object' || event === null || typeof event.type !== 'string')
        throw new Error('no type');
    } catch {
      this.#fail(
        new StreamParseError(`A realtime message from ${this.#url} is not a JSON event.`, {
          kind: 'invalid_json',
          url: this.#url,
        }),
      );
      return;
    }
    this.#events.push({ type: 'server_event', event });
    this.#dispatch(event);
  }

  #dispatch(event: RealtimeServerEvent): void {
    const responseId = str(event.response_id);
    const itemId = str(event.item_id);
    const delta = str(event.delta);
    switch (event.type) {
      case 'response.output_audio.delta':
      case 'response.audio.delta':
        if (delta !== undefined)
          this.#events.push({
            type: 'audio',
            audio: fromBase64(delta),
            ...(responseId && { responseId }),
            ...(itemId && { itemId }),
          });
        return;
      case 'response.output_text.delta':
      case 'response.text.delta':
        if (delta !== undefined)
          this.#events.push({ type: 'text_delta', delta, ...(responseId && { responseId }) });
        return;
      case 'response.output_audio_transcript.delta':
      case 'response.audio_transcript.delta':
      case 'conversation.item.input_audio_transcription.delta':
        if (delta !== undefined) {
          const role = event.type.startsWith('conversation') ? 'user' : 'assistant';
          this.#events.push({ type: 'transcript_delta', role, delta, ...(itemId && { itemId }) });
        }
        return;
      case 'response.function_call_arguments.done':
        this.#onFunctionCall(event);
        return;
      case 'response.done':
        this.#onResponseDone(event);
        return;
      case 'error': {
        const detail = (typeof event.error === 'object' && event.error !== null ? event.error : {}) as Record<
          string,
          unknown
        >;
        const code = str(detail.code) ?? str(detail.type);
        const eventId = str(detail.event_id);
        this.#fail(
          new RealtimeError(
            this.#redact(`The realtime server reported: ${str(detail.message) ?? 'an error'}`),
            {
              ...(code !== undefined && { code }),
              ...(eventId !== undefined && { eventId }),
            },
          ),
        );
        return;
      }
      default:
    }
  }

  #onFunctionCall(event: RealtimeServerEvent): void {
    const callId = str(event.call_id) ?? '';
    const name = str(event.name) ?? '';
    const parsed = parseFinalArguments(str(event.arguments) ?? '{}');
    const run = this.#runTool(callId, name, parsed.arguments, parsed.rawArguments);
    const key = str(event.response_id) ?? '';
    const list = this.#calls.get(key) ?? [];
    list.push(run);
    this.#calls.set(key, list);
  }

  async #runTool(
    callId: string,
    name: string,
    args: Record<string, unknown>,
    raw: string | undefined,
  ): Promise<void> {
    const tools = this.#options.tools ?? [];
    let output: string;
    let isError: boolean;
    let approved = true;
    try {
      if (this.#options.approve) approved = await this.#options.approve({ callId, name, arguments: args });
    } catch {
      approved = false;
    }
    if (!approved) {
      output = `The user refused to run ${name}.`;
      isError = true;
    } else {
      this.#events.push({ type: 'tool_start', callId, name, arguments: args });
      const execution = await executeToolCall({
        tool: tools.find((t) => t.name === name),
        available: tools.map((t) => t.name),
        call: {
          type: 'toolCall',
          id: callId,
          name,
          arguments: args,
          ...(raw !== undefined && { rawArguments: raw }),
        },
        signal: this.#tools.signal,
        context: this.#options.context as Ctx,
      });
      const parts = execution.message.content.map((part) =>
        part.type === 'text' ? part.text : '[image omitted]',
      );
      output = parts.join('\n');
      isError = execution.message.isError;
    }
    this.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: callId, output },
    });
    this.#events.push({ type: 'tool_end', callId, name, output, isError });
  }

  #onResponseDone(event: RealtimeServerEvent): void {
    const response = (
      typeof event.response === 'object' && event.response !== null ? event.response : {}
    ) as Record<string, unknown>;
    this.#events.push({ type: 'response_done', response });
    const key = str(response.id) ?? '';
    const runs = this.#calls.get(key) ?? (key !== '' ? this.#calls.get('') : undefined);
    if (!runs) return;
    this.#calls.delete(key);
    this.#calls.delete('');
    void Promise.all(runs).then(() => {
      if (!this.#tools.signal.aborted) this.createResponse();
    });
  }
}
