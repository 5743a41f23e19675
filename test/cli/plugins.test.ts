import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { BIN, chunk, runCli, sh, sse, textAnswer, toolCallAnswer, usageChunk } from './cli.js';

let server: FixtureServer | undefined;
let home: string;
/** XDG_CONFIG_HOME of the test: plugins go to `${xdg}/open-agent/plugins`. */
let xdg: string;
let pluginDir: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'open-agent-plugins-'));
  xdg = join(home, 'config');
  pluginDir = join(xdg, 'open-agent', 'plugins');
  mkdirSync(pluginDir, { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(home, { recursive: true, force: true });
});

/** A plugin (a default-export factory) adding `get_weather` and, when given, a preset at `baseUrl`. */
function weatherPlugin(baseUrl = 'http://127.0.0.1:9/v1'): string {
  return `export default ({ sdk }) => ({
  name: 'weather',
  tools: [sdk.tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    execute: ({ args }) => 'Sunny, 21 C in ' + args.city,
  })],
  presets: [{ name: 'my-box', api: 'openai-chat', baseUrl: ${JSON.stringify(baseUrl)} }],
});
`;
}

/** The JSON body of the server's request number `index`. */
function bodyOf(index: number): Record<string, unknown> {
  const body = server?.requests[index]?.json;
  if (typeof body !== 'object' || body === null) throw new Error(`no JSON request ${index}`);
  return body as Record<string, unknown>;
}

function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { env: { XDG_CONFIG_HOME: xdg, ...env } });
}

/** The `plugins` array of `open-agent config --output json`. */
async function configPlugins(args: string[] = [], env: Record<string, string> = {}) {
  const result = await cli(['config', '--output', 'json', ...args], env);
  expect(result.code).toBe(0);
  return { result, plugins: (JSON.parse(result.stdout) as { plugins: Record<string, unknown>[] }).plugins };
}

describe('open-agent plugins', () => {
  it('runs a plugin tool the model calls and sends its result in the next request', async () => {
    writeFileSync(join(pluginDir, 'weather.mjs'), weatherPlugin());
    server = await startFixtureServer({
      responses: [{ body: toolCallAnswer('tool_calls') }, { body: textAnswer(['Sunny.']) }],
    });
    const result = await cli([
      'run',
      'Weather in Paris?',
      '--base-url',
      server.baseUrl,
      '--model',
      'm',
      '--tools',
      'get_weather',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Sunny.');
    expect(server.requests).toHaveLength(2);
    const first = server.requests[0]?.json as { tools: { function: { name: string } }[] };
    expect(first.tools.map((t) => t.function.name)).toEqual(['get_weather']);
    const messages = bodyOf(1).messages as Record<string, unknown>[];
    expect(messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_abc',
      content: 'Sunny, 21 C in Paris',
    });
  });

  it('offers plugin tools only when enabled by name', async () => {
    writeFileSync(join(pluginDir, 'weather.mjs'), weatherPlugin());
    server = await startFixtureServer({ responses: [{ body: textAnswer(['ok']) }] });
    const result = await cli(['run', 'hi', '--base-url', server.baseUrl, '--model', 'm']);
    expect(result.code).toBe(0);
    const tools = bodyOf(0).tools as { function: { name: string } }[];
    expect(tools.map((t) => t.function.name)).toEqual(['read_file', 'list_directory', 'search_files']);
  });

  it('uses a plugin preset with --provider', async () => {
    server = await startFixtureServer({ responses: [{ body: textAnswer(['from the preset']) }] });
    writeFileSync(join(pluginDir, 'weather.mjs'), weatherPlugin(server.baseUrl));
    const result = await cli(['run', 'hi', '--provider', 'my-box', '--model', 'm', '--no-tools']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('from the preset');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
  });

  it('reports a plugin that throws at import, skips it, and still answers', async () => {
    writeFileSync(join(pluginDir, 'broken.js'), 'throw new Error("boom at import");\n');
    server = await startFixtureServer({ responses: [{ body: textAnswer(['still here']) }] });
    const result = await cli(['run', 'hi', '--base-url', server.baseUrl, '--model', 'm', '--no-tools']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('still here');
    expect(result.stderr).toBe(`warning: plugin ${join(pluginDir, 'broken.js')}: boom at import; skipped\n`);
  });

  it('reports a plugin of the wrong shape and lists it as skipped in config', async () => {
    writeFileSync(join(pluginDir, 'wrong.mjs'), 'export const tools = 5;\n');
    writeFileSync(join(pluginDir, 'typo.mjs'), 'export default { tool: [] };\n');
    writeFileSync(join(pluginDir, 'weather.mjs'), weatherPlugin());
    const { result, plugins } = await configPlugins();
    expect(result.stderr).toBe(
      `warning: plugin ${join(pluginDir, 'typo.mjs')}: unknown key "tool"; known: name, tools, providers, presets, agents, hooks; skipped\n` +
        `warning: plugin ${join(pluginDir, 'wrong.mjs')}: "tools" must be an array, got a number; skipped\n`,
    );
    expect(plugins.map((p) => [p.name, p.error])).toEqual([
      ['typo', 'unknown key "tool"; known: name, tools, providers, presets, agents, hooks'],
      ['weather', undefined],
      ['wrong', '"tools" must be an array, got a number'],
    ]);
    expect(plugins[1]).toMatchObject({
      path: join(pluginDir, 'weather.mjs'),
      source: 'directory',
      tools: ['get_weather'],
      presets: ['my-box'],
      providers: [],
      agents: [],
      hooks: [],
      warnings: [],
    });
    const text = await cli(['config']);
    expect(text.stdout).toContain(
      `plugins:\n  typo  ${join(pluginDir, 'typo.mjs')}: skipped: unknown key "tool"`,
    );
    expect(text.stdout).toContain(
      `  weather  ${join(pluginDir, 'weather.mjs')}: tools get_weather; presets my-box\n`,
    );
  });

  it('skips every plugin with --no-plugins (before or after the command) and OPEN_AGENT_NO_PLUGINS=1', async () => {
    writeFileSync(join(pluginDir, 'broken.js'), 'throw new Error("boom at import");\n');
    writeFileSync(join(pluginDir, 'weather.mjs'), weatherPlugin());
    for (const [args, env] of [
      [['--no-plugins'], {}],
      [['config', '--no-plugins'], {}],
      [[], { OPEN_AGENT_NO_PLUGINS: '1' }],
    ] as const) {
      const command = args[0] === 'config' ? [...args] : [...args, 'config'];
      const result = await cli(command, env);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('plugins: off (--no-plugins or OPEN_AGENT_NO_PLUGINS)\n');
    }
    const refused = await cli([
      'run',
      'hi',
      '--base-url',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
      '--tools',
      'get_weather',
      '--no-plugins',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'error: unknown tool "get_weather" in --tools; known: read_file, list_directory, search_files, write_file, edit_file, run_command\n',
    );
  });

  it('never loads a plugin from the working directory: a project config file or .env cannot name one, --config can', async () => {
    const project = join(home, 'project');
    mkdirSync(join(project, 'plugins'), { recursive: true });
    mkdirSync(join(project, 'open-agent', 'plugins'), { recursive: true });
    const marker = join(home, 'imported');
    const evil = `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport const hooks = { Stop: [() => undefined] };\n`;
    for (const file of ['evil.mjs', 'plugins/evil.mjs', 'open-agent/plugins/evil.mjs'])
      writeFileSync(join(project, file), evil);
    const script = `cd "${project}" && "${process.execPath}" "${BIN}" config --output json`;
    const before = await sh(script, { XDG_CONFIG_HOME: xdg });
    expect(before.code).toBe(0);
    expect((JSON.parse(before.stdout) as { plugins: unknown[] }).plugins).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    // A project's config file and its .env cannot load code: plugins come only from the user's own config.
    writeFileSync(join(project, 'open-agent.config.yaml'), 'plugins:\n  - ./evil.mjs\n');
    const refused = await sh(script, { XDG_CONFIG_HOME: xdg });
    expect(refused.code).toBe(0);
    expect(refused.stderr).toBe(
      `warning: plugins named in ${join(project, 'open-agent.config.yaml')} are ignored: a project's config file cannot load code; list them in ${join(xdg, 'open-agent', 'config.yaml')} or pass --config\n`,
    );
    expect((JSON.parse(refused.stdout) as { plugins: unknown[] }).plugins).toEqual([]);
    writeFileSync(join(project, '.env'), 'OPEN_AGENT__PLUGINS=./evil.mjs\n');
    const fromDotEnv = await sh(script, { XDG_CONFIG_HOME: xdg });
    expect(fromDotEnv.stderr).toContain('warning: OPEN_AGENT__PLUGINS from');
    expect((JSON.parse(fromDotEnv.stdout) as { plugins: unknown[] }).plugins).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    rmSync(join(project, '.env'));
    // Named explicitly by the user (--config), the same file loads it.
    const after = await sh(`${script} --config open-agent.config.yaml`, { XDG_CONFIG_HOME: xdg });
    expect(after.stderr).toBe('');
    const plugins = (JSON.parse(after.stdout) as { plugins: Record<string, unknown>[] }).plugins;
    expect(plugins).toHaveLength(1);
    expect(plugins[0]).toMatchObject({
      name: 'evil',
      path: join(project, 'evil.mjs'),
      source: `file:${join(project, 'open-agent.config.yaml')}`,
      hooks: ['Stop'],
    });
    expect(existsSync(marker)).toBe(true);
  });

  it('resolves config entries against the config file: relative paths, package directories, packages', async () => {
    const userDir = join(xdg, 'open-agent');
    mkdirSync(join(userDir, 'extra'), { recursive: true });
    writeFileSync(
      join(userDir, 'extra', 'named.mjs'),
      'export const name = "named";\nexport const presets = [{ name: "named-box", api: "openai-chat", baseUrl: "http://127.0.0.1:9/v1" }];\n',
    );
    const pkg = join(userDir, 'node_modules', 'open-agent-plugin-demo');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: 'open-agent-plugin-demo',
        type: 'module',
        exports: { '.': { import: './dist/main.js' } },
      }),
    );
    writeFileSync(
      join(pkg, 'dist', 'main.js'),
      'export default { name: "demo", hooks: { PreToolUse: [{ matcher: "x", hook: () => undefined }] } };\n',
    );
    writeFileSync(
      join(userDir, 'config.yaml'),
      'plugins:\n  - extra/named.mjs\n  - open-agent-plugin-demo\n  - ./missing.mjs\n  - not-installed\n',
    );
    const { result, plugins } = await configPlugins();
    expect(plugins.map((p) => [p.name, p.path, p.error])).toEqual([
      ['named', join(userDir, 'extra', 'named.mjs'), undefined],
      ['demo', join(pkg, 'dist', 'main.js'), undefined],
      ['./missing.mjs', './missing.mjs', 'not found'],
      [
        'not-installed',
        'not-installed',
        `package not found in a node_modules directory at or above ${userDir}`,
      ],
    ]);
    expect(plugins[1]?.hooks).toEqual(['PreToolUse']);
    expect(result.stderr).toContain('warning: plugin ./missing.mjs: not found; skipped\n');
  });

  it('skips entries that clash with built-ins, keeping the rest of the plugin', async () => {
    writeFileSync(
      join(pluginDir, 'clash.mjs'),
      `export default ({ sdk }) => ({
  tools: [
    { name: 'read_file', description: 'fake', parameters: { type: 'object' }, execute: () => 'fake' },
    { name: 'echo', description: 'echo', parameters: { type: 'object' }, execute: () => 'echo' },
  ],
  presets: [{ name: 'ollama', api: 'openai-chat', baseUrl: 'http://127.0.0.1:9/v1' }, { name: 'odd', api: 'nope', baseUrl: 'http://127.0.0.1:9/v1' }],
});
`,
    );
    const { result, plugins } = await configPlugins();
    const path = join(pluginDir, 'clash.mjs');
    expect(result.stderr).toBe(
      `warning: plugin ${path}: preset "ollama" is already defined; skipped\n` +
        `warning: plugin ${path}: preset "odd" uses api "nope", which no provider answers; skipped\n` +
        `warning: plugin ${path}: tool "read_file" is a built-in tool; skipped\n`,
    );
    expect(plugins[0]).toMatchObject({ tools: ['echo'], presets: [] });
  });

  it("adds a plugin's hooks to the run", async () => {
    writeFileSync(join(pluginDir, 'weather.mjs'), weatherPlugin());
    writeFileSync(
      join(pluginDir, 'guard.mjs'),
      'export const hooks = { PreToolUse: [{ matcher: "get_weather", hook: () => ({ block: true, reason: "weather is off today" }) }] };\n',
    );
    server = await startFixtureServer({
      responses: [{ body: toolCallAnswer('tool_calls') }, { body: textAnswer(['No weather.']) }],
    });
    const result = await cli([
      'run',
      'Weather?',
      '--base-url',
      server.baseUrl,
      '--model',
      'm',
      '--tools',
      'get_weather',
    ]);
    expect(result.code).toBe(0);
    const messages = bodyOf(1).messages as Record<string, unknown>[];
    const last = messages.at(-1) as { role: string; content: string };
    expect(last.role).toBe('tool');
    expect(last.content).toContain('weather is off today');
    expect(last.content).not.toContain('Sunny');
  });
});

describe('a plugin provider', () => {
  it('registers its api, and its preset sends requests through it', async () => {
    writeFileSync(
      join(pluginDir, 'line-chat.mjs'),
      `// A text-only NDJSON protocol: POST {baseUrl}/line-chat, lines {"text"} then {"done": true}.
export default ({ provider }) => ({
  name: 'line-chat',
  providers: [provider.defineProvider({
    api: 'line-chat',
    defaultCompat: {},
    streamAccept: 'application/x-ndjson',
    buildRequest: ({ model, context }) => ({ path: '/line-chat', body: { model: model.id, messages: context.messages } }),
    createEventHandler: (builder) => {
      let ended = false;
      return {
        ndjson(line) {
          if (typeof line.text === 'string') builder.text(line.text);
          ended = line.done === true;
          return ended;
        },
        end: () => ({ info: { stopReason: 'stop' } }),
      };
    },
  })],
  presets: [{ name: 'line-box', api: 'line-chat', baseUrl: process.env.LINE_BOX_URL }],
});
`,
    );
    server = await startFixtureServer({
      responses: [
        {
          contentType: 'application/x-ndjson',
          body: '{"text":"line "}\n{"text":"answer"}\n{"done":true}\n',
        },
      ],
    });
    const result = await cli(['run', 'hi', '--provider', 'line-box', '--model', 'm', '--no-tools'], {
      LINE_BOX_URL: server.url,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('line answer');
    expect(server.requests[0]?.path).toBe('/line-chat');
    expect(bodyOf(0)).toMatchObject({ model: 'm' });
    const { plugins } = await configPlugins([], { LINE_BOX_URL: server.url });
    expect(plugins[0]).toMatchObject({ providers: ['line-chat'], presets: ['line-box'] });
  });
});

describe('examples/plugins/dice.mjs', () => {
  it('adds roll_dice, which the CLI runs for the model, and the gpu-box preset', async () => {
    copyFileSync(
      fileURLToPath(new URL('../../examples/plugins/dice.mjs', import.meta.url)),
      join(pluginDir, 'dice.mjs'),
    );
    const call = {
      index: 0,
      id: 'call_dice',
      type: 'function',
      function: { name: 'roll_dice', arguments: '{"count":2,"sides":6}' },
    };
    server = await startFixtureServer({
      responses: [
        {
          body: sse([
            chunk({ role: 'assistant', content: null }),
            chunk({ tool_calls: [call] }),
            chunk({}, 'tool_calls'),
            usageChunk(9, 9),
          ]),
        },
        { body: textAnswer(['Rolled.']) },
      ],
    });
    const result = await cli([
      'run',
      'Roll 2d6',
      '--base-url',
      server.baseUrl,
      '--model',
      'm',
      '--tools',
      'roll_dice',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const last = (bodyOf(1).messages as { role: string; content: string }[]).at(-1);
    expect(last?.role).toBe('tool');
    const rolled = JSON.parse(last?.content ?? '') as { rolls: number[]; sum: number };
    expect(rolled.rolls).toHaveLength(2);
    for (const roll of rolled.rolls) expect(roll >= 1 && roll <= 6).toBe(true);
    expect(rolled.sum).toBe((rolled.rolls[0] ?? 0) + (rolled.rolls[1] ?? 0));
    const { plugins } = await configPlugins(['--provider', 'gpu-box']);
    expect(plugins[0]).toMatchObject({ name: 'dice', tools: ['roll_dice'], presets: ['gpu-box'] });
  });
});
