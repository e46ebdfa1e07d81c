// Emulated ECS containers at work: only loopback, the image's root filesystem, private pid and
// mount namespaces, offline apt, a detached sshd reached by dial, exec, restart. Needs root,
// debootstrap and dpkg-dev (see test/containers/preflight.ts); without them every test fails
// with the fix, none is skipped.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { after, test } from 'node:test';

import type { Container } from './containers/container.js';
import { ourNamespaces, sh, startForTest } from './containers/for-tests.js';
import { collect, run } from './containers/host.js';
import { stopAllContainers } from './containers/registry.js';

const start = startForTest;

after(async () => {
  await stopAllContainers();
  assert.deepEqual(await ourNamespaces(), []);
});

/** A port nothing on the host listens on right now. */
async function freeHostPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Starts sshd detached inside, as a bootstrap would, and waits until it accepts dials. */
async function startSshd(container: Container, port: number): Promise<Socket> {
  const daemon = `mkdir -p /run/sshd && setsid -f /usr/sbin/sshd -D -p ${port} \
    -o ListenAddress=127.0.0.1 </dev/null >/dev/null 2>&1`;
  const result = await sh(container, daemon);
  assert.equal(result.code, 0, result.stderr);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await container.dial(port);
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function firstLine(socket: Socket): Promise<string> {
  let text = '';
  for await (const chunk of socket) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  socket.destroy();
  return text.split('\r\n')[0];
}

test('a container has only loopback and its servers are unreachable from the host', async () => {
  const container = await start('sshd');
  const port = await freeHostPort();

  const banner = await firstLine(await startSshd(container, port));
  const links = await run('ip', ['-n', container.netns, '-o', 'link', 'show']);
  const addresses = await run('ip', ['-n', container.netns, '-o', 'addr', 'show']);
  const fromHost = connect({ host: '127.0.0.1', port });
  const [hostError] = (await once(fromHost, 'error')) as [NodeJS.ErrnoException];

  assert.match(banner, /^SSH-2\.0-OpenSSH_9\.2/);
  assert.deepEqual(
    links
      .trim()
      .split('\n')
      .map((line) => line.split(':')[1].trim()),
    ['lo'],
  );
  assert.deepEqual(
    addresses
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/).slice(1, 4).join(' ')),
    ['lo inet 127.0.0.1/8', 'lo inet6 ::1/128'],
  );
  assert.equal(hostError.code, 'ECONNREFUSED');
});

test('a process inside sees the image, its hostname and its own pid namespace', async () => {
  const container = await start('offline');

  const result = await sh(
    container,
    'grep CODENAME /etc/os-release; cat /usr/sbin/policy-rc.d; hostname; echo "pid $$"; ' +
      'tr "\\0" " " < /proc/1/cmdline; echo; ls /proc | grep -c "^[0-9]"',
  );
  const lines = result.stdout.split('\n');

  assert.equal(result.code, 0, result.stderr);
  assert.equal(lines[0], 'VERSION_CODENAME=bookworm');
  assert.match(result.stdout, /Emulated ECS container: package scripts never start daemons/);
  assert.ok(lines.includes('test-offline'));
  assert.match(result.stdout, /^\/bin\/sh -c echo ready; while/m);
  const pid = Number(/^pid (\d+)$/m.exec(result.stdout)?.[1]);
  const processCount = Number(lines.at(-2));
  assert.ok(pid > 1 && pid < 100, `shell pid ${pid} should be small in a fresh namespace`);
  assert.ok(processCount <= 5, `only the container's processes are visible, saw ${processCount}`);
});

test('apt-get install openssh-server succeeds with no network in the apt-local image', async () => {
  const container = await start('apt-local');
  const apt = { DEBIAN_FRONTEND: 'noninteractive' };

  const before = await sh(container, 'command -v sshd || echo absent');
  const update = await sh(container, 'apt-get update', apt);
  const install = await sh(container, 'apt-get install -y openssh-server', apt);
  const after = await sh(container, "dpkg-query -W -f='${Status}' openssh-server; echo; sshd -V");

  assert.equal(before.stdout.trim(), 'absent');
  assert.equal(update.code, 0, update.stderr);
  assert.equal(install.code, 0, install.stderr);
  assert.match(after.stdout, /^install ok installed$/m);
  assert.match(after.stderr, /^OpenSSH_9\.2/);
});

test('apt-get fails at once with a clear error in the offline image', async () => {
  const container = await start('offline');
  const apt = { DEBIAN_FRONTEND: 'noninteractive' };

  const install = await sh(container, 'apt-get install -y openssh-server', apt);
  const update = await sh(container, 'apt-get -o Acquire::Retries=0 update', apt);
  const installAfterUpdate = await sh(container, 'apt-get install -y openssh-server', apt);

  assert.equal(install.code, 100);
  assert.match(install.stderr, /E: Package 'openssh-server' has no installation candidate/);
  assert.match(update.stdout + update.stderr, /Failed to fetch http.*Temporary failure resolving/);
  assert.equal(installAfterUpdate.code, 100);
});

test('a detached sshd outlives the exec that started it and answers dial', async () => {
  const container = await start('sshd');
  const port = await freeHostPort();

  const banner = await firstLine(await startSshd(container, port));
  const ps = await sh(container, 'ps -o ppid=,args= -C sshd');

  assert.match(banner, /^SSH-2\.0-OpenSSH_9\.2/);
  assert.match(ps.stdout, new RegExp(`^\\s*1 sshd: /usr/sbin/sshd -D -p ${port}`, 'm'));
});

test('dial to a closed port rejects with connection refused', async () => {
  const container = await start('sshd');

  await assert.rejects(container.dial('2'), {
    code: 'ECONNREFUSED',
    message: 'dial tcp 127.0.0.1:2: connect: connection refused',
  });
});

test('run starts argv in the given directory and kill() stops the command inside', async () => {
  const container = await start('sshd');

  const pwd = await collect(container.run(['pwd'], { cwd: '/etc/ssh' }));
  const sleeper = container.run(['sleep', '1000'], {});
  await waitForProcess(container, 'sleep 1000');
  sleeper.kill('SIGTERM');
  const [, signal] = (await once(sleeper, 'exit')) as [number | null, string | null];
  const after = await processes(container);

  assert.equal(pwd.stdout, '/etc/ssh\n');
  assert.equal(signal, 'SIGTERM');
  assert.ok(!after.includes('sleep 1000'), `still running: ${after.join(', ')}`);
});

test('run mirrors spawn errors: a missing program emits ENOENT, a missing cwd throws', async () => {
  const container = await start('offline');

  const missing = container.run(['sshd'], {});
  const [error] = (await once(missing, 'error')) as [NodeJS.ErrnoException];

  assert.equal(error.code, 'ENOENT');
  assert.throws(() => container.run(['ls'], { cwd: '/nonexistent' }), {
    message: 'chdir /nonexistent: no such file or directory',
  });
});

test('restart kills every process, keeps the filesystem unless asked, new runtime id', async () => {
  const container = await start('sshd');
  await sh(container, 'echo kept > /root/marker; setsid -f sleep 1000 </dev/null >/dev/null 2>&1');
  const firstRuntimeId = container.runtimeId;

  await container.restart();
  const afterRestart = await sh(container, 'cat /root/marker; pgrep -c sleep');
  await container.restart({ resetFilesystem: true });
  const afterReset = await sh(container, 'cat /root/marker 2>&1 || true');

  assert.notEqual(container.runtimeId, firstRuntimeId);
  assert.equal(afterRestart.stdout, 'kept\n1\n', 'only init sleeps after a restart');
  assert.match(afterReset.stdout, /No such file or directory/);
});

/** The command lines of every process in the container. */
async function processes(container: Container): Promise<string[]> {
  const ps = await collect(container.exec(['ps', '-e', '-o', 'args=']));
  return ps.stdout.split('\n').map((line) => line.trim());
}

async function waitForProcess(container: Container, args: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await processes(container)).includes(args)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no process '${args}' appeared`);
}
