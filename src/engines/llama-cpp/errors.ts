import { SdkError, type SdkErrorOptions } from '../../errors/sdk-error.js';

/** The install command named by {@link EngineNotInstalledError}. */
export const INSTALL_COMMAND = 'npm install node-llama-cpp@3.21.1';

/**
 * The optional peer dependency `node-llama-cpp` is not installed (or its native binary does not load).
 * The message names the install command.
 */
export class EngineNotInstalledError extends SdkError {
  static override readonly errorName: string = 'EngineNotInstalledError';
  override readonly name: string = 'EngineNotInstalledError';

  constructor(detail: string, options: SdkErrorOptions = {}) {
    super(
      `The embedded engine needs the optional package node-llama-cpp (${detail}). Install it with: ${INSTALL_COMMAND}`,
      options,
    );
  }
}

/**
 * The embedded engine failed: the model file did not load, the context could not be created, or the
 * generation failed (for example `maxTokens` was reached inside a tool call, which would otherwise drop
 * the call silently).
 */
export class EngineError extends SdkError {
  static override readonly errorName: string = 'EngineError';
  override readonly name: string = 'EngineError';
}
