import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { JsonlFileStore } from '../../src/node/index.js';
import { sessionStoreConformance } from '../../src/testing/index.js';

const root = await mkdtemp(join(tmpdir(), 'oas-jsonl-conformance-'));
let counter = 0;

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

sessionStoreConformance({
  name: 'JsonlFileStore',
  describe,
  it,
  create: async () => new JsonlFileStore({ directory: join(root, `store-${++counter}`) }),
  openAnother: async (store) => new JsonlFileStore({ directory: (store as JsonlFileStore).directory }),
  tearWrite: async (store, sessionId) => {
    await appendFile((store as JsonlFileStore).pathOf(sessionId), '{"type":"append","op":"torn","seq":9,"it');
  },
});

describe('JsonlFileStore leaves nothing behind', () => {
  it('has no lock or temp files after the conformance checks', async () => {
    // Runs after the suite above in this file (vitest runs a file's tests in order).
    const leftovers: string[] = [];
    for (const directory of await readdir(root)) {
      for (const name of await readdir(join(root, directory))) {
        if (!name.endsWith('.jsonl')) leftovers.push(`${directory}/${name}`);
      }
    }
    if (leftovers.length > 0) throw new Error(`left behind: ${leftovers.join(', ')}`);
  });
});
