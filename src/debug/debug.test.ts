import { afterEach, describe, expect, it } from 'vitest';
import { debugEnabled, debugLog, debugSwitches, enableDebug } from './debug.js';

const saved = { DEBUG: process.env.DEBUG, VLLM_DEBUG_PAYLOAD: process.env.VLLM_DEBUG_PAYLOAD };

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  enableDebug(undefined);
});

describe('debugSwitches', () => {
  it('is one shared snapshot while nothing changes, and a new one when DEBUG changes', () => {
    delete process.env.DEBUG;
    delete process.env.VLLM_DEBUG_PAYLOAD;
    const off = debugSwitches();
    expect(off.enabled('open-agent:http')).toBe(false);
    expect(debugSwitches()).toBe(off);

    process.env.DEBUG = 'open-agent*,-open-agent:payload';
    const on = debugSwitches();
    expect(on).not.toBe(off);
    expect(on.enabled('open-agent:http')).toBe(true);
    expect(on.enabled('open-agent:payload')).toBe(false);
    expect(on.enabled('other')).toBe(false);
    expect(debugSwitches()).toBe(on);
    expect(debugEnabled('open-agent:retry')).toBe(true);
  });

  it('VLLM_DEBUG_PAYLOAD switches the payload namespace on; enableDebug adds namespaces', () => {
    delete process.env.DEBUG;
    process.env.VLLM_DEBUG_PAYLOAD = '1';
    expect(debugSwitches().enabled('open-agent:payload')).toBe(true);
    expect(debugSwitches().enabled('open-agent:http')).toBe(false);
    const lines: string[] = [];
    enableDebug('open-agent:http', (line) => lines.push(line));
    expect(debugSwitches().enabled('open-agent:http')).toBe(true);
    debugLog('open-agent:http', () => 'hello');
    debugLog('open-agent:probe', 'not on');
    expect(lines).toEqual(['open-agent:http hello']);
  });

  it('a snapshot taken before a change keeps answering as it was (a call reads DEBUG once)', () => {
    process.env.DEBUG = 'open-agent:http';
    const before = debugSwitches();
    process.env.DEBUG = '';
    expect(before.enabled('open-agent:http')).toBe(true);
    expect(debugSwitches().enabled('open-agent:http')).toBe(false);
  });
});
