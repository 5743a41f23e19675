/**
 * Tracing with OpenTelemetry (`open-agent-sdk/tracing`): an observer that records GenAI spans through
 * `@opentelemetry/api` (an optional peer), and a JSON-lines span exporter. See docs/tracing.md.
 *
 * @module
 */
export { ATTR, errorType, providerName } from './attributes.js';
export { MAX_CONTENT_CHARS } from './content.js';
export {
  type ExportableSpan,
  JsonLinesSpanExporter,
  type SpanLine,
  spanLine,
} from './json-lines-exporter.js';
export { createTracingObserver, type TracingObserverOptions } from './observer.js';
export { TracingSdkMissingError } from './tracing-error.js';
