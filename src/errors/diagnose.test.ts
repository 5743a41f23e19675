import { describe, expect, it } from 'vitest';
import { connectionDiagnosis, keyRequirement, trimEndpointPath, unauthorizedHint } from './diagnose.js';

describe('trimEndpointPath', () => {
  it.each([
    ['http://127.0.0.1:11434/v1/chat/completions', 'http://127.0.0.1:11434/v1', '/chat/completions'],
    ['http://h/v1/chat/completions/', 'http://h/v1', '/chat/completions'],
    ['https://api.anthropic.com/v1/messages', 'https://api.anthropic.com/v1', '/messages'],
    ['https://api.openai.com/v1/responses', 'https://api.openai.com/v1', '/responses'],
    ['http://h:8080/completions', 'http://h:8080', '/completions'],
    ['http://h/v1/chat/completions?api-version=1', 'http://h/v1?api-version=1', '/chat/completions'],
  ])('%s → %s', (input, baseUrl, removed) => {
    expect(trimEndpointPath(input)).toEqual({ baseUrl, removed });
  });

  it('leaves base URLs and unparsable text alone', () => {
    expect(trimEndpointPath('http://h/v1')).toEqual({ baseUrl: 'http://h/v1' });
    expect(trimEndpointPath('not a url')).toEqual({ baseUrl: 'not a url' });
  });
});

describe('connectionDiagnosis', () => {
  it('DNS codes, TLS to plain HTTP (by code or OpenSSL text), nothing for the rest', () => {
    expect(connectionDiagnosis('http://x.invalid/v1', 'ENOTFOUND')).toBe(
      'The host name x.invalid does not resolve: check its spelling, or use an IP address (127.0.0.1 for this machine).',
    );
    expect(
      connectionDiagnosis('https://h:8080/v1', undefined, 'ssl3_get_record:wrong version number'),
    ).toMatch(/^The server at h:8080 does not speak TLS/);
    expect(connectionDiagnosis('http://h:8080/v1', 'EPROTO')).toBeUndefined();
    expect(connectionDiagnosis('http://h:8080/v1', 'ECONNREFUSED')).toBeUndefined();
  });
});

describe('keys', () => {
  it('cloud presets at their own origin need their key; local servers and other origins do not', () => {
    expect(keyRequirement('https://api.anthropic.com/v1')).toEqual({
      preset: 'anthropic',
      keyEnv: 'ANTHROPIC_API_KEY',
    });
    expect(keyRequirement('http://localhost:11434/v1')).toBeUndefined();
    expect(keyRequirement('http://127.0.0.1:9/v1')).toBeUndefined();
  });

  it('the 401 hint for a cloud preset names its variable', () => {
    expect(unauthorizedHint({ baseUrl: 'https://api.mistral.ai/v1', keySource: undefined })).toBe(
      'no API key was sent: set MISTRAL_API_KEY or pass --api-key (or --api-key-file)',
    );
  });
});
