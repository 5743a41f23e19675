// The same as `ours`, on another build of open-agent-sdk: BENCH_BASE_SDK names its dist/index.js (for
// example a worktree of the commit before a change). Compares a change with its base in one run. Opt-in.
import { pathToFileURL } from 'node:url';
import { oursClient } from './_ours.mjs';

export function baseSdkUrl() {
  const path = process.env.BENCH_BASE_SDK;
  if (!path) throw new Error('ours-base needs BENCH_BASE_SDK=/path/to/base/dist/index.js');
  return pathToFileURL(path).href;
}

export default (ctx) => oursClient(ctx, {}, baseSdkUrl());
