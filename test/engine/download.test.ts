import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ModelDownloadError,
  modelsDir,
  parseModelUri,
  pullModel,
} from '../../src/engines/llama-cpp/models/index.js';
import { cachedPathFor, listLocalModels } from '../../src/engines/llama-cpp/models/local-models.js';
import { InvalidArgumentError } from '../../src/errors/invalid-argument-error.js';
import { closedPort } from '../helpers/ports.js';

const DATA = randomBytes(256 * 1024);
const SHA = createHash('sha256').update(DATA).digest('hex');

interface Behaviour {
  /** Destroy the socket after this many body bytes (first request only). */
  cutAfter?: number;
  /** Answer 200 with the whole file even for a Range request. */
  ignoreRange?: boolean;
}

let server: Server;
let base: string;
let dir: string;
let behaviour: Behaviour;
const requests: { url: string; range: string | undefined }[] = [];

function serve(req: IncomingMessage, res: ServerResponse): void {
  requests.push({ url: req.url ?? '', range: req.headers.range });
  if (req.url === '/redirect/m.gguf') {
    res.writeHead(302, { location: '/m.gguf' }).end();
    return;
  }
  if (req.url !== '/m.gguf') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
  const start = range && !behaviour.ignoreRange ? Number(range[1]) : 0;
  const body = DATA.subarray(start);
  const headers: Record<string, string | number> = {
    'content-type': 'application/octet-stream',
    'content-length': body.length,
  };
  if (start > 0) headers['content-range'] = `bytes ${start}-${DATA.length - 1}/${DATA.length}`;
  res.writeHead(start > 0 ? 206 : 200, headers);
  const cut = behaviour.cutAfter;
  if (cut !== undefined) {
    behaviour.cutAfter = undefined;
    res.write(body.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
    return;
  }
  res.end(body);
}

beforeEach(async () => {
  behaviour = {};
  requests.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'oa-pull-'));
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<ModelDownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!ModelDownloadError.isInstance(error))
    throw new Error(`expected a ModelDownloadError, got ${String(error)}`);
  return error;
}

describe('pullModel (loopback server)', () => {
  it('downloads into the cache dir with progress, a SHA-256 check and a v1 record; a second pull is a cache hit', async () => {
    const seen: number[] = [];
    const pulled = await pullModel(`${base}/m.gguf`, {
      dir,
      sha256: SHA,
      size: DATA.length,
      onProgress: (p) => seen.push(p.bytes),
    });
    expect(pulled).toMatchObject({
      path: join(dir, 'm.gguf'),
      size: DATA.length,
      sha256: SHA,
      cached: false,
      resumedFrom: 0,
    });
    expect(readFileSync(pulled.path).equals(DATA)).toBe(true);
    expect(seen.at(-1)).toBe(DATA.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(JSON.parse(readFileSync(`${pulled.path}.json`, 'utf8'))).toMatchObject({
      v: 1,
      uri: `${base}/m.gguf`,
      size: DATA.length,
      sha256: SHA,
    });
    expect(readdirSync(dir).sort()).toEqual(['m.gguf', 'm.gguf.json']);
    const again = await pullModel(`${base}/m.gguf`, { dir, sha256: SHA });
    expect(again.cached).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('resumes after a cut connection with an HTTP Range request and verifies the whole file', async () => {
    behaviour.cutAfter = 100_000;
    const cut = await failure(pullModel(`${base}/m.gguf`, { dir, sha256: SHA }));
    expect(cut.kind).toBe('network');
    expect(cut.message).toMatch(/run the pull again to resume/);
    const partial = statSync(join(dir, 'm.gguf.part')).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThanOrEqual(100_000);
    expect(existsSync(join(dir, 'm.gguf'))).toBe(false);
    const pulled = await pullModel(`${base}/m.gguf`, { dir, sha256: SHA });
    expect(requests.at(-1)?.range).toBe(`bytes=${partial}-`);
    expect(pulled).toMatchObject({ resumedFrom: partial, size: DATA.length, sha256: SHA, cached: false });
    expect(readFileSync(pulled.path).equals(DATA)).toBe(true);
    expect(existsSync(join(dir, 'm.gguf.part'))).toBe(false);
  });

  it('starts over when the server ignores Range', async () => {
    writeFileSync(join(dir, 'm.gguf.part'), Buffer.from('garbage that is not the start of the file'));
    behaviour.ignoreRange = true;
    const pulled = await pullModel(`${base}/m.gguf`, { dir, sha256: SHA });
    expect(pulled.resumedFrom).toBe(0);
    expect(readFileSync(pulled.path).equals(DATA)).toBe(true);
  });

  it('rejects a wrong checksum, deletes the download, and a correct pull works next', async () => {
    const error = await failure(pullModel(`${base}/m.gguf`, { dir, sha256: '0'.repeat(64) }));
    expect(error.kind).toBe('checksum');
    expect(error.message).toContain(SHA);
    expect(readdirSync(dir)).toEqual([]);
    const pulled = await pullModel(`${base}/m.gguf`, { dir, sha256: SHA });
    expect(pulled.sha256).toBe(SHA);
  });

  it('rejects a size other than the expected one before writing anything', async () => {
    const error = await failure(pullModel(`${base}/m.gguf`, { dir, size: 12 }));
    expect(error.kind).toBe('size');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a 404 as an http error naming the status, leaves nothing behind', async () => {
    const error = await failure(pullModel(`${base}/missing.gguf`, { dir }));
    expect(error).toMatchObject({ kind: 'http', status: 404 });
    expect(error.message).toMatch(/HTTP 404/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('follows a redirect of the given URL (as Hugging Face does) and nothing else', async () => {
    const pulled = await pullModel(`${base}/redirect/m.gguf`, { dir, sha256: SHA });
    expect(pulled.size).toBe(DATA.length);
    expect(requests.map((r) => r.url)).toEqual(['/redirect/m.gguf', '/m.gguf']);
  });

  it('reports a refused connection as a network error', async () => {
    const error = await failure(pullModel(`http://127.0.0.1:${await closedPort()}/m.gguf`, { dir }));
    expect(error.kind).toBe('network');
  });

  it('lists pulled models (not partial ones) and finds the cached file of a URI', async () => {
    await pullModel(`${base}/m.gguf`, { dir });
    writeFileSync(join(dir, 'other.gguf.part'), 'x');
    writeFileSync(join(dir, 'copied.gguf'), 'x');
    const models = await listLocalModels(dir);
    expect(models.map((m) => [m.name, m.uri])).toEqual([
      ['copied.gguf', undefined],
      ['m.gguf', `${base}/m.gguf`],
    ]);
    expect(await cachedPathFor(`${base}/m.gguf`, dir)).toBe(join(dir, 'm.gguf'));
    expect(await cachedPathFor(`${base}/x/none.gguf`, dir)).toBeUndefined();
    expect(await cachedPathFor('./local.gguf', dir)).toBe('./local.gguf');
  });
});

describe('model URIs and the cache directory', () => {
  it('maps hf: URIs to the Hugging Face resolve URL', () => {
    expect(parseModelUri('hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf')).toEqual({
      uri: 'hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf',
      url: 'https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf',
      fileName: 'Qwen_Qwen3-0.6B-GGUF_Qwen3-0.6B-Q8_0.gguf',
    });
    expect(parseModelUri('hf:o/r@v1.0/sub/dir/m.gguf').url).toBe(
      'https://huggingface.co/o/r/resolve/v1.0/sub/dir/m.gguf',
    );
  });

  it('refuses what is not a model URI', () => {
    for (const bad of ['hf:owner/file.gguf', 'ftp://x/m.gguf', 'https://x/m.bin', 'https://x/']) {
      expect(() => parseModelUri(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('uses OPEN_AGENT_MODELS_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    expect(modelsDir({ OPEN_AGENT_MODELS_DIR: '/m' }, '/home/u')).toBe('/m');
    expect(modelsDir({ XDG_DATA_HOME: '/d' }, '/home/u')).toBe(join('/d', 'open-agent', 'models'));
    expect(modelsDir({}, '/home/u')).toBe(join('/home/u', '.local', 'share', 'open-agent', 'models'));
  });
});
