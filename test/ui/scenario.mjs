// The dashboard scenario shared by the browser test (test/ui/dashboard-browser.test.ts) and
// scripts/screenshots.mjs: a session with a finished multi-turn tool run, produced for real (an agent with a
// tool against a scripted loopback OpenAI-compatible server, into a JsonlFileStore), a second scripted
// server for the dashboard's chats, a config file with one agent, and the built CLI's `open-agent ui`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineAgent, modelFor, run, tool } from '../../dist/index.js';
import { JsonlFileStore } from '../../dist/node/index.js';
import { startFixtureServer, textResponse, toolCallResponse } from '../../dist/testing/index.js';

/** The built CLI. */
export const BIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** An API key that must never reach a page or an API response. */
export const CANARY = 'sk-canary-0123456789abcdefDASHBOARD';
/** The session with the finished run. */
export const SESSION_ID = 'weather-research';
/** Steps of its timeline: the prompt, 3 model calls, 2 tool calls. */
export const SESSION_STEPS = 6;
/** The chat answer's pieces (streamed 150 ms apart). */
export const CHAT_PIECES = ['Hello', ' from', ' the', ' scripted', ' model.'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the finished session into `sessionsDir` (a real run over HTTP). */
export async function writeFinishedSession(sessionsDir) {
  const answers = [
    toolCallResponse([{ id: 'call_oslo', name: 'lookup_weather', arguments: { city: 'Oslo' } }], {
      usage: [120, 18],
    }),
    toolCallResponse([{ id: 'call_bergen', name: 'lookup_weather', arguments: { city: 'Bergen' } }], {
      usage: [160, 19],
    }),
    textResponse(['Oslo is 4 °C and clear; ', 'Bergen is 7 °C with rain.'], { usage: [210, 16] }),
  ];
  const server = await startFixtureServer({
    responses: (_request, i) => ({
      ...(answers[i] ?? textResponse('?')),
      headersDelayMs: 120,
      chunkDelayMs: 40,
    }),
  });
  try {
    const model = {
      ...modelFor({ id: 'qwen3:8b', baseUrl: server.baseUrl, api: 'openai-chat' }),
      cost: { input: 0.2, output: 0.6, cacheRead: 0, cacheWrite: 0 },
    };
    const lookup = tool({
      name: 'lookup_weather',
      description: 'Current weather for a city.',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      execute: async ({ args }) => {
        await sleep(80);
        return args.city === 'Oslo' ? '4 °C, clear' : '7 °C, rain';
      },
    });
    const agent = defineAgent({
      name: 'researcher',
      model,
      instructions: 'Answer with the weather.',
      tools: [lookup],
    });
    const store = new JsonlFileStore({ directory: sessionsDir });
    const outcome = await run(agent, 'What is the weather in Oslo and Bergen?', {
      session: { store, id: SESSION_ID },
      streamOptions: { retry: { maxRetries: 0 } },
    });
    if (outcome.status !== 'completed') throw new Error(`the scenario run ended ${outcome.status}`);
  } finally {
    await server.close();
  }
}

/** Byte offsets after each SSE event but the last: one HTTP chunk per event. */
function eventBoundaries(body) {
  const bytes = Buffer.from(body);
  const splits = [];
  for (let i = bytes.indexOf('\n\n'); i >= 0 && i + 2 < bytes.length; i = bytes.indexOf('\n\n', i + 2))
    splits.push(i + 2);
  return splits;
}

/** The model server of the dashboard's chats: a streamed greeting, or a write_file call for "note". */
export async function startChatModel() {
  return startFixtureServer({
    responses: (request) => {
      const messages = request.json?.messages ?? [];
      const last = messages[messages.length - 1];
      if (last?.role === 'tool') return textResponse('Saved the note to note.txt.');
      const text = typeof last?.content === 'string' ? last.content : '';
      if (text.includes('note'))
        return toolCallResponse([
          { id: 'call_write', name: 'write_file', arguments: { path: 'note.txt', content: 'hello' } },
        ]);
      const answer = textResponse(CHAT_PIECES);
      return { ...answer, splits: eventBoundaries(String(answer.body)), chunkDelayMs: 150 };
    },
  });
}

/** A temp working directory with a config file naming the chat model and one agent `assistant`. */
export function writeConfig(cwd, baseUrl) {
  mkdirSync(cwd, { recursive: true });
  const yaml = [
    `baseUrl: ${baseUrl}`,
    'model: test-model',
    'maxRetries: 0',
    'agents:',
    '  assistant:',
    '    instructions: Be brief.',
    '    tools: [write_file, read_file]',
    '',
  ].join('\n');
  writeFileSync(join(cwd, 'open-agent.config.yaml'), yaml);
}

/**
 * Starts `open-agent ui --no-open --sessions DIR` (the built CLI) in `cwd` with the canary key in its
 * environment (for the model at `baseUrl`); resolves once it printed its URL.
 */
export async function startUi({ cwd, sessionsDir, baseUrl, extraArgs = [] }) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? cwd,
    OPENAI_API_KEY: CANARY,
    // The key goes only to the origin of OPENAI_BASE_URL: the chat model's, so it does reach a server.
    OPENAI_BASE_URL: baseUrl,
    OPEN_AGENT_PROBE_PORTS: '1',
    XDG_CONFIG_HOME: join(cwd, 'no-config'),
    CI: 'true',
  };
  const child = spawn(process.execPath, [BIN, 'ui', '--no-open', '--sessions', sessionsDir, ...extraArgs], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c) => {
    stderr += c;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`open-agent ui printed no URL in 20 s; stderr: ${stderr}`)),
      20_000,
    );
    child.stdout.setEncoding('utf8').on('data', (c) => {
      stdout += c;
      const match = /(http:\/\/\S+\?token=\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`open-agent ui exited ${code}; stderr: ${stderr}`));
    });
  });
  return {
    url,
    child,
    output: () => ({ stdout, stderr }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/** Chromium from the Debian package, or an error naming the install command. */
export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path))
    throw new Error(
      `Chromium is missing at ${path}: install it with \`apt-get install -y chromium\` (the browser tests need it).`,
    );
  return path;
}
