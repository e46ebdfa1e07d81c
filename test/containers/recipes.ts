// The build recipes of the three container images, as plain data. An image's cache key is a hash
// of its whole plan (every file written and every script run), so any change rebuilds it.

import { createHash } from 'node:crypto';

import { renderSourcesList, SUITE, type AptSource } from './apt-sources.js';

export const IMAGE_NAMES = ['sshd', 'apt-local', 'offline'] as const;
export type ImageName = (typeof IMAGE_NAMES)[number];

/** Bump when the builder's handling of a plan changes what it produces. */
const BUILDER_VERSION = 1;

/** Inside the apt-local image: the flat repository holding openssh-server and its dependencies. */
export const LOCAL_REPOSITORY = '/var/local/apt-repo';

export type Step =
  | { kind: 'write'; path: string; content: string; mode: number }
  | { kind: 'chroot'; network: 'host' | 'none'; script: string }
  | { kind: 'scan-packages'; dir: string };

export interface BasePlan {
  builder: number;
  suite: string;
  variant: 'minbase';
  mirror: string;
}

export interface ImagePlan {
  name: ImageName;
  base: BasePlan;
  steps: Step[];
}

const POLICY_RC_D =
  '#!/bin/sh\n# Emulated ECS container: package scripts never start daemons.\nexit 101\n';
const NO_RESOLVER = '# Emulated ECS container: loopback only, no name server.\n';
const APT = 'DEBIAN_FRONTEND=noninteractive apt-get -q -o Acquire::Check-Valid-Until=false';

export function basePlan(mirror: string): BasePlan {
  return { builder: BUILDER_VERSION, suite: SUITE, variant: 'minbase', mirror };
}

/** What each image adds on top of the debootstrap base. */
export function imagePlan(name: ImageName, mirror: string, sources: AptSource[]): ImagePlan {
  const mirrorList = renderSourcesList(sources);
  const common: Step[] = [
    { kind: 'write', path: '/usr/sbin/policy-rc.d', content: POLICY_RC_D, mode: 0o755 },
    { kind: 'write', path: '/etc/apt/sources.list', content: mirrorList, mode: 0o644 },
  ];
  const last: Step = { kind: 'write', path: '/etc/resolv.conf', content: NO_RESOLVER, mode: 0o644 };

  return { name, base: basePlan(mirror), steps: [...common, ...STEPS[name], last] };
}

const STEPS: Record<ImageName, Step[]> = {
  sshd: [
    {
      kind: 'chroot',
      network: 'host',
      script: `${APT} update && ${APT} install -y --no-install-recommends openssh-server && ${cleanApt()}`,
    },
  ],
  'apt-local': [
    {
      kind: 'chroot',
      network: 'host',
      script: [
        `apt-get clean && ${APT} update`,
        `${APT} install -y --download-only --no-install-recommends openssh-server`,
        `mkdir -p ${LOCAL_REPOSITORY} && mv /var/cache/apt/archives/*.deb ${LOCAL_REPOSITORY}/`,
        cleanApt(),
      ].join(' && '),
    },
    { kind: 'scan-packages', dir: LOCAL_REPOSITORY },
    { kind: 'write', path: '/etc/apt/sources.list', content: '', mode: 0o644 },
    {
      kind: 'write',
      path: '/etc/apt/sources.list.d/local.list',
      content: `deb [trusted=yes] file:${LOCAL_REPOSITORY} ./\n`,
      mode: 0o644,
    },
    { kind: 'chroot', network: 'none', script: `${APT} update` },
  ],
  offline: [{ kind: 'chroot', network: 'none', script: cleanApt() }],
};

function cleanApt(): string {
  return 'apt-get clean && rm -rf /var/lib/apt/lists/*';
}

export function planKey(plan: BasePlan | ImagePlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 16);
}
