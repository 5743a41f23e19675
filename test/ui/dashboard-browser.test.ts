/**
 * The dashboard in a real browser: Debian's headless Chromium driven by playwright-core, against the built
 * CLI's `open-agent ui` on a session written by a real run (see ./scenario.mjs). Without Chromium the test
 * fails with the install command (never skips).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureServer } from '../../src/testing/index.js';
import {
  CANARY,
  CHAT_PIECES,
  chromiumPath,
  type RunningUi,
  SESSION_ID,
  SESSION_STEPS,
  startChatModel,
  startUi,
  writeConfig,
  writeFinishedSession,
} from './scenario.mjs';

let dir: string;
let model: FixtureServer;
let ui: RunningUi;
let browser: Browser;
let page: Page;
/** Every response body the browser received from the dashboard. */
const bodies: string[] = [];

beforeAll(async () => {
  const executablePath = chromiumPath(); // throws with `apt-get install -y chromium` when missing
  dir = mkdtempSync(join(tmpdir(), 'oa-ui-browser-'));
  await writeFinishedSession(join(dir, 'sessions'));
  model = await startChatModel();
  writeConfig(join(dir, 'cwd'), model.baseUrl);
  ui = await startUi({ cwd: join(dir, 'cwd'), sessionsDir: join(dir, 'sessions'), baseUrl: model.baseUrl });
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (type.includes('event-stream')) return; // an open stream has no end; its events are checked below
    void response
      .text()
      .then((text) => bodies.push(text))
      .catch(() => undefined);
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await model?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('open-agent ui in Chromium', () => {
  it('shows the finished run as a timeline with the right steps and durations, and a step’s messages', async () => {
    await page.goto(ui.url);
    expect(page.url()).not.toContain('token='); // the token moved to an HttpOnly cookie
    // Record every server-sent event the page can see, for the canary check below.
    await page.evaluate(() => {
      const w = window as unknown as { recorded: string[] };
      w.recorded = [];
      new EventSource('/api/events').addEventListener('message', (e) => w.recorded.push(e.data));
    });
    const row = page.locator(`[data-testid="run-row"][data-id="${SESSION_ID}"]`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    const rowText = await row.innerText();
    expect(rowText).toContain('researcher');
    expect(rowText).toContain('qwen3:8b');
    expect(rowText).toContain('completed');
    expect(rowText).toContain('543'); // tokens: 138 + 179 + 226
    expect(rowText).toMatch(/\$0\.000\d+/); // priced model
    await row.click();
    const steps = page.locator('[data-testid="step"]');
    await expect.poll(() => steps.count(), { timeout: 10_000 }).toBe(SESSION_STEPS);
    const kinds = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['input', 'model', 'tool', 'model', 'tool', 'model']);
    const durations = await steps.evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-duration-ms') ?? 'NaN')),
    );
    // Model calls waited ≥ 120 ms for headers; tools slept 80 ms.
    for (const i of [1, 3, 5]) expect(durations[i]).toBeGreaterThanOrEqual(100);
    for (const i of [2, 4]) expect(durations[i]).toBeGreaterThanOrEqual(70);
    expect(await steps.nth(1).innerText()).toMatch(/ttft \d+ ms/);

    await steps.nth(5).click();
    const detail = page.locator('[data-testid="step-detail"]');
    await expect.poll(() => detail.innerText(), { timeout: 5000 }).toContain('Bergen is 7 °C with rain.');
    await steps.nth(2).click();
    await expect.poll(() => detail.innerText(), { timeout: 5000 }).toContain('4 °C, clear');
    expect(await detail.innerText()).toContain('"city": "Oslo"');
  });

  it('chats with the config agent: Enter sends, the answer streams in', async () => {
    await page.getByRole('tab', { name: 'Chat' }).click();
    await expect.poll(() => page.locator('#agent').inputValue(), { timeout: 5000 }).toBe('assistant');
    const input = page.locator('#chat-input');
    await input.focus();
    await input.fill('Say hello');
    await page.keyboard.press('Enter');
    const answer = page.locator('[data-testid="chat-assistant"]').last();
    // Streamed: a partial answer is visible before the whole one.
    await expect.poll(() => answer.count(), { timeout: 10_000 }).toBe(1);
    const partial = await answer.innerText();
    expect(CHAT_PIECES.join('').startsWith(partial)).toBe(true);
    await expect.poll(() => answer.innerText(), { timeout: 10_000 }).toBe(CHAT_PIECES.join(''));
    expect(partial.length).toBeLessThan(CHAT_PIECES.join('').length);
  });

  it('approves a pending write_file call and the run finishes', async () => {
    await page.locator('#new-chat').click();
    await page.locator('#chat-input').fill('Write a note');
    await page.locator('#send').click();
    const pending = page.locator('[data-testid="pending"]');
    await expect.poll(() => pending.count(), { timeout: 10_000 }).toBe(1);
    expect(await pending.innerText()).toContain('write_file');
    expect(await page.locator('[data-testid="chat-tool"]').allInnerTexts()).toContain('run interrupted');
    // Keyboard: the approve button is reachable and activates with Enter.
    await page.locator('[data-testid="approve"]').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="chat-assistant"]').last().innerText(), { timeout: 10_000 })
      .toBe('Saved the note to note.txt.');
    await expect
      .poll(() => page.locator('[data-testid="chat-tool"]').allInnerTexts(), { timeout: 10_000 })
      .toContain('run completed');
    expect(readFileSync(join(dir, 'cwd', 'note.txt'), 'utf8')).toBe('hello');
    await expect.poll(() => pending.count(), { timeout: 10_000 }).toBe(0);
  });

  it('refuses requests without the token, with a foreign Origin or Host (403)', async () => {
    const url = new URL(ui.url);
    const token = url.searchParams.get('token') as string;
    const api = new URL('/api/runs', url);
    expect((await fetch(api)).status).toBe(403);
    expect((await fetch(new URL('/', url))).status).toBe(403);
    expect((await fetch(api, { headers: { 'x-open-agent-token': 'wrong' } })).status).toBe(403);
    expect((await fetch(api, { headers: { 'x-open-agent-token': token } })).status).toBe(200);
    const foreign = await fetch(api, {
      headers: { 'x-open-agent-token': token, origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const otherPort = await fetch(api, {
      headers: { 'x-open-agent-token': token, origin: `http://127.0.0.1:${Number(url.port) + 1}` },
    });
    expect(otherPort.status).toBe(403);
    // A rebinding page: the browser sends its own host name. fetch() cannot change Host, so use the raw path.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: Number(url.port),
          path: '/api/runs',
          headers: { host: 'evil.example', 'x-open-agent-token': token },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    // In the browser, a page of another origin cannot read the API either (the request is refused).
    const headers = (await fetch(api, { headers: { 'x-open-agent-token': token } })).headers;
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never shows the canary API key: not in a page, an API response or the event stream', async () => {
    const token = new URL(ui.url).searchParams.get('token') as string;
    const auth = { 'x-open-agent-token': token };
    const base = new URL(ui.url);
    for (const path of ['/', '/app.js', '/app.css', '/api/runs', '/api/agents', '/api/interruptions']) {
      const text = await (await fetch(new URL(path, base), { headers: auth })).text();
      bodies.push(text);
    }
    const sessions = JSON.parse(bodies.find((b) => b.startsWith('{"sessions"')) ?? '{"sessions":[]}') as {
      sessions: { id: string }[];
    };
    for (const s of sessions.sessions)
      bodies.push(await (await fetch(new URL(`/api/sessions/${s.id}`, base), { headers: auth })).text());
    bodies.push(await page.content());
    const events = await page.evaluate(() => (window as unknown as { recorded: string[] }).recorded);
    expect(events.some((e) => e.includes('"text_delta"'))).toBe(true);
    expect(events.some((e) => e.includes('"interrupted"'))).toBe(true);
    bodies.push(...events);
    expect(bodies.length).toBeGreaterThan(10);
    for (const body of bodies) expect(body).not.toContain(CANARY);
    // The key did reach the model server (it is the key the chats use), so its absence above means something.
    const sent = model.requests.map((r) => r.headers.authorization ?? '');
    expect(sent.some((h) => h.includes(CANARY))).toBe(true);
    expect(existsSync(join(dir, 'sessions'))).toBe(true);
    const files = ui.output();
    expect(files.stdout + files.stderr).not.toContain(CANARY);
  });
});
