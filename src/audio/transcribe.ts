/**
 * Speech to text over `POST {baseUrl}/audio/transcriptions` (OpenAI API reference "Create
 * transcription"; speaches, LocalAI, Ollama and whisper.cpp's `whisper-server` with
 * `--inference-path /v1/audio/transcriptions` accept the same multipart form).
 *
 * @module
 */

import { StreamParseError } from '../errors/stream-parse-error.js';
import { send } from '../http/send.js';
import { SseDecoder } from '../http/sse.js';
import { type AudioInput, audioPart } from './audio-input.js';
import { concatBytes, type EndpointOptions, endpointHeaders, endpointUrl, sendOptions } from './endpoint.js';
import { openStream } from './stream-request.js';

/** The `response_format` values of the transcription endpoint. */
export type TranscriptionFormat = 'json' | 'text' | 'srt' | 'verbose_json' | 'vtt';

/** Options of {@link transcribe} and {@link streamTranscription}. */
export interface TranscribeOptions extends EndpointOptions {
  /** Model id (`whisper-1`, `gpt-4o-mini-transcribe`, `Systran/faster-whisper-small` on speaches). */
  model: string;
  /** The audio file: bytes, a `Blob`/`File`, or `readAudioFile(path)`. Sent as the `file` part. */
  audio: AudioInput;
  /** File name of the `file` part (its extension tells the server the format). @default the input's own name, else `audio.<sniffed ext>` */
  filename?: string;
  /** ISO-639-1 language of the audio (`en`); helps accuracy and latency. */
  language?: string;
  /** Text to guide the style or continue a previous segment. */
  prompt?: string;
  /** Answer format. `verbose_json` adds language, duration, segments and words. @default 'json' */
  responseFormat?: TranscriptionFormat;
  /** Sampling temperature, 0..1. */
  temperature?: number;
  /** `timestamp_granularities[]`: `word` and/or `segment` (needs `responseFormat: 'verbose_json'`). */
  timestampGranularities?: ('word' | 'segment')[];
  /** `include[]`, e.g. `['logprobs']`. */
  include?: string[];
  /** Extra form fields a server documents (speaches: `hotwords`, `without_timestamps`); strings as sent. */
  extraFields?: Record<string, string>;
  /** Path under `baseUrl`. @default '/audio/transcriptions' (whisper.cpp's own server: '/inference' on the server root) */
  path?: string;
}

/** A segment of a `verbose_json` transcription; times in seconds. */
export interface TranscriptionSegment {
  id?: number;
  start: number;
  end: number;
  text: string;
  [key: string]: unknown;
}

/** A word with its times (seconds), when `timestampGranularities` includes `word`. */
export interface TranscriptionWord {
  word: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** The transcription: `text` always; the rest where the server returned them. */
export interface Transcription {
  /** The text (for `text`, `srt` and `vtt` formats: the body as sent). */
  text: string;
  /** Detected or given language. */
  language?: string;
  /** Length of the audio in seconds. */
  duration?: number;
  segments?: TranscriptionSegment[];
  words?: TranscriptionWord[];
  /** Token usage or seconds billed, as the server reported it. */
  usage?: Record<string, unknown>;
}

/** One event of {@link streamTranscription}. */
export type TranscriptionStreamEvent =
  | { type: 'transcript.text.delta'; delta: string }
  | { type: 'transcript.text.done'; text: string; usage?: Record<string, unknown> };

async function buildForm(options: TranscribeOptions, stream: boolean): Promise<FormData> {
  const form = new FormData();
  const { blob, filename } = await audioPart(options.audio, options.filename);
  form.append('file', blob, filename);
  form.append('model', options.model);
  if (options.language !== undefined) form.append('language', options.language);
  if (options.prompt !== undefined) form.append('prompt', options.prompt);
  if (options.responseFormat !== undefined) form.append('response_format', options.responseFormat);
  if (options.temperature !== undefined) form.append('temperature', String(options.temperature));
  for (const g of options.timestampGranularities ?? []) form.append('timestamp_granularities[]', g);
  for (const i of options.include ?? []) form.append('include[]', i);
  for (const [name, value] of Object.entries(options.extraFields ?? {})) form.append(name, value);
  if (stream) form.append('stream', 'true');
  return form;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Normalizes a JSON transcription body (`json` or `verbose_json`). */
export function parseTranscription(body: unknown, url: string): Transcription {
  const object = record(body);
  if (object === undefined || typeof object.text !== 'string') {
    throw new StreamParseError(`The transcription from ${url} has no "text" field.`, {
      kind: 'invalid_json',
      url,
    });
  }
  const out: Transcription = { text: object.text };
  if (typeof object.language === 'string') out.language = object.language;
  if (typeof object.duration === 'number') out.duration = object.duration;
  if (Array.isArray(object.segments)) out.segments = object.segments as TranscriptionSegment[];
  if (Array.isArray(object.words)) out.words = object.words as TranscriptionWord[];
  const usage = record(object.usage);
  if (usage) out.usage = usage;
  return out;
}

/**
 * Transcribes one audio file. Multipart fields: `file`, `model`, `language`, `prompt`, `response_format`,
 * `temperature`, `timestamp_granularities[]`, `include[]` (only those given). The form is serialized once,
 * so a retried attempt (after a 503, under the one retry policy) sends the same bytes.
 *
 * @returns the text, plus language, duration, segments and words where the server returned them.
 * @throws {ApiError} for a non-2xx answer; {@link StreamParseError} for a JSON body without `text`;
 *   `ConnectionError`, `TimeoutError`, `AbortError` as `send()` does.
 */
export async function transcribe(options: TranscribeOptions): Promise<Transcription> {
  const url = endpointUrl(options.baseUrl, options.path ?? '/audio/transcriptions');
  const format = options.responseFormat ?? 'json';
  const textual = format === 'text' || format === 'srt' || format === 'vtt';
  const response = await send({
    url,
    headers: endpointHeaders(options, { accept: textual ? 'text/plain' : 'application/json' }),
    body: await buildForm(options, false),
    responseAs: 'text',
    ...sendOptions(options),
  });
  if (textual) return { text: response.body };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw new StreamParseError(`The transcription from ${url} is not valid JSON.`, {
      kind: 'invalid_json',
      url,
    });
  }
  return parseTranscription(parsed, url);
}

/**
 * Streaming transcription (`stream=true`): yields `transcript.text.delta` events as the server sends them,
 * then one `transcript.text.done` with the whole text. A server that ignores `stream` and answers with a
 * JSON body yields just the `done` event. Breaking out of the loop (or the signal) closes the request.
 *
 * @throws as {@link transcribe}; {@link StreamParseError} for an event that is not JSON or a stream that
 *   ends before `transcript.text.done`.
 */
export async function* streamTranscription(
  options: TranscribeOptions,
): AsyncGenerator<TranscriptionStreamEvent, Transcription, undefined> {
  const url = endpointUrl(options.baseUrl, options.path ?? '/audio/transcriptions');
  const response = await openStream({
    url,
    headers: endpointHeaders(options, { accept: 'text/event-stream' }),
    body: await buildForm(options, true),
    ...sendOptions(options),
  });
  try {
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream')) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of response.chunks) chunks.push(chunk);
      const text = new TextDecoder().decode(concatBytes(chunks));
      const result = type.includes('json') ? parseTranscription(safeJson(text, url), url) : { text };
      yield { type: 'transcript.text.done', text: result.text };
      return result;
    }
    return yield* sseTranscription(response.chunks, url);
  } finally {
    response.close();
  }
}

function safeJson(text: string, url: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StreamParseError(`The transcription event from ${url} is not valid JSON.`, {
      kind: 'invalid_json',
      url,
    });
  }
}

async function* sseTranscription(
  chunks: AsyncIterable<Uint8Array>,
  url: string,
): AsyncGenerator<TranscriptionStreamEvent, Transcription, undefined> {
  const decoder = new SseDecoder();
  const pending: TranscriptionStreamEvent[] = [];
  let text = '';
  let done: Transcription | undefined;
  const onEvent = (event: { data: string }): void => {
    if (event.data === '[DONE]' || event.data === '') return;
    const data = record(safeJson(event.data, url));
    if (data?.type === 'transcript.text.delta' && typeof data.delta === 'string') {
      text += data.delta;
      pending.push({ type: 'transcript.text.delta', delta: data.delta });
    } else if (data?.type === 'transcript.text.done') {
      const usage = record(data.usage);
      done = { text: typeof data.text === 'string' ? data.text : text, ...(usage && { usage }) };
      pending.push({ type: 'transcript.text.done', text: done.text, ...(usage && { usage }) });
    }
  };
  for await (const chunk of chunks) {
    decoder.push(chunk, onEvent);
    yield* pending.splice(0);
    if (done) return done;
  }
  decoder.end(onEvent);
  yield* pending.splice(0);
  if (done) return done;
  throw new StreamParseError(`The transcription stream from ${url} ended before transcript.text.done.`, {
    kind: 'truncated',
    url,
  });
}
