// Starts a container's init: a process in the container's network namespace and in fresh mount,
// pid, uts and ipc namespaces, chrooted into an overlay of the image. Everything it mounts lives
// in its private mount namespace, so the mounts vanish when init dies; killing init (pid 1 of
// the pid namespace) kills every process of the container.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { hostEnv } from './host.js';

export interface InitSpec {
  netns: string;
  lower: string;
  stateDir: string;
  hostname: string;
  tmpfs: string[];
}

export interface InitProcess {
  /** The `unshare` process we spawned; it exits once init and its namespace are gone. */
  child: ChildProcess;
  /** Host pid of pid 1 of the container's pid namespace. */
  pid: number;
}

export const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs on the host side of the new namespaces. Args: lower, state dir, hostname, init, tmpfs…. */
const SETUP = `set -e
lower=$1 state=$2 root=$2/root name=$3 init=$4
shift 4
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$state/upper,workdir=$state/work" "$root"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t tmpfs -o mode=755,nosuid,size=64k tmpfs "$root/dev"
dev() { mknod -m 666 "$root/dev/$1" c "$2" "$3"; }
dev null 1 3; dev zero 1 5; dev full 1 7; dev random 1 8; dev urandom 1 9; dev tty 5 0
mkdir "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
ln -s pts/ptmx "$root/dev/ptmx"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
for dir; do
  case $dir in /tmp|/var/tmp) mode=1777 ;; *) mode=755 ;; esac
  mount -t tmpfs -o "mode=$mode,nosuid,nodev" tmpfs "$root$dir"
done
echo "$name" > /proc/sys/kernel/hostname
exec env -i PATH="${CONTAINER_PATH}" HOME=/root HOSTNAME="$name" chroot "$root" /bin/sh -c "$init"`;

/** Pid 1 inside: reaps orphans (a detached sshd's parent) by waiting, and never exits. */
const INIT = 'echo ready; while :; do sleep 2147483647 & wait $!; done';

export async function spawnInit(spec: InitSpec): Promise<InitProcess> {
  const namespaces = ['--mount', '--propagation', 'private', '--pid', '--fork', '--uts', '--ipc'];
  const setup = ['/bin/sh', '-c', SETUP, 'init', spec.lower, spec.stateDir, spec.hostname, INIT];
  const args = ['--pdeathsig', 'KILL', '--', 'nsenter', `--net=/run/netns/${spec.netns}`, '--'];
  args.push('unshare', ...namespaces, '--kill-child=SIGKILL', '--', ...setup, ...spec.tmpfs);

  const env = { PATH: hostEnv().PATH! };
  const child = spawn('setpriv', args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await readyLine(child);

  return { child, pid: onlyChild(child.pid!) };
}

/** Resolves when init prints "ready"; rejects with setup's stderr when it exits first. */
function readyLine(child: ChildProcess): Promise<void> {
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!stdout.includes('ready\n')) return;
      child.off('exit', onExit);
      child.stdout!.off('data', onData).resume();
      resolve();
    };
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`Container init failed (${signal ?? code}): ${stderr.trim()}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

/** The single child `unshare --fork` made: pid 1 of the new pid namespace. */
function onlyChild(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
  if (children.length !== 1 || !children[0]) {
    throw new Error(`Expected one init process under ${pid}, found '${children.join(' ')}'`);
  }
  return Number(children[0]);
}
