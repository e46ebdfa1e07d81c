// Adds, updates and removes our Host entries in an ssh config file. Each change is made under
// the lock, from a fresh read, and written atomically; a file that changed under us between read
// and rename (an editor saving it) is read again rather than overwritten.

import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { readState, replaceFile, resolveTarget, ensurePrivateDir } from './atomicFile.js';
import { SshConfigError } from './errors.js';
import { renderHostSection } from './hostBlock.js';
import type { HostEntry } from './hostEntry.js';
import { withLock, type LockOptions } from './lock.js';
import type { SshPlatform } from './quote.js';
import { locateBlock, removeSection, upsertSections } from './splice.js';

export interface DebugLog {
  debug(message: string): void;
}

export interface WriteOptions {
  platform?: SshPlatform;
  lock?: LockOptions;
  log?: DebugLog;
}

export interface WriteResult {
  /** The file written: the config path with symlinks followed. */
  path: string;
  changed: boolean;
  created: boolean;
}

export interface ManagedHost {
  alias: string;
  /** Option name as written (HostName, User, ProxyCommand, ...) to its value. */
  options: Record<string, string>;
}

const MAX_ATTEMPTS = 3;
/** ssh-config's LineType.DIRECTIVE; the enum itself is only reachable through import(). */
const DIRECTIVE = 1;

export function defaultConfigPath(): string {
  return join(homedir(), '.ssh', 'config');
}

export function hostPlatform(): SshPlatform {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

/** Adds or replaces (by alias) one Host section per entry in our block. */
export async function writeHostBlock(
  configPath: string,
  entries: readonly HostEntry[],
  options: WriteOptions = {},
): Promise<WriteResult> {
  const platform = options.platform ?? hostPlatform();
  const sections = entries.map((entry) => renderHostSection(entry, platform));
  const aliases = sections.map((section) => section.alias).join(', ');
  return editConfig(configPath, options, `upsert ${aliases}`, (text, name) =>
    upsertSections(text, sections, name),
  );
}

/** Removes one alias; the whole block (and nothing else) goes when it was the last one. */
export async function removeHost(
  configPath: string,
  alias: string,
  options: WriteOptions = {},
): Promise<WriteResult> {
  const target = await resolveTarget(configPath);
  if (!(await readState(target)).bytes) return { path: target, changed: false, created: false };

  return editConfig(configPath, options, `remove ${alias}`, (text, name) =>
    removeSection(text, alias, name),
  );
}

/** Our entries as ssh-config reads them, for listing; the file is never changed. */
export async function readManagedHosts(configPath: string): Promise<ManagedHost[]> {
  const state = await readState(await resolveTarget(configPath));
  if (!state.bytes) return [];

  const found = locateBlock(state.bytes.toString('latin1'), configPath);
  const text = (found?.sections ?? []).flatMap((section) => section.lines).join('\n');
  // ssh-config ships as an ES module; this file is CommonJS, so it is loaded on demand.
  const { default: SSHConfig } = await import('ssh-config');
  return [...SSHConfig.parse(text)]
    .filter((line) => line.type === SSHConfig.DIRECTIVE && 'config' in line)
    .map((section) => ({ alias: valueText(section), options: optionsOf(section) }));
}

type Transform = (text: string, fileName: string) => string;

async function editConfig(
  configPath: string,
  options: WriteOptions,
  what: string,
  transform: Transform,
): Promise<WriteResult> {
  const target = await resolveTarget(configPath);
  await ensurePrivateDir(dirname(target));

  const result = await withLock(
    `${target}.ecs-remote-ssh.lock`,
    () => applyOnce(target, (text) => transform(text, configPath)),
    options.lock,
  );
  options.log?.debug(
    `ssh config '${target}': ${what}: ${result.changed ? 'written' : 'already up to date'}` +
      (result.created ? ' (file created, mode 600)' : ''),
  );
  return result;
}

async function applyOnce(
  target: string,
  transform: (text: string) => string,
): Promise<WriteResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await readState(target);
    const before = state.bytes?.toString('latin1') ?? '';
    const after = transform(before);
    if (after === before) return { path: target, changed: false, created: false };

    const now = await readState(target);
    if (!sameBytes(now.bytes, state.bytes)) continue;

    await replaceFile(state, Buffer.from(after, 'latin1'));
    return { path: target, changed: true, created: state.bytes === undefined };
  }
  throw new SshConfigError(
    'CONFIG_CHANGED',
    `'${target}' kept changing while ecs-remote-ssh tried to update it, so it was left as it ` +
      'is. Save or close it in your editor and try again.',
  );
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.equals(b);
}

type Line = import('ssh-config', { with: { 'resolution-mode': 'import' } }).Line;

function optionsOf(section: Line): Record<string, string> {
  const options: Record<string, string> = {};
  if (!('config' in section)) return options;
  for (const line of section.config) {
    if (line.type === DIRECTIVE) options[line.param] = valueText(line);
  }
  return options;
}

function valueText(line: Line): string {
  if (line.type !== DIRECTIVE) return '';
  const { value } = line;
  if (typeof value === 'string') return value;
  return value.map((part) => (part.quoted ? `"${part.val}"` : part.val)).join(' ');
}
