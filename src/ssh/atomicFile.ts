// Reading and replacing one file safely: symlinks followed to the file they name, the new bytes
// written to a temporary file in the same directory, flushed, then renamed over the old one.

import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

import { isCode } from './lock.js';

const MAX_LINKS = 40;

export interface FileState {
  /** The file that holds the bytes: the path given, with every symlink followed. */
  path: string;
  /** undefined when the file does not exist yet. */
  bytes: Buffer | undefined;
  stat: Stats | undefined;
}

/** Follows symlinks one hop at a time, so a link to a file not created yet still resolves. */
export async function resolveTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_LINKS; hop++) {
    const link = await fs.readlink(current).catch((error: unknown) => {
      if (isCode(error, 'EINVAL') || isCode(error, 'ENOENT') || isCode(error, 'UNKNOWN')) {
        return undefined;
      }
      throw error;
    });
    if (link === undefined) return current;
    // A relative link is relative to the directory it really lives in: resolve that directory's
    // own links first, or `..` would climb the textual path instead.
    current = isAbsolute(link) ? link : join(await realDir(dirname(current)), link);
  }
  throw new Error(`Too many symbolic links while resolving '${path}'.`);
}

async function realDir(dir: string): Promise<string> {
  return fs.realpath(dir).catch(() => dir);
}

export async function readState(path: string): Promise<FileState> {
  try {
    const [bytes, stat] = await Promise.all([fs.readFile(path), fs.stat(path)]);
    return { path, bytes, stat };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { path, bytes: undefined, stat: undefined };
    throw error;
  }
}

/**
 * Replaces `state.path` with `bytes`, keeping the old mode and owner (0600 for a new file).
 * A missing parent directory is created 0700, as ssh wants for `~/.ssh`.
 */
export async function replaceFile(state: FileState, bytes: Buffer): Promise<void> {
  const dir = dirname(state.path);
  await ensurePrivateDir(dir);

  const mode = state.stat ? state.stat.mode & 0o7777 : 0o600;
  const temp = join(
    dir,
    `.${basename(state.path)}.ecs-remote-ssh-${randomBytes(6).toString('hex')}`,
  );
  try {
    await writeFlushed(temp, bytes, mode, state.stat);
    await fs.rename(temp, state.path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/** Creates `dir` (and parents) when missing; the directories created get mode 0700. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (created === undefined) return;

  for (let path = dir; path.length >= created.length; path = dirname(path)) {
    await fs.chmod(path, 0o700);
    if (path === created) break;
  }
}

async function writeFlushed(temp: string, bytes: Buffer, mode: number, old?: Stats) {
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    // The umask may have narrowed the mode; the owner matters to ssh ("Bad owner").
    await handle.chmod(mode);
    if (old) await handle.chown(old.uid, old.gid).catch(() => undefined);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
