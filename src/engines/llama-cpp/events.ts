/**
 * Provider-level events of one embedded-engine generation: what the engine produced, before any
 * assembly into an `AssistantMessage`. The stream driver (see `source.ts`) turns them into the
 * `AssistantStream` contract.
 */
export type EngineEvent =
  | { type: 'text'; delta: string }
  | { type: 'thinking'; delta: string }
  | { type: 'toolcall_start'; index: number; name: string }
  | { type: 'toolcall_args'; index: number; delta: string }
  | { type: 'toolcall_end'; index: number }
  | { type: 'usage'; usage: EngineUsage }
  | { type: 'finish'; reason: 'stop' | 'length' | 'toolUse'; raw: string };

/** Token counts of one generation. */
export interface EngineUsage {
  /** Prompt tokens evaluated in this call. */
  input: number;
  /** Prompt tokens reused from the context's KV cache (not evaluated again). */
  cacheRead: number;
  /** Generated tokens (tool-call arguments and reasoning included). */
  output: number;
}
