/**
 * `open-agent run --trace FILE` and OTLP export: the CLI's tracing setup. Spans come from the library's
 * tracing observer; the OpenTelemetry SDK (`@opentelemetry/sdk-trace-base`, optional) records them, our
 * JSON-lines exporter writes `--trace FILE`, and `@opentelemetry/exporter-trace-otlp-http` (optional)
 * sends them over OTLP/HTTP (JSON) when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set.
 * Everything is loaded only when asked for.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import type { RunObserver } from '../agent/loop.js';
import { JsonLinesSpanExporter } from '../tracing/json-lines-exporter.js';
import { createTracingObserver } from '../tracing/observer.js';
import { isModuleMissing } from '../tracing/tracing-error.js';
import { UsageError } from './usage-error.js';

/** The `--trace` flag. */
export interface TraceFlags {
  trace?: string;
}

/** Tracing of one CLI run: the observer to feed every event to, and the flush at the end. */
export interface CliTracing {
  observe: RunObserver;
  /** Ends the provider: flushes pending spans (the OTLP batch) and closes the exporters. Never throws. */
  shutdown(): Promise<void>;
}

const SDK_PACKAGES = ['@opentelemetry/api', '@opentelemetry/sdk-trace-base'];
const OTLP_PACKAGE = '@opentelemetry/exporter-trace-otlp-http';

/** Adds `--trace <file>` to a command. */
export function addTraceOption(command: Command): Command {
  return command.option(
    '--trace <file>',
    `append one JSON span per line to <file> (needs ${SDK_PACKAGES.join(' and ')}); with OTEL_EXPORTER_OTLP_ENDPOINT set, spans also go over OTLP/HTTP (needs ${OTLP_PACKAGE})`,
  );
}

type SdkModule = typeof import('@opentelemetry/sdk-trace-base');
type OtlpModule = typeof import('@opentelemetry/exporter-trace-otlp-http');
type ResourcesModule = typeof import('@opentelemetry/resources');
type SpanExporter = ConstructorParameters<SdkModule['SimpleSpanProcessor']>[0];

function tryRequire<T>(name: string): T | undefined {
  try {
    return createRequire(import.meta.url)(name) as T;
  } catch (error) {
    if (isModuleMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Sets up tracing for a run: `--trace FILE` and/or OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set. Returns `undefined` when neither is asked for.
 * @param secrets Strings never written to a span (the API key).
 * @throws UsageError when `--trace` is given and the OpenTelemetry SDK packages are missing (names the
 * install command). For OTLP alone, missing packages are a note on `stderr` and the run goes on.
 */
export function startCliTracing(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  stderr: { write(text: string): void },
  secrets: readonly (string | undefined)[],
): CliTracing | undefined {
  const otlp = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (file === undefined && !otlp) return undefined;
  const sdk = tryRequire<SdkModule>('@opentelemetry/sdk-trace-base');
  const haveApi = tryRequire<unknown>('@opentelemetry/api') !== undefined;
  const missing = [...(haveApi ? [] : [SDK_PACKAGES[0]]), ...(sdk ? [] : [SDK_PACKAGES[1]])];
  const otlpModule = otlp ? tryRequire<OtlpModule>(OTLP_PACKAGE) : undefined;
  if (otlp && !otlpModule) missing.push(OTLP_PACKAGE);
  if (missing.length > 0) {
    const text = `tracing needs ${missing.join(', ')}: run \`npm install ${missing.join(' ')}\` (next to open-agent, or globally with -g)`;
    if (file !== undefined) throw new UsageError(`--trace: ${text}`);
    stderr.write(`note: OTEL_EXPORTER_OTLP_ENDPOINT is set but ${text}; spans are not exported.\n`);
    if (!sdk || !haveApi) return undefined;
  }
  if (!sdk) return undefined;
  const processors = [];
  if (file !== undefined) {
    processors.push(new sdk.SimpleSpanProcessor(new JsonLinesSpanExporter(file) as unknown as SpanExporter));
  }
  if (otlpModule) processors.push(new sdk.BatchSpanProcessor(new otlpModule.OTLPTraceExporter()));
  if (processors.length === 0) return undefined;
  // `service.name`: OTEL_SERVICE_NAME, else `open-agent` (`@opentelemetry/resources` comes with the SDK).
  const resources = tryRequire<ResourcesModule>('@opentelemetry/resources');
  const resource = resources?.resourceFromAttributes({
    'service.name': env.OTEL_SERVICE_NAME || 'open-agent',
  });
  const provider = new sdk.BasicTracerProvider({
    spanProcessors: processors,
    ...(resource !== undefined && { resource }),
  });
  const observe = createTracingObserver({
    tracerProvider: provider,
    secrets: secrets.filter((s): s is string => typeof s === 'string' && s !== ''),
  });
  return {
    observe,
    shutdown: async () => {
      try {
        await provider.shutdown();
      } catch (error) {
        stderr.write(
          `note: exporting spans failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    },
  };
}
