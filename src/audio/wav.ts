/**
 * 16-bit PCM WAV (RIFF/WAVE, `fmt ` chunk format 1) encode and decode, and a sine-tone generator for
 * tests and demos. Only what the voice pipeline needs: mono or multi-channel signed 16-bit little-endian.
 *
 * @module
 */

import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Decoded PCM. */
export interface PcmAudio {
  /** Samples per second (Hz). */
  sampleRate: number;
  /** Channels (interleaved in `samples`). */
  channels: number;
  /** Signed 16-bit samples, interleaved. */
  samples: Int16Array;
}

/** Wraps signed 16-bit little-endian PCM bytes (or samples) in a 44-byte WAV header. */
export function encodeWav(pcm: Uint8Array | Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const data = pcm instanceof Int16Array ? new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength) : pcm;
  const out = new Uint8Array(44 + data.byteLength);
  const view = new DataView(out.buffer);
  const text = (offset: number, value: string): void => {
    for (let i = 0; i < value.length; i++) out[offset + i] = value.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + data.byteLength, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, data.byteLength, true);
  out.set(data, 44);
  return out;
}

/**
 * Reads a 16-bit PCM WAV file (walks the RIFF chunks, so `LIST` and other chunks are skipped).
 * @throws {InvalidArgumentError} for anything else (not RIFF/WAVE, not PCM format 1, not 16-bit).
 */
export function decodeWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (o: number): string => String.fromCharCode(...bytes.subarray(o, o + 4));
  const bad = (why: string): InvalidArgumentError =>
    new InvalidArgumentError(`Not a 16-bit PCM WAV file: ${why}.`, { argument: 'audio' });
  if (bytes.length < 12 || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') throw bad('no RIFF/WAVE header');
  let offset = 12;
  let format: { sampleRate: number; channels: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = ascii(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (view.getUint16(body, true) !== 1 || view.getUint16(body + 14, true) !== 16) throw bad('not PCM16');
      format = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
    } else if (id === 'data') {
      if (!format) throw bad('data before fmt');
      const end = Math.min(bytes.length, body + size) & ~1;
      const copy = bytes.slice(body, body + ((end - body) & ~1));
      return { ...format, samples: new Int16Array(copy.buffer, 0, copy.byteLength / 2) };
    }
    offset = body + size + (size & 1);
  }
  throw bad('no data chunk');
}

/**
 * A sine tone as 16-bit mono PCM samples.
 * @param hz - frequency; @param ms - length; @param amplitude - 0..1 of full scale (@default 0.5);
 * @param sampleRate - @default 16000
 */
export function sineTone(hz: number, ms: number, amplitude = 0.5, sampleRate = 16_000): Int16Array {
  const count = Math.round((sampleRate * ms) / 1000);
  const samples = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    samples[i] = Math.round(Math.sin((2 * Math.PI * hz * i) / sampleRate) * amplitude * 32767);
  }
  return samples;
}

/** Root mean square of 16-bit samples, 0..1 of full scale (0 for none). */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += (s / 32768) ** 2;
  return Math.sqrt(sum / samples.length);
}
