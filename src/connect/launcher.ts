// The proxy launcher: a small script in the extension's global storage that Host blocks name as
// their ProxyCommand. It runs the editor's own runtime (`process.execPath` with
// ELECTRON_RUN_AS_NODE=1) on the extension's current dist/proxy.js, and is rewritten on every
// activation, so updating the editor or the extension never breaks a Host block written before.

import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { ProxyLauncher, SshPlatform } from '../ssh/index.js';

export interface LauncherInput {
  /** The directory that holds the script (global storage). */
  dir: string;
  /** The runtime: `process.execPath` of the extension host. */
  runtime: string;
  /** The bundled proxy of the running extension. */
  proxyScript: string;
  platform: SshPlatform;
}

export const LAUNCHER_NAME = 'ecs-remote-proxy';

export function launcherPath(dir: string, platform: SshPlatform): string {
  return join(dir, platform === 'win32' ? `${LAUNCHER_NAME}.cmd` : LAUNCHER_NAME);
}

export function launcherScript(input: Omit<LauncherInput, 'dir'>): string {
  if (input.platform === 'win32') {
    assertCmdSafe(input.runtime);
    assertCmdSafe(input.proxyScript);
    return [
      '@echo off',
      'rem Written by ECS Remote SSH on each activation: runs its current proxy.',
      'set ELECTRON_RUN_AS_NODE=1',
      `"${input.runtime}" "${input.proxyScript}" %*`,
      '',
    ].join('\r\n');
  }
  return [
    '#!/bin/sh',
    '# Written by ECS Remote SSH on each activation: runs its current proxy.',
    `ELECTRON_RUN_AS_NODE=1 exec ${shQuote(input.runtime)} ${shQuote(input.proxyScript)} "$@"`,
    '',
  ].join('\n');
}

/** Writes the script atomically (temporary file, then rename) and returns how ssh runs it. */
export async function installLauncher(input: LauncherInput): Promise<ProxyLauncher> {
  const path = launcherPath(input.dir, input.platform);
  await mkdir(input.dir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, launcherScript(input), { mode: 0o755 });
  await chmod(temporary, 0o755);
  await rename(temporary, path);
  return { command: path, args: [] };
}

function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** cmd.exe reads `%` and `"` inside quotes; such paths cannot be written safely. */
function assertCmdSafe(path: string): void {
  if (/["%\r\n]/.test(path)) {
    throw new Error(`The path "${path}" has a character a .cmd launcher cannot carry.`);
  }
}
