import type { StreamOptions } from '../../src/index.js';

/**
 * The transport under test: the SDK's default (on Node, its `node:http` transport), or, in the `fetch`
 * project of vitest.config.ts (`OPEN_AGENT_TEST_TRANSPORT=fetch`), the portable path through
 * `globalThis.fetch`. Suites run in both projects must behave the same on either.
 */
export const TEST_TRANSPORT: Pick<StreamOptions, 'fetch'> =
  process.env.OPEN_AGENT_TEST_TRANSPORT === 'fetch' ? { fetch: globalThis.fetch } : {};
