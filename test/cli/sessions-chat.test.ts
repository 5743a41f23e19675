import { describe, expect, it } from 'vitest';
import { contextUse } from '../../src/cli/chat/chat-resume.js';
import { Agent, estimateTokens, tool } from '../../src/index.js';
import { loopbackModel } from '../helpers/model.js';

describe('the chat context-use display', () => {
  it('shows the estimate against the model window, or alone when the window is unknown', () => {
    const ping = tool({ name: 'ping', parameters: { type: 'object' }, execute: () => 'pong' });
    const messages = [{ role: 'user' as const, content: 'hello '.repeat(200), timestamp: 1 }];
    const model = { ...loopbackModel('http://127.0.0.1:1/v1'), contextWindow: 1000 };
    const agent = new Agent({ model, systemPrompt: 'Be brief.', tools: [ping], messages });
    const used = estimateTokens({ systemPrompt: 'Be brief.', messages, tools: [ping.spec] }, model).total;
    expect(contextUse(agent)).toBe(`context ${Math.round((used * 100) / 1000)}% · ${used} of 1,000 tokens`);
    const unknown = new Agent({ model: { ...model, contextWindow: undefined }, messages });
    expect(contextUse(unknown)).toMatch(/^context ~\d+ tokens$/);
  });
});
