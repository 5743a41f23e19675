// Advanced patterns: retries with backoff, and many agents at once with a concurrency limit.
// Run: node examples/10-advanced-patterns.mjs
import { query } from 'open-agent-sdk';
import { exampleModel, textOf } from './_model.mjs';

const model = await exampleModel();

// Retries: 408/409/429/5xx and connection errors are retried (never after the body started).
const retried = query('Say OK.', { model, streamOptions: { retry: { maxRetries: 3, baseMs: 200 } } });
for await (const event of retried) {
  // The agent forwards a provider retry as its own `retry` event (not as a message_update).
  if (event.type === 'retry')
    console.error(`retrying (attempt ${event.attempt}, in ${event.delayMs} ms): ${event.reason}`);
}
console.log(`with retries: ${textOf((await retried.result()).lastMessage)}`);

// Many concurrent agents, at most LIMIT at a time (local servers queue requests anyway).
const LIMIT = 3;
const topics = ['tea', 'rivers', 'bridges', 'owls', 'maps', 'bells'];
const answers = new Array(topics.length);
let next = 0;
async function worker() {
  while (next < topics.length) {
    const i = next++;
    const result = await query(`One fact about ${topics[i]}, in five words.`, {
      model,
      maxTokens: 100,
    }).result();
    answers[i] =
      `${topics[i]}: ${result.error ? `error (${result.error.message})` : textOf(result.lastMessage)}`;
  }
}
await Promise.all(Array.from({ length: LIMIT }, worker));
console.log(answers.join('\n'));
