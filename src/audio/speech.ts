/**
 * Text to speech over `POST {baseUrl}/audio/speech` (OpenAI API reference "Create speech"; speaches,
 * Kokoro-FastAPI, LocalAI and llama.cpp accept the same JSON body).
 *
 * @module
 */

import { StreamParseError } from '../errors/stream-parse-error.js';
import { send } from '../http/send.js';
import { SseDecoder } from '../http/sse.js';
import { concatBytes, type EndpointOptions, endpointHeaders, endpointUrl, sendOptions } from './endpoint.js';
import { openStream } from './stream-request.js';

/** The `response_format` values of the speech endpoint. */
export type SpeechFormat = 'mp3' | 'opus' | 'aac' | 'flac' | 'wav' | 'pcm';

/** MIME type of each {@link SpeechFormat} (`pcm` is raw signed 16-bit little-endian, 24 kHz mono on OpenAI). */
export const SPEECH_MIME_TYPES: Readonly<Record<SpeechFormat, string>> = Object.freeze({
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
});

/** Options of {@link generateSpeech} and {@link streamSpeech}. */
export interface SpeechOptions extends EndpointOptions {
  /** Model id (`gpt-4o-mini-tts`, `tts-1`, `kokoro` on Kokoro-FastAPI, `speaches-ai/Kokoro-82M-v1.0-ONNX`). */
  model: string;
  /** The text to speak (OpenAI: at most 4096 characters). */
  input: string;
  /** Voice name (`alloy`, `af_heart` ...). */
  voice: string;
  /** Audio format. @default 'mp3' (the server's default) */
  format?: SpeechFormat;
  /** Speed, 0.25..4.0. @default 1 */
  speed?: number;
  /** Style instructions (not supported by `tts-1` / `tts-1-hd`). */
  instructions?: string;
  /** Extra JSON fields a server documents (speaches: `sample_rate`; Kokoro-FastAPI: `lang_code`, `volume_multiplier`). */
  extraBody?: Record<string, unknown>;
  /** Path under `baseUrl`. @default '/audio/speech' */
  path?: string;
}

/** Options of {@link streamSpeech}. */
export interface StreamSpeechOptions extends SpeechOptions {
  /**
   * `'audio'`: the raw body streamed as it arrives (any server). `'sse'`: sends `stream_format: "sse"` and
   * decodes `speech.audio.delta` events (base64 `audio`) (OpenAI `gpt-4o-mini-tts`, speaches).
   * @default 'audio'
   */
  streamFormat?: 'audio' | 'sse';
}

/** Synthesized audio. */
export interface Speech {
  /** The audio file's bytes (or raw PCM for `pcm`). */
  audio: Uint8Array;
  /** Its MIME type: the server's `content-type` when it names audio, else the one of `format`. */
  mimeType: string;
}

function speechBody(options: SpeechOptions, streamFormat?: 'sse'): string {
  return JSON.stringify({
    ...options.extraBody,
    model: options.model,
    input: options.input,
    voice: options.voice,
    ...(options.format !== undefined && { response_format: options.format }),
    ...(options.speed !== undefined && { speed: options.speed }),
    ...(options.instructions !== undefined && { instructions: options.instructions }),
    ...(streamFormat !== undefined && { stream_format: streamFormat }),
  });
}

function mimeOf(contentType: string | null, format: SpeechFormat | undefined): string {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type?.startsWith('audio/')) return type;
  return SPEECH_MIME_TYPES[format ?? 'mp3'];
}

/**
 * Synthesizes `input` and returns the whole audio. JSON body: `model`, `input`, `voice`,
 * `response_format`, `speed`, `instructions` (only those given) plus `extraBody`.
 *
 * @throws {ApiError} for a non-2xx answer (with the server's message); `ConnectionError`, `TimeoutError`,
 *   `AbortError` as `send()` does.
 */
export async function generateSpeech(options: SpeechOptions): Promise<Speech> {
  const response = await send({
    url: endpointUrl(options.baseUrl, options.path ?? '/audio/speech'),
    headers: endpointHeaders(options, { 'content-type': 'application/json' }),
    body: speechBody(options),
    responseAs: 'bytes',
    ...sendOptions(options),
  });
  return { audio: response.body, mimeType: mimeOf(response.headers.get('content-type'), options.format) };
}

/**
 * Synthesizes `input` and yields the audio in chunks as they arrive (see
 * {@link StreamSpeechOptions.streamFormat}). Breaking out of the loop (or the signal) closes the request.
 * Concatenated, the chunks are the same bytes {@link generateSpeech} returns.
 *
 * @throws as {@link generateSpeech}; {@link StreamParseError} for an SSE event that is not JSON.
 */
export async function* streamSpeech(
  options: StreamSpeechOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const url = endpointUrl(options.baseUrl, options.path ?? '/audio/speech');
  const sse = options.streamFormat === 'sse';
  const response = await openStream({
    url,
    headers: endpointHeaders(options, { 'content-type': 'application/json' }),
    body: speechBody(options, sse ? 'sse' : undefined),
    ...sendOptions(options),
  });
  try {
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      yield* response.chunks;
      return;
    }
    const decoder = new SseDecoder();
    const pending: Uint8Array[] = [];
    const onEvent = (event: { data: string }): void => {
      if (event.data === '' || event.data === '[DONE]') return;
      let data: { type?: unknown; audio?: unknown; delta?: unknown };
      try {
        data = JSON.parse(event.data) as typeof data;
      } catch {
        throw new StreamParseError(`A speech event from ${url} is not valid JSON.`, {
          kind: 'invalid_json',
          url,
        });
      }
      const b64 = typeof data.audio === 'string' ? data.audio : data.delta;
      if (data.type === 'speech.audio.delta' && typeof b64 === 'string') pending.push(fromBase64(b64));
    };
    for await (const chunk of response.chunks) {
      decoder.push(chunk, onEvent);
      yield* pending.splice(0);
    }
    decoder.end(onEvent);
    yield* pending.splice(0);
  } finally {
    response.close();
  }
}

/** Decodes standard base64 (no `Buffer`, so it runs in browsers too). */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Collects a chunk stream into one array (for tests and the CLI). */
export async function collectBytes(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return concatBytes(parts);
}
