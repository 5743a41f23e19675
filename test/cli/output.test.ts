import { describe, expect, it } from 'vitest';
import { createPrinter, eventRecord, type OutputSink, type ReasoningDisplay } from '../../src/cli/output.js';
import type { RunOutcome } from '../../src/cli/run-turns.js';
import { emptyUsage } from '../../src/index.js';

function buffer(): OutputSink & { text: string } {
  const sink = {
    text: '',
    write(text: string) {
      sink.text += text;
    },
  };
  return sink;
}

function outcome(fields: Partial<RunOutcome> = {}): RunOutcome {
  return {
    messages: [],
    stopReason: 'stop',
    usage: emptyUsage(),
    text: '',
    turns: 1,
    ending: { kind: 'finished' },
    ...fields,
  };
}

function printThinking(reasoning: ReasoningDisplay): { stdout: string; stderr: string } {
  const stdout = buffer();
  const stderr = buffer();
  const printer = createPrinter('text', { stdout, stderr, reasoning });
  printer.start({ model: 'm', provider: 'custom', baseUrl: 'http://x/v1' });
  printer.event({ type: 'thinking_start', contentIndex: 0 }, 1);
  printer.event({ type: 'thinking_delta', contentIndex: 0, delta: 'Hmm.' }, 1);
  printer.event({ type: 'thinking_end', contentIndex: 0, content: 'Hmm.' }, 1);
  printer.event({ type: 'text_start', contentIndex: 1 }, 1);
  printer.event({ type: 'text_delta', contentIndex: 1, delta: 'Yes.' }, 1);
  printer.end(outcome({ text: 'Yes.' }));
  return { stdout: stdout.text, stderr: stderr.text };
}

describe('the text printer', () => {
  it('dims reasoning on a terminal', () => {
    expect(printThinking('dim')).toEqual({ stdout: 'Yes.\n', stderr: '\x1b[2mHmm.\x1b[22m\n' });
  });

  it('prints reasoning behind a `| ` gutter with NO_COLOR, line by line across deltas', () => {
    expect(printThinking('plain')).toEqual({ stdout: 'Yes.\n', stderr: '| Hmm.\n' });
    const stdout = buffer();
    const stderr = buffer();
    const printer = createPrinter('text', { stdout, stderr, reasoning: 'plain' });
    for (const delta of ['First li', 'ne.\nSecond', ' line.\n', 'Third.'])
      printer.event({ type: 'thinking_delta', contentIndex: 0, delta }, 1);
    printer.event({ type: 'thinking_end', contentIndex: 0, content: '' }, 1);
    printer.event({ type: 'thinking_delta', contentIndex: 0, delta: 'Next turn.' }, 2);
    printer.event({ type: 'thinking_end', contentIndex: 0, content: '' }, 2);
    expect(stderr.text).toBe('| First line.\n| Second line.\n| Third.\n| Next turn.\n');
  });

  it('drops reasoning when stderr is not a terminal', () => {
    expect(printThinking('off')).toEqual({ stdout: 'Yes.\n', stderr: '' });
  });

  it('does not add a second newline, and prints errors on one line', () => {
    const stdout = buffer();
    const stderr = buffer();
    const printer = createPrinter('text', { stdout, stderr, reasoning: 'off' });
    printer.event({ type: 'text_delta', contentIndex: 0, delta: 'Line\n' }, 1);
    printer.end(outcome({ stopReason: 'error', errorMessage: 'HTTP 502 from x:\n  bad gateway' }));
    expect(stdout.text).toBe('Line\n');
    expect(stderr.text).toBe('error: HTTP 502 from x: bad gateway\n');
  });
});

describe('stream-json records', () => {
  it('adds the turn and keeps the event fields', () => {
    expect(eventRecord({ type: 'text_delta', contentIndex: 2, delta: 'a' }, 3)).toEqual({
      type: 'text_delta',
      turn: 3,
      contentIndex: 2,
      delta: 'a',
    });
  });

  it('reduces an error to name and message', () => {
    const error = new TypeError('bad');
    const message = {
      role: 'assistant' as const,
      content: [],
      api: 'openai-chat' as const,
      provider: 'custom',
      model: 'm',
      usage: emptyUsage(),
      stopReason: 'error' as const,
      errorMessage: 'bad',
      timestamp: 1,
    };
    const record = eventRecord({ type: 'error', reason: 'error', message, error }, 1);
    expect(JSON.parse(JSON.stringify(record))).toEqual({
      type: 'error',
      turn: 1,
      reason: 'error',
      message,
      error: { name: 'TypeError', message: 'bad' },
    });
  });
});

describe('the json printer', () => {
  it('adds errorMessage only when the run failed', () => {
    const ok = buffer();
    createPrinter('json', { stdout: ok, stderr: buffer(), reasoning: 'off' }).end(outcome({ text: 'x' }));
    expect(Object.keys(JSON.parse(ok.text) as object)).toEqual(['messages', 'text', 'stopReason', 'usage']);
    const failed = buffer();
    createPrinter('json', { stdout: failed, stderr: buffer(), reasoning: 'off' }).end(
      outcome({ stopReason: 'aborted', errorMessage: 'The request was aborted.' }),
    );
    expect(JSON.parse(failed.text)).toMatchObject({
      stopReason: 'aborted',
      errorMessage: 'The request was aborted.',
    });
  });
});
