export { type Extraction, extractJson } from './extract.js';
export { DEFAULT_OUTPUT_REPAIRS } from './final-output.js';
export { type LadderCompat, type StructuredRequest, structuredRequest, usableRungs } from './ladder.js';
export type { NativeSchemaField, StructuredRung, StructuredVerdict } from './rungs.js';
export {
  type CompiledOutput,
  compileOutput,
  type OutputOf,
  type OutputSchema,
  type OutputValidation,
} from './schema.js';
