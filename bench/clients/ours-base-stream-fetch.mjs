// As ours-base-stream, with `fetch: globalThis.fetch` (the portable path). Opt-in.
import { baseStreamClient } from './ours-base-stream.mjs';

export default (ctx) => baseStreamClient(ctx, { fetch: globalThis.fetch });
