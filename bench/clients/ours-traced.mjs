// The same as `ours`, with the tracing observer of `open-agent-sdk/tracing` attached and NO tracer provider
// registered (the OpenTelemetry API's no-op default): measures what tracing costs an application that
// ships with it wired but not enabled (the "no-provider cost"; issue 18). Opt-in: CLIENTS=ours,ours-traced.
import { oursClient, oursSdkUrl } from './_ours.mjs';

/** The build's `tracing/index.js`, next to the `index.js` the client imports. */
function tracingUrl(sdkUrl) {
  return new URL('tracing/index.js', sdkUrl).href;
}

export default (ctx) =>
  oursClient(ctx, {}, oursSdkUrl, async (sdkUrl) => {
    const { createTracingObserver } = await import(tracingUrl(sdkUrl));
    return { observers: [createTracingObserver()] };
  });
