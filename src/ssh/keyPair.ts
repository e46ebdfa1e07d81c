// The user's key pair for our hosts: an ed25519 key generated once, without a passphrase, in a
// private directory, unless the user names a key of their own. Key material is never read or
// logged here; only paths travel.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { ensurePrivateDir } from './atomicFile.js';
import { SshConfigError } from './errors.js';
import { isCode } from './lock.js';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
  /** True when this call generated the key. */
  generated: boolean;
}

export interface KeyPairOptions {
  /** Our private directory; `~/.ssh/ecs-remote-ssh` by default. */
  dir?: string;
  /** A key the user named; used as is and never generated. Its `.pub` must sit beside it. */
  identityFile?: string;
  /** The ssh-keygen to run; `ssh-keygen` on PATH by default. */
  sshKeygenPath?: string;
}

export const KEY_COMMENT = 'ecs-remote-ssh';
export const KEY_NAME = 'id_ed25519';

export function defaultStateDir(): string {
  return join(homedir(), '.ssh', 'ecs-remote-ssh');
}

export async function ensureKeyPair(options: KeyPairOptions = {}): Promise<KeyPair> {
  if (options.identityFile !== undefined) return namedKey(options.identityFile);

  const dir = options.dir ?? defaultStateDir();
  await ensurePrivateDir(dir);
  await fs.chmod(dir, 0o700);

  const privateKey = join(dir, KEY_NAME);
  const publicKey = `${privateKey}.pub`;
  if (await exists(privateKey)) {
    if (!(await exists(publicKey))) await derivePublicKey(privateKey, publicKey, options);
    return { privateKey, publicKey, generated: false };
  }
  const generated = await generate(dir, privateKey, publicKey, options);
  return { privateKey, publicKey, generated };
}

async function namedKey(privateKey: string): Promise<KeyPair> {
  const publicKey = `${privateKey}.pub`;
  if (!(await exists(privateKey))) {
    throw new SshConfigError(
      'KEY_NOT_FOUND',
      `The key '${privateKey}' you named does not exist. Create it with ` +
        `ssh-keygen -t ed25519 -f '${privateKey}', or clear the setting to use a generated key.`,
    );
  }
  if (!(await exists(publicKey))) {
    throw new SshConfigError(
      'KEY_NOT_FOUND',
      `The public key '${publicKey}' is missing beside the key you named. Write it with ` +
        `ssh-keygen -y -f '${privateKey}' > '${publicKey}', then try again.`,
    );
  }
  return { privateKey, publicKey, generated: false };
}

/**
 * Generates into a scratch directory, then links the private key into place: link fails when
 * another process got there first, and then its key is the one kept.
 */
async function generate(dir: string, privateKey: string, publicKey: string, opts: KeyPairOptions) {
  const scratch = join(dir, `.keygen-${randomBytes(6).toString('hex')}`);
  await fs.mkdir(scratch, { mode: 0o700 });
  try {
    const draft = join(scratch, KEY_NAME);
    await keygen(opts, ['-q', '-t', 'ed25519', '-N', '', '-C', KEY_COMMENT, '-f', draft]);
    try {
      await fs.link(draft, privateKey);
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
      if (!(await exists(publicKey))) await derivePublicKey(privateKey, publicKey, opts);
      return false;
    }
    await fs.rename(`${draft}.pub`, publicKey);
    return true;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

async function derivePublicKey(privateKey: string, publicKey: string, opts: KeyPairOptions) {
  const text = await keygen(opts, ['-y', '-P', '', '-f', privateKey]);
  const temp = `${publicKey}.${randomBytes(6).toString('hex')}`;
  await fs.writeFile(temp, text.trim() + '\n', { mode: 0o644 });
  await fs.rename(temp, publicKey);
}

function keygen(opts: KeyPairOptions, args: string[]): Promise<string> {
  const program = opts.sshKeygenPath ?? 'ssh-keygen';
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, { windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      const why = missing ? 'it was not found; install the OpenSSH client' : firstLine(stderr);
      reject(new SshConfigError('KEYGEN_FAILED', `Could not run '${program}': ${why}.`));
    });
    child.stdin?.end();
  });
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((line) => line.trim() !== '') ?? 'it failed without a message';
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return false;
    throw error;
  }
}
