/**
 * Builds store-child.ts into one ESM file (rolldown; `ioredis` stays external and resolves from this
 * repository's node_modules) and runs it as a real Node process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** A built child script; `dispose` removes it. */
export interface BuiltChild {
  file: string;
  dispose: () => Promise<void>;
}

/**
 * Bundles the store child into node_modules (so `ioredis` resolves from the repository), or into `outside`
 * (where it does not resolve, to test the missing-package error).
 */
export async function buildStoreChild(outside?: string): Promise<BuiltChild> {
  const dir = await mkdtemp(outside ?? join(REPO, 'node_modules', '.cache-oas-store-child-'));
  await build({
    input: join(REPO, 'test/sessions/support/store-child.ts'),
    platform: 'node',
    external: (id) => id.startsWith('node:') || id === 'ioredis',
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    output: { dir, format: 'esm', entryFileNames: 'store-child.mjs' },
  });
  return { file: join(dir, 'store-child.mjs'), dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** A running child with its stdout lines. */
export interface StoreChild {
  process: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `test`. */
  waitFor: (test: (line: string) => boolean, timeoutMs?: number) => Promise<string>;
  /** Resolves when the process has exited (and been reaped). */
  exited: Promise<void>;
}

/** Spawns the built child with `args`. */
export function runStoreChild(file: string, args: string[]): StoreChild {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((entry) => entry.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = (test: (line: string) => boolean, timeoutMs = 15_000) => {
    const seen = lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child did not print the expected line; stderr:\n${stderr}`)),
        timeoutMs,
      );
      waiters.push({
        test,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void exited.then(() =>
        setTimeout(() => {
          clearTimeout(timer);
          reject(new Error(`child exited; stderr:\n${stderr}`));
        }, 50),
      );
    });
  };
  return { process: child, lines, waitFor, exited };
}
