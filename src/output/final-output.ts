import type { AgentEventBody } from '../agent/events.js';
import type { LoopState } from '../agent/loop-state.js';
import { OutputValidationError } from '../errors/output-validation-error.js';
import { resolveCompatFor } from '../providers/resolve-compat.js';
import { DEFAULT_OPENAI_CHAT_COMPAT } from '../types/compat.js';
import type { AssistantMessage, UserMessage } from '../types/message.js';
import type { Model } from '../types/model.js';
import { extractJson } from './extract.js';
import type { CompiledOutput } from './schema.js';

/** The structured-output step of an agent loop (`AgentLoopConfig.finalOutput`). */
export interface FinalOutputStep {
  /** The compiled `outputType`. */
  readonly output: CompiledOutput;
  /** Repair turns allowed after the first answer. */
  readonly repairs: number;
  /** Repair turns used so far in this run. */
  used: number;
}

/** Default repair turns after an answer that fails the output schema. */
export const DEFAULT_OUTPUT_REPAIRS = 2;

/** The text blocks of an answer, joined. */
export function answerText(message: AssistantMessage): string {
  let text = '';
  for (const block of message.content) if (block.type === 'text') text += block.text;
  return text;
}

/** Extracts and validates one answer: the parsed value, or the validator's messages. */
export async function checkAnswer(
  output: CompiledOutput,
  text: string,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const found = extractJson(text);
  if (!found.ok) return found;
  return output.validate(found.value);
}

/** The user message of a repair turn: the validator's messages, for the model to fix. */
export function repairPrompt(issues: string): UserMessage {
  return {
    role: 'user',
    content:
      `Your answer does not match the required JSON Schema:\n${issues}\n` +
      'Answer again with one JSON value that matches the schema, and nothing else.',
    timestamp: Date.now(),
  };
}

/** True when the server applies no grammar while tools are offered (the repair turn then offers none). */
function grammarNeedsNoTools(model: Model): boolean {
  if (model.api !== 'openai-chat') return false;
  return !resolveCompatFor('openai-chat', DEFAULT_OPENAI_CHAT_COMPAT, model).grammarWithTools;
}

/**
 * The final-output step, after a model answer without tool calls: extract the JSON value (whole text,
 * code fence, first balanced value) and validate it. Valid: stored as `result.output`, the run ends.
 * Invalid: an `output_repair` event and a repair turn whose prompt holds the validator's messages (sent
 * without tools when the server cannot combine a grammar with tools), at most `step.repairs` times.
 *
 * @returns `continue` when a repair turn follows, `done` when the output is valid.
 * @throws {OutputValidationError} when the repairs are used up.
 */
export async function* finalOutputStep<Ctx>(
  state: LoopState<Ctx>,
  step: FinalOutputStep,
  message: AssistantMessage,
): AsyncGenerator<AgentEventBody, 'continue' | 'done', undefined> {
  const text = answerText(message);
  const checked = await checkAnswer(step.output, text);
  if (checked.ok) {
    state.result.output = checked.value;
    return 'done';
  }
  if (step.used >= step.repairs) {
    throw new OutputValidationError(
      `The model's answer does not match the output schema after ${step.used} repair turn(s):\n${checked.message}`,
      { rawText: text, issues: checked.message, attempts: step.used + 1 },
    );
  }
  step.used++;
  yield {
    type: 'output_repair',
    attempt: step.used,
    maxRepairs: step.repairs,
    issues: checked.message,
    rawText: text,
  };
  if (state.tools.length > 0 && grammarNeedsNoTools(state.model)) state.withoutToolsOnce = true;
  yield* state.deliver(repairPrompt(checked.message));
  return 'continue';
}
