import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built binary (the suite runs after `npm run build`). */
export const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** What a finished `open-agent` process left behind. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Variables added to a clean environment (the developer's OPENAI_* never leak in). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. With `'ignore'`, stdin is /dev/null. @default '' */
  stdin?: string | 'ignore';
  /** Called once the process is running (e.g. to send it a signal later). */
  onSpawn?: (child: ChildProcess) => void;
}

/**
 * A minimal environment: only what node needs to start, plus `extra`. Retries are off (each scripted
 * response is answered once), probing the standard ports is pointed at port 1 (nothing listens
 * there), and sessions go to a directory that cannot exist, so no test depends on (or writes to) this
 * machine's state.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    OPEN_AGENT_MAX_RETRIES: '0',
    OPEN_AGENT_PROBE_PORTS: '1',
    XDG_CONFIG_HOME: '/nonexistent/open-agent-test-config',
    // Chats save sessions: under a file, so no test writes to the developer's data directory (even as root).
    OPEN_AGENT_SESSIONS_DIR: '/dev/null/open-agent-test-sessions',
    XDG_DATA_HOME: '/nonexistent/open-agent-test-data',
  };
  for (const name of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

/** Runs `node dist/cli/main.js ...args` and collects its output. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` before the CLI tests`);
  const stdinMode = options.stdin === 'ignore' ? 'ignore' : 'pipe';
  const child = spawn(process.execPath, [BIN, ...args], {
    env: cleanEnv(options.env),
    stdio: [stdinMode, 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  if (child.stdin) child.stdin.end(options.stdin === 'ignore' ? '' : (options.stdin ?? ''));
  options.onSpawn?.(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** One OpenAI `chat.completion.chunk` with a single choice. */
export function chunk(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
): Record<string, unknown> {
  return {
    id: 'chatcmpl-cli-1',
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: 'test-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The final usage chunk (`stream_options.include_usage`). */
export function usageChunk(prompt: number, completion: number): Record<string, unknown> {
  return {
    id: 'chatcmpl-cli-1',
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: 'test-model',
    choices: [],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

/** An SSE body: one `data:` line per chunk, then `data: [DONE]`. */
export function sse(chunks: Record<string, unknown>[], done = true): string {
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : '');
}

/** A streamed answer: role, the text in pieces, finish `stop`, usage. */
export function textAnswer(pieces: string[], usage: [number, number] = [12, 5]): string {
  return sse([
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((content) => chunk({ content })),
    chunk({}, 'stop'),
    usageChunk(...usage),
  ]);
}

/** A streamed tool call (`get_weather {"city":"Paris"}`) ending with the given finish reason. */
export function toolCallAnswer(finishReason: string): string {
  return sse([
    chunk({ role: 'assistant', content: null }),
    chunk({
      tool_calls: [
        { index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } },
      ],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: ' "Paris"}' } }] }),
    chunk({}, finishReason),
    usageChunk(20, 9),
  ]);
}

/** Parses stdout of `--output json`. */
export function parseDocument(
  stdout: string,
): Record<string, unknown> & { messages: Record<string, unknown>[] } {
  return JSON.parse(stdout) as Record<string, unknown> & { messages: Record<string, unknown>[] };
}

/** Parses stdout of `--output stream-json` (one object per line). */
export function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Runs a shell command line (so stdin is a real pipe or file) and collects its output. */
export function sh(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('/bin/bash', ['-c', script], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
