export { AbortError } from './abort-error.js';
export { ApiError, type ApiErrorOptions, isRetryableStatus } from './api-error.js';
export { ConnectionError, type ConnectionErrorOptions } from './connection-error.js';
export { ContextOverflowError, type ContextOverflowErrorOptions } from './context-overflow-error.js';
export {
  CONTEXT_OVERFLOW_PATTERNS,
  type ContextOverflowPattern,
  matchContextOverflow,
} from './context-overflow-messages.js';
export {
  checkModelsEndpoint,
  connectionDiagnosis,
  type EndpointCheckOptions,
  type KeyRequirement,
  keyRequirement,
  type ModelsCheck,
  suggestBaseUrl,
  type TrimmedBaseUrl,
  trimEndpointPath,
  type UnauthorizedFacts,
  unauthorizedHint,
} from './diagnose.js';
export {
  type GuardrailTripwireOptions,
  GuardrailTripwireTriggered,
  InputGuardrailTripwireTriggered,
  OutputGuardrailTripwireTriggered,
  type ToolGuardrailTripwireOptions,
  ToolGuardrailTripwireTriggered,
  ToolNotFoundGuardrailError as ToolNotFoundError,
} from './guardrail-errors.js';
export { HookError, type HookErrorOptions } from './hook-error.js';
export { InvalidArgumentError, type InvalidArgumentErrorOptions } from './invalid-argument-error.js';
export { MaxTurnsError, type MaxTurnsErrorOptions } from './max-turns-error.js';
export { OutputValidationError, type OutputValidationErrorOptions } from './output-validation-error.js';
export { SdkError, type SdkErrorOptions } from './sdk-error.js';
export { SessionConflictError, type SessionConflictErrorOptions } from './session-conflict-error.js';
export { SessionStoreError, type SessionStoreErrorOptions } from './session-store-error.js';
export { StreamParseError, type StreamParseErrorOptions } from './stream-parse-error.js';
export { TimeoutError, type TimeoutErrorOptions } from './timeout-error.js';
