// The editor suite (test/editor/suite/) inside a real VS Code extension host: code-server's,
// driven by Debian's Chromium. Then the real ssh on the Host block Connect wrote reaches the
// container, and the extension's log holds none of the secrets it handled.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';

import { openPage, type BrowserSession } from './editor/browser.js';
import { buildEditorSuite, packStandin } from './editor/buildSuite.js';
import { startCodeServer, type CodeServer } from './editor/codeServer.js';
import { editorFixture, FAKE_SESSION_TOKEN, type EditorFixture } from './editor/fixture.js';
import { runSuite } from './editor/runInCodeServer.js';
import { FAKE_SECRET_KEY } from './support/awsEnv.js';
import { requireBundles, ROOT, runProcess, sshArgs } from './support/e2e.js';

let fixture: EditorFixture;
let server: CodeServer;
let browser: BrowserSession;
let suite: string;

before(async () => {
  requireBundles();
  suite = await buildEditorSuite();
  fixture = await editorFixture(true);
  const standin = await packStandin();
  server = await startCodeServer({
    env: fixture.env,
    settings: fixture.settings,
    testDriver: true,
    install: [standin],
  });
  rmSync(dirname(standin), { recursive: true, force: true });
  browser = await openPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await fixture?.close();
});

test("the editor suite passes inside code-server's extension host", async () => {
  const result = await runSuite(browser.page, server, [ROOT], suite);
  assert.equal(result.code, 0, result.log.join('\n'));
  assert.deepEqual(browser.blocked, [], 'the page asked for nothing beyond loopback');
});

test('ssh -F on the config Connect wrote reaches the container', async () => {
  const { alias } = JSON.parse(readFileSync(fixture.report, 'utf8')) as { alias: string };
  const args = [...sshArgs(fixture.sshConfig), alias, 'cat /etc/os-release; id -un'];
  const run = await runProcess('ssh', args, fixture.emulator.endpoint);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout.toString(), /VERSION_CODENAME=bookworm/);
  assert.match(run.stdout.toString(), /\nroot\n$/);
});

test('the extension log records connects and failures but no credential, token or key', () => {
  const log = extensionLog(server.userDataDir);
  assert.match(log, /Connect to .* window opened after \d+ ms/);
  // A failed Connect is explained by the connection checks: the failed check and its fix.
  assert.match(
    log,
    /ecsRemote\.connect failed: AGENT_STOPPED: The ECS Exec agent in container "job" is STOPPED \(ExecuteCommandAgent process exited with exit code: 1\)\. Fix: Likely causes: /,
  );
  for (const secret of [FAKE_SECRET_KEY, FAKE_SESSION_TOKEN, 'PRIVATE KEY', '/v1/data-channel/']) {
    assert.ok(!log.includes(secret), `the log holds "${secret.slice(0, 12)}…"`);
  }
});

function extensionLog(userDataDir: string): string {
  const files = readdirSync(join(userDataDir, 'logs'), { recursive: true, encoding: 'utf8' });
  const ours = files.filter((file) =>
    file.endsWith(join('ecs-remote.ecs-remote-ssh', 'ECS Remote SSH.log')),
  );
  assert.ok(ours.length > 0, 'the extension wrote its log');
  return ours.map((file) => readFileSync(join(userDataDir, 'logs', file), 'utf8')).join('\n');
}
