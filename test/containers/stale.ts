// Removes what crashed earlier runs left behind: network namespaces, processes, state and
// partial image directories whose names say they belong to a process that no longer exists.
// Only names of our own form (ecsr-<pid>-<n>, *.partial.<pid>, *.lock.<pid>) are touched.

import { readdirSync, readlinkSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { isAlive, killQuietly, runQuietly, waitGoneSync } from './host.js';
import { lockOwner } from './lock.js';
import { containersDir, imagesDir, ownerOf } from './paths.js';

/** Cleans up leftovers of dead runs; returns what it removed. */
export function cleanupStale(): string[] {
  return [...staleNamespaces(), ...staleStateDirs(), ...staleBuilds()];
}

function isDeadOwner(name: string): boolean {
  const owner = ownerOf(name);
  return owner !== undefined && !isAlive(owner);
}

function staleNamespaces(): string[] {
  const names = runQuietly('ip', ['netns', 'list']).split('\n');
  const stale = names.map((line) => line.split(' ')[0]).filter(isDeadOwner);
  for (const name of stale) {
    const pids = runQuietly('ip', ['netns', 'pids', name]).split('\n').filter(Boolean);
    pids.forEach((pid) => killQuietly(Number(pid)));
    waitGoneSync(pids.map(Number));
    runQuietly('ip', ['netns', 'delete', name]);
  }
  return stale.map((name) => `network namespace ${name}`);
}

function staleStateDirs(): string[] {
  const stale = listDir(containersDir()).filter(isDeadOwner);
  for (const name of stale) {
    const dir = join(containersDir(), name);
    const pids = processesRootedIn(dir);
    pids.forEach((pid) => killQuietly(pid));
    waitGoneSync(pids);
    mountsUnder(dir).forEach((mount) => runQuietly('umount', ['--lazy', mount]));
    rmSync(dir, { recursive: true, force: true });
  }
  return stale.map((name) => `container state ${name}`);
}

function staleBuilds(): string[] {
  const leftovers = listDir(imagesDir()).filter((name) => {
    const match = /\.(partial|lock)\.(\d+)$/.exec(name);
    if (match) return !isAlive(Number(match[2]));
    if (!name.endsWith('.lock')) return false;

    const owner = lockOwner(join(imagesDir(), name));
    return owner !== undefined && !isAlive(owner);
  });
  leftovers.forEach((name) => rmSync(join(imagesDir(), name), { recursive: true, force: true }));
  return leftovers.map((name) => `image build leftover ${name}`);
}

/** Processes whose root directory is inside dir (a container init that outlived its owner). */
export function processesRootedIn(dir: string): number[] {
  return listDir('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return `${readlinkSync(`/proc/${pid}/root`)}/`.startsWith(`${dir}/`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mount) => mount.startsWith(`${dir}/`))
    .reverse();
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
