// Bundles the editor suite for the extension host: dist/test/editorSuite.js, with `vscode` and
// `mocha` left to the host and the repository's node_modules.

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { build } from 'esbuild';

import { ROOT } from '../support/e2e.js';

export const SUITE_BUNDLE = join(ROOT, 'dist', 'test', 'editorSuite.js');
export const STANDIN_EXTENSION = join(ROOT, 'test', 'editor', 'remote-ssh-standin');

export async function buildEditorSuite(): Promise<string> {
  await build({
    entryPoints: [join(ROOT, 'test', 'editor', 'suite', 'index.ts')],
    outfile: SUITE_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return SUITE_BUNDLE;
}

/** The Remote-SSH stand-in as a .vsix in a temporary folder, packed by vsce. */
export function packStandin(): Promise<string> {
  return pack(STANDIN_EXTENSION, 'standin.vsix');
}

/** The extension as a user installs it: the .vsix of the current dist/ (the same vsce call as
 * `npm run package`, without its production rebuild), in a temporary folder. */
export function packExtension(): Promise<string> {
  return pack(ROOT, 'ecs-remote-ssh.vsix', ['--no-rewrite-relative-links']);
}

async function pack(folder: string, name: string, extra: string[] = []): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'ecs-remote-vsix-')), name);
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository'];
  args.push('--skip-license', ...extra, '--out', out);
  await promisify(execFile)(process.execPath, args, { cwd: folder });
  return out;
}
