// The sshd bootstrap script, run the way the agent runs it (the command split into arguments,
// no shell added) inside real emulated containers: under dash and busybox sh, idempotent, keys
// of several users side by side, and a coded result line for each way it cannot work.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';

import {
  BOOTSTRAP_COMMAND_LIMIT,
  bootstrapScript,
  buildBootstrapCommand,
  parseBootstrapResult,
} from '../src/bootstrap/bootstrapCommand.js';
import type { Container } from './containers/container.js';
import { sh, startForTest } from './containers/for-tests.js';
import { collect } from './containers/host.js';
import { splitArgv } from './emulator/argv-split.js';

const KEY_A =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA alice@laptop';
const KEY_B =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB bob's key";

const started: Container[] = [];

after(async () => {
  await Promise.all(started.map((container) => container.stop()));
});

async function container(image: 'sshd' | 'apt-local' | 'offline'): Promise<Container> {
  const c = await startForTest(image);
  started.push(c);
  return c;
}

async function bootstrap(c: Container, publicKey = KEY_A, shell: string[] = []) {
  const argv = splitArgv(buildBootstrapCommand({ port: 52222, publicKey, loginUser: 'root' }));
  if (shell.length > 0) argv.splice(0, 1, ...shell);
  const run = await collect(c.run(argv, {}));
  return { ...run, result: parseBootstrapResult(run.stdout) };
}

test('the command fits its StartSession parameter budget and passes shellcheck', (t) => {
  const command = buildBootstrapCommand({ port: 52222, publicKey: KEY_B, loginUser: 'root' });
  const bytes = Buffer.byteLength(command);
  t.diagnostic(`bootstrap command: ${bytes} bytes (limit ${BOOTSTRAP_COMMAND_LIMIT})`);
  assert.ok(bytes < BOOTSTRAP_COMMAND_LIMIT);
  assert.equal(splitArgv(command)[5], KEY_B, 'the key survives the agent-style split');

  let shellcheck: string;
  try {
    shellcheck = execFileSync('shellcheck', ['-s', 'sh', '-'], {
      input: bootstrapScript(),
      encoding: 'utf8',
    });
  } catch (error) {
    const e = error as { code?: string; stdout?: string };
    if (e.code === 'ENOENT')
      assert.fail('shellcheck is not installed: apt-get install -y shellcheck');
    assert.fail(`shellcheck found problems:\n${e.stdout}`);
  }
  assert.equal(shellcheck, '');
});

test('apt-local: installs sshd offline, then takes the fast path; keys of two users coexist', async () => {
  const c = await container('apt-local');
  const first = await bootstrap(c, KEY_A);
  assert.equal(first.code, 0, first.stdout);
  assert.ok(first.result?.ok);
  assert.deepEqual(first.result.actions, ['installed', 'hostkey', 'key', 'started']);
  assert.match(first.result.hostKey, /^ssh-ed25519 [A-Za-z0-9+/=]+$/);

  const second = await bootstrap(c, KEY_B);
  assert.ok(second.result?.ok);
  assert.deepEqual(second.result.actions, ['key', 'reused']);
  assert.equal(second.result.hostKey, first.result.hostKey, 'the host key is generated once');

  const again = await bootstrap(c, KEY_A);
  assert.ok(again.result?.ok);
  assert.deepEqual(again.result.actions, ['reused']);
  const keys = await sh(c, 'cat /var/lib/ecs-remote-ssh/authorized_keys');
  assert.equal(keys.stdout, `${KEY_A}\n${KEY_B}\n`);
  const listening = await sh(c, 'grep -c ":CBFE 00000000:0000 0A" /proc/net/tcp');
  assert.equal(listening.stdout.trim(), '1', 'sshd listens on 127.0.0.1:52222 only');
  const bound = await sh(c, 'grep ":CBFE 00000000:0000 0A" /proc/net/tcp');
  assert.match(bound.stdout, /0100007F:CBFE/);
});

test('a dead sshd is started again without reinstalling', async () => {
  const c = await container('sshd');
  assert.ok((await bootstrap(c)).result?.ok);
  await sh(c, 'kill "$(cat /var/lib/ecs-remote-ssh/sshd.pid)"; sleep 0.3');
  const after = await bootstrap(c);
  assert.ok(after.result?.ok);
  assert.deepEqual(after.result.actions, ['started']);
});

test('busybox sh runs the script too', async () => {
  const c = await container('sshd');
  const binary = readFileSync('/usr/bin/busybox');
  const copy = c.exec(
    ['/bin/sh', '-c', 'cat > /usr/local/bin/busybox && chmod 755 /usr/local/bin/busybox'],
    {
      stdin: binary,
    },
  );
  assert.equal((await collect(copy)).code, 0);
  const run = await bootstrap(c, KEY_A, ['/usr/local/bin/busybox', 'sh']);
  assert.equal(run.result?.ok, true, run.stdout);
});

test('offline image: NO_NETWORK, quickly, no hang', async () => {
  const c = await container('offline');
  const run = await bootstrap(c);
  assert.equal(run.code, 1);
  assert.deepEqual(run.result && !run.result.ok && run.result.code, 'NO_NETWORK');
});

test('another package manager: UNSUPPORTED_PACKAGE_MANAGER; none at all: NO_PACKAGE_MANAGER', async () => {
  const c = await container('offline');
  await sh(
    c,
    'mv /usr/bin/apt-get /usr/bin/apt-get.off && printf "#!/bin/sh\\nexit 1\\n" > /usr/local/bin/apk && chmod 755 /usr/local/bin/apk',
  );
  const apk = await bootstrap(c);
  assert.equal(apk.result && !apk.result.ok && apk.result.code, 'UNSUPPORTED_PACKAGE_MANAGER');
  assert.match(apk.stdout, /installing it with apk is not supported yet/);

  await sh(c, 'rm /usr/local/bin/apk');
  const none = await bootstrap(c);
  assert.equal(none.result && !none.result.ok && none.result.code, 'NO_PACKAGE_MANAGER');
});

test('a login user that does not exist: USER_NOT_FOUND before anything is installed', async () => {
  const c = await container('offline');
  const argv = splitArgv(
    buildBootstrapCommand({ port: 52222, publicKey: KEY_A, loginUser: 'nobody2' }),
  );
  const run = await collect(c.run(argv, {}));
  const result = parseBootstrapResult(run.stdout);
  assert.equal(result && !result.ok && result.code, 'USER_NOT_FOUND');
});

test('a port held by another process: PORT_IN_USE, and the other process keeps it', async () => {
  const c = await container('sshd');
  const other = await sh(
    c,
    'mkdir -p /run/sshd && /usr/sbin/sshd -o Port=52222 -o ListenAddress=127.0.0.1 -o PidFile=/run/other.pid',
  );
  assert.equal(other.code, 0, other.stderr);
  const run = await bootstrap(c);
  assert.equal(run.result && !run.result.ok && run.result.code, 'PORT_IN_USE');
  const still = await sh(c, 'kill -0 "$(cat /run/other.pid)"');
  assert.equal(still.code, 0, 'the other process still runs');
});

test('a useradd user (locked "!") gets "*"; a passwd -l lock is refused with ACCOUNT_LOCKED', async () => {
  const c = await container('sshd');
  await sh(c, 'useradd -m app');
  const argv = splitArgv(
    buildBootstrapCommand({ port: 52222, publicKey: KEY_A, loginUser: 'app' }),
  );
  const result = parseBootstrapResult((await collect(c.run(argv, {}))).stdout);
  assert.ok(result?.ok);
  assert.ok(result.actions.includes('unlocked'));
  assert.equal((await sh(c, 'grep "^app:" /etc/shadow | cut -d: -f2')).stdout, '*\n');
  await sh(c, 'useradd -m locked && echo locked:secret | chpasswd && passwd -l locked');
  const argv2 = splitArgv(
    buildBootstrapCommand({ port: 52222, publicKey: KEY_A, loginUser: 'locked' }),
  );
  const refused = parseBootstrapResult((await collect(c.run(argv2, {}))).stdout);
  assert.equal(refused && !refused.ok && refused.code, 'ACCOUNT_LOCKED');
  assert.match((await sh(c, 'grep "^locked:" /etc/shadow | cut -d: -f2')).stdout, /^!\$/);
});

test('a stale pid file never makes the bootstrap signal another process', async () => {
  const c = await container('sshd');
  assert.ok((await bootstrap(c)).result?.ok);
  await sh(c, 'kill -9 "$(cat /var/lib/ecs-remote-ssh/sshd.pid)"; sleep 0.2');
  await sh(
    c,
    'setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > /var/lib/ecs-remote-ssh/sshd.pid',
  );
  const victim = (await sh(c, 'cat /var/lib/ecs-remote-ssh/sshd.pid')).stdout.trim();
  const run = await bootstrap(c);
  assert.ok(run.result?.ok, run.stdout);
  assert.equal((await sh(c, `kill -0 ${victim}`)).code, 0, 'the unrelated process still runs');
});

test('an empty host key left by a full disk is generated again', async () => {
  const c = await container('sshd');
  const first = await bootstrap(c);
  assert.ok(first.result?.ok);
  await sh(c, ': > /var/lib/ecs-remote-ssh/ssh_host_ed25519_key.pub');
  const again = await bootstrap(c);
  assert.ok(again.result?.ok, again.stdout);
  assert.ok(again.result.actions.includes('hostkey'));
  assert.notEqual(again.result.hostKey, first.result.hostKey);
});

test('three bootstraps at once take turns: all succeed and one sshd serves them', async () => {
  const c = await container('apt-local');
  const runs = await Promise.all([KEY_A, KEY_B, KEY_A].map((key) => bootstrap(c, key)));
  for (const run of runs) assert.equal(run.result?.ok, true, run.stdout);
  const installs = runs.filter((run) => run.result?.ok && run.result.actions.includes('installed'));
  assert.equal(installs.length, 1, 'apt ran once');
  const daemons = await sh(
    c,
    'for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline; echo; done | grep -c "^sshd: .*ecs-remote-ssh/sshd_config"',
  );
  assert.equal(daemons.stdout.trim(), '1');
});

test('key comments with backslashes are stored byte for byte', async () => {
  const c = await container('sshd');
  const key =
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC CORP\\cathy\\n@laptop';
  assert.ok((await bootstrap(c, key)).result?.ok);
  const again = await bootstrap(c, key);
  assert.deepEqual(again.result?.ok && again.result.actions, ['reused']);
  assert.equal((await sh(c, 'cat /var/lib/ecs-remote-ssh/authorized_keys')).stdout, `${key}\n`);
});
