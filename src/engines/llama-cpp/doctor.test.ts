import { describe, expect, it } from 'vitest';
import { formatEngineReport } from './doctor.js';
import { defaultThreads } from './model.js';

describe('engine report for doctor', () => {
  it('names the install command when missing, and version, backend and threads when present', () => {
    expect(formatEngineReport({ installed: false, threads: 1 })).toBe(
      'embedded engine: not installed (npm install node-llama-cpp@3.21.1)',
    );
    expect(formatEngineReport({ installed: true, version: '3.21.1', backend: 'cpu', threads: 1 })).toBe(
      'embedded engine: node-llama-cpp 3.21.1 (cpu, 1 thread)',
    );
    expect(formatEngineReport({ installed: true, version: '3.21.1', threads: 4, problem: 'no binary' })).toBe(
      'embedded engine: node-llama-cpp 3.21.1 (does not load: no binary)',
    );
  });

  it('defaults threads to OPEN_AGENT_LLAMA_THREADS, else 1 under CI, else at least 1', () => {
    expect(defaultThreads({ OPEN_AGENT_LLAMA_THREADS: '3', CI: 'true' })).toBe(3);
    expect(defaultThreads({ CI: 'true' })).toBe(1);
    expect(defaultThreads({ OPEN_AGENT_LLAMA_THREADS: 'x' })).toBeGreaterThanOrEqual(1);
  });
});
