import { SdkError, type SdkErrorOptions } from '../errors/sdk-error.js';

/** Fields of an {@link McpError}. */
export interface McpErrorOptions extends SdkErrorOptions {
  /** Name of the MCP server involved (as configured). */
  server: string;
  /** The MCP SDK's error code when there is one (`-32000` connection closed, `-32001` timeout, ...). */
  code?: number | string;
}

/**
 * An MCP server could not be reached or answered with a protocol error: the child process exited, the
 * connection closed, a request failed. A tool that ran and failed is not this error: it is a tool result
 * with `isError` (MCP spec, "Tools": error handling).
 */
export class McpError extends SdkError {
  static override readonly errorName: string = 'McpError';
  override readonly name: string = 'McpError';
  /** Name of the MCP server involved. */
  readonly server: string;
  /** The MCP SDK's error code, if any. */
  readonly code: number | string | undefined;

  constructor(message: string, options: McpErrorOptions) {
    super(message, options);
    this.server = options.server;
    this.code = options.code;
  }
}

/** The optional MCP SDK package is not installed. */
export class McpSdkMissingError extends SdkError {
  static override readonly errorName: string = 'McpSdkMissingError';
  override readonly name: string = 'McpSdkMissingError';
  /** The npm package that is missing. */
  readonly packageName: string;

  constructor(packageName: string, options: SdkErrorOptions = {}) {
    super(
      `MCP support needs the optional package ${packageName}: run \`npm install ${packageName}\`.`,
      options,
    );
    this.packageName = packageName;
  }
}
