import { createInterface } from 'node:readline/promises';
import type { Hooks, PendingCall, PreToolUseDecision, PreToolUseInput, Tool } from '../index.js';
import { COMMAND_TOOL_NAMES, WRITE_TOOL_NAMES } from '../tools/builtin/index.js';

/** Asks the user a question and returns the answer. */
export type Ask = (question: string) => Promise<string>;

/** Tools that need approval: the ones that change files or run programs. */
const RISKY = new Set<string>([...WRITE_TOOL_NAMES, ...COMMAND_TOOL_NAMES]);

/** One line describing a risky call, for the approval question. */
function describeCall(input: Pick<PreToolUseInput, 'toolName' | 'args'>): string {
  const args = input.args as Record<string, unknown>;
  if (input.toolName === 'run_command') {
    const list = Array.isArray(args.args) ? args.args.map(String) : [];
    return `run ${[String(args.command), ...list].map((a) => JSON.stringify(a)).join(' ')}`;
  }
  const content = typeof args.content === 'string' ? ` (${Buffer.byteLength(args.content)} bytes)` : '';
  return `${input.toolName} ${JSON.stringify(args.path)}${content}`;
}

/**
 * A `PreToolUse` hook that asks before each write or command tool call (`y` allows, anything else refuses;
 * the model is told the user declined). Questions are asked one at a time, even for parallel calls.
 */
export function approvalHooks(ask: Ask): Hooks {
  let queue: Promise<unknown> = Promise.resolve();
  const hook = (input: PreToolUseInput): Promise<PreToolUseDecision | undefined> => {
    if (!RISKY.has(input.toolName)) return Promise.resolve(undefined);
    const answer = queue.then(() => ask(`Allow ${describeCall(input)}? [y/N] `));
    queue = answer.catch(() => undefined);
    return answer.then((text) =>
      /^y(es)?$/i.test(text.trim())
        ? { allow: true as const }
        : {
            block: true as const,
            reason: declined(input.toolName),
          },
    );
  };
  // Approval waits for a person: no time limit that would turn a slow answer into a refusal.
  return { PreToolUse: [{ hook, timeoutMs: 24 * 60 * 60 * 1000 }] };
}

/** An {@link Ask} on the terminal (stdin/stderr); the interface is closed after each answer. */
export function terminalAsk(): Ask {
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}

/** The text the model gets for a call the user declined. */
function declined(toolName: string): string {
  return `The user declined this ${toolName} call. Do not retry it; continue without it or ask the user.`;
}

/**
 * The tools with `needsApproval` set on the write and command tools, so a run stops (`interrupted`) before
 * each of their calls: the CLI's approval path is the library's interruption path.
 */
export function approvalTools(tools: Tool<unknown>[]): Tool<unknown>[] {
  return tools.map((t) => (RISKY.has(t.name) ? { ...t, needsApproval: true } : t));
}

/**
 * Decides an interrupted call by asking on the terminal (`y` approves; anything else rejects, and the model
 * is told the user declined). Calls are asked one at a time, in the model's order.
 */
export function askDecision(
  ask: Ask,
): (call: PendingCall) => Promise<{ approved: boolean; message?: string }> {
  return async (call) => {
    const text = await ask(
      `Allow ${describeCall({ toolName: call.toolName, args: call.arguments })}? [y/N] `,
    );
    return /^y(es)?$/i.test(text.trim())
      ? { approved: true }
      : { approved: false, message: declined(call.toolName) };
  };
}
