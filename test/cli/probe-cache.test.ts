import { describe, expect, it } from 'vitest';
import { applyProfile, MemoryProbeCache, modelFor, probe } from '../../src/index.js';
import { resolveCompat } from '../../src/provider/index.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { imitate, OLLAMA } from '../e2e/fake-servers.js';

describe('probe() caching and the compat layer', () => {
  it('caches per base URL and model until the time-to-live passes', async () => {
    const server = await startFixtureServer({ responses: imitate(OLLAMA) });
    let now = 1_000_000;
    const cache = new MemoryProbeCache(60_000, () => now);
    try {
      const first = await probe(server.baseUrl, { cache, model: 'qwen3:8b' });
      const count = server.requests.length;
      expect(await probe(server.baseUrl, { cache, model: 'qwen3:8b' })).toBe(first);
      expect(server.requests.length).toBe(count);
      await probe(server.baseUrl, { cache, model: 'llama3.2:3b' });
      expect(server.requests.length).toBeGreaterThan(count);
      const afterOther = server.requests.length;
      now = first.probedAt + 60_000;
      await probe(server.baseUrl, { cache, model: 'qwen3:8b' });
      expect(server.requests.length).toBeGreaterThan(afterOther);
    } finally {
      await server.close();
    }
  });

  it('applyProfile: explicit compat > probed > preset > defaults, and the context window is filled in', async () => {
    const server = await startFixtureServer({ responses: imitate(OLLAMA) });
    try {
      const profile = await probe(server.baseUrl, { cache: false });
      // A custom base URL (a random port): no preset, so the probe's Ollama facts supply the compat layer.
      const model = modelFor({
        id: 'qwen3:8b',
        baseUrl: server.baseUrl,
        overrides: { compat: { parallelToolCalls: true } },
      });
      expect(model.provider).toBe('custom');
      const applied = applyProfile(model, profile);
      expect(applied).toMatchObject({ provider: 'ollama', contextWindow: 4096 });
      const compat = resolveCompat(applied);
      expect(compat.reasoningField).toBe('reasoning');
      expect(compat.parallelToolCalls).toBe(true);
    } finally {
      await server.close();
    }
  });
});
