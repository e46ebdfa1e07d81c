// Child processes for the benchmark, timed from spawn to exit, with every AWS variable aimed at
// the emulator: the per-service endpoints, and AWS_ENDPOINT_URL for any other service, so that
// nothing the product might call can reach a real endpoint.

import { spawn } from 'node:child_process';

import { emulatorEnv } from '../test/support/awsEnv.js';
import { now, since } from './stats.js';

export interface Finished {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  /** Milliseconds from spawn until the process exited and its output was read. */
  ms: number;
}

export function benchEnv(endpoint: string): Record<string, string> {
  return { ...emulatorEnv(endpoint), AWS_ENDPOINT_URL: endpoint };
}

/** Runs a program to its end (killed after `timeoutMs`); a non-zero exit is returned, not thrown. */
export function runTimed(
  command: string,
  args: string[],
  endpoint: string,
  timeoutMs = 120_000,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(command, args, {
      env: benchEnv(endpoint),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = since(started);
      resolve({
        code,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString(),
        ms,
      });
    });
  });
}

/** Like runTimed, but a failure throws with the program's stderr. */
export async function runOk(
  command: string,
  args: string[],
  endpoint: string,
  timeoutMs?: number,
): Promise<Finished> {
  const done = await runTimed(command, args, endpoint, timeoutMs);
  if (done.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${done.code}: ${done.stderr.trim()}`);
  }
  return done;
}
