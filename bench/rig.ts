// The end-to-end rig the connect, throughput and proxy figures share: the emulator with real
// containers, a temporary ssh config with our Host blocks, and the floor, which is plain ssh
// into the same sshd through a minimal relay started inside the container's network namespace.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { run } from '../test/containers/host.js';
import { startEmulator, type Emulator, type World } from '../test/emulator/index.js';
import { CLI, sshArgs } from '../test/support/e2e.js';
import { runOk, type Finished } from './processes.js';

export interface Rig {
  emulator: Emulator;
  dir: string;
  config: string;
  close(): Promise<void>;
}

export async function startRig(world: World): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-bench-'));
  try {
    const emulator = await startEmulator({ world });
    const close = async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return { emulator, dir, config: join(dir, 'ssh_config'), close };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `ecs-ssh config`: writes the Host block for one container and returns its alias. */
export async function configure(rig: Rig, cluster: string, target: string): Promise<string> {
  const args = [CLI, 'config', target, '--cluster', cluster, '--container', 'app'];
  args.push('--region', 'eu-west-1', '--config', rig.config);
  args.push('--state-dir', join(rig.dir, 'state'));
  const done = await runOk(process.execPath, args, rig.emulator.endpoint);
  return done.stdout.toString().trim();
}

export interface SshOptions {
  /** Replaces the Host block's ProxyCommand for this run. */
  proxyCommand?: string;
  timeoutMs?: number;
}

/** Runs `ssh` (or `scp`) with only our config; `args` follow the options. */
export async function runSsh(
  rig: Rig,
  program: 'ssh' | 'scp',
  args: string[],
  options: SshOptions = {},
): Promise<Finished> {
  const override = options.proxyCommand ? ['-o', `ProxyCommand=${options.proxyCommand}`] : [];
  const argv = [...sshArgs(rig.config), ...override, ...args];
  return runOk(program, argv, rig.emulator.endpoint, options.timeoutMs ?? 120_000);
}

/** The ProxyCommand our Host block for `alias` holds, as written (shell words). */
export function proxyCommandOf(rig: Rig, alias: string): string {
  const text = readFileSync(rig.config, 'utf8');
  const block = text.split(/^Host /m).find((section) => section.startsWith(`${alias}\n`));
  const line = block && /^\s*ProxyCommand (.*)$/m.exec(block)?.[1];
  if (!line) throw new Error(`no ProxyCommand for ${alias} in ${rig.config}`);
  return line;
}

/**
 * The floor's ProxyCommand: bash's /dev/tcp inside the namespace with two `cat`s, no node, no
 * Session Manager. Everything else (config, key, host key alias, sshd) is the same as ours.
 * When ssh's side ends, the reading `cat` is killed so that sshd sees the connection close.
 */
export function floorProxyCommand(netns: string, port: number): string {
  const relay = [
    `exec 3<>/dev/tcp/127.0.0.1/${port}`,
    'cat <&3 2>/dev/null & reader=$!',
    'trap "kill $reader 2>/dev/null" EXIT HUP TERM',
    'cat >&3',
  ].join('; ');
  return `ip netns exec ${netns} bash -c '${relay}'`;
}

/**
 * The network namespace of the container behind `alias`: the inode of the namespace ssh lands
 * in, matched against the namespaces this process made.
 */
export async function namespaceOf(rig: Rig, alias: string): Promise<string> {
  const done = await runSsh(rig, 'ssh', [alias, 'readlink /proc/self/ns/net']);
  const inode = /net:\[(\d+)\]/.exec(done.stdout.toString())?.[1];
  const names = (await run('ip', ['netns', 'list'])).split('\n').map((l) => l.split(' ')[0]);
  const ours = names.filter((name) => name.startsWith(`ecsr-${process.pid}-`));
  const match = ours.find((name) => String(statSync(`/run/netns/${name}`).ino) === inode);
  if (!match) throw new Error(`no namespace of ours holds ${alias} (net:[${inode}])`);
  return match;
}

/** The sshd port the proxy reported on its stderr ("sshd ready on port N"). */
export function sshdPort(stderr: string): number {
  const port = /sshd ready on port (\d+)/.exec(stderr)?.[1];
  if (!port) throw new Error(`the proxy did not report an sshd port: ${stderr}`);
  return Number(port);
}
