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
    // The CommonJS build has `__filename` and an empty `import.meta`; the ESM build the other way round.
    const base = typeof __filename === 'string' ? __filename : import.meta.url;
    cached = createRequire(base)('@opentelemetry/api') as OtelApi;
  } catch (error) {
    if (isModuleMissing(error)) {
      throw new TracingSdkMissingError(['@opentelemetry/api'], 'Tracing', { cause: error });
    }
    throw error;
  }
  return cached;
}
