// A cross-process lock on a directory name, so two test processes never build the same image at
// once. The owner's pid is inside; a lock whose owner died is taken over.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { isAlive } from './host.js';

export async function withLock<T>(lock: string, action: () => Promise<T>): Promise<T> {
  let announced = false;
  while (!tryLock(lock)) {
    if (!announced) process.stderr.write(`waiting for another process holding ${lock}\n`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    return await action();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Creates the lock with its owner file in one rename; clears it when its owner is gone. */
function tryLock(lock: string): boolean {
  const staging = `${lock}.${process.pid}`;
  mkdirSync(dirname(lock), { recursive: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'owner'), String(process.pid));
  try {
    renameSync(staging, lock);
    return true;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!['EEXIST', 'ENOTEMPTY'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }

  const owner = lockOwner(lock);
  if (owner !== undefined && !isAlive(owner)) rmSync(lock, { recursive: true, force: true });
  return false;
}

export function lockOwner(lock: string): number | undefined {
  try {
    return Number(readFileSync(join(lock, 'owner'), 'utf8')) || undefined;
  } catch {
    return undefined;
  }
}
