// End-to-end helpers: run the bundled CLI and proxy, and the real OpenSSH client, against the
// emulator, with every AWS variable pointing at it and ssh confined to test files.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { emulatorEnv } from './awsEnv.js';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const PROXY = join(ROOT, 'dist', 'proxy.js');

export function requireBundles(): void {
  for (const file of [CLI, PROXY]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run "npm run build" first (npm test does it).`);
    }
  }
}

export interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export function runProcess(
  command: string,
  args: string[],
  endpoint: string,
  options: { input?: Buffer; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: emulatorEnv(endpoint),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString() });
    });
    child.stdin.end(options.input ?? Buffer.alloc(0));
  });
}

/** ssh with only our config and no other known_hosts, never prompting. */
export function sshArgs(config: string): string[] {
  return ['-F', config, '-o', 'BatchMode=yes', '-o', 'GlobalKnownHostsFile=/dev/null'];
}
