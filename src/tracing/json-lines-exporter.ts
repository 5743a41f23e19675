/**
 * A span exporter that appends one JSON object per finished span to a file (JSON Lines). It implements
 * the OpenTelemetry SDK's `SpanExporter` interface (`export`, `shutdown`, `forceFlush`) structurally, so
 * this module imports nothing from the SDK: use it with `SimpleSpanProcessor` of
 * `@opentelemetry/sdk-trace-base`.
 *
 * @module
 */
import { appendFileSync } from 'node:fs';

/** `[seconds, nanoseconds]`, as the OpenTelemetry SDK stores times. */
type HrTime = [number, number];

/** What the exporter reads of an SDK `ReadableSpan` (v1 `parentSpanId` or v2 `parentSpanContext`). */
export interface ExportableSpan {
  readonly name: string;
  readonly kind: number;
  spanContext(): { traceId: string; spanId: string };
  readonly parentSpanContext?: { spanId: string } | undefined;
  readonly parentSpanId?: string | undefined;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: { code: number; message?: string | undefined };
  readonly attributes: Record<string, unknown>;
  readonly events: readonly {
    name: string;
    time: HrTime;
    attributes?: Record<string, unknown> | undefined;
  }[];
}

/** One line of a trace file (format `v: 1`; fields are only added, never changed). */
export interface SpanLine {
  v: 1;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** `INTERNAL`, `SERVER`, `CLIENT`, `PRODUCER` or `CONSUMER`. */
  kind: string;
  /** Start time, ms since the Unix epoch (fractional). */
  startTimeMs: number;
  /** Duration in ms (fractional). */
  durationMs: number;
  /** `UNSET`, `OK` or `ERROR`, and the status message. */
  status: { code: string; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; timeMs: number; attributes: Record<string, unknown> }[];
}

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS = ['UNSET', 'OK', 'ERROR'];
/** `ExportResultCode` of `@opentelemetry/core`: 0 success, 1 failed. */
const SUCCESS = 0;
const FAILED = 1;

function ms(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/** A finished span as one {@link SpanLine}. */
export function spanLine(span: ExportableSpan): SpanLine {
  const { traceId, spanId } = span.spanContext();
  const parent = span.parentSpanContext?.spanId ?? span.parentSpanId;
  const line: SpanLine = {
    v: 1,
    traceId,
    spanId,
    name: span.name,
    kind: KINDS[span.kind] ?? String(span.kind),
    startTimeMs: ms(span.startTime),
    durationMs: ms(span.endTime) - ms(span.startTime),
    status: { code: STATUS[span.status.code] ?? String(span.status.code) },
    attributes: { ...span.attributes },
    events: span.events.map((e) => ({ name: e.name, timeMs: ms(e.time), attributes: { ...e.attributes } })),
  };
  if (parent) line.parentSpanId = parent;
  if (span.status.message) line.status.message = span.status.message;
  return line;
}

/**
 * Appends each exported span to `path` as one JSON line (synchronously: a line is on disk when `export`
 * calls back, so a crash loses no finished span). Export failures (an unwritable file) are reported to
 * the SDK as `FAILED`, never thrown.
 */
export class JsonLinesSpanExporter {
  readonly #path: string;
  #stopped = false;

  /** @param path File to append to (created if missing). */
  constructor(path: string) {
    this.#path = path;
  }

  /** Writes the spans; calls back `{ code: 0 }` on success, `{ code: 1, error }` on failure. */
  export(
    spans: readonly ExportableSpan[],
    resultCallback: (result: { code: number; error?: Error }) => void,
  ): void {
    if (this.#stopped) {
      resultCallback({ code: FAILED, error: new Error('The exporter is shut down.') });
      return;
    }
    try {
      if (spans.length > 0)
        appendFileSync(this.#path, spans.map((s) => `${JSON.stringify(spanLine(s))}\n`).join(''));
      resultCallback({ code: SUCCESS });
    } catch (error) {
      resultCallback({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** Nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Refuses later exports. */
  shutdown(): Promise<void> {
    this.#stopped = true;
    return Promise.resolve();
  }
}
