// The Debian packages the demo needs on this machine: the OpenSSH client, and what emulated
// containers need (namespaces, debootstrap, a local package repository). As root with apt-get it
// installs the missing ones; otherwise it says exactly what to install.

import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

import { findTool } from '../test/containers/preflight.js';

const NEEDED: Record<string, string> = {
  ssh: 'openssh-client',
  'ssh-keygen': 'openssh-client',
  ip: 'iproute2',
  unshare: 'util-linux',
  nsenter: 'util-linux',
  debootstrap: 'debootstrap',
  'dpkg-scanpackages': 'dpkg-dev',
  gpgv: 'gpgv',
};
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export function ensureHostPackages(say: (message: string) => void): void {
  if (process.platform !== 'linux') {
    throw new Error('the demo runs emulated containers in Linux namespaces: run it on Linux.');
  }
  const missing = missingPackages();
  const root = process.getuid?.() === 0;
  if (!root) {
    const install = missing.length ? ` and install: apt-get install -y ${missing.join(' ')}` : '';
    throw new Error(
      `the demo creates network namespaces, which needs root: run it as root${install}.`,
    );
  }
  if (missing.length === 0) return;
  if (!findTool('apt-get')) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}; install them and rerun.`);
  }
  say(`installing ${missing.join(' ')} with apt-get`);
  if (!existsSync('/usr/sbin/policy-rc.d')) {
    writeFileSync('/usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}

function missingPackages(): string[] {
  const packages = new Set<string>();
  for (const [tool, pkg] of Object.entries(NEEDED)) if (!findTool(tool)) packages.add(pkg);
  if (!existsSync(KEYRING)) packages.add('debian-archive-keyring');
  return [...packages];
}
