/**
 * A hostile server echoes a custom credential header (`api-key`, `x-api-key`, `x-goog-api-key`, a custom
 * `authorization`, `x-auth-token`) in an error body, in an SSE error event, or in a stream it cuts off.
 * The value never appears in any event, error, message or serialized state; the three outcomes hold (a
 * typed error; nothing lost; the next call works); nothing is left behind. Runs on both transports.
 */
import { describe, expect, it } from 'vitest';
import { serializeAgentState } from '../../src/index.js';
import { loopbackModel } from '../helpers/model.js';
import { chunk, textStream } from '../helpers/sse.js';
import { expectNoCanary, expectThreeOutcomes, type Fault, faultError, runFault } from './harness.js';
import { sendChunks, sendWhole } from './raw-server.js';

const SECRET = 'hdr-SECRET-9f3e7c1a2b4d6e80';

const HEADERS = ['api-key', 'x-api-key', 'x-goog-api-key', 'authorization', 'x-auth-token'] as const;

/** How the server quotes the header it received. */
const ECHOES: { name: string; fault: (header: string) => Fault }[] = [
  {
    name: 'a 400 error body',
    fault: (header) => (res, _a, req) =>
      sendWhole(
        res,
        400,
        JSON.stringify({ error: { message: `bad ${header}: ${req.headers[header]}`, type: 'invalid' } }),
      ),
  },
  {
    name: 'an SSE error event mid-stream',
    fault: (header) => (res, _a, req) =>
      sendChunks(res, [
        `data: ${JSON.stringify(chunk({ role: 'assistant', content: 'par' }))}\n\n`,
        `data: ${JSON.stringify({ error: { message: `rejected ${req.headers[header]}` } })}\n\n`,
      ]),
  },
  {
    name: 'an unparsable SSE line quoting it',
    fault: (header) => (res, _a, req) =>
      sendChunks(res, [`data: {"oops": ${req.headers[header]}\n\n`, textStream(['late'])]),
  },
];

describe('a server echoing a custom credential header never makes it leak', () => {
  for (const header of HEADERS) {
    for (const echo of ECHOES) {
      it(`${header} echoed in ${echo.name}`, async () => {
        const value = header === 'authorization' ? `Token ${SECRET}` : SECRET;
        const outcome = await runFault({
          fault: echo.fault(header),
          streamOptions: { headers: { [header]: value } },
        });
        expect(outcome.faultRequests[0]?.headers[header]).toBe(value);
        expect(faultError(outcome).name).toMatch(/Error$/);
        expectThreeOutcomes(outcome, { stopReason: 'error' });
        expectNoCanary(outcome, [SECRET]);
      });
    }
  }

  it('saved state drops credential headers and redacts URL secrets', () => {
    const model = {
      ...loopbackModel('http://user:pw-SECRET-123456@127.0.0.1:9/v1?key=q-SECRET-123456&api-version=1'),
      headers: Object.fromEntries(HEADERS.map((h) => [h, SECRET])),
    };
    const saved = serializeAgentState({
      model: { ...model, headers: { ...model.headers, 'x-trace': 't' } },
      messages: [],
    });
    for (const secret of [SECRET, 'pw-SECRET-123456', 'q-SECRET-123456']) expect(saved).not.toContain(secret);
    expect(saved).toContain('"x-trace":"t"');
    expect(saved).toContain('api-version=1');
  });
});
