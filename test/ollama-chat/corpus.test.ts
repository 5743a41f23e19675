/**
 * Every `ollama-native` recording of the vendored corpus (Ollama's own `POST /api/chat`), served from a
 * loopback server whole and split at random byte offsets (fast-check seeds), reconstructs exactly through
 * the `ollama-chat` provider on both transports (the default node:http one and `fetch`): text, thinking,
 * tool calls (arguments as an object, the server's id kept), `done_reason`, usage from
 * `prompt_eval_count`/`eval_count`, and the HTTP error body.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Model, type StreamOptions, stream } from '../../src/index.js';
import {
  type Corpus,
  type CorpusEntry,
  corpusResponse,
  loadCorpus,
  startFixtureServer,
} from '../../src/testing/index.js';
import { CORPUS_DIR, manifestEntries, randomSplits, SEEDS } from '../anthropic-messages/corpus-runner.js';
import { checkAgainstExpected } from '../conformance/corpus-check.js';
import { checkGrammar, collect, reconstruct } from '../helpers/events.js';

let corpus: Corpus;
beforeAll(async () => {
  corpus = await loadCorpus(CORPUS_DIR);
});

const TRANSPORTS: [string, StreamOptions][] = [
  ['node:http', {}],
  ['fetch', { fetch: globalThis.fetch }],
];

const entries = manifestEntries('ollama-native');

describe('ollama-chat corpus: every ollama-native recording reconstructs exactly', () => {
  it('has the six recordings', () => {
    expect(entries.length).toBe(6);
  });
  for (const [transport, transportOptions] of TRANSPORTS) {
    for (const raw of entries) {
      it(`${raw.file} (${transport})`, async () => {
        const entry = corpus.entries.find((e) => e.file === raw.file) as CorpusEntry;
        const bytes = await corpus.read(entry);
        const responses = [
          corpusResponse(entry, bytes),
          ...SEEDS.map((seed) => corpusResponse(entry, bytes, randomSplits(bytes.length, seed))),
        ];
        const server = await startFixtureServer({ responses });
        try {
          for (let i = 0; i < responses.length; i++) {
            const model: Model = {
              id: entry.model ?? 'gemma3:1b',
              api: 'ollama-chat',
              provider: 'custom',
              baseUrl: server.url,
            };
            const s = stream(
              model,
              { messages: [{ role: 'user', content: 'hi' }] },
              { ...transportOptions, streaming: entry.shows.includes('streaming'), retry: { maxRetries: 0 } },
            );
            const events = await collect(s);
            const message = await s.result();
            checkGrammar(events, message);
            checkAgainstExpected(entry, reconstruct(events), message);
          }
          expect(server.errors).toEqual([]);
          expect(server.requests.map((r) => r.path)).toEqual(responses.map(() => '/api/chat'));
        } finally {
          await server.close();
        }
      });
    }
  }
});
