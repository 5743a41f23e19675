// open-agent-sdk with default options: on Node, the SDK's own node:http transport.
import { oursClient } from './_ours.mjs';

export default (ctx) => oursClient(ctx);
