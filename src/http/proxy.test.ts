import { afterEach, describe, expect, it } from 'vitest';
import { envProxyFor } from './proxy.js';

const VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
];
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of VARS) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function setProxy(): void {
  for (const name of VARS) delete process.env[name];
  process.env.HTTPS_PROXY = 'http://proxy.test:3128';
  process.env.HTTP_PROXY = 'http://proxy.test:3128';
}

describe('envProxyFor', () => {
  it('never proxies loopback hosts, whatever the variables say', async () => {
    setProxy();
    for (const url of [
      'http://127.0.0.1:8080/v1',
      'http://localhost:11434/api/chat',
      'https://LOCALHOST/v1',
      'http://[::1]:1234/v1',
      'http://user:pass@127.0.0.2:9/v1',
      'http://app.localhost/v1',
    ]) {
      expect(await envProxyFor(url), url).toBeUndefined();
    }
  });

  it('proxies a remote host, including names that only look like loopback', async () => {
    setProxy();
    for (const url of [
      'https://api.openai.com/v1',
      'http://localhost.example.com/v1',
      'http://127.0.0.1.nip.io/v1',
      'http://localhost@example.com/v1',
    ]) {
      expect(await envProxyFor(url), url).toBe('http://proxy.test:3128');
    }
  });

  it('honours NO_PROXY and reads the environment per request', async () => {
    setProxy();
    process.env.NO_PROXY = '.example.com';
    expect(await envProxyFor('https://api.example.com/v1')).toBeUndefined();
    expect(await envProxyFor('https://api.openai.com/v1')).toBe('http://proxy.test:3128');
    delete process.env.HTTPS_PROXY;
    expect(await envProxyFor('https://api.openai.com/v1')).toBeUndefined();
  });
});
