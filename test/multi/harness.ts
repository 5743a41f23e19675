import { afterEach } from 'vitest';
import type { Model } from '../../src/index.js';
import { type FixtureServer, type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';
import { rejection, validatorFor } from './validators.js';
import { bodyOf, type ScenarioApi, type ScriptTurn, scenarioModel } from './wire.js';

let servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** A scripted turn, or a function of the request (e.g. answer by which agent's system prompt is sent). */
export type Step = ScriptTurn | ((request: RecordedRequest) => ScriptTurn);

/** A strict loopback server for `api` serving `steps` in order; `problems` collects every rejected request. */
export async function scenario(api: ScenarioApi, steps: Step[]) {
  const problems: string[] = [];
  const validate = validatorFor(api);
  const server = await startFixtureServer({
    responses: (request, index) => {
      const problem = validate(request);
      if (problem) {
        problems.push(`request ${index + 1}: ${problem}`);
        return rejection(api, problem);
      }
      const step = steps[index];
      const turn =
        step === undefined
          ? { text: `(no scripted turn ${index + 1})` }
          : typeof step === 'function'
            ? step(request)
            : step;
      return { body: bodyOf(api, turn) };
    },
  });
  servers.push(server);
  const model = (id = 'test-model'): Model => scenarioModel(api, server.baseUrl, id);
  return { server, model, problems, streamOptions: { apiKey: 'test-key' } };
}
