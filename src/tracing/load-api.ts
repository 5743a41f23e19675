/**
 * Lazy, synchronous loading of `@opentelemetry/api` (an optional peer dependency): nothing is loaded until
 * a tracing observer is created.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { isModuleMissing, TracingSdkMissingError } from './tracing-error.js';

/** The OpenTelemetry API module. */
export type OtelApi = typeof import('@opentelemetry/api');

let cached: OtelApi | undefined;

/**
 * The `@opentelemetry/api` module, loaded once (with `require`: the package ships CommonJS, and one copy
 * of the API shares the global tracer provider with the application's).
 * @throws TracingSdkMissingError when `@opentelemetry/api` is not installed.
 */
export function loadOtelApi(): OtelApi {
  if (cached) return cached;
  try {
    // In the CommonJS build `require` exists and `import.meta` is empty; in ESM it is the other way round.
    const load = typeof require === 'function' ? require : createRequire(import.meta.url);
    cached = load('@opentelemetry/api') as OtelApi;
  } catch (error) {
    if (isModuleMissing(error)) {
      throw new TracingSdkMissingError(['@opentelemetry/api'], 'Tracing', { cause: error });
    }
    throw error;
  }
  return cached;
}
