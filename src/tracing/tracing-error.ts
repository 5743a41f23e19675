import { SdkError, type SdkErrorOptions } from '../errors/sdk-error.js';

/** An optional OpenTelemetry package that tracing needs is not installed. */
export class TracingSdkMissingError extends SdkError {
  static override readonly errorName: string = 'TracingSdkMissingError';
  override readonly name: string = 'TracingSdkMissingError';
  /** The npm packages to install. */
  readonly packageNames: readonly string[];

  constructor(packageNames: readonly string[], purpose: string, options: SdkErrorOptions = {}) {
    super(
      `${purpose} needs the optional package${packageNames.length > 1 ? 's' : ''} ${packageNames.join(', ')}: run \`npm install ${packageNames.join(' ')}\`.`,
      options,
    );
    this.packageNames = [...packageNames];
  }
}

/** True when `error` is Node's "module not found" for an import or require. */
export function isModuleMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
