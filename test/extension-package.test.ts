// What `npm run package` puts into the .vsix (vsce's own listing, through .vscodeignore's
// allowlist): the bundles, the manifest, the README and media; never the emulator, tests,
// sources or source maps.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { ROOT } from './support/e2e.js';

test('the .vsix holds the bundles, manifest, README and media, and nothing else', async () => {
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [vsce, 'ls', '--no-dependencies'],
    {
      cwd: ROOT,
    },
  );
  const files = stdout.trim().split('\n').sort();
  assert.deepEqual(files, [
    'README.md',
    'dist/cli.js',
    'dist/extension.js',
    'dist/proxy.js',
    'media/ecs-remote.svg',
    'media/ecs-tree.png',
    'package.json',
  ]);
});
