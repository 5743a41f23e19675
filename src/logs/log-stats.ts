import type { Level, LogLine } from './log-line.js';
import { signatureOf } from './signature.js';

/** Distinct error signatures tracked; later new ones are counted under `(other errors)`. */
const MAX_SIGNATURES = 10_000;
/** Sample lines kept per signature. */
const SAMPLES_PER_SIGNATURE = 3;
/** Longest sample line kept, in characters. */
const MAX_SAMPLE_CHARS = 500;
/** Width of one time bucket, in ms. */
export const BUCKET_MS = 60_000;
/** Time buckets tracked (about 70 days of minutes); later ones are not bucketed. */
const MAX_BUCKETS = 100_000;

/** One error signature with its count and a few raw lines. */
export interface SignatureCount {
  signature: string;
  count: number;
  /** The most severe level seen with it. */
  level: Level;
  samples: string[];
  /** Time of the first and last occurrence, ISO 8601, when the lines have times. */
  first?: string;
  last?: string;
}

/** A window of elevated errors. */
export interface PeakWindow {
  start: string;
  end: string;
  errors: number;
  /** The signature most frequent inside the window. */
  topSignature: string;
}

const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unknown'];

/** Counts levels, error signatures and errors per minute over a stream of lines, in bounded memory. */
export class LogStats {
  lines = 0;
  firstTime: number | undefined;
  lastTime: number | undefined;
  readonly levels: Record<Level, number> = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<
    Level,
    number
  >;
  readonly #signatures = new Map<string, SignatureCount & { firstMs?: number; lastMs?: number }>();
  /** minute → error count, and minute → signature → count (for the top signature of a window). */
  readonly #buckets = new Map<number, { errors: number; bySignature: Map<string, number> }>();

  /** Adds one parsed line (`raw` is kept as a sample for new signatures). */
  add(line: LogLine, raw: string): void {
    this.lines++;
    this.levels[line.level]++;
    if (line.time !== undefined) {
      if (this.firstTime === undefined || line.time < this.firstTime) this.firstTime = line.time;
      if (this.lastTime === undefined || line.time > this.lastTime) this.lastTime = line.time;
    }
    if (line.level !== 'error' && line.level !== 'fatal') return;
    const signature = this.#track(line, raw);
    if (line.time !== undefined) this.#bucket(line.time, signature);
  }

  #track(line: LogLine, raw: string): string {
    let signature = signatureOf(line.message) || '(empty message)';
    let entry = this.#signatures.get(signature);
    if (!entry && this.#signatures.size >= MAX_SIGNATURES) {
      signature = '(other errors)';
      entry = this.#signatures.get(signature);
    }
    if (!entry) {
      entry = { signature, count: 0, level: line.level, samples: [] };
      this.#signatures.set(signature, entry);
    }
    entry.count++;
    if (line.level === 'fatal') entry.level = 'fatal';
    if (entry.samples.length < SAMPLES_PER_SIGNATURE) entry.samples.push(raw.slice(0, MAX_SAMPLE_CHARS));
    if (line.time !== undefined) {
      if (entry.firstMs === undefined || line.time < entry.firstMs) entry.firstMs = line.time;
      if (entry.lastMs === undefined || line.time > entry.lastMs) entry.lastMs = line.time;
    }
    return signature;
  }

  #bucket(time: number, signature: string): void {
    const minute = Math.floor(time / BUCKET_MS);
    let bucket = this.#buckets.get(minute);
    if (!bucket) {
      if (this.#buckets.size >= MAX_BUCKETS) return;
      bucket = { errors: 0, bySignature: new Map() };
      this.#buckets.set(minute, bucket);
    }
    bucket.errors++;
    bucket.bySignature.set(signature, (bucket.bySignature.get(signature) ?? 0) + 1);
  }

  /** Error signatures, most frequent first (ties by signature). */
  signatures(limit = 50): SignatureCount[] {
    return [...this.#signatures.values()]
      .sort((a, b) => b.count - a.count || (a.signature < b.signature ? -1 : 1))
      .slice(0, limit)
      .map(({ firstMs, lastMs, ...rest }) => ({
        ...rest,
        ...(firstMs !== undefined && { first: new Date(firstMs).toISOString() }),
        ...(lastMs !== undefined && { last: new Date(lastMs).toISOString() }),
      }));
  }

  /** Number of distinct error signatures. */
  get signatureCount(): number {
    return this.#signatures.size;
  }

  /**
   * Peak error windows: runs of consecutive minutes whose error count is above
   * `max(5, 3 × the mean errors per minute over the logged time span)`, largest first (at most `limit`).
   */
  peaks(limit = 5): PeakWindow[] {
    if (this.#buckets.size === 0 || this.firstTime === undefined || this.lastTime === undefined) return [];
    const spanMinutes = Math.max(
      1,
      Math.floor(this.lastTime / BUCKET_MS) - Math.floor(this.firstTime / BUCKET_MS) + 1,
    );
    const totalErrors = [...this.#buckets.values()].reduce((n, b) => n + b.errors, 0);
    const threshold = Math.max(5, (3 * totalErrors) / spanMinutes);
    const hot = [...this.#buckets.entries()]
      .filter(([, b]) => b.errors > threshold)
      .sort((a, b) => a[0] - b[0]);
    const windows: { start: number; end: number; errors: number; bySignature: Map<string, number> }[] = [];
    for (const [minute, bucket] of hot) {
      const last = windows.at(-1);
      if (last && last.end === minute) {
        last.end = minute + 1;
        last.errors += bucket.errors;
        for (const [s, n] of bucket.bySignature) last.bySignature.set(s, (last.bySignature.get(s) ?? 0) + n);
      } else {
        windows.push({
          start: minute,
          end: minute + 1,
          errors: bucket.errors,
          bySignature: new Map(bucket.bySignature),
        });
      }
    }
    return windows
      .sort((a, b) => b.errors - a.errors || a.start - b.start)
      .slice(0, limit)
      .map((w) => ({
        start: new Date(w.start * BUCKET_MS).toISOString(),
        end: new Date(w.end * BUCKET_MS).toISOString(),
        errors: w.errors,
        topSignature: [...w.bySignature.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
      }));
  }
}
