// open-agent-sdk with `fetch: globalThis.fetch` passed explicitly: the portable (web-standard) path, what
// Bun, Deno and edge runtimes run. (On Node the SDK's default, client `ours`, is its node:http transport.)
import { oursClient } from './_ours.mjs';

export default (ctx) => oursClient(ctx, { fetch: globalThis.fetch });
