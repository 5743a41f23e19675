// open-agent-sdk on undici: `createNodeFetch()` from `open-agent-sdk/node` (dist/node/index.js), called with
// no arguments and passed as StreamOptions.fetch. BENCH_NODE_TRANSPORT names another export instead (a
// `create…` factory is called with no arguments; it may return a fetch or an object with a `fetch` method;
// any other function is used as the fetch itself). Opt-in (not in the default CLIENTS).
// When the import or the call fails (undici may become an optional dependency), findUndiciFetch() throws
// NotAvailable and the harness reports the client as not run.
import { pathToFileURL } from 'node:url';
import { oursClient } from './_ours.mjs';

export class NotAvailable extends Error {}

const firstLine = (error) => String(error?.message ?? error).split('\n')[0];

/** Resolves the transport: { name, fetch }, or throws NotAvailable. */
export async function findUndiciFetch() {
  const entry = process.env.OAS_SDK
    ? new URL('node/index.js', pathToFileURL(process.env.OAS_SDK)).href
    : new URL('../../dist/node/index.js', import.meta.url).href;
  const name = process.env.BENCH_NODE_TRANSPORT || 'createNodeFetch';
  let mod;
  try {
    mod = await import(entry);
  } catch (error) {
    throw new NotAvailable(`open-agent-sdk/node does not import: ${firstLine(error)}`);
  }
  let value = mod[name];
  if (typeof value !== 'function')
    throw new NotAvailable(`open-agent-sdk/node has no function export \`${name}\``);
  if (/^create/.test(name)) {
    try {
      value = await value();
    } catch (error) {
      throw new NotAvailable(`open-agent-sdk/node \`${name}()\` failed: ${firstLine(error)}`);
    }
  }
  if (typeof value === 'function') return { name, fetch: value };
  if (typeof value?.fetch === 'function') return { name, fetch: value.fetch.bind(value) };
  throw new NotAvailable(`open-agent-sdk/node \`${name}()\` returned neither a fetch nor an object with one`);
}

export default async function create(ctx) {
  const found = await findUndiciFetch();
  return oursClient(ctx, { fetch: found.fetch });
}
