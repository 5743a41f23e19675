import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SdkError, type SdkErrorOptions } from '../../../errors/sdk-error.js';
import { redactUrl } from '../../../http/redact.js';
import { modelsDir } from './cache-dir.js';
import { parseModelUri } from './model-uri.js';

/** Why a model download failed. */
export type ModelDownloadFailure = 'http' | 'network' | 'size' | 'checksum';

/**
 * A model download failed. `kind`: `http` (the server answered with an error status, e.g. 404),
 * `network` (the connection failed or was cut; the partial file is kept and the next pull resumes it),
 * `size` (the file does not have the announced or expected size), `checksum` (its SHA-256 differs from
 * the expected one; the partial file is deleted).
 */
export class ModelDownloadError extends SdkError {
  static override readonly errorName: string = 'ModelDownloadError';
  override readonly name: string = 'ModelDownloadError';
  /** What went wrong. */
  readonly kind: ModelDownloadFailure;
  /** HTTP status, for `http`. */
  readonly status: number | undefined;

  constructor(
    message: string,
    kind: ModelDownloadFailure,
    options: SdkErrorOptions & { status?: number } = {},
  ) {
    super(message, options);
    this.kind = kind;
    this.status = options.status;
  }
}

/** Progress of a pull. */
export interface PullProgress {
  /** Bytes on disk so far (the resumed part included). */
  bytes: number;
  /** Size of the whole file, when the server said. */
  total: number | undefined;
  /** Bytes that were already on disk from an earlier, interrupted pull. */
  resumedFrom: number;
}

/** Options of {@link pullModel}. */
export interface PullOptions {
  /** Cache directory. @default {@link modelsDir} */
  dir?: string;
  /** Expected SHA-256 of the file (hex). The pull fails with `checksum` when it differs. */
  sha256?: string;
  /** Expected size in bytes. The pull fails with `size` when it differs. */
  size?: number;
  /** Called as bytes arrive (at most once per received chunk). */
  onProgress?: (progress: PullProgress) => void;
  /** Stops the download; the partial file is kept for a later resume. */
  signal?: AbortSignal;
  /** `fetch` implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A model file in the cache. */
export interface PulledModel {
  /** Absolute path of the GGUF file. */
  path: string;
  /** The URI it was pulled from. */
  uri: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the file (hex). */
  sha256: string;
  /** True when the file was already in the cache (nothing was downloaded). */
  cached: boolean;
  /** Bytes reused from an interrupted earlier pull (0 for a fresh download). */
  resumedFrom: number;
}

/** The sidecar `<file>.json` written next to each pulled model (schema version `v`). */
export interface ModelRecordFile {
  v: 1;
  uri: string;
  size: number;
  sha256: string;
  /** ISO 8601 time of the pull. */
  pulledAt: string;
  [key: string]: unknown;
}

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.size,
    () => undefined,
  );
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** Reads a sidecar record, or undefined when missing or unreadable. */
export async function readModelRecord(path: string): Promise<ModelRecordFile | undefined> {
  try {
    const value = JSON.parse(await readFile(`${path}.json`, 'utf8')) as ModelRecordFile;
    return value && typeof value.sha256 === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function totalOf(response: Response, offset: number): number | undefined {
  if (response.status === 206) {
    const total = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1];
    return total === undefined ? undefined : Number(total);
  }
  const length = response.headers.get('content-length');
  return length === null ? undefined : Number(length) + offset;
}

/** Sends the request for the bytes after `offset`; returns the response and where it really starts. */
async function request(
  url: string,
  offset: number,
  options: PullOptions,
): Promise<{ response: Response; start: number }> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const shown = redactUrl(url);
  let response: Response;
  try {
    response = await doFetch(url, {
      redirect: 'follow',
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      ...(options.signal && { signal: options.signal }),
    });
  } catch (error) {
    throw new ModelDownloadError(`Could not download ${shown}: ${String(error)}`, 'network', {
      cause: error,
    });
  }
  if (response.status === 206) {
    const start = Number(/bytes\s+(\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
    if (start === offset) return { response, start };
  } else if (response.ok) {
    return { response, start: 0 };
  }
  await response.body?.cancel().catch(() => undefined);
  if (offset > 0 && (response.status === 416 || response.status === 206)) return request(url, 0, options);
  throw new ModelDownloadError(
    `Could not download ${shown}: HTTP ${response.status}${response.status === 404 ? ' (not found: check the repository, revision and file name)' : ''}.`,
    'http',
    { status: response.status },
  );
}

/** Streams the body into `part` (appending after `start`) and returns the bytes on disk. */
async function receive(
  response: Response,
  part: string,
  start: number,
  hash: Hash,
  progress: (bytes: number) => void,
  url: string,
): Promise<number> {
  const file = await open(part, start > 0 ? 'a' : 'w');
  let bytes = start;
  try {
    if (!response.body) return bytes;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return bytes;
        hash.update(value);
        await file.write(value);
        bytes += value.byteLength;
        progress(bytes);
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  } catch (error) {
    throw new ModelDownloadError(
      `The download of ${redactUrl(url)} stopped after ${bytes} bytes (${String(error)}); run the pull again to resume it.`,
      'network',
      { cause: error },
    );
  } finally {
    await file.close();
  }
}

async function cachedModel(
  path: string,
  uri: string,
  options: PullOptions,
): Promise<PulledModel | undefined> {
  const size = await sizeOf(path);
  if (size === undefined) return undefined;
  const record = await readModelRecord(path);
  if (!record || record.size !== size) return undefined;
  if (options.sha256 && record.sha256 !== options.sha256.toLowerCase()) return undefined;
  if (options.size !== undefined && options.size !== size) return undefined;
  return { path, uri, size, sha256: record.sha256, cached: true, resumedFrom: 0 };
}

/**
 * Downloads a model (`hf:OWNER/REPO/FILE.gguf` or an https URL; only that URL and its redirects are
 * fetched) into the cache directory. A partial download is kept as `<file>.part` and resumed with an HTTP
 * `Range` request; a server that ignores `Range` is read again from the start. The file is checked against
 * the announced size and the expected `size` / `sha256`, then renamed into place with a `<file>.json`
 * record (uri, size, sha256). A file already in the cache (with a matching record) is not downloaded.
 *
 * @throws {ModelDownloadError} (`http`, `network`, `size`, `checksum`); {@link InvalidArgumentError} for a
 *   URI that is not a model URI.
 */
export async function pullModel(uri: string, options: PullOptions = {}): Promise<PulledModel> {
  const source = parseModelUri(uri);
  const dir = options.dir ?? modelsDir();
  await mkdir(dir, { recursive: true });
  const path = join(dir, source.fileName);
  const cached = await cachedModel(path, uri, options);
  if (cached) return cached;
  const part = `${path}.part`;
  const offset = (await sizeOf(part)) ?? 0;
  const { response, start } = await request(source.url, offset, options);
  const hash = createHash('sha256');
  if (start > 0) await hashFile(part, hash);
  const total = totalOf(response, start);
  const shown = redactUrl(source.url);
  if (options.size !== undefined && total !== undefined && total !== options.size) {
    await response.body?.cancel().catch(() => undefined);
    throw new ModelDownloadError(`${shown} has ${total} bytes, expected ${options.size}.`, 'size');
  }
  const report = (bytes: number) => options.onProgress?.({ bytes, total, resumedFrom: start });
  report(start);
  const bytes = await receive(response, part, start, hash, report, source.url);
  if (total !== undefined && bytes < total)
    throw new ModelDownloadError(
      `The download of ${shown} ended after ${bytes} of ${total} bytes; run the pull again to resume it.`,
      'network',
    );
  const sha256 = hash.digest('hex');
  if ((total !== undefined && bytes !== total) || (options.size !== undefined && bytes !== options.size)) {
    await rm(part, { force: true });
    throw new ModelDownloadError(`${shown} gave ${bytes} bytes, expected ${options.size ?? total}.`, 'size');
  }
  if (options.sha256 && sha256 !== options.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw new ModelDownloadError(
      `${shown} has SHA-256 ${sha256}, expected ${options.sha256.toLowerCase()}; the download was deleted.`,
      'checksum',
    );
  }
  await rename(part, path);
  const record: ModelRecordFile = { v: 1, uri, size: bytes, sha256, pulledAt: new Date().toISOString() };
  await writeFile(`${path}.json`, `${JSON.stringify(record, null, 2)}\n`);
  return { path, uri, size: bytes, sha256, cached: false, resumedFrom: start };
}
