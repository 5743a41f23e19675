import { describe, expect, it } from 'vitest';
import { modelCallInfo } from '../agent/model-call-info.js';
import { ApiError } from '../errors/api-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import type { Model } from '../types/model.js';
import { ATTR, chatEndAttributes, errorType, isInProcess, providerName } from './attributes.js';
import { scrubbedJson } from './content.js';

const model = (baseUrl: string, api = 'openai-chat'): Model =>
  ({ id: 'm', api, provider: 'ollama', baseUrl }) as Model;

describe('model call info and span attributes', () => {
  it('takes only host and port from the base URL (default ports, IPv6, no user info)', () => {
    expect(modelCallInfo(model('https://user:sk-secret@api.example.com/v1?key=k'), {})).toMatchObject({
      serverAddress: 'api.example.com',
      serverPort: 443,
    });
    expect(modelCallInfo(model('http://[::1]:8080/v1'), {})).toMatchObject({
      serverAddress: '::1',
      serverPort: 8080,
    });
    expect(JSON.stringify(modelCallInfo(model('https://user:sk-secret@h/v1'), {}))).not.toContain(
      'sk-secret',
    );
  });

  it('an in-process engine (file URL or llama-cpp api) has no server and gets INTERNAL', () => {
    const info = modelCallInfo(model('file:///models/q.gguf', 'llama-cpp'), { temperature: 0 });
    expect(info.serverAddress).toBeUndefined();
    expect(info.temperature).toBe(0);
    expect(isInProcess(info)).toBe(true);
    expect(isInProcess(modelCallInfo(model('http://127.0.0.1:11434/v1'), {}))).toBe(false);
  });

  it('maps provider names, error types and usage as the conventions ask', () => {
    expect(providerName('xai')).toBe('x_ai');
    expect(providerName('ollama')).toBe('ollama');
    const api = new ApiError('busy', { status: 429, url: 'http://h', headers: {}, bodyExcerpt: '' });
    expect(errorType(api)).toBe('429');
    expect(errorType(new TimeoutError('slow', { phase: 'idle', timeoutMs: 1 }))).toBe('TimeoutError');
    expect(errorType(new Error('x'))).toBe('_OTHER');
    const a = chatEndAttributes(
      {
        role: 'assistant',
        content: [],
        api: 'openai-chat',
        provider: 'p',
        model: 'm',
        usage: { input: 10, output: 5, cacheRead: 20, cacheWrite: 3, reasoning: 2, total: 38 },
        stopReason: 'length',
        timestamp: 1,
      },
      250,
    );
    expect(a).toEqual({
      [ATTR.finishReasons]: ['length'],
      [ATTR.inputTokens]: 33,
      [ATTR.outputTokens]: 5,
      [ATTR.cacheReadTokens]: 20,
      [ATTR.cacheCreationTokens]: 3,
      [ATTR.reasoningTokens]: 2,
      [ATTR.timeToFirstChunk]: 0.25,
    });
  });

  it('scrubs captured content: credential fields, URLs, bearer tokens and given secrets', () => {
    const text = scrubbedJson(
      { apiKey: 'k1', note: 'Bearer abcdefghijkl and https://u:p@h/x and my-secret-value' },
      ['my-secret-value'],
    );
    expect(text).not.toMatch(/k1|abcdefghijkl|u:p@|my-secret-value/);
  });
});
