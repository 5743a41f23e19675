import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A child process that, for `ms` milliseconds (bounded), keeps swapping names inside `root` between a real
 * directory/file and a symlink pointing to `outside`: `root/dir` (a directory holding `f.txt`, or a link to
 * `outside`) and `root/file.txt` (a file, or a link to `outside/target.txt`). It runs in its own process so
 * the swaps race the tools truly in parallel. Resolves with the number of swap rounds when it exits.
 */
export function startSwapper(root: string, outside: string, ms: number): { done: Promise<number> } {
  const script = `
    const fs = require('node:fs');
    const path = require('node:path');
    const [root, outside, ms] = process.argv.slice(1);
    const dir = path.join(root, 'dir');
    const file = path.join(root, 'file.txt');
    const end = Date.now() + Number(ms);
    let rounds = 0;
    const quiet = (f) => { try { f(); } catch {} };
    while (Date.now() < end) {
      quiet(() => fs.rmSync(dir, { recursive: true, force: true }));
      quiet(() => { fs.mkdirSync(dir); fs.writeFileSync(path.join(dir, 'f.txt'), 'inside'); });
      quiet(() => fs.rmSync(file, { force: true }));
      quiet(() => fs.writeFileSync(file, 'inside'));
      quiet(() => fs.rmSync(dir, { recursive: true, force: true }));
      quiet(() => fs.symlinkSync(outside, dir));
      quiet(() => fs.rmSync(file, { force: true }));
      quiet(() => fs.symlinkSync(path.join(outside, 'target.txt'), file));
      rounds++;
    }
    process.stdout.write(String(rounds));
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script, root, outside, String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const done = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => resolve(Number(out)));
  });
  return { done };
}
