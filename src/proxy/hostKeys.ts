// Our managed known_hosts file. The proxy writes the container's host key, received over the
// authenticated Session Manager channel, under the Host block's HostKeyAlias before ssh reads
// the file; ssh then checks it with StrictHostKeyChecking yes. Other aliases' lines are kept.

import {
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export interface HostKeyChange {
  /** The key line that was there before, if any. */
  previous?: string;
  /** The task id recorded with the previous key. */
  previousTaskId?: string;
  changed: boolean;
}

const TASK_MARK = '# ecs-remote-ssh task ';

/** Records `alias keytype base64` for the alias, with the task it came from. */
export function pinHostKey(
  file: string,
  alias: string,
  hostKey: string,
  taskId: string,
): HostKeyChange {
  const lines = readLines(file);
  const kept: string[] = [];
  let previous: string | undefined;
  let previousTaskId: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(TASK_MARK) && lines[i + 1]?.split(' ')[0] === alias) {
      previousTaskId = line.slice(TASK_MARK.length).split(' ')[0];
      continue;
    }
    if (line.split(' ')[0] === alias) {
      previous = line.split(' ').slice(1, 3).join(' ');
      continue;
    }
    if (line !== '') kept.push(line);
  }
  kept.push(`${TASK_MARK}${taskId} ${alias}`, `${alias} ${hostKey}`);
  writeAtomically(file, kept.join('\n') + '\n');
  return { previous, previousTaskId, changed: previous !== undefined && previous !== hostKey };
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function writeAtomically(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  const fd = openSync(temp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, file);
}
