// The same as `ours-fetch`, on the build BENCH_BASE_SDK names (see ours-base.mjs). Opt-in.
import { oursClient } from './_ours.mjs';
import { baseSdkUrl } from './ours-base.mjs';

export default (ctx) => oursClient(ctx, { fetch: globalThis.fetch }, baseSdkUrl());
