/**
 * Audio given to a call: bytes, a `Blob`/`File`, or a file read by {@link readAudioFile}. Turned into a
 * named `Blob` for a multipart upload (servers pick the decoder from the file name's extension).
 *
 * @module
 */

/** Audio bytes with the name and type a multipart upload sends. */
export interface AudioFile {
  /** The audio bytes (a whole file: WAV, MP3, FLAC, OGG, WebM, M4A ...). */
  data: Uint8Array;
  /** File name sent in the multipart part; its extension tells the server the format. */
  filename: string;
  /** MIME type of the part. */
  mimeType: string;
}

/** Audio as a call accepts it. */
export type AudioInput = Uint8Array | ArrayBuffer | Blob | AudioFile;

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mpga: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  webm: 'audio/webm',
  aac: 'audio/aac',
  pcm: 'audio/pcm',
};

/** The MIME type for a file name's extension (`audio/wav` for `a.wav`); `application/octet-stream` when unknown. */
export function audioMimeType(filename: string): string {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** Guesses a container from the first bytes: `wav`, `mp3`, `flac`, `ogg`, `webm`; `undefined` when unknown. */
export function sniffAudioFormat(bytes: Uint8Array): string | undefined {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (bytes.length >= 4 && ascii(0, 4) === 'fLaC') return 'flac';
  if (bytes.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3)
    return 'webm';
  if (
    bytes.length >= 3 &&
    (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0))
  )
    return 'mp3';
  return undefined;
}

/**
 * The multipart part for `input`: its bytes as a `Blob` and a file name. A name given in `filename` wins;
 * else the `AudioFile`'s or `File`'s own, else `audio.<sniffed ext>` (`audio.wav` when unknown).
 */
export async function audioPart(
  input: AudioInput,
  filename?: string,
): Promise<{ blob: Blob; filename: string }> {
  if (input instanceof Blob) {
    const own = typeof (input as { name?: unknown }).name === 'string' ? (input as File).name : undefined;
    const bytes = new Uint8Array(await input.arrayBuffer());
    const name = filename ?? own ?? `audio.${sniffAudioFormat(bytes) ?? 'wav'}`;
    return { blob: new Blob([bytes], { type: input.type || audioMimeType(name) }), filename: name };
  }
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
    const name = filename ?? `audio.${sniffAudioFormat(bytes) ?? 'wav'}`;
    return { blob: new Blob([bytes.slice()], { type: audioMimeType(name) }), filename: name };
  }
  const name = filename ?? input.filename;
  return { blob: new Blob([input.data.slice()], { type: input.mimeType }), filename: name };
}

/**
 * Reads an audio file from disk (Node only; `node:fs` is imported on first use) as an {@link AudioFile}
 * named after the file, with the MIME type of its extension.
 *
 * @throws the `node:fs` error (`ENOENT` ...) when the file cannot be read.
 */
export async function readAudioFile(path: string): Promise<AudioFile> {
  const { readFile } = await import('node:fs/promises');
  const { basename } = await import('node:path');
  const data = new Uint8Array(await readFile(path));
  const filename = basename(path);
  return { data, filename, mimeType: audioMimeType(filename) };
}
