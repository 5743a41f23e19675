/**
 * The dashboard page (plain DOM, no framework): the runs list, a run's timeline and its steps' messages,
 * chat with streaming, and the tool calls waiting for approval. Built into `dist/ui/web/app.js` by
 * `scripts/build-ui.mjs`; it talks only to the server it came from (cookie-authenticated, same origin).
 *
 * @module
 */
import type { SessionInterruptions } from '../sources.js';
import type { RunSummary, TimelineStep } from '../timeline.js';
import type { WireEvent } from '../wire-events.js';

type Child = Node | string | undefined | false;

function h(
  tag: string,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
  return el;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function ms(value: number | undefined): string {
  if (value === undefined) return '–';
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

function time(value: number | undefined): string {
  if (value === undefined) return '–';
  const date = new Date(value);
  const today = date.toDateString() === new Date().toDateString();
  return today ? date.toLocaleTimeString() : date.toLocaleString();
}

function tokens(summary: { usage?: { total: number } }): string {
  return summary.usage ? String(summary.usage.total) : '–';
}

function cost(usd: number | undefined): string {
  return usd === undefined ? '–' : `$${usd < 0.01 ? usd.toFixed(5) : usd.toFixed(3)}`;
}

// ---- Runs and timeline ----------------------------------------------------------------------------

let selected: string | undefined;

async function loadRuns(): Promise<void> {
  const list = await api<{
    sessions: RunSummary[];
    traces: RunSummary[];
    problems: { source: string; message: string }[];
  }>('/api/runs');
  const body = $('runs').querySelector('tbody') as HTMLElement;
  body.replaceChildren();
  for (const run of [...list.sessions, ...list.traces]) {
    const key = `${run.source}:${run.id}`;
    const row = h(
      'tr',
      {
        class: 'row',
        tabindex: '0',
        'data-testid': 'run-row',
        'data-id': run.id,
        'aria-current': String(key === selected),
      },
      h('td', { title: run.file ?? run.id }, run.source === 'trace' ? `trace ${run.id.slice(0, 8)}` : run.id),
      h('td', {}, run.agent ?? '–'),
      h('td', {}, run.model ?? '–'),
      h('td', {}, run.server ?? '–'),
      h('td', {}, time(run.startMs)),
      h('td', {}, ms(run.durationMs)),
      h('td', {}, tokens(run)),
      h('td', {}, cost(run.usage.costUsd)),
      h(
        'td',
        { class: `status-${run.status}` },
        run.pending > 0 ? `${run.status} (${run.pending})` : run.status,
      ),
    );
    const open = (): void => void showRun(run, key);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
    body.append(row);
  }
  const problems = $('problems');
  problems.hidden = list.problems.length === 0;
  problems.textContent = list.problems.map((p) => `${p.source}: ${p.message}`).join('\n');
}

async function showRun(run: RunSummary, key: string): Promise<void> {
  selected = key;
  for (const row of document.querySelectorAll('#runs tr.row'))
    row.setAttribute('aria-current', String(row.getAttribute('data-id') === run.id));
  const path =
    run.source === 'trace'
      ? `/api/traces/${encodeURIComponent(run.id)}`
      : `/api/sessions/${encodeURIComponent(run.id)}`;
  const view = await api<{ summary: RunSummary; steps: TimelineStep[] }>(path);
  $('timeline-title').textContent =
    `Timeline: ${run.id} · ${view.steps.length} steps · ${ms(view.summary.durationMs)}`;
  $('timeline-empty').hidden = true;
  renderTimeline(view.steps, view.summary);
  $('step-detail').replaceChildren();
}

function renderTimeline(steps: TimelineStep[], summary: RunSummary): void {
  const start = summary.startMs ?? steps.find((s) => s.startMs !== undefined)?.startMs ?? 0;
  const span = Math.max(1, summary.durationMs ?? 1);
  const list = $('timeline');
  list.replaceChildren();
  for (const step of steps) {
    const left = step.startMs === undefined ? 0 : ((step.startMs - start) / span) * 100;
    const width = step.durationMs === undefined ? 0 : (step.durationMs / span) * 100;
    // Positions go through the CSSOM: the CSP (`default-src 'self'`) refuses inline style attributes.
    const bar = placed('bar', clamp(left), clamp(width, 100 - clamp(left)));
    const track = h('span', { class: 'track' }, bar);
    if (step.firstChunkMs !== undefined && step.startMs !== undefined)
      track.append(placed('ttft', clamp(left), clamp((step.firstChunkMs / span) * 100, 100 - clamp(left))));
    const meta = [
      ms(step.durationMs),
      step.firstChunkMs !== undefined ? `ttft ${ms(step.firstChunkMs)}` : '',
      step.retries ? `${step.retries} retries` : '',
      step.usage ? `${step.usage.total} tok` : '',
    ].filter(Boolean);
    const button = h(
      'button',
      {
        type: 'button',
        class: `step kind-${step.kind} status-${step.status}`,
        'data-testid': 'step',
        'data-kind': step.kind,
        'data-duration-ms': step.durationMs === undefined ? undefined : String(step.durationMs),
        'aria-expanded': 'false',
      },
      h('span', { class: 'label', title: step.label }, `${step.kind}: ${step.label}`),
      track,
      h('span', { class: 'meta', 'data-testid': 'step-meta' }, meta.join(' · ')),
    );
    button.addEventListener('click', () => {
      for (const b of list.querySelectorAll('.step')) b.setAttribute('aria-expanded', 'false');
      button.setAttribute('aria-expanded', 'true');
      showStep(step);
    });
    list.append(h('li', {}, button));
  }
}

function placed(className: string, left: number, width: number): HTMLElement {
  const el = h('span', { class: className });
  el.style.left = `${left}%`;
  el.style.width = `${width}%`;
  return el;
}

function clamp(value: number, max = 100): number {
  return Math.max(0, Math.min(max, Number.isFinite(value) ? value : 0));
}

function pre(value: unknown): HTMLElement {
  return h('pre', {}, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

type Block = { type: string; text?: string; thinking?: string; name?: string; arguments?: unknown };

function messageView(message: { role: string; content: unknown }): HTMLElement {
  const box = h('div', { class: 'msg' }, h('div', { class: 'who' }, message.role));
  if (typeof message.content === 'string') box.append(pre(message.content));
  else if (Array.isArray(message.content))
    for (const block of message.content as Block[]) {
      if (block.type === 'text') box.append(pre(block.text ?? ''));
      else if (block.type === 'thinking')
        box.append(h('details', {}, h('summary', {}, 'reasoning'), pre(block.thinking ?? '')));
      else if (block.type === 'toolCall')
        box.append(h('div', {}, `tool call ${block.name ?? ''}`), pre(block.arguments));
      else box.append(pre(block));
    }
  return box;
}

function showStep(step: TimelineStep): void {
  const box = h('div', { 'data-testid': 'step-detail' }, h('h3', {}, `${step.kind}: ${step.label}`));
  if (step.error) box.append(h('p', { class: 'error' }, step.error));
  const facts = [
    `start ${time(step.startMs)}`,
    `duration ${ms(step.durationMs)}`,
    step.firstChunkMs !== undefined && `time to first token ${ms(step.firstChunkMs)}`,
    step.retries !== undefined && `${step.retries} retries`,
    step.usage && `tokens in ${step.usage.input} / out ${step.usage.output}`,
    step.usage?.costUsd !== undefined && `cost ${cost(step.usage.costUsd)}`,
    step.server && `server ${step.server}`,
  ].filter(Boolean);
  box.append(h('p', { class: 'muted' }, facts.join(' · ')));
  const d = step.detail as Record<string, unknown>;
  if (d && typeof d === 'object' && 'message' in d)
    box.append(messageView(d.message as { role: string; content: unknown }));
  else if (d && typeof d === 'object' && 'result' in d) {
    box.append(
      h('div', { class: 'who' }, 'arguments'),
      pre((d.call as { arguments?: unknown }).arguments ?? {}),
    );
    box.append(messageView({ role: 'tool result', content: (d.result as { content: unknown }).content }));
  } else box.append(pre(d));
  $('step-detail').replaceChildren(box);
}

// ---- Chat and approvals --------------------------------------------------------------------------

let sessionId: string | undefined;
let streaming: HTMLElement | undefined;

function say(kind: 'user' | 'assistant' | 'tool', text: string): HTMLElement {
  const bubble = h('div', { class: `bubble ${kind}`, 'data-testid': `chat-${kind}` }, text);
  $('transcript').append(bubble);
  $('transcript').scrollTop = $('transcript').scrollHeight;
  return bubble;
}

async function send(): Promise<void> {
  const input = $<HTMLTextAreaElement>('chat-input');
  const text = input.value.trim();
  if (text === '') return;
  input.value = '';
  say('user', text);
  try {
    const started = await api<{ sessionId: string }>('/api/chat', {
      text,
      agent: $<HTMLSelectElement>('agent').value,
      ...(sessionId !== undefined && { sessionId }),
    });
    sessionId = started.sessionId;
  } catch (error) {
    say('tool', `error: ${(error as Error).message}`);
  }
}

function onEvent(event: WireEvent): void {
  const mine = event.sessionId === sessionId;
  if (mine && event.type === 'text_delta') {
    streaming ??= say('assistant', '');
    streaming.textContent += String(event.delta);
  } else if (mine && event.type === 'assistant_message') {
    streaming = undefined;
    if (event.error) say('tool', `error: ${String(event.error)}`);
  } else if (mine && event.type === 'tool_execution_start') {
    say('tool', `→ ${String(event.toolName)} ${JSON.stringify(event.args)}`);
  } else if (mine && event.type === 'tool_execution_end') {
    say('tool', `← ${String(event.toolName)}: ${String(event.outcome)}`);
  } else if (mine && event.type === 'error') {
    say('tool', `error: ${(event.error as { message?: string }).message ?? ''}`);
  } else if (mine && event.type === 'interrupted') {
    const calls = event.interruptions as { toolName: string }[];
    say('tool', `waiting for approval: ${calls.map((c) => c.toolName).join(', ')}`);
  } else if (mine && event.type === 'agent_end') {
    say('tool', `run ${String(event.status)}`);
  }
  if (event.type === 'interrupted' || event.type === 'session_idle') {
    void loadPending();
    void loadRuns();
  }
  $('live').textContent = event.type === 'session_idle' ? '' : `live: ${event.agent} ${event.type}`;
}

async function loadPending(): Promise<void> {
  const { interruptions } = await api<{ interruptions: SessionInterruptions[] }>('/api/interruptions');
  const list = $('pending');
  list.replaceChildren();
  $('pending-empty').hidden = interruptions.length > 0;
  for (const item of interruptions)
    for (const call of item.calls) {
      const decide = (approved: boolean) => async (): Promise<void> => {
        for (const b of li.querySelectorAll('button')) (b as HTMLButtonElement).disabled = true;
        sessionId = item.sessionId;
        try {
          await api('/api/decisions', { sessionId: item.sessionId, toolCallId: call.toolCallId, approved });
        } catch (error) {
          li.append(h('p', { class: 'error' }, (error as Error).message));
        }
      };
      const approve = h('button', { type: 'button', 'data-testid': 'approve' }, 'Approve');
      const reject = h('button', { type: 'button', 'data-testid': 'reject' }, 'Reject');
      approve.addEventListener('click', () => void decide(true)());
      reject.addEventListener('click', () => void decide(false)());
      const li = h(
        'li',
        { 'data-testid': 'pending' },
        h(
          'div',
          {},
          h('strong', {}, call.toolName),
          ` in ${item.sessionId}${item.agent ? ` (${item.agent})` : ''}`,
        ),
        pre(call.arguments),
        h('div', { class: 'actions' }, approve, reject),
      );
      list.append(li);
    }
}

async function loadAgents(): Promise<void> {
  const { agents } = await api<{ agents: string[] }>('/api/agents');
  const select = $<HTMLSelectElement>('agent');
  select.replaceChildren(...agents.map((name) => h('option', { value: name }, name)));
  const off = agents.length === 0;
  $('chat-off').hidden = !off;
  for (const id of ['agent', 'chat-input', 'send']) ($(id) as HTMLButtonElement).disabled = off;
}

function selectTab(name: 'runs' | 'chat'): void {
  for (const tab of ['runs', 'chat'] as const) {
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === name));
    $(`view-${tab}`).hidden = tab !== name;
  }
}

function start(): void {
  $('tab-runs').addEventListener('click', () => selectTab('runs'));
  $('tab-chat').addEventListener('click', () => selectTab('chat'));
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void send();
  });
  $('chat-input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  });
  $('new-chat').addEventListener('click', () => {
    sessionId = undefined;
    $('transcript').replaceChildren();
  });
  const events = new EventSource('/api/events');
  events.addEventListener('message', (e) =>
    onEvent(JSON.parse((e as MessageEvent<string>).data) as WireEvent),
  );
  void loadRuns();
  void loadAgents();
  void loadPending();
}

start();
