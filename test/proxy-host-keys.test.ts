// The managed known_hosts file: one pinned key per alias with the task it came from, other
// lines kept, symlinks written through, and concurrent proxies losing nothing.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { pinHostKey } from '../src/proxy/hostKeys.js';

const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-hostkeys-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const key = (n: number) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${String(n).padStart(43, 'A')}`;

test('pins per alias, reports a replaced task and a changed key of the same task', async () => {
  const file = join(dir, 'known_hosts');
  writeFileSync(file, 'other-host ssh-rsa AAAAB3Nza\n');
  assert.deepEqual(await pinHostKey(file, 'ecs--a', key(1), 'task1'), {
    previous: undefined,
    previousTaskId: undefined,
    changed: false,
  });
  const replaced = await pinHostKey(file, 'ecs--a', key(2), 'task2');
  assert.deepEqual(replaced, { previous: key(1), previousTaskId: 'task1', changed: true });
  const same = await pinHostKey(file, 'ecs--a', key(2), 'task2');
  assert.equal(same.changed, false);

  const text = readFileSync(file, 'utf8');
  assert.equal(
    text,
    `other-host ssh-rsa AAAAB3Nza\n# ecs-remote-ssh task task2 ecs--a\necs--a ${key(2)}\n`,
  );
});

test('twenty proxies pinning at once lose no alias', async () => {
  const file = join(dir, 'concurrent');
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => pinHostKey(file, `ecs--alias-${i}`, key(i), `t${i}`)),
  );
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  assert.equal(lines.length, 40);
  for (let i = 0; i < 20; i++) assert.ok(lines.includes(`ecs--alias-${i} ${key(i)}`));
});

test('a symlinked known_hosts is written through to its target', async () => {
  const target = join(dir, 'real_known_hosts');
  const link = join(dir, 'link_known_hosts');
  writeFileSync(target, '');
  symlinkSync(target, link);
  await pinHostKey(link, 'ecs--b', key(3), 'task3');
  assert.match(readFileSync(target, 'utf8'), /^# ecs-remote-ssh task task3 ecs--b\necs--b /);
});
