/**
 * The config loader reads only regular files of at most 1 MiB: `--config FIFO`, `OPEN_AGENT_CONFIG=FIFO`,
 * a project config that is a symlink to /dev/zero, a directory, and an oversized file all fail fast with a
 * usage error (exit 2) that names the file, and nothing is sent. Runs the real binary.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { CONFIG_FILE_MAX_BYTES, readConfigText } from '../../src/config/index.js';
import { tempDir } from '../builtin-tools/harness.js';
import { runCli } from './cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('oa-config-special-'));
});
afterEach(() => cleanup());

interface Case {
  name: string;
  /** Prepares the directory; returns extra flags and environment. */
  setup: () => { flags: string[]; env?: Record<string, string> };
  message: RegExp;
}

const CASES: Case[] = [
  {
    name: '--config FIFO',
    setup: () => {
      execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
      return { flags: ['--config', join(dir, 'fifo.yaml')] };
    },
    message: /fifo\.yaml is not a regular file/,
  },
  {
    name: 'OPEN_AGENT_CONFIG=FIFO',
    setup: () => {
      execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
      return { flags: [], env: { OPEN_AGENT_CONFIG: join(dir, 'fifo.yaml') } };
    },
    message: /fifo\.yaml is not a regular file/,
  },
  {
    name: 'project config symlinked to /dev/zero',
    setup: () => {
      symlinkSync('/dev/zero', join(dir, 'open-agent.config.yaml'));
      return { flags: [] };
    },
    message: /open-agent\.config\.yaml is not a regular file/,
  },
  {
    name: 'project config that is a directory',
    setup: () => {
      mkdirSync(join(dir, 'open-agent.config.yaml'));
      return { flags: [] };
    },
    message: /open-agent\.config\.yaml is not a regular file/,
  },
  {
    name: 'a config file over 1 MiB',
    setup: () => {
      writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(CONFIG_FILE_MAX_BYTES)}\n`);
      return { flags: ['--config', join(dir, 'big.yaml')] };
    },
    message: /big\.yaml is 1048579 bytes; the limit is 1048576/,
  },
];

describe('the config loader refuses special and oversized files', () => {
  for (const c of CASES) {
    it(`${c.name}: a usage error, fast`, async () => {
      const { flags, env } = c.setup();
      const started = Date.now();
      const result = await runCli(
        ['run', 'hi', '--base-url', 'http://127.0.0.1:1/v1', '--model', 'm', '--cwd', dir, ...flags],
        { env: env ?? {} },
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(c.message);
      expect(result.stdout).toBe('');
    });
  }

  it('readConfigText throws a ConfigError for a FIFO and reads a regular file after it', () => {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    expect(() => readConfigText(join(dir, 'fifo.yaml'))).toThrow(ConfigError);
    writeFileSync(join(dir, 'ok.yaml'), 'model: m\n');
    expect(readConfigText(join(dir, 'ok.yaml'))).toBe('model: m\n');
  });
});
