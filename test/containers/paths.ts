// Where the emulated containers keep their images and per-container state, and how their
// names are made. Every name we create starts with PREFIX and carries the owning process id,
// so a later run can tell our leftovers from anyone else's.

import { userInfo } from 'node:os';
import { join } from 'node:path';

export const PREFIX = 'ecsr-';

const OWNED_NAME = /^ecsr-(\d+)-(\d+)$/;

let counter = 0;

/** The cache root: `$ECS_REMOTE_SSH_CACHE`, else `~/.cache/ecs-remote-ssh` of the passwd home. */
export function cacheRoot(): string {
  const override = process.env.ECS_REMOTE_SSH_CACHE;
  if (override) return override;

  // The passwd home, not $HOME: tests fake $HOME and must still find the built images.
  return join(userInfo().homedir, '.cache', 'ecs-remote-ssh');
}

export function imagesDir(): string {
  return join(cacheRoot(), 'images');
}

export function containersDir(): string {
  return join(cacheRoot(), 'containers');
}

/** A fresh name for a container's namespace and state directory: `ecsr-<pid>-<n>`. */
export function newContainerId(): string {
  counter += 1;
  return `${PREFIX}${process.pid}-${counter}`;
}

/** The pid of the process that created an owned name, or undefined for names not ours. */
export function ownerOf(name: string): number | undefined {
  const match = OWNED_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}
