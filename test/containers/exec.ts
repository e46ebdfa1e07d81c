// Runs a command inside a container: `nsenter` into init's network, mount, pid, uts and ipc
// namespaces and its root, then exec argv directly (no shell). nsenter forks into the pid
// namespace and does not forward signals, so the child runs in its own process group and
// `kill()` signals that whole group: nsenter and the command with it.

import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, lstatSync, readlinkSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';

import { hostEnv } from './host.js';
import { CONTAINER_PATH } from './init.js';

export interface ExecOptions {
  /** Bytes to feed the command, or a stream to pipe in; stdin is closed when absent. */
  stdin?: string | Buffer | Readable;
  /** Added to the container's base environment (PATH, HOME, HOSTNAME, TERM, LANG). */
  env?: Record<string, string>;
  /** Working directory inside the container; default `/`. */
  cwd?: string;
}

const NAMESPACES = ['--net', '--mount', '--pid', '--uts', '--ipc', '--root'];

export function execInContainer(
  initPid: number,
  hostname: string,
  argv: string[],
  options: ExecOptions = {},
): ChildProcess {
  const cwd = posix.resolve('/', options.cwd ?? '/');
  const root = `/proc/${initPid}/root`;
  const env = { ...baseEnv(hostname), ...options.env };
  if (!isDirectory(root, cwd)) throw new Error(`chdir ${cwd}: no such file or directory`);
  if (!findExecutable(root, argv[0] ?? '', env.PATH, cwd)) return notFound(argv[0] ?? '');

  const args = ['--target', String(initPid), ...NAMESPACES, `--wdns=${cwd}`, '--', ...argv];
  const stdin = options.stdin === undefined ? 'ignore' : 'pipe';
  const child = spawn(nsenterPath(), args, { env, stdio: [stdin, 'pipe', 'pipe'], detached: true });
  child.kill = (signal?: NodeJS.Signals | number) => killGroup(child, signal);
  feed(child, options.stdin);
  return child;
}

let nsenter: string | undefined;

/** The host's nsenter, found once: the command's env carries the container's PATH, not ours. */
function nsenterPath(): string {
  nsenter ??= hostEnv()
    .PATH!.split(':')
    .map((dir) => join(dir, 'nsenter'))
    .find(isExecutable);
  return nsenter ?? 'nsenter';
}

function baseEnv(hostname: string): Record<string, string> {
  const terminal = { TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  return { PATH: CONTAINER_PATH, HOME: '/root', HOSTNAME: hostname, ...terminal };
}

function feed(child: ChildProcess, input: ExecOptions['stdin']): void {
  if (input === undefined || !child.stdin) return;
  child.stdin.on('error', () => undefined);
  if (typeof input === 'string' || Buffer.isBuffer(input)) child.stdin.end(input);
  else input.pipe(child.stdin);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals | number = 'SIGTERM'): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** What Node's spawn does for a missing program: a ChildProcess that emits ENOENT. */
function notFound(file: string): ChildProcess {
  const child = new ChildProcess();
  const error = Object.assign(new Error(`spawn ${file} ENOENT`), {
    code: 'ENOENT',
    errno: -2,
    syscall: `spawn ${file}`,
    path: file,
  });
  process.nextTick(() => child.emit('error', error));
  return child;
}

/** PATH search as execvp does it, but in the container's root. */
function findExecutable(root: string, file: string, path: string, cwd: string): boolean {
  if (file.includes('/')) return isExecutable(resolveInRoot(root, posix.resolve(cwd, file)));

  return path
    .split(':')
    .some((dir) => isExecutable(resolveInRoot(root, posix.resolve(cwd, dir || '.', file))));
}

function isDirectory(root: string, path: string): boolean {
  const resolved = resolveInRoot(root, posix.resolve('/', path));
  try {
    return resolved !== undefined && statSync(resolved).isDirectory();
  } catch {
    return false;
  }
}

function isExecutable(path: string | undefined): boolean {
  if (path === undefined) return false;
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The host path of an absolute container path, following symlinks as the container would
 * (absolute targets relative to its root, `..` never above it). Undefined when missing.
 */
export function resolveInRoot(root: string, path: string, hops = 0): string | undefined {
  const parts = path.split('/').filter((part) => part && part !== '.');
  const resolved: string[] = [];
  for (const [index, part] of parts.entries()) {
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const host = join(root, ...resolved, part);
    let link: string;
    try {
      if (!lstatSync(host).isSymbolicLink()) {
        resolved.push(part);
        continue;
      }
      link = readlinkSync(host);
    } catch {
      return undefined;
    }
    if (hops >= 40) return undefined;
    const rest = parts.slice(index + 1).join('/');
    const target = link.startsWith('/') ? link : `/${[...resolved, link].join('/')}`;
    return resolveInRoot(root, `${target}/${rest}`, hops + 1);
  }
  return join(root, ...resolved);
}
