// The container images: where their mirror comes from, that a changed recipe changes the cache
// key, and what each built image holds. Building needs root, debootstrap and dpkg-dev; without
// them the image tests fail with the fix (see test/containers/preflight.ts), none is skipped.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import {
  bookwormSources,
  debootstrapMirror,
  parseDeb822,
  parseOneLine,
  renderSourcesList,
} from './containers/apt-sources.js';
import { ensureImage, type Image } from './containers/images.js';
import { checkHost } from './containers/preflight.js';
import { imagePlan, LOCAL_REPOSITORY, planKey, type ImageName } from './containers/recipes.js';

const DEB822 = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main contrib

Enabled: no
Types: deb
URIs: http://mirror.invalid/debian
Suites: bookworm

Types: deb
URIs: https://deb.nodesource.com/node_20.x
Suites: nodistro
Components: main
`;

test('deb822 sources: deb entries only, comments and disabled stanzas ignored', () => {
  assert.deepEqual(parseDeb822(DEB822), [
    {
      uri: 'http://deb.debian.org/debian',
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main'],
    },
    {
      uri: 'http://deb.debian.org/debian-security',
      suites: ['bookworm-security'],
      components: ['main', 'contrib'],
    },
    { uri: 'https://deb.nodesource.com/node_20.x', suites: ['nodistro'], components: ['main'] },
  ]);
});

test('one-line sources: options in brackets and deb-src lines are skipped', () => {
  const text = [
    '# deb http://commented.invalid/debian bookworm main',
    'deb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian bookworm main non-free',
    'deb-src http://ftp.de.debian.org/debian bookworm main',
    'deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main',
  ].join('\n');

  assert.deepEqual(parseOneLine(text), [
    {
      uri: 'http://ftp.de.debian.org/debian',
      suites: ['bookworm'],
      components: ['main', 'non-free'],
    },
    {
      uri: 'https://packages.cloud.google.com/apt',
      suites: ['cloud-sdk-bookworm'],
      components: ['main'],
    },
  ]);
});

test('the image mirror is the source serving bookworm; other repositories stay out', () => {
  const sources = [...parseDeb822(DEB822), ...parseOneLine('deb http://x.invalid/apt sid main')];

  assert.equal(debootstrapMirror(sources), 'http://deb.debian.org/debian');
  assert.equal(
    renderSourcesList(bookwormSources(sources)),
    'deb http://deb.debian.org/debian bookworm main\n' +
      'deb http://deb.debian.org/debian bookworm-updates main\n' +
      'deb http://deb.debian.org/debian-security bookworm-security main contrib\n',
  );
  assert.throws(() => debootstrapMirror(parseOneLine('deb http://x.invalid/apt sid main')), {
    message: /No apt source of this machine serves Debian 'bookworm'/,
  });
});

test('the cache key changes with the mirror, the sources and every step', () => {
  const sources = bookwormSources(parseDeb822(DEB822));
  const key = (plan = imagePlan('sshd', 'http://a.invalid/debian', sources)) => planKey(plan);
  const changedStep = imagePlan('sshd', 'http://a.invalid/debian', sources);
  const exitZero = '#!/bin/sh\nexit 0\n';
  changedStep.steps[0] = {
    kind: 'write',
    path: '/usr/sbin/policy-rc.d',
    content: exitZero,
    mode: 0o755,
  };

  assert.equal(key(), key());
  assert.notEqual(key(), key(imagePlan('sshd', 'http://b.invalid/debian', sources)));
  assert.notEqual(key(), key(imagePlan('sshd', 'http://a.invalid/debian', sources.slice(1))));
  assert.notEqual(key(), key(imagePlan('offline', 'http://a.invalid/debian', sources)));
  assert.notEqual(key(), key(changedStep));
});

async function image(name: ImageName): Promise<Image> {
  checkHost();
  return ensureImage(name);
}

function read(image: Image, path: string): string {
  return readFileSync(join(image.rootfs, path), 'utf8');
}

test('every image refuses to start daemons and has no name server', async () => {
  for (const name of ['sshd', 'apt-local', 'offline'] as const) {
    const built = await image(name);

    assert.match(read(built, 'usr/sbin/policy-rc.d'), /^#!\/bin\/sh\n[^]*\nexit 101\n$/);
    assert.doesNotMatch(read(built, 'etc/resolv.conf'), /nameserver/);
    assert.match(read(built, 'etc/os-release'), /VERSION_CODENAME=bookworm/);
  }
});

test('sshd image: openssh-server installed, apt pointing at the machine mirror', async () => {
  const built = await image('sshd');

  assert.ok(existsSync(join(built.rootfs, 'usr/sbin/sshd')));
  assert.ok(existsSync(join(built.rootfs, 'usr/bin/ssh-keygen')));
  assert.match(read(built, 'etc/apt/sources.list'), /^deb http\S+ bookworm main$/m);
});

test('apt-local image: no sshd, apt pointing only at a local repository of openssh-server', async () => {
  const built = await image('apt-local');
  const packages = read(built, `${LOCAL_REPOSITORY}/Packages`);

  assert.ok(!existsSync(join(built.rootfs, 'usr/sbin/sshd')));
  assert.equal(read(built, 'etc/apt/sources.list'), '');
  assert.equal(
    read(built, 'etc/apt/sources.list.d/local.list'),
    `deb [trusted=yes] file:${LOCAL_REPOSITORY} ./\n`,
  );
  assert.match(packages, /^Package: openssh-server$/m);
  assert.match(packages, /^Package: openssh-client$/m);
  assert.match(packages, /^Filename: \.\/openssh-server_\S+\.deb$/m);
});

test('offline image: no sshd, apt pointing at the mirror with no package lists', async () => {
  const built = await image('offline');

  assert.ok(!existsSync(join(built.rootfs, 'usr/sbin/sshd')));
  assert.match(read(built, 'etc/apt/sources.list'), /^deb http\S+ bookworm main$/m);
  const lists = readdirSync(join(built.rootfs, 'var/lib/apt/lists'));
  assert.deepEqual(
    lists.filter((name) => !['lock', 'partial', 'auxfiles'].includes(name)),
    [],
  );
});
