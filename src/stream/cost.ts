import type { Model } from '../types/model.js';
import type { Usage } from '../types/usage.js';

/** Sets `usage.cost` from the model's prices (USD per million tokens); no-op when the model has none. */
export function applyCost(usage: Usage, model: Model): void {
  const price = model.cost;
  if (!price) return;
  const input = (usage.input * price.input) / 1e6;
  const output = (usage.output * price.output) / 1e6;
  const cacheRead = (usage.cacheRead * price.cacheRead) / 1e6;
  const cacheWrite = (usage.cacheWrite * price.cacheWrite) / 1e6;
  usage.cost = { input, output, cacheRead, cacheWrite, total: input + output + cacheRead + cacheWrite };
}
