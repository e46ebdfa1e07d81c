// A lock file beside the config, created with O_EXCL, so writers on this machine take turns.
// A lock whose holder died (same host, pid gone) or that is older than any write can take is
// stale and gets broken; breaking renames it aside first, so two breakers cannot both win.

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';

import { SshConfigError } from './errors.js';

export interface LockOptions {
  /** How long to wait for another writer before giving up. */
  waitMs?: number;
  /** A lock older than this is stale whoever holds it. */
  staleMs?: number;
}

const DEFAULT_WAIT_MS = 15_000;
const DEFAULT_STALE_MS = 60_000;

/** Runs `work` while holding `<lockPath>`; always releases it. */
export async function withLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const token = `${process.pid}@${hostname()} ${randomBytes(8).toString('hex')}\n`;
  await acquire(lockPath, token, options);
  try {
    return await work();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, token: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, token)) return;
    if (await breakIfStale(lockPath, options.staleMs ?? DEFAULT_STALE_MS)) continue;
    if (Date.now() > deadline) throw lockTimeout(lockPath);
    await sleep(Math.min(5 + attempt * 5, 50) + Math.random() * 10);
  }
}

async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  try {
    const handle = await fs.open(lockPath, 'wx', 0o600);
    try {
      await handle.writeFile(token);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
}

async function breakIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  const seen = await readLock(lockPath);
  if (seen === undefined) return true;
  if (!isStale(seen.token, seen.mtimeMs, staleMs)) return false;

  const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return true;
    throw error;
  }
  const taken = await fs.readFile(aside, 'utf8').catch(() => '');
  if (taken !== seen.token) await fs.link(aside, lockPath).catch(() => undefined);
  await fs.rm(aside, { force: true });
  return true;
}

async function readLock(lockPath: string) {
  try {
    const [token, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    return { token, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function isStale(token: string, mtimeMs: number, staleMs: number): boolean {
  if (Date.now() - mtimeMs > staleMs) return true;

  const match = /^(\d+)@(\S+) /.exec(token);
  if (!match) return false;
  return match[2] === hostname() && !processAlive(Number(match[1]));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH');
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const current = await fs.readFile(lockPath, 'utf8').catch(() => undefined);
  if (current === token) await fs.rm(lockPath, { force: true });
}

function lockTimeout(lockPath: string): SshConfigError {
  return new SshConfigError(
    'LOCK_TIMEOUT',
    `Another process has held the lock '${lockPath}' for too long, so the ssh config was not ` +
      'changed. If no ecs-ssh or VS Code window is writing it, delete that file and try again.',
  );
}

export function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
