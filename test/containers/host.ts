// Small process helpers for the container harness: run a host command and collect its output,
// tell whether a pid is alive, and wait without an event loop (for exit handlers).

import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Output {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Waits for a child to close and gathers what it printed. */
export function collect(child: ChildProcess): Promise<Output> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      }),
    );
  });
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment for host tools: ours, with the sbin directories on PATH and a C locale. */
export function hostEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const path = process.env.PATH ? `${SYSTEM_PATH}:${process.env.PATH}` : SYSTEM_PATH;
  return { ...process.env, PATH: path, LC_ALL: 'C', ...extra };
}

/** Runs a host command; rejects with its stderr when it fails. */
export async function run(file: string, args: string[], input?: string): Promise<string> {
  const stdin = input === undefined ? 'ignore' : 'pipe';
  const child = spawn(file, args, { env: hostEnv(), stdio: [stdin, 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin?.end(input);

  const result = await collect(child);
  if (result.code !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `${file} ${args.join(' ')} failed (${result.signal ?? result.code}): ${detail}`,
    );
  }
  return result.stdout;
}

/** Runs a host command synchronously, ignoring failures (for cleanup on the way out). */
export function runQuietly(file: string, args: string[]): string {
  const stdio: StdioOptions = ['ignore', 'pipe', 'ignore'];
  const result = spawnSync(file, args, { env: hostEnv(), stdio, encoding: 'utf8' });
  return result.stdout ?? '';
}

/** True while the pid names a process that has not exited (zombies count as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Blocks the thread; only for exit handlers, where no event loop runs. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits (blocking) until every pid has exited, up to a bound. */
export function waitGoneSync(pids: number[], boundMs = 5000): boolean {
  for (let waited = 0; waited < boundMs; waited += 10) {
    if (!pids.some(isAlive)) return true;
    sleepSync(10);
  }
  return !pids.some(isAlive);
}

/** Waits until every pid has exited, up to a bound. */
export async function waitGone(pids: number[], boundMs = 5000): Promise<boolean> {
  for (let waited = 0; waited < boundMs; waited += 10) {
    if (!pids.some(isAlive)) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return !pids.some(isAlive);
}

export function killQuietly(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
