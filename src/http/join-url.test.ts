import { describe, expect, it } from 'vitest';
import { joinUrl } from './join-url.js';

describe('joinUrl', () => {
  it('appends the path with one slash', () => {
    expect(joinUrl('http://localhost:11434/v1', '/chat/completions')).toBe(
      'http://localhost:11434/v1/chat/completions',
    );
    expect(joinUrl('http://localhost:11434/v1//', 'models')).toBe('http://localhost:11434/v1/models');
  });

  it('keeps the query string of the base after the path (Azure api-version)', () => {
    expect(
      joinUrl('https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21', '/chat/completions'),
    ).toBe('https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21');
    expect(joinUrl('https://h/v1/?a=1&b=2', '/models')).toBe('https://h/v1/models?a=1&b=2');
  });

  it('merges a query of the path after the base query and drops a fragment', () => {
    expect(joinUrl('https://h/v1?api-version=1#frag', '/models?limit=5')).toBe(
      'https://h/v1/models?api-version=1&limit=5',
    );
  });

  it('returns the base without trailing slashes for an empty path', () => {
    expect(joinUrl('https://h/v1/?q=1', '')).toBe('https://h/v1?q=1');
  });
});
