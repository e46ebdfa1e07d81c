// Runs image build steps: debootstrap and scripts inside a root filesystem, each in its own
// private mount and pid namespace so nothing they mount or start outlives them.

import { run } from './host.js';

const BUILD_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
const ISOLATE = ['--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child=SIGKILL'];

/** Mounts what package scripts need, then runs the script in the chroot. Args: root, script. */
const CHROOT_SETUP = `set -e
root=$1
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
if [ "$3" = host ]; then
  [ -f "$root/etc/resolv.conf" ] || : > "$root/etc/resolv.conf"
  mount --bind -o ro /etc/resolv.conf "$root/etc/resolv.conf"
fi
exec chroot "$root" /bin/sh -ec "$2"`;

/** A clean environment, a parent-death signal, and the namespaces around a build command. */
function isolated(unshareArgs: string[], command: string[]): [string, string[]] {
  const env = ['env', '-i', ...BUILD_ENV, 'HOME=/root', 'LC_ALL=C'];
  const args = ['--pdeathsig', 'KILL', '--', ...env, 'unshare', ...unshareArgs, '--', ...command];
  return ['setpriv', args];
}

export function debootstrap(target: string, suite: string, mirror: string): Promise<string> {
  const command = ['debootstrap', '--variant=minbase', suite, target, mirror];
  return run(...isolated([...ISOLATE, '--mount-proc'], command));
}

/**
 * Runs a shell script inside the root filesystem. With network 'none' it gets a fresh network
 * namespace (no interface up), which proves the step needs no network.
 */
export function chrootScript(root: string, script: string, network: 'host' | 'none') {
  const namespaces = network === 'none' ? [...ISOLATE, '--net'] : ISOLATE;
  const command = ['/bin/sh', '-c', CHROOT_SETUP, 'build', root, script, network];
  return run(...isolated(namespaces, command));
}
