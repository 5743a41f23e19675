import { describe, expect, it } from 'vitest';
import {
  isSecretHeader,
  REDACTED,
  redactHeaders,
  redactSecrets,
  redactText,
  redactUrl,
  redactValue,
  requestSecrets,
} from './redact.js';

describe('redaction', () => {
  it('redacts credential headers from Headers and plain objects', () => {
    const headers = new Headers({
      Authorization: 'Bearer sk-1',
      'X-Api-Key': 'k',
      'api-key': 'a',
      Cookie: 'c',
      'content-type': 'x',
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      'api-key': REDACTED,
      cookie: REDACTED,
      'content-type': 'x',
    });
    expect(redactHeaders({ Authorization: 'Bearer x', accept: 'y' })).toEqual({
      authorization: REDACTED,
      accept: 'y',
    });
  });
  it('redacts secret query values and passwords in URLs', () => {
    expect(redactUrl('https://u:pw@h.example/v1?key=abc&model=m&api-key=z')).toBe(
      'https://redacted:redacted@h.example/v1?key=%5Bredacted%5D&model=m&api-key=%5Bredacted%5D',
    );
    expect(redactUrl('not a url')).toBe('not a url');
  });
  it('replaces every occurrence of long secrets only', () => {
    expect(redactSecrets('a sk-12345678 b sk-12345678', ['sk-12345678', 'short'])).toBe(
      `a ${REDACTED} b ${REDACTED}`,
    );
    expect(redactSecrets('short words', ['short'])).toBe('short words');
  });
});

describe('isSecretHeader', () => {
  const secret = [
    'Authorization',
    'proxy-authorization',
    'api-key',
    'X-Api-Key',
    'x-goog-api-key',
    'Cookie',
    'set-cookie',
    'x-auth-token',
    'access_token',
    'accessToken',
    'apiKey',
    'client-secret',
    'password',
  ];
  const plain = ['content-type', 'accept', 'x-request-id', 'maxTokens', 'max_tokens', 'tokens', 'keep-alive'];
  for (const name of secret) it(`${name} is a credential`, () => expect(isSecretHeader(name)).toBe(true));
  for (const name of plain) it(`${name} is not`, () => expect(isSecretHeader(name)).toBe(false));
});

describe('redactUrl, redactText, redactValue, requestSecrets', () => {
  const S = 'sk-SECRET-abcdef123456';
  const urls: [string, string][] = [
    [`https://${S}@h.example/v1`, 'https://redacted@h.example/v1'],
    [`https://u:${S}@h.example/v1`, 'https://redacted:redacted@h.example/v1'],
    [`https://h.example/v1?key=${S}`, 'https://h.example/v1?key=%5Bredacted%5D'],
    [`https://h.example/v1?token=${S}&x=1`, 'https://h.example/v1?token=%5Bredacted%5D&x=1'],
    [`https://h.example/v1?access_token=${S}`, 'https://h.example/v1?access_token=%5Bredacted%5D'],
    ['http://localhost:11434', 'http://localhost:11434'], // unchanged, not normalized
  ];
  for (const [input, output] of urls) it(`redactUrl(${output})`, () => expect(redactUrl(input)).toBe(output));

  it('redactText finds URLs and bearer tokens inside free text', () => {
    const text = `No server at http://u:${S}@127.0.0.1:1/v1?api-key=${S}. Sent Authorization: Bearer ${S}.`;
    const out = redactText(text);
    expect(out).not.toContain(S);
    expect(out).toContain('No server at http://redacted:redacted@127.0.0.1:1/v1?api-key=%5Bredacted%5D.');
    expect(out).toContain(`Bearer ${REDACTED}`);
    expect(redactText('plain words')).toBe('plain words');
  });

  it('redactValue copies a document with credential fields and URL secrets redacted', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const doc = {
      baseUrl: `http://h/v1?key=${S}`,
      headers: { 'x-goog-api-key': S, accept: 'json' },
      apiKey: S,
      maxTokens: 10,
      list: [`see https://${S}@h/`],
      cyclic,
    };
    const out = redactValue(doc);
    expect(JSON.stringify(out)).not.toContain(S);
    expect(out).toMatchObject({ headers: { 'x-goog-api-key': REDACTED, accept: 'json' }, maxTokens: 10 });
    expect(doc.apiKey).toBe(S); // the input is not changed
  });

  it('requestSecrets lists header values, bearer tokens, user-info and secret query values', () => {
    const secrets = requestSecrets(
      'http://user:pw-123456789@h/v1?key=q-123456789&x=1',
      { authorization: 'Bearer b-123456789', 'x-goog-api-key': 'g-123456789', accept: 'json' },
      ['k-123456789', undefined],
    );
    expect(new Set(secrets)).toEqual(
      new Set([
        'k-123456789',
        'Bearer b-123456789',
        'b-123456789',
        'g-123456789',
        'user',
        'pw-123456789',
        'q-123456789',
      ]),
    );
  });
});
