import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, open, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SessionStoreError } from '../../src/errors/index.js';
import { JsonlFileStore } from '../../src/node/index.js';

const root = await mkdtemp(join(tmpdir(), 'oas-jsonl-format-'));
let counter = 0;
const freshStore = (options: { lockTimeoutMs?: number } = {}) =>
  new JsonlFileStore({ directory: join(root, `d${++counter}`, 'sessions'), ...options });
const lines = async (path: string) => (await readFile(path, 'utf8')).split('\n');

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function storeError(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!SessionStoreError.isInstance(error))
    throw new Error(`expected a SessionStoreError, got ${String(error)}`);
  return error;
}

describe('JsonlFileStore file layout', () => {
  it('writes a v1 header then one line per append, mode 0600 in a 0700 directory, no lock left', async () => {
    const store = freshStore();
    await store.append('Chat 1', [{ type: 'a' }, { type: 'b', x: 'y\nz' }], { operationId: 'op-1' });
    await store.append('Chat 1', [{ type: 'c' }], { operationId: 'op-2' });
    const path = store.pathOf('Chat 1');
    expect(path.endsWith('%43hat%201.jsonl')).toBe(true);
    const [header, first, second, end] = await lines(path);
    expect(JSON.parse(header!)).toMatchObject({ v: 1, type: 'header', sessionId: 'Chat 1' });
    expect(JSON.parse(first!)).toEqual({
      type: 'append',
      op: 'op-1',
      seq: 1,
      items: [{ type: 'a' }, { type: 'b', x: 'y\nz' }],
    });
    expect(JSON.parse(second!)).toEqual({ type: 'append', op: 'op-2', seq: 3, items: [{ type: 'c' }] });
    expect(end).toBe('');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(store.directory)).mode & 0o777).toBe(0o700);
    expect(await readdir(store.directory)).toEqual(['%43hat%201.jsonl']);
  });

  it('fsyncs the file once per append (plus the directory when the file is created)', async () => {
    const store = freshStore();
    await store.append('warm', [{ type: 'a' }], { operationId: 'w' });
    const probe = await open(join(root, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const sync = vi.spyOn(prototype, 'sync');
    try {
      await store.append('s', [{ type: 'a' }, { type: 'b' }], { operationId: 'o1' });
      expect(sync).toHaveBeenCalledTimes(2); // the new file and its directory
      for (let index = 2; index <= 5; index++) {
        await store.append('s', [{ type: 'a' }, { type: 'b' }], { operationId: `o${index}` });
      }
      expect(sync).toHaveBeenCalledTimes(6);
      await store.append('s', [{ type: 'a' }], { operationId: 'o5' }); // duplicate: nothing written
      expect(sync).toHaveBeenCalledTimes(6);
    } finally {
      sync.mockRestore();
    }
  });

  it('names long ids by hash and lists every session', async () => {
    const store = freshStore();
    const ids = ['a'.repeat(256), '../../etc/passwd', 'UPPER', 'upper', 'ünï 🙂', '.', '..'];
    for (const id of ids) await store.append(id, [{ type: 'a', id }], { operationId: 'o' });
    expect(await store.list()).toEqual([...ids].sort());
    const names = await readdir(store.directory);
    expect(names).toHaveLength(ids.length);
    expect(names.every((name) => !name.includes('/') && name !== '.' && name !== '..')).toBe(true);
    for (const id of ids) expect((await store.load(id)).entries[0]?.item).toEqual({ type: 'a', id });
  });
});

describe('JsonlFileStore reading damaged or foreign files', () => {
  it('ignores a torn tail on load and truncates it on the next append', async () => {
    const store = freshStore();
    await store.append('s', [{ type: 'a' }], { operationId: 'o1' });
    const path = store.pathOf('s');
    const good = (await stat(path)).size;
    await appendFile(path, '{"type":"append","op":"o2","seq":2,"items":[{"type":"b"');
    expect((await store.load('s')).lastSeq).toBe(1);
    expect((await stat(path)).size).toBeGreaterThan(good); // readers never write
    await store.append('s', [{ type: 'c' }], { operationId: 'o3' });
    expect((await lines(path)).slice(1, 3).map((line) => JSON.parse(line).op)).toEqual(['o1', 'o3']);
    await appendFile(path, 'not json at all\n\u0000\u0000');
    expect((await new JsonlFileStore({ directory: store.directory }).load('s')).lastSeq).toBe(2);
  });

  it('fails with ECORRUPT on a bad line followed by good ones, and leaves the file as it was', async () => {
    const store = freshStore();
    await store.append('s', [{ type: 'a' }], { operationId: 'o1' });
    const path = store.pathOf('s');
    await appendFile(path, 'garbage\n{"type":"append","op":"o2","seq":2,"items":[{"type":"b"}]}\n');
    const before = await readFile(path, 'utf8');
    expect((await storeError(store.load('s'))).code).toBe('ECORRUPT');
    const error = await storeError(store.append('s', [{ type: 'c' }], { operationId: 'o3' }));
    expect(error.code).toBe('ECORRUPT');
    expect(error.message).toContain(path);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(store.directory)).toEqual([path.split('/').pop()]);
  });

  it('refuses a file from a newer format version with EVERSION and keeps it', async () => {
    const store = freshStore();
    await store.append('s', [{ type: 'a' }], { operationId: 'o1' });
    const path = store.pathOf('s');
    const newer = '{"v":2,"type":"header","sessionId":"s"}\n{"type":"v2-thing"}\n';
    await writeFile(path, newer);
    const error = await storeError(store.load('s'));
    expect(error.code).toBe('EVERSION');
    expect(error.message).toMatch(/v2.*upgrade open-agent-sdk/);
    expect((await storeError(store.append('s', [{ type: 'b' }], { operationId: 'o2' }))).code).toBe(
      'EVERSION',
    );
    expect(await readFile(path, 'utf8')).toBe(newer);
  });

  it('refuses a file whose header names another session', async () => {
    const store = freshStore();
    await store.append('one', [{ type: 'a' }], { operationId: 'o1' });
    await writeFile(store.pathOf('two'), await readFile(store.pathOf('one')));
    expect((await storeError(store.load('two'))).code).toBe('ECORRUPT');
  });

  it('keeps unknown header fields and unknown line types through a rewrite', async () => {
    const store = freshStore();
    await store.append('s', [{ type: 'a' }], { operationId: 'o1' });
    const path = store.pathOf('s');
    const [header] = await lines(path);
    const withExtra = JSON.stringify({ ...JSON.parse(header!), writer: 'future', tags: ['x'] });
    const body = (await readFile(path, 'utf8')).split('\n').slice(1).join('\n');
    await writeFile(path, `${withExtra}\n${body}{"type":"annotation","note":"kept"}\n`);
    await store.append('s', [{ type: 'b', extra: 1 }], { operationId: 'o2' });
    await store.rewrite('s', { expectedSeq: 2, replacement: [{ type: 'summary' }] });
    const after = (await lines(path)).filter((line) => line !== '').map((line) => JSON.parse(line));
    expect(after[0]).toMatchObject({ v: 1, type: 'header', sessionId: 's', writer: 'future', tags: ['x'] });
    expect(after).toContainEqual({ type: 'annotation', note: 'kept' });
    expect(after).toContainEqual({ type: 'operations', ops: { o1: 1, o2: 2 } });
    expect(after.at(-1)).toEqual({ type: 'rewrite', seq: 1, items: [{ type: 'summary' }] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(store.directory)).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });
});

describe('JsonlFileStore lock files', () => {
  it('takes over a lock whose process is gone', async () => {
    const store = freshStore();
    await store.append('s', [{ type: 'a' }], { operationId: 'o1' });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const lock = `${store.pathOf('s')}.lock`;
    await writeFile(lock, JSON.stringify({ pid: dead, host: hostname(), at: Date.now(), nonce: 'dead' }));
    expect(await store.append('s', [{ type: 'b' }], { operationId: 'o2' })).toEqual({
      lastSeq: 2,
      duplicate: false,
    });
    expect((await readdir(store.directory)).some((name) => name.includes('.lock'))).toBe(false);
  });

  it('respects a lock being written, and takes over one left empty for over a second', async () => {
    const store = freshStore({ lockTimeoutMs: 300 });
    await store.append('s', [{ type: 'a' }], { operationId: 'o1' });
    const lock = `${store.pathOf('s')}.lock`;
    await writeFile(lock, '');
    expect((await storeError(store.append('s', [{ type: 'b' }], { operationId: 'o2' }))).code).toBe(
      'ELOCKED',
    );
    const old = new Date(Date.now() - 5000);
    await utimes(lock, old, old);
    expect(await store.append('s', [{ type: 'b' }], { operationId: 'o2' })).toEqual({
      lastSeq: 2,
      duplicate: false,
    });
    expect((await readdir(store.directory)).some((name) => name.includes('.lock'))).toBe(false);
  });

  it('waits for a live lock, then fails with ELOCKED naming the lock; the next call works once it is gone', async () => {
    const store = freshStore({ lockTimeoutMs: 150 });
    await store.append('s', [{ type: 'a' }], { operationId: 'o1' });
    const lock = `${store.pathOf('s')}.lock`;
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now(), nonce: 'live' }),
    );
    const started = Date.now();
    const error = await storeError(store.append('s', [{ type: 'b' }], { operationId: 'o2' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(error.code).toBe('ELOCKED');
    expect(error.message).toContain(lock);
    expect(error.message).toContain(`process ${process.pid}`);
    expect((await store.load('s')).lastSeq).toBe(1); // readers do not wait for writers
    await rm(lock);
    expect(await store.append('s', [{ type: 'b' }], { operationId: 'o2' })).toEqual({
      lastSeq: 2,
      duplicate: false,
    });
  });

  it('reports an unusable directory as a SessionStoreError, and recovers when it is fixed', async () => {
    const parent = join(root, `d${++counter}`);
    await writeFile(parent, 'a file where the directory should be');
    const store = new JsonlFileStore({ directory: join(parent, 'sessions') });
    const error = await storeError(store.append('s', [{ type: 'a' }], { operationId: 'o1' }));
    expect(error.operation).toBe('append');
    expect(['ENOTDIR', 'EEXIST']).toContain(error.code);
    await rm(parent);
    expect(await store.append('s', [{ type: 'a' }], { operationId: 'o1' })).toEqual({
      lastSeq: 1,
      duplicate: false,
    });
  });
});
