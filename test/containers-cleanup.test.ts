// Emulated ECS containers leave nothing behind: not after stop(), not when their process is
// interrupted mid-way, and after a SIGKILL nothing that cleanupStale() does not remove.
// Needs root, debootstrap and dpkg-dev (see test/containers/preflight.ts); without them every
// test fails with the fix, none is skipped.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { ourNamespaces, sh, startForTest } from './containers/for-tests.js';
import { run, waitGone } from './containers/host.js';
import { leftoversOf, NOTHING } from './containers/leftovers.js';
import { stopAllContainers } from './containers/registry.js';
import { cleanupStale } from './containers/stale.js';

after(async () => {
  await stopAllContainers();
  assert.deepEqual(await ourNamespaces(), []);
});

test('stop leaves no namespace, mount, process or directory behind, and is idempotent', async () => {
  const container = await startForTest('sshd');
  const sshd = 'mkdir -p /run/sshd && /usr/sbin/sshd -p 2022 -o ListenAddress=127.0.0.1';
  assert.equal((await sh(container, sshd)).code, 0);
  (await container.dial(2022)).destroy();
  const pids = (await run('ip', ['netns', 'pids', container.netns])).split('\n').filter(Boolean);

  await container.stop();
  await container.stop();

  assert.ok(pids.length >= 3, `init, sshd and the dial relay were running: ${pids}`);
  assert.deepEqual(leftoversOf(container.id, container.stateDir, pids.map(Number)), NOTHING);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`a process that gets ${signal} mid-way removes its containers on the way out`, async () => {
    await startForTest('sshd').then((container) => container.stop());
    const { child, made } = await holdContainer();

    child.kill(signal);
    const [code, gotSignal] = (await once(child, 'exit')) as [number | null, string | null];
    await waitGone(made.pids);

    assert.ok(gotSignal === signal || code !== 0, `exited with ${gotSignal ?? code}`);
    assert.deepEqual(leftoversOf(made.id, made.stateDir, made.pids), NOTHING);
  });
}

test('after a SIGKILL the processes die with their owner and cleanupStale removes the rest', async () => {
  await startForTest('sshd').then((container) => container.stop());
  const { child, made } = await holdContainer();

  child.kill('SIGKILL');
  await once(child, 'exit');
  const gone = await waitGone(made.pids);
  const leftBehind = leftoversOf(made.id, made.stateDir);
  const removed = cleanupStale();

  assert.ok(gone, `processes outlived their owner: ${made.pids}`);
  assert.deepEqual(leftBehind.namespaces, [made.id], 'the namespace stays until cleanupStale');
  assert.ok(removed.includes(`network namespace ${made.id}`), removed.join(', '));
  assert.ok(removed.includes(`container state ${made.id}`), removed.join(', '));
  assert.deepEqual(leftoversOf(made.id, made.stateDir, made.pids), NOTHING);
});

interface Made {
  id: string;
  stateDir: string;
  pids: number[];
}

/** Runs the fixture that starts a container and waits; returns it and what it made. */
async function holdContainer() {
  const fixture = join(__dirname, 'containers', 'fixtures', 'hold-container.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let line = '';
  for await (const chunk of child.stdout) {
    line += chunk.toString();
    if (line.includes('\n')) break;
  }
  assert.ok(line.includes('\n'), 'the fixture printed what it made');
  return { child, made: JSON.parse(line) as Made };
}
