/** Helpers for tests that check which processes are left: pid files written by shell scripts, ESRCH polls. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A shell script that records its pids: itself, a background sleep, and a TERM-ignoring background sleep. */
export function treeScript(tail: string): string {
  return [
    'echo $$ > pids.tmp',
    'sleep 1000 & echo $! >> pids.tmp',
    "trap '' TERM",
    'sleep 1000 & echo $! >> pids.tmp',
    'mv pids.tmp pids',
    tail,
  ].join('\n');
}

/** True while `pid` exists (`kill(pid, 0)` succeeds); false on ESRCH. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    return false;
  }
}

/** Polls until every pid is gone (ESRCH), up to `ms`; returns the ones still alive. */
export async function survivors(pids: number[], ms = 4000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = left.filter(alive);
  }
  return left;
}

/** Waits until `path` exists, up to `ms`. */
export async function waitForFile(path: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(path) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** The pids a {@link treeScript} wrote to `dir/pids` (or another file of `dir`), one a line. */
export function readPids(dir: string, file = 'pids'): number[] {
  return readFileSync(join(dir, file), 'utf8').trim().split('\n').map(Number);
}
