// The same editor suite as test/editor-host.test.ts, in VS Code desktop through
// @vscode/test-electron. Nothing can download VS Code here, so it runs only when
// ECS_REMOTE_VSCODE_EXECUTABLE names an installed VS Code executable, and says it was skipped
// otherwise.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { runTests } from '@vscode/test-electron';

import { buildEditorSuite, STANDIN_EXTENSION } from './editor/buildSuite.js';
import { editorFixture } from './editor/fixture.js';
import { requireBundles, ROOT, runProcess, sshArgs } from './support/e2e.js';

const EXECUTABLE = process.env.ECS_REMOTE_VSCODE_EXECUTABLE;
const SKIPPED =
  'skipped: ECS_REMOTE_VSCODE_EXECUTABLE is not set (name a VS Code executable to run the editor suite in VS Code desktop)';

test(
  'the editor suite passes in VS Code desktop, and ssh -F reaches the container it connected to',
  { skip: EXECUTABLE ? false : SKIPPED },
  async () => {
    requireBundles();
    const suite = await buildEditorSuite();
    const fixture = await editorFixture(true);
    try {
      const userData = join(fixture.dir, 'user-data');
      mkdirSync(join(userData, 'User'), { recursive: true });
      writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(fixture.settings));
      await runTests({
        vscodeExecutablePath: EXECUTABLE,
        extensionDevelopmentPath: [ROOT, STANDIN_EXTENSION],
        extensionTestsPath: suite,
        extensionTestsEnv: fixture.env,
        launchArgs: [
          ...['--user-data-dir', userData, '--extensions-dir', join(fixture.dir, 'extensions')],
          ...['--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
        ],
      });

      const { alias } = JSON.parse(readFileSync(fixture.report, 'utf8')) as { alias: string };
      const run = await runProcess(
        'ssh',
        [...sshArgs(fixture.sshConfig), alias, 'id -un'],
        fixture.emulator.endpoint,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.toString(), 'root\n');
    } finally {
      await fixture.close();
    }
  },
);
