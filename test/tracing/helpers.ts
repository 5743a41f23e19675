import type { Attributes } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createTracingObserver, type TracingObserverOptions } from '../../src/tracing/index.js';

/** A tracing observer over an SDK provider with an in-memory exporter. */
export function memoryTracing(options: Omit<TracingObserverOptions, 'tracerProvider'> = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const observer = createTracingObserver({ ...options, tracerProvider: provider });
  return {
    observer,
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    shutdown: () => provider.shutdown(),
  };
}

/** The one span with this name (fails when there is not exactly one). */
export function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1)
    throw new Error(`expected one span "${name}", got ${found.length}: ${names(spans)}`);
  return found[0] as ReadableSpan;
}

/** Span names, in end order. */
export function names(spans: ReadableSpan[]): string[] {
  return spans.map((s) => s.name);
}

/** The parent span id of a span ('' for a root). */
export function parentOf(span: ReadableSpan): string {
  return span.parentSpanContext?.spanId ?? '';
}

/** Everything a span carries, as one string (to search for a secret). */
export function dump(spans: ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({
      name: s.name,
      attributes: s.attributes as Attributes,
      events: s.events,
      status: s.status,
    })),
  );
}
