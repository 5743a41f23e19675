import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { type AssistantMessage, type Model, stream } from '../../src/index.js';
import {
  type Corpus,
  type CorpusApi,
  type CorpusEntry,
  corpusResponse,
  type ScriptedResponse,
  splitsFromFractions,
  startFixtureServer,
} from '../../src/testing/index.js';
import { checkGrammar, collect, type Reconstruction, reconstruct } from '../helpers/events.js';
import { TEST_TRANSPORT } from '../helpers/transport.js';

/** The vendored corpus directory. */
export const CORPUS_DIR = new URL('../fixtures/recorded/', import.meta.url);
/** Seeds of the random byte splits (fast-check chooses the offsets). */
export const SEEDS = [1, 2, 3, 42];

/** Manifest entries of one API, listed at collection time. */
export function manifestEntries(api: CorpusApi): CorpusEntry[] {
  const all = JSON.parse(readFileSync(new URL('MANIFEST.json', CORPUS_DIR), 'utf8')) as CorpusEntry[];
  return all.filter((e) => e.api === api);
}

/** Random byte offsets for one seed. */
export function randomSplits(length: number, seed: number): number[] {
  const [fractions] = fc.sample(
    fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 400 }),
    { seed, numRuns: 1 },
  );
  return splitsFromFractions(length, fractions ?? []);
}

/** The whole body, then one random split per seed. */
export async function splitResponses(corpus: Corpus, entry: CorpusEntry): Promise<ScriptedResponse[]> {
  const bytes = await corpus.read(entry);
  return [
    corpusResponse(entry, bytes),
    ...SEEDS.map((seed) => corpusResponse(entry, bytes, randomSplits(bytes.length, seed))),
  ];
}

/**
 * Serves each response from a loopback server to a real `stream()` call of `model`, checks the event
 * grammar, and hands the reconstruction and final message to `check`.
 */
export async function replay(
  model: (baseUrl: string) => Model,
  streaming: boolean,
  responses: ScriptedResponse[],
  check: (got: Reconstruction, message: AssistantMessage) => void,
): Promise<void> {
  const server = await startFixtureServer({ responses });
  try {
    for (let i = 0; i < responses.length; i++) {
      const s = stream(
        model(server.baseUrl),
        { messages: [{ role: 'user', content: 'hi' }] },
        {
          ...TEST_TRANSPORT,
          streaming,
        },
      );
      const events = await collect(s);
      const message = await s.result();
      checkGrammar(events, message);
      check(reconstruct(events), message);
    }
    expect(server.errors).toEqual([]);
  } finally {
    await server.close();
  }
}

/** Checks a non-2xx manifest entry: an `error` message naming the status and the server's message. */
export function checkHttpError(entry: CorpusEntry, message: AssistantMessage): void {
  const ex = entry.expected;
  expect(message.stopReason, entry.file).toBe('error');
  expect(message.errorMessage, entry.file).toContain(`HTTP ${ex.http_status}`);
  const serverMessage = (ex.error as { message?: string } | undefined)?.message;
  if (serverMessage) expect(message.errorMessage, entry.file).toContain(serverMessage);
}

/** Checks the client tool calls of a reconstruction against the manifest. */
export function checkToolCalls(entry: CorpusEntry, got: Reconstruction, message: AssistantMessage): void {
  const label = entry.file;
  const expected = entry.expected.tool_calls ?? [];
  expect(
    got.toolCalls.map((c) => c.name),
    label,
  ).toEqual(expected.map((c) => c.name));
  const blocks = message.content.filter((b) => b.type === 'toolCall');
  expected.forEach((call, i) => {
    const ours = got.toolCalls[i];
    const block = blocks[i];
    expect(ours?.id, label).toBe(call.id);
    if (call.custom_input !== undefined) {
      expect(ours?.argumentsJson, label).toBe(call.custom_input);
      expect(block?.arguments, label).toEqual({ input: call.custom_input });
    } else if (entry.file.endsWith('.json')) {
      expect(ours?.arguments, label).toEqual(call.arguments);
    } else {
      expect(ours?.argumentsJson, label).toBe(call.arguments_json);
      expect(ours?.arguments, label).toEqual(call.arguments ?? {});
      expect(block?.rawArguments, label).toBeUndefined();
    }
    if (call.item_id !== undefined) expect(block?.providerData?.itemId, label).toBe(call.item_id);
  });
  expect(blocks.length, label).toBe(expected.length);
}
