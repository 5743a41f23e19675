import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { stream } from '../../src/index.js';
import {
  type Corpus,
  type CorpusEntry,
  corpusResponse,
  type FixtureServer,
  loadCorpus,
  type ScriptedResponse,
  splitsFromFractions,
  startFixtureServer,
} from '../../src/testing/index.js';
import { checkGrammar, collect, reconstruct } from '../helpers/events.js';
import { loopbackModel } from '../helpers/model.js';
import { TEST_TRANSPORT } from '../helpers/transport.js';
import { checkAgainstExpected } from './corpus-check.js';

const CORPUS_DIR = new URL('../fixtures/recorded/', import.meta.url);
const SEEDS = [1, 2, 3, 42];

/** Random byte offsets for one seed (fast-check chooses them). */
function randomSplits(length: number, seed: number): number[] {
  const [fractions] = fc.sample(
    fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 400 }),
    {
      seed,
      numRuns: 1,
    },
  );
  return splitsFromFractions(length, fractions ?? []);
}

let corpus: Corpus;
beforeAll(async () => {
  corpus = await loadCorpus(CORPUS_DIR);
});

async function runEntry(
  entry: CorpusEntry,
  streaming: boolean,
  responses: ScriptedResponse[],
): Promise<void> {
  const server: FixtureServer = await startFixtureServer({ responses });
  try {
    for (let i = 0; i < responses.length; i++) {
      const s = stream(
        loopbackModel(server.baseUrl, { id: entry.model ?? 'm' }),
        { messages: [{ role: 'user', content: 'hi' }] },
        // One recording is one response: a recorded 429 or 5xx is checked as served, not retried.
        { ...TEST_TRANSPORT, streaming, retry: { maxRetries: 0 } },
      );
      const events = await collect(s);
      const message = await s.result();
      checkGrammar(events, message);
      checkAgainstExpected(entry, reconstruct(events), message);
    }
  } finally {
    await server.close();
  }
}

// Entries are listed at collection time from the vendored manifest.
const manifest = JSON.parse(readFileSync(new URL('MANIFEST.json', CORPUS_DIR), 'utf8')) as CorpusEntry[];
const chatEntries = manifest.filter((e) => e.api === 'chat-completions');

describe('chat-completions corpus: every recording reconstructs exactly', () => {
  for (const raw of chatEntries) {
    it(raw.file, async () => {
      const entry = corpus.entries.find((e) => e.file === raw.file) as CorpusEntry;
      const bytes = await corpus.read(entry);
      const responses = [
        corpusResponse(entry, bytes),
        ...SEEDS.map((seed) => corpusResponse(entry, bytes, randomSplits(bytes.length, seed))),
      ];
      // .json bodies are complete (non-streaming) responses: request them with stream: false. A streaming
      // request answered with such a body is accepted as the whole response (tested separately below).
      await runEntry(entry, !entry.file.endsWith('.json'), responses);
    });
  }
});

describe('CRLF and CR line ends give the same reconstruction as LF', () => {
  for (const raw of chatEntries.filter((e) => e.file.endsWith('.sse'))) {
    it(raw.file, async () => {
      const entry = corpus.entries.find((e) => e.file === raw.file) as CorpusEntry;
      const lf = new TextDecoder().decode(await corpus.read(entry));
      const variants = [lf.replaceAll('\n', '\r\n'), lf.replaceAll('\n', '\r')].map((text) =>
        new TextEncoder().encode(text),
      );
      await runEntry(
        entry,
        true,
        variants.map((bytes, i) => corpusResponse(entry, bytes, randomSplits(bytes.length, 100 + i))),
      );
    });
  }
});

describe('a complete JSON body answering a streaming request is accepted as the whole response', () => {
  for (const raw of chatEntries.filter((e) => e.file.endsWith('.json') && e.http_status === 200)) {
    it(raw.file, async () => {
      const entry = corpus.entries.find((e) => e.file === raw.file) as CorpusEntry;
      const bytes = await corpus.read(entry);
      await runEntry(entry, true, [corpusResponse(entry, bytes, randomSplits(bytes.length, 7))]);
    });
  }
});

/*
 * The six `ollama-native/` recordings (Ollama's own POST /api/chat, NDJSON) replay through the
 * `ollama-chat` provider in test/ollama-chat/corpus.test.ts.
 */
