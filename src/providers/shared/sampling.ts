import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { StreamOptions } from '../../types/options.js';

/**
 * `StreamOptions.maxTokens` checked once for every provider: undefined, or a positive integer.
 * @throws {InvalidArgumentError} (`argument: 'maxTokens'`) for anything else.
 */
export function validMaxTokens(value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
    throw new InvalidArgumentError(`maxTokens must be a positive integer, got ${value}.`, {
      argument: 'maxTokens',
    });
  }
  return value;
}

/**
 * Copies `temperature` and `topP` (as `top_p`) into a request body or options object when set: the names
 * OpenAI Chat Completions, OpenAI Responses and Ollama's `options` share.
 */
export function setTemperatureAndTopP(target: Record<string, unknown>, options: StreamOptions): void {
  if (options.temperature !== undefined) target.temperature = options.temperature;
  if (options.topP !== undefined) target.top_p = options.topP;
}
