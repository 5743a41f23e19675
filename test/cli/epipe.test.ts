import { describe, expect, it } from 'vitest';
import { startFixtureServer } from '../../src/testing/index.js';
import { BIN, sh, textAnswer } from './cli.js';

const NODE = process.execPath;

describe('a closed stdout pipe (| head)', () => {
  it('--help | head -1 exits 0 with nothing on stderr', async () => {
    const result = await sh(`"${NODE}" "${BIN}" run --help | head -1`, {});
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toBe('Usage: open-agent run [options] [prompt]');
  });

  for (const output of ['text', 'stream-json']) {
    it(`run --output ${output} | head -1 ends quietly with exit 0 and no answer left streaming`, async () => {
      const pieces = Array.from({ length: 400 }, (_, i) => `line ${i}\n`);
      const body = textAnswer(pieces);
      const splits = Array.from({ length: 40 }, (_, i) => Math.floor(((i + 1) * body.length) / 41));
      const server = await startFixtureServer({ responses: () => ({ body, splits, chunkDelayMs: 60 }) });
      try {
        const result = await sh(
          `set -o pipefail 2>/dev/null; "${NODE}" "${BIN}" run --base-url "$URL" --model m --no-tools --output ${output} hi | head -1 >/dev/null; echo "exit=$?"`,
          { URL: server.baseUrl },
        );
        expect(result.stderr).toBe('');
        expect(result.stdout).toBe('exit=0\n');
        // The request was closed mid-answer (or, in stream-json, aborted before it was sent).
        if (server.requests.length > 0) await server.waitForDisconnect();
      } finally {
        await server.close();
      }
    });
  }
});
