// Regenerates docs/images/dashboard-timeline.png and docs/images/dashboard-chat.png from the browser
// test's scenario (test/ui/scenario.mjs): a real run written to a session, `open-agent ui` (the built CLI),
// headless Chromium from the Debian package. Run after `npm run build`: `node scripts/screenshots.mjs`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  chromiumPath,
  SESSION_ID,
  startChatModel,
  startUi,
  writeConfig,
  writeFinishedSession,
} from '../test/ui/scenario.mjs';

const out = new URL('../docs/images/', import.meta.url);
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'oa-ui-shots-'));
const model = await startChatModel();
let ui;
let browser;
try {
  await writeFinishedSession(join(dir, 'sessions'));
  writeConfig(join(dir, 'cwd'), model.baseUrl);
  ui = await startUi({ cwd: join(dir, 'cwd'), sessionsDir: join(dir, 'sessions'), baseUrl: model.baseUrl });
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  await page.goto(ui.url);
  await page.locator(`[data-testid="run-row"][data-id="${SESSION_ID}"]`).click();
  await page.locator('[data-testid="step"]').nth(2).click();
  await page.locator('[data-testid="step-detail"]').waitFor();
  await page.screenshot({ path: new URL('dashboard-timeline.png', out).pathname });

  await page.getByRole('tab', { name: 'Chat' }).click();
  await page.locator('#chat-input').fill('Say hello');
  await page.keyboard.press('Enter');
  await page.getByText('Hello from the scripted model.').waitFor({ timeout: 10_000 });
  await page.getByText('run completed').waitFor({ timeout: 10_000 }); // the session takes the next message
  await page.locator('#chat-input').fill('Write a note');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="pending"]').waitFor({ timeout: 10_000 });
  await page.screenshot({ path: new URL('dashboard-chat.png', out).pathname });
  console.log('wrote docs/images/dashboard-timeline.png and docs/images/dashboard-chat.png');
} finally {
  await browser?.close();
  await ui?.stop();
  await model.close();
  rmSync(dir, { recursive: true, force: true });
}
