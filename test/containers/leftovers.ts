// What a container can leave on the host, for tests that assert nothing is left.

import { existsSync, readFileSync } from 'node:fs';

import { isAlive, runQuietly } from './host.js';
import { processesRootedIn } from './stale.js';

export interface Leftovers {
  namespaces: string[];
  mounts: string[];
  processes: number[];
  stateDir: boolean;
}

/** Everything on the host that still mentions a container id or lives in its state dir. */
export function leftoversOf(id: string, stateDir: string, pids: number[] = []): Leftovers {
  const namespaces = runQuietly('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name === id);
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((line) => line.includes(id));
  const processes = [...new Set([...pids.filter(isAlive), ...processesRootedIn(stateDir)])];

  return { namespaces, mounts, processes, stateDir: existsSync(stateDir) };
}

export const NOTHING: Leftovers = { namespaces: [], mounts: [], processes: [], stateDir: false };
