/**
 * A child process that writes to a session store, for crash and two-writer tests. Bundled by
 * child-process.ts. Usage: `node child.mjs <jsonl|redis> <directory|redis url> <sessionId> <loop|race> [start]`.
 *
 * - `loop`: appends 3-item groups `op-<n>` (n = start, start+1, ...) forever, printing `try n` before and
 *   `ack n` after each append, until killed. Items carry a random padding so writes vary in size.
 * - `race`: loads the session, prints `ready`, waits for `go` on stdin, appends once with `expectedSeq` and
 *   prints the outcome as JSON.
 * - `probe`: loads the session once and prints the outcome (or the error's name, message, code) as JSON.
 */
import { once } from 'node:events';
import { JsonlFileStore } from '../../../src/sessions/jsonl-file-store.js';
import { RedisStore } from '../../../src/sessions/redis/redis-store.js';
import type { SessionStore } from '../../../src/sessions/store.js';

const [kind, target = '', sessionId = '', mode, start = '0'] = process.argv.slice(2);
const store: SessionStore =
  kind === 'jsonl' ? new JsonlFileStore({ directory: target }) : new RedisStore({ connection: target });
const say = (line: string) => process.stdout.write(`${line}\n`);

async function loop(): Promise<void> {
  await store.load(sessionId); // connected and warm before the kill timer starts
  say('ready');
  for (let index = Number(start); ; index++) {
    const op = `op-${index}`;
    const pad = 'x'.repeat(Math.floor(Math.random() * 16_000));
    const items = [0, 1, 2].map((part) => ({ type: 'part', op, part, pad }));
    say(`try ${index}`);
    await store.append(sessionId, items, { operationId: op });
    say(`ack ${index}`);
  }
}

async function race(): Promise<void> {
  const { lastSeq } = await store.load(sessionId);
  say('ready');
  process.stdin.setEncoding('utf8');
  let input = '';
  while (!input.includes('go')) input += (await once(process.stdin, 'data'))[0] as string;
  try {
    const result = await store.append(sessionId, [{ type: 'race', pid: process.pid }], {
      operationId: `race-${process.pid}`,
      expectedSeq: lastSeq,
    });
    say(JSON.stringify({ ok: true, expected: lastSeq, ...result }));
  } catch (error) {
    const { name, expectedSeq, actualSeq } = error as {
      name: string;
      expectedSeq?: number;
      actualSeq?: number;
    };
    say(JSON.stringify({ ok: false, expected: lastSeq, name, expectedSeq, actualSeq }));
  }
  await store.close?.();
  process.exit(0);
}

async function probe(): Promise<void> {
  try {
    say(JSON.stringify({ ok: true, load: await store.load(sessionId) }));
  } catch (error) {
    const { name, message, code } = error as { name: string; message: string; code?: string };
    say(JSON.stringify({ ok: false, name, message, code }));
  }
  await store.close?.();
}

await (mode === 'race' ? race() : mode === 'probe' ? probe() : loop());
