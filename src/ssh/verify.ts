// Asks the real ssh what it makes of our alias (`ssh -G -F <file> <alias>`) and compares the
// options that keep the connection ours and verified: the proxy, the user, the host key checks
// and the key. ssh takes `~` from the password database, not $HOME, so the file is always named.

import { execFile } from 'node:child_process';

import type { HostEntry } from './hostEntry.js';
import { renderProxyCommand, type SshPlatform } from './quote.js';

export interface Conflict {
  /** The option as ssh_config(5) spells it. */
  option: string;
  expected: string;
  /** What ssh resolved; undefined when it resolved nothing. */
  actual: string | undefined;
}

export type VerifyResult =
  | { status: 'ok' }
  | { status: 'conflict'; conflicts: Conflict[]; message: string }
  | { status: 'rejected'; message: string }
  | { status: 'no-ssh'; message: string };

export interface VerifyOptions {
  platform?: SshPlatform;
  /** The ssh client to ask; `ssh` on PATH by default. */
  sshPath?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export async function verifyWithSsh(
  configPath: string,
  entry: HostEntry,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const ssh = options.sshPath ?? 'ssh';
  const run = await runSshG(ssh, configPath, entry.alias, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  if (run.kind === 'missing') {
    return {
      status: 'no-ssh',
      message: `'${ssh}' was not found, so '${configPath}' is unchecked.`,
    };
  }
  if (run.kind === 'failed') return { status: 'rejected', message: rejected(configPath, run.why) };

  const platform = options.platform ?? (process.platform === 'win32' ? 'win32' : 'posix');
  const conflicts = compare(parseDump(run.stdout), entry, platform);
  if (conflicts.length === 0) return { status: 'ok' };
  return { status: 'conflict', conflicts, message: conflictMessage(configPath, entry, conflicts) };
}

/** `ssh -G` output: one `key value` line per option, keys lowercase; repeated keys kept. */
export function parseDump(stdout: string): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^(\S+) (.*)$/.exec(line);
    if (!match) continue;
    const key = match[1].toLowerCase();
    options.set(key, [...(options.get(key) ?? []), match[2]]);
  }
  return options;
}

function compare(dump: Map<string, string[]>, entry: HostEntry, platform: SshPlatform) {
  const first = (key: string) => dump.get(key)?.[0];
  const checks: [string, string, string | undefined, boolean?][] = [
    ['ProxyCommand', renderProxyCommand(entry.proxyCommand, platform), first('proxycommand')],
    ['ProxyJump', 'none', first('proxyjump') ?? 'none'],
    ['HostName', entry.alias, first('hostname')],
    ['User', entry.user, first('user')],
    ['HostKeyAlias', entry.alias, first('hostkeyalias')],
    ['StrictHostKeyChecking', 'true', first('stricthostkeychecking')],
    ['IdentitiesOnly', 'yes', first('identitiesonly')],
    ['IdentityFile', entry.identityFile, first('identityfile'), true],
    ['UserKnownHostsFile', entry.knownHostsFile, first('userknownhostsfile'), true],
  ];
  return checks
    .filter(([, expected, actual, isPath]) => !matches(expected, actual, isPath ?? false))
    .map(([option, expected, actual]) => ({ option, expected, actual }));
}

function matches(expected: string, actual: string | undefined, isPath: boolean): boolean {
  if (actual === undefined) return false;
  if (!isPath) return actual === expected;

  // ssh prints some paths with `%%` still escaped; userknownhostsfile lists every file.
  const norm = (path: string) => path.replace(/%%/g, '%').replace(/\\/g, '/');
  const want = norm(expected);
  const got = norm(actual);
  return got === want || got.startsWith(`${want} `);
}

function conflictMessage(configPath: string, entry: HostEntry, conflicts: Conflict[]): string {
  const details = conflicts
    .map((c) => `${c.option} is '${c.actual ?? '(unset)'}' instead of '${c.expected}'`)
    .join('; ');
  return (
    `ssh does not use our settings for '${entry.alias}' in '${configPath}': ${details}. ` +
    `A line that ssh reads before the ecs-remote-ssh block sets them. Move that line below ` +
    `the block, or write the entry again to put the block back at the top.`
  );
}

function rejected(configPath: string, why: string): string {
  if (why.includes('\\357\\273\\277')) {
    return (
      `ssh could not read '${configPath}': it starts with a byte order mark (BOM), which ` +
      'OpenSSH does not accept. Save the file as UTF-8 without BOM.'
    );
  }
  return `ssh could not read '${configPath}': ${why}. Fix that line; until then ssh cannot use it.`;
}

type SshRun =
  { kind: 'ok'; stdout: string } | { kind: 'missing' } | { kind: 'failed'; why: string };

function runSshG(ssh: string, configPath: string, alias: string, timeout: number) {
  const args = ['-G', '-F', configPath, alias];
  return new Promise<SshRun>((resolve) => {
    const child = execFile(ssh, args, { timeout, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ kind: 'ok', stdout });
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ kind: 'missing' });
      if (error.killed) return resolve({ kind: 'failed', why: `ssh -G ran over ${timeout} ms` });
      resolve({ kind: 'failed', why: firstError(stderr) ?? `ssh -G exited with ${error.code}` });
    });
    child.stdin?.end();
  });
}

function firstError(stderr: string): string | undefined {
  return stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('Pseudo-terminal will not be allocated'));
}
