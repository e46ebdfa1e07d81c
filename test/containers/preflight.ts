// Checks that this machine can build images and run emulated containers, and says exactly what
// to install when it cannot. Tests call it first so a missing tool fails loudly, never skips.

import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Host tools the harness runs, with the Debian package that ships each. */
const TOOLS: Record<string, string> = {
  debootstrap: 'debootstrap',
  'dpkg-scanpackages': 'dpkg-dev',
  gpgv: 'gpgv',
  ip: 'iproute2',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  setpriv: 'util-linux',
  mount: 'mount',
  chroot: 'coreutils',
};

const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export class HostNotReadyError extends Error {
  override name = 'HostNotReadyError';
}

/** Throws a HostNotReadyError naming every missing piece and the command that fixes it. */
export function checkHost(): void {
  const problems: string[] = [];
  const packages = new Set<string>();

  if (process.getuid?.() !== 0) problems.push('not running as root (namespaces need root)');
  for (const [tool, pkg] of Object.entries(TOOLS)) {
    if (findTool(tool)) continue;
    problems.push(`'${tool}' not found`);
    packages.add(pkg);
  }
  if (!existsSync(KEYRING)) {
    problems.push(`${KEYRING} missing (debootstrap verifies the mirror with it)`);
    packages.add('debian-archive-keyring');
  }
  if (!readFileSync('/proc/filesystems', 'utf8').includes('\toverlay\n')) {
    problems.push('the kernel has no overlay filesystem (modprobe overlay)');
  }
  if (problems.length === 0) return;

  const fix = packages.size ? ` Fix: apt-get install -y ${[...packages].join(' ')}.` : '';
  throw new HostNotReadyError(
    `Emulated ECS containers cannot run here: ${problems.join('; ')}.${fix}`,
  );
}

export function findTool(name: string): boolean {
  const dirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
