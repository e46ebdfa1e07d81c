// The proxy launcher in global storage: a script that runs the editor's runtime as Node on the
// current dist/proxy.js with every argument intact; rewritten in place; a .cmd on Windows.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

import { installLauncher, launcherScript } from '../src/connect/launcher.js';

const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-launcher-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Stands in for dist/proxy.js: prints what it was started with.
const probe = join(dir, 'probe proxy.js');
writeFileSync(
  probe,
  'process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), electron: process.env.ELECTRON_RUN_AS_NODE }));',
);

test('the launcher runs the runtime as Node on the proxy, passing every argument unchanged', async () => {
  const storage = join(dir, "global storage with 'quote'");
  const launcher = await installLauncher({
    dir: storage,
    runtime: process.execPath,
    proxyScript: probe,
    platform: 'posix',
  });
  assert.deepEqual(launcher.args, []);
  assert.equal(statSync(launcher.command).mode & 0o777, 0o755);

  const args = ['--cluster', 'demo', '--target', 'service/web', 'a b', "it's", '$HOME'];
  const { stdout } = await promisify(execFile)(launcher.command, args);
  assert.deepEqual(JSON.parse(stdout), { argv: args, electron: '1' });
});

test('activation rewrites the launcher in place for a new runtime or extension path', async () => {
  const storage = join(dir, 'rewrite');
  const first = await installLauncher({
    dir: storage,
    runtime: '/old/code',
    proxyScript: '/old/proxy.js',
    platform: 'posix',
  });
  const second = await installLauncher({
    dir: storage,
    runtime: process.execPath,
    proxyScript: probe,
    platform: 'posix',
  });
  assert.equal(first.command, second.command, 'Host blocks keep naming the same file');
  const text = readFileSync(second.command, 'utf8');
  assert.ok(text.includes(process.execPath) && !text.includes('/old/'));
});

test('on Windows the launcher is a .cmd that sets ELECTRON_RUN_AS_NODE and passes %*', () => {
  const text = launcherScript({
    runtime: 'C:\\Program Files\\Microsoft VS Code\\Code.exe',
    proxyScript: 'C:\\Users\\me\\.vscode\\extensions\\ecs-remote\\dist\\proxy.js',
    platform: 'win32',
  });
  assert.equal(
    text,
    '@echo off\r\nrem Written by ECS Remote SSH on each activation: runs its current proxy.\r\n' +
      'set ELECTRON_RUN_AS_NODE=1\r\n' +
      '"C:\\Program Files\\Microsoft VS Code\\Code.exe" "C:\\Users\\me\\.vscode\\extensions\\ecs-remote\\dist\\proxy.js" %*\r\n',
  );
  assert.throws(
    () => launcherScript({ runtime: 'C:\\100%\\Code.exe', proxyScript: 'p.js', platform: 'win32' }),
    /cannot carry/,
  );
});
