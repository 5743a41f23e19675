import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../../src/testing/index.js';
import { runCli, textAnswer } from '../cli/cli.js';
import { Terminal } from './terminal.js';

let terminal: Terminal | undefined;
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
});

const BUSY = { status: 503, contentType: 'application/json', body: '{"error":{"message":"busy"}}' };

describe('run progress on stderr', () => {
  it('on a terminal: one line per retry (attempt, status, wait) and the first-token spinner', async () => {
    const server = await startFixtureServer({
      responses: (_r, i) => (i === 0 ? BUSY : { body: textAnswer(['Done.']), headersDelayMs: 300 }),
    });
    try {
      terminal = new Terminal(['run', '--base-url', server.baseUrl, '--model', 'm', '--no-tools', 'hi'], {
        OPEN_AGENT_MAX_RETRIES: '1',
      });
      await terminal.waitFor('Done.');
      expect(await terminal.exit).toBe(0);
      expect(terminal.output).toMatch(/\[2KHTTP 503; attempt 2 in \d+\.\ds\r?\n/);
      expect(terminal.output).toContain(
        'waiting for the first token — a local server may be loading the model (0s)',
      );
    } finally {
      await server.close();
    }
  });

  it('off a terminal: no spinner and no retry lines', async () => {
    const server = await startFixtureServer({
      responses: (_r, i) => (i === 0 ? BUSY : { body: textAnswer(['Done.']) }),
    });
    try {
      const result = await runCli(['run', '--base-url', server.baseUrl, '--model', 'm', '--no-tools', 'hi'], {
        env: { OPEN_AGENT_MAX_RETRIES: '1' },
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Done.\n');
      expect(result.stderr).toBe('');
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
