import { SdkError, type SdkErrorOptions } from './sdk-error.js';

/** Fields of an {@link OutputValidationError}. */
export interface OutputValidationErrorOptions extends SdkErrorOptions {
  /** The model's last answer, as text (never parsed into the result). */
  rawText: string;
  /** The validator's messages for that answer (`path: message` lines). */
  issues: string;
  /** Answers tried: the first one plus the repair turns. */
  attempts: number;
}

/**
 * The model's answer did not match the output schema, also after the repair turns (each turn showed the
 * model the validator's messages). The run ends `failed` with this error; the transcript keeps every answer,
 * and `rawText` is the last one. Try a server rung that enforces the schema (`open-agent doctor
 * --structured`), a bigger model, or more repairs (`outputRepairs`).
 */
export class OutputValidationError extends SdkError {
  static override readonly errorName: string = 'OutputValidationError';
  override readonly name: string = 'OutputValidationError';
  /** The last answer's text. */
  readonly rawText: string;
  /** The validator's messages for it. */
  readonly issues: string;
  /** Answers tried. */
  readonly attempts: number;

  constructor(message: string, options: OutputValidationErrorOptions) {
    super(message, options);
    this.rawText = options.rawText;
    this.issues = options.issues;
    this.attempts = options.attempts;
  }
}
