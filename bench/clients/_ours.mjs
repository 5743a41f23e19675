// open-agent-sdk from the repository's dist/ (build it first): stream() for text, Agent + tool() for the
// agent loop. `extraOptions` are merged into every call's StreamOptions (ours-fetch and ours-undici pass
// their `fetch` there); `agentOptions(sdkUrl)` adds options to the Agent (ours-traced: its observers).
import { pathToFileURL } from 'node:url';
import { ADD_DESCRIPTION, ADD_SCHEMA } from '../lib/scenario.mjs';
import { AGENT_MODEL, AGENT_PROMPT, USER } from './_common.mjs';

// run.mjs points OAS_SDK at its frozen copy of dist/index.js (lib/snapshot.mjs); standalone: ../../dist.
const dist = process.env.OAS_SDK
  ? pathToFileURL(process.env.OAS_SDK).href
  : new URL('../../dist/index.js', import.meta.url).href;

export async function oursClient({ baseURL }, extraOptions = {}, sdkUrl = dist, agentOptions) {
  const { Agent, modelFor, stream, tool } = await import(sdkUrl);
  const extraAgent = agentOptions ? await agentOptions(sdkUrl) : {};
  const models = new Map();
  const modelOf = (id) => {
    let model = models.get(id);
    if (!model) {
      model = modelFor({ baseUrl: baseURL, id, provider: 'custom' });
      models.set(id, model);
    }
    return model;
  };
  const add = tool({
    name: 'add',
    description: ADD_DESCRIPTION,
    parameters: ADD_SCHEMA,
    execute: ({ args }) => String(args.a + args.b),
  });
  const context = { messages: USER };
  return {
    async text(id, onFirst) {
      let text = '';
      let first = onFirst;
      for await (const event of stream(modelOf(id), context, extraOptions)) {
        if (event.type === 'text_delta') {
          if (first !== null) {
            first();
            first = null;
          }
          text += event.delta;
        } else if (event.type === 'error') throw event.error;
      }
      return text;
    },
    async agent() {
      const agent = new Agent({
        model: modelOf(AGENT_MODEL),
        tools: [add],
        streamOptions: extraOptions,
        ...extraAgent,
      });
      const result = await agent.prompt(AGENT_PROMPT);
      if (result.error) throw result.error;
      const last = result.lastMessage;
      return last.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    },
  };
}

/** The SDK build's entry the clients import (the frozen copy under run.mjs). */
export const oursSdkUrl = dist;
