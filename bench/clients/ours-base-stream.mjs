// This build's Agent over the base build's `stream()` (BENCH_BASE_SDK, see ours-base.mjs): the agent loop
// of today on the provider seam of before. `ours` ÷ this client is what the seam alone costs the agent loop,
// apart from what the loop itself gained since the base (run log, events, checkpoints). Its text measures
// are the base build's `stream()`, as ours-base. Opt-in.
import { oursClient } from './_ours.mjs';
import { baseSdkUrl } from './ours-base.mjs';

/** A client whose `text` is the base build's and whose `agent` is this build's Agent over that `stream()`. */
export async function baseStreamClient(ctx, extraOptions) {
  const base = await oursClient(ctx, extraOptions, baseSdkUrl());
  const { stream } = await import(baseSdkUrl());
  const ours = await oursClient(ctx, extraOptions, undefined, async () => ({ streamFn: stream }));
  return { text: base.text, agent: ours.agent };
}

export default (ctx) => baseStreamClient(ctx, {});
