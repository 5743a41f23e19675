/**
 * `--trace FILE` files (JSON lines written by `JsonLinesSpanExporter`, `v: 1`) as dashboard runs: one run
 * per trace id, its spans (model calls `chat …`, tool calls `execute_tool …`) as timeline steps, and its
 * span events (handoffs, guardrails, interruptions, retries) as zero-length steps.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { SpanLine } from '../tracing/json-lines-exporter.js';
import type { RunSummary, StepKind, StepUsage, TimelineStep } from './timeline.js';

/** A trace read from a file: its summary and its steps. */
export interface TraceView {
  summary: RunSummary;
  steps: TimelineStep[];
}

function isSpan(value: unknown): value is SpanLine {
  const v = value as Partial<SpanLine> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.traceId === 'string' &&
    typeof v.spanId === 'string' &&
    typeof v.name === 'string' &&
    typeof v.startTimeMs === 'number' &&
    typeof v.durationMs === 'number'
  );
}

/**
 * The spans of a trace file, grouped by trace id. Lines that are not spans (a torn last line) are skipped.
 * @throws the file system error when the file cannot be read (ENOENT, EACCES).
 */
export async function readTraceFile(path: string): Promise<Map<string, SpanLine[]>> {
  const text = await readFile(path, 'utf8');
  const traces = new Map<string, SpanLine[]>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isSpan(value)) continue;
    const list = traces.get(value.traceId) ?? [];
    list.push(value);
    traces.set(value.traceId, list);
  }
  return traces;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function kindOf(span: SpanLine): StepKind | undefined {
  if (span.name.startsWith('chat ')) return 'model';
  if (span.name.startsWith('execute_tool ')) return 'tool';
  return undefined;
}

function spanStep(span: SpanLine, kind: StepKind): Omit<TimelineStep, 'index'> {
  const a = span.attributes;
  const step: Omit<TimelineStep, 'index'> = {
    kind,
    runId: str(a['open_agent.run.id']) ?? span.traceId,
    label: span.name,
    startMs: span.startTimeMs,
    durationMs: span.durationMs,
    status: span.status.code === 'ERROR' ? 'error' : 'ok',
    detail: { attributes: a, events: span.events },
  };
  if (span.status.message) step.error = span.status.message;
  if (kind === 'model') {
    const usage: StepUsage = {
      input: num(a['gen_ai.usage.input_tokens']),
      output: num(a['gen_ai.usage.output_tokens']),
      total: 0,
    };
    usage.total = usage.input + usage.output;
    step.usage = usage;
    const model = str(a['gen_ai.request.model']);
    if (model !== undefined) step.model = model;
    const host = str(a['server.address']);
    if (host !== undefined)
      step.server = a['server.port'] === undefined ? host : `${host}:${a['server.port']}`;
    const ttft = a['gen_ai.response.time_to_first_chunk'];
    if (typeof ttft === 'number') step.firstChunkMs = ttft * 1000;
    const retries = span.events.filter((e) => e.name === 'retry').length;
    if (retries > 0) step.retries = retries;
  }
  return step;
}

function eventSteps(span: SpanLine): Omit<TimelineStep, 'index'>[] {
  const runId = str(span.attributes['open_agent.run.id']) ?? span.traceId;
  const out: Omit<TimelineStep, 'index'>[] = [];
  for (const e of span.events) {
    const kind: StepKind | undefined =
      e.name === 'handoff'
        ? 'handoff'
        : e.name.includes('guardrail')
          ? 'guardrail'
          : e.name === 'interrupted'
            ? 'interruption'
            : undefined;
    if (!kind) continue;
    const from = str(e.attributes['open_agent.handoff.from']);
    const to = str(e.attributes['open_agent.handoff.to']);
    out.push({
      kind,
      runId,
      label: kind === 'handoff' ? `handoff ${from ?? '?'} → ${to ?? '?'}` : e.name,
      startMs: e.timeMs,
      durationMs: 0,
      status: e.name.includes('tripwire') ? 'error' : kind === 'interruption' ? 'pending' : 'ok',
      detail: { event: e },
    });
  }
  return out;
}

/** A trace's summary and timeline (spans by start time). */
export function traceView(file: string, traceId: string, spans: readonly SpanLine[]): TraceView {
  const ids = new Set(spans.map((s) => s.spanId));
  const root =
    spans.find((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId)) ?? (spans[0] as SpanLine);
  const parts: Omit<TimelineStep, 'index'>[] = [];
  for (const span of spans) {
    const kind = kindOf(span);
    if (kind) parts.push(spanStep(span, kind));
    parts.push(...eventSteps(span));
  }
  parts.sort((x, y) => (x.startMs ?? 0) - (y.startMs ?? 0));
  const steps = parts.map((p, index) => ({ index, ...p }));
  const usage: StepUsage = { input: 0, output: 0, total: 0 };
  for (const s of steps) {
    usage.input += s.usage?.input ?? 0;
    usage.output += s.usage?.output ?? 0;
    usage.total += s.usage?.total ?? 0;
  }
  const a = root.attributes;
  const status = str(a['open_agent.run.status']);
  const summary: RunSummary = {
    source: 'trace',
    id: traceId,
    file,
    runs: 1,
    startMs: root.startTimeMs,
    durationMs: root.durationMs,
    usage,
    status:
      (status as RunSummary['status'] | undefined) ?? (root.status.code === 'ERROR' ? 'failed' : 'completed'),
    steps: steps.length,
    pending: steps.filter((s) => s.status === 'pending').length,
  };
  const agent = str(a['gen_ai.agent.name']);
  if (agent !== undefined) summary.agent = agent;
  const model = steps.find((s) => s.model !== undefined);
  if (model?.model !== undefined) summary.model = model.model;
  if (model?.server !== undefined) summary.server = model.server;
  return { summary, steps };
}
