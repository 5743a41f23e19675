import { describe, expect, it } from 'vitest';
import type { ToolResultMessage } from '../index.js';
import { ToolLineTracker } from './tool-line.js';

const result: ToolResultMessage = {
  role: 'toolResult',
  toolCallId: 'c1',
  toolName: 'read_files',
  content: [{ type: 'text', text: 'abc' }],
  isError: false,
};

describe('ToolLineTracker', () => {
  it("shows the tool's label when its start event carries one, else the name", () => {
    const tracker = new ToolLineTracker();
    const end = {
      type: 'tool_execution_end',
      toolCallId: 'c1',
      toolName: 'read_files',
      outcome: 'ok',
      result,
    } as const;
    tracker.line(
      { type: 'tool_execution_start', toolCallId: 'c1', args: { p: 1 }, label: 'Read files' },
      false,
    );
    expect(tracker.line(end, false)).toMatch(/^⚙ Read files \{"p":1\} → ok, 3 B, \d+ ms$/);
    tracker.line({ type: 'tool_execution_start', toolCallId: 'c1', args: {} }, false);
    expect(tracker.line(end, false)).toMatch(/^⚙ read_files \{\} → ok, 3 B, \d+ ms$/);
  });
});
