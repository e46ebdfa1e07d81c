// Our managed known_hosts file. The proxy writes the container's host key, received over the
// authenticated Session Manager channel, under the Host block's HostKeyAlias before ssh reads
// the file; ssh then checks it with StrictHostKeyChecking yes. Other aliases' lines are kept,
// and proxies connecting at the same time take turns through a lock file.

import { readState, replaceFile, resolveTarget } from '../ssh/atomicFile.js';
import { withLock } from '../ssh/lock.js';

export interface HostKeyChange {
  /** The key that was pinned before, if any. */
  previous?: string;
  /** The task id recorded with the previous key. */
  previousTaskId?: string;
  changed: boolean;
}

const TASK_MARK = '# ecs-remote-ssh task ';

/** Records `alias keytype base64` for the alias, with the task it came from. */
export async function pinHostKey(
  file: string,
  alias: string,
  hostKey: string,
  taskId: string,
): Promise<HostKeyChange> {
  const path = await resolveTarget(file);
  return withLock(`${path}.lock`, async () => {
    const state = await readState(path);
    const lines = (state.bytes?.toString('utf8') ?? '').split(/\r?\n/);
    const { kept, previous, previousTaskId } = withoutAlias(lines, alias);
    kept.push(`${TASK_MARK}${taskId} ${alias}`, `${alias} ${hostKey}`);
    if (previous !== hostKey || previousTaskId !== taskId) {
      await replaceFile(state, Buffer.from(kept.join('\n') + '\n'));
    }
    return { previous, previousTaskId, changed: previous !== undefined && previous !== hostKey };
  });
}

function withoutAlias(lines: string[], alias: string) {
  const kept: string[] = [];
  let previous: string | undefined;
  let previousTaskId: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(TASK_MARK) && line.endsWith(` ${alias}`)) {
      previousTaskId = line.slice(TASK_MARK.length).split(' ')[0];
      continue;
    }
    if (line.split(' ')[0] === alias) {
      previous = line.split(' ').slice(1, 3).join(' ');
      continue;
    }
    if (line !== '') kept.push(line);
  }
  return { kept, previous, previousTaskId };
}
