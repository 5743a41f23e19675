import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { loopbackModel } from '../helpers/model.js';
import { scriptedModel, toolCallBody, wireMessages } from '../helpers/scripted-model.js';
import { textStream } from '../helpers/sse.js';
import { nodeServer, serverEntry } from './helpers.js';

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

describe('server-filesystem and server-memory through the agent loop', () => {
  it('reads a file and stores an entity in one turn, then answers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oa-mcp-'));
    dirs.push(dir);
    await writeFile(join(dir, 'note.txt'), 'the launch code is 1234');
    const memoryFile = join(dir, 'memory.jsonl');
    const fs = nodeServer('fs', serverEntry('server-filesystem'), [dir], {
      toolFilter: { allow: ['read_text_file'] },
    });
    const memory = nodeServer('mem', serverEntry('server-memory'), [], {
      env: { MEMORY_FILE_PATH: memoryFile },
      toolFilter: { allow: ['create_entities', 'read_graph'] },
    });
    const entity = { entities: [{ name: 'launch', entityType: 'code', observations: ['1234'] }] };
    const model = await startFixtureServer({
      responses: scriptedModel([
        (request) => {
          const offered = (request.json as { tools: { function: { name: string } }[] }).tools;
          expect(offered.map((t) => t.function.name)).toEqual([
            'fs__read_text_file',
            'mem__create_entities',
            'mem__read_graph',
          ]);
          return toolCallBody([
            { id: 'c1', name: 'fs__read_text_file', args: JSON.stringify({ path: join(dir, 'note.txt') }) },
            { id: 'c2', name: 'mem__create_entities', args: JSON.stringify(entity) },
            {
              id: 'c3',
              name: 'fs__read_text_file',
              args: JSON.stringify({ path: join(dir, '..', 'outside.txt') }),
            },
          ]);
        },
        (request) => {
          const results = wireMessages(request).slice(-3) as { content: string }[];
          expect(results[0]?.content).toBe('the launch code is 1234');
          expect(results[1]?.content).toMatch(/launch/);
          expect(results[2]?.content).toMatch(/Access denied|outside/i);
          return textStream(['Stored.']);
        },
      ]),
    });
    try {
      const result = await new Agent({ model: loopbackModel(model.baseUrl), tools: [fs, memory] }).prompt(
        'remember the code',
      );
      expect(result.error).toBeUndefined();
      expect(result.turns).toBe(2);
      expect(await readFile(memoryFile, 'utf8')).toContain('"launch"');
    } finally {
      await model.close();
    }
  });
});
