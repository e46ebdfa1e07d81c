// The ECS view as a person sees it, with the .vsix installed in code-server, through Debian's
// Chromium: the welcome view with no profile set, picking profiles, clicking down the tree to
// containers and a screenshot (ECS_REMOTE_SCREENSHOT names where; the README's picture was taken
// this way), the consent dialog of the first ssh config edit, and the sign-in row.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';

import type { Locator, Page } from 'playwright-core';

import { openPage, type BrowserSession } from './editor/browser.js';
import { packExtension } from './editor/buildSuite.js';
import { startCodeServer, type CodeServer } from './editor/codeServer.js';
import { editorFixture, type EditorFixture } from './editor/fixture.js';
import { BROKEN_TASK } from './editor/world.js';
import { requireBundles } from './support/e2e.js';

const SCREENSHOT = process.env.ECS_REMOTE_SCREENSHOT ?? join(tmpdir(), 'ecs-remote-tree.png');
let fixture: EditorFixture;
let server: CodeServer;
let browser: BrowserSession;
let page: Page;
let freshConfig: string;

before(async () => {
  requireBundles();
  fixture = await editorFixture(false);
  freshConfig = join(fixture.dir, 'fresh_ssh_config');
  const settings = {
    ...fixture.settings,
    'remote.SSH.configFile': freshConfig,
    'ecsRemote.connections': [],
  };
  const vsix = await packExtension();
  server = await startCodeServer({
    env: fixture.env,
    settings,
    testDriver: false,
    install: [vsix],
  });
  rmSync(dirname(vsix), { recursive: true, force: true });
  browser = await openPage(1200, 760);
  page = browser.page;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: server.url,
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await fixture?.close();
});

/** A row of the ECS view by its label, with its description after it. */
function row(label: string): Locator {
  return page.locator('.monaco-list-row', {
    has: page.locator('.label-name', { hasText: exact(label) }),
  });
}

function exact(label: string): RegExp {
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
}

/** Drags the sash between the side bar and the editor, so descriptions are not cut short. */
async function widenSideBar(x: number): Promise<void> {
  const sash = await page.locator('.part.sidebar').boundingBox();
  if (!sash) return;
  const edge = sash.x + sash.width;
  await page.mouse.move(edge, sash.y + 200);
  await page.mouse.down();
  await page.mouse.move(x, sash.y + 200, { steps: 5 });
  await page.mouse.up();
}

/** Chooses an item by typing it, once the quick pick shows the step whose title ends so. */
async function pick(step: string, text: string): Promise<void> {
  await page.locator('.quick-input-title', { hasText: step }).waitFor();
  const input = page.locator('.quick-input-widget input');
  await input.fill(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor();
  await input.press('Enter');
}

/** Clicks a collapsed row open and waits for a row it reveals, so the tree is settled before
 * the next click (rows move while children load). */
async function expand(target: Locator, reveals: Locator): Promise<void> {
  await target.click();
  await reveals.waitFor();
}

test('with no profile set anywhere, the welcome view offers to pick one; picking fills the tree', async () => {
  await page.goto(server.url);
  await page.locator('.activitybar a[aria-label="ECS Remote"]').click();
  const welcome = page.locator('.welcome-view-content');
  await welcome.waitFor();
  assert.match(await welcome.innerText(), /No AWS profile and region is selected/);

  await welcome.locator('.monaco-button', { hasText: 'Select AWS Profile and Region' }).click();
  await pick('profile', 'Default credential chain');
  await pick('region', 'eu-west-1');
  await row('default · eu-west-1').waitFor();
  await page
    .locator(
      '.part.sidebar .title-actions .action-label[aria-label="Select AWS Profile and Region"]',
    )
    .click();
  await pick('profile', 'expired-sso');
  await pick('region', 'eu-west-1');
  await row('expired-sso · eu-west-1').waitFor();
});

test('the ECS view clicks down to containers, with states on every row', async () => {
  await row('default · eu-west-1').waitFor();
  await row('Sign in to AWS').waitFor();
  await expand(row('demo'), row('web'));
  await expand(row('web'), row(fixture.webTaskId.slice(0, 8)));
  await expand(row(fixture.webTaskId.slice(0, 8)), row('app'));
  const execOff = page.locator('.monaco-list-row', { hasText: 'ECS Exec off' });
  await expand(row('worker'), execOff);
  await expand(row('Standalone tasks'), row(BROKEN_TASK.slice(0, 8)));
  await expand(row(BROKEN_TASK.slice(0, 8)), row('job'));
  await expand(row('empty'), row('Standalone tasks').nth(1));
  await expand(row('Standalone tasks').nth(1), row('No standalone tasks'));

  await row('app').waitFor();
  assert.match(await row('app').innerText(), /app\s*debian:bookworm · agent RUNNING/);
  assert.match(await row('job').innerText(), /job\s*alpine:3\.20 · agent STOPPED/);
  assert.match(await row('log-router').innerText(), /agent PENDING/);
  assert.match(await row('worker').innerText(), /1\/1 running/);
  assert.match(await execOff.innerText(), /RUNNING · .* · ECS Exec off/);
  assert.deepEqual(browser.blocked, [], 'the page asked for nothing beyond loopback');

  assert.match(await row('No standalone tasks').innerText(), /No standalone tasks/);
  await widenSideBar(560);
  await page.mouse.move(900, 700);
  await page.locator('.monaco-sash.hover, .monaco-sash.active').waitFor({ state: 'detached' });
  await page.screenshot({ path: SCREENSHOT });
  assert.ok(statSync(SCREENSHOT).size > 20_000, 'a screenshot with content');
});

test('Copy SSH Command asks once before editing the ssh config, naming the file, then writes it', async () => {
  await row('app').click({ button: 'right' });
  // Menus ignore a click that lands right as they open; choose the entry as a keyboard user does.
  await page.locator('.context-view .action-label', { hasText: 'Copy SSH Command' }).hover();
  await page.keyboard.press('Enter');

  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), new RegExp(`"${freshConfig}"`));
  await dialog.locator('.monaco-button', { hasText: 'Edit SSH Config' }).click();

  const alias = `ecs--default--eu-west-1--demo--task-${fixture.webTaskId}--app`;
  const clipboard = () => page.evaluate(readClipboard);
  let last = '';
  await until(
    async () => (last = await clipboard()).endsWith(alias),
    () => `copy (last: "${last}")`,
  );
  assert.equal(last, `ssh -F ${freshConfig} ${alias}`);
  assert.match(readFileSync(freshConfig, 'utf8'), new RegExp(`^Host ${alias}$`, 'm'));
  await page.locator('.notification-toast', { hasText: `Copied "ssh -F ${freshConfig}` }).waitFor();
});

test('the sign-in row runs the exact sign-in command in a terminal', async () => {
  await row('Sign in to AWS').click();
  await page
    .locator('.terminal-tab, .single-terminal-tab', { hasText: 'AWS sign-in' })
    .first()
    .waitFor();
});

test('Connect from the palette walks the quick picks, skips the one-container step, and offers to install Remote-SSH', async () => {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>ECS Remote: Connect to ECS Container');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: /Connect to ECS Container$/ })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await pick('profile and region', 'default · eu-west-1');
  await pick('cluster', 'demo');
  await pick('service or task', 'web');

  const toast = page.locator('.notification-toast', { hasText: 'Connecting needs the' });
  await toast.waitFor();
  assert.match(
    await toast.innerText(),
    /"Open Remote - SSH" extension \(jeanp413\.open-remote-ssh\)/,
  );
  await toast.locator('.monaco-button', { hasText: 'Install Open Remote - SSH' }).waitFor();
});

/** Runs in the page: the clipboard's text, or the error that kept it from being read. */
function readClipboard(): Promise<string> {
  const { navigator } = globalThis as unknown as {
    navigator: { clipboard: { readText(): Promise<string> } };
  };
  return navigator.clipboard.readText().catch((error: unknown) => String(error));
}

/** Polls a condition the page reaches on its own, for at most 30 s. */
async function until(condition: () => Promise<boolean>, what: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what()} did not happen within 30 s`);
}

after(() => {
  if (!process.env.ECS_REMOTE_SCREENSHOT && existsSync(SCREENSHOT)) rmSync(SCREENSHOT);
});
