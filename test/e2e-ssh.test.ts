// End to end: the real OpenSSH client, through the bundled proxy as ProxyCommand, over the
// emulated Session Manager, into real emulated containers (network namespaces with a Debian
// root file system) where the bootstrap installs and starts sshd.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { runCommand } from '../src/ssm/connect.js';
import { SsmSessions } from '../src/ssm/ssmSessions.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { ssmClient } from './support/awsEnv.js';
import { CLI, PROXY, requireBundles, runProcess, sshArgs } from './support/e2e.js';

const CLUSTER = 'e2e';
const container = (image: string) => ({
  name: 'app',
  image: 'debian:bookworm',
  emulatedImage: image,
});

let emulator: Emulator;
let dir: string;
let config: string;
let stateDir: string;

before(async () => {
  requireBundles();
  dir = mkdtempSync(join(tmpdir(), 'ecs-remote-e2e-'));
  config = join(dir, 'ssh_config');
  stateDir = join(dir, 'state');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'proxy_key')]);
  emulator = await startEmulator({
    world: {
      targets: {},
      ecs: {
        clusters: [
          {
            name: CLUSTER,
            services: [{ name: 'web', taskDefinition: 'web:1', enableExecuteCommand: true }],
            tasks: [
              {
                service: 'web',
                taskDefinition: 'web:1',
                enableExecuteCommand: true,
                containers: [container('apt-local') as never],
              },
              {
                id: 'a'.repeat(32),
                taskDefinition: 'tools:1',
                enableExecuteCommand: true,
                containers: [container('sshd') as never],
              },
              {
                id: 'b'.repeat(32),
                taskDefinition: 'tools:1',
                enableExecuteCommand: false,
                containers: [container('sshd') as never],
              },
              {
                id: 'c'.repeat(32),
                taskDefinition: 'tools:1',
                enableExecuteCommand: true,
                containers: [
                  {
                    name: 'app',
                    execAgent: 'STOPPED',
                    execAgentReason: 'ExecuteCommandAgent process exited with exit code: 1',
                  },
                ],
              },
              {
                id: 'd'.repeat(32),
                taskDefinition: 'tools:1',
                enableExecuteCommand: true,
                containers: [container('offline') as never],
              },
              {
                id: 'f'.repeat(32),
                taskDefinition: 'tools:1',
                enableExecuteCommand: true,
                containers: [container('sshd') as never],
              },
              {
                id: 'e'.repeat(32),
                taskDefinition: 'tools:1',
                enableExecuteCommand: true,
                containers: [container('sshd') as never],
              },
            ],
          },
        ],
      },
    },
  });
});

after(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function configure(target: string): Promise<string> {
  const args = [CLI, 'config', target, '--cluster', CLUSTER, '--container', 'app'];
  args.push('--region', 'eu-west-1', '--config', config, '--state-dir', stateDir);
  const run = await runProcess(process.execPath, args, emulator.endpoint);
  assert.equal(run.code, 0, run.stderr);
  return run.stdout.toString().trim();
}

function ssh(alias: string, ...command: string[]) {
  return runProcess('ssh', [...sshArgs(config), alias, ...command], emulator.endpoint);
}

let serviceAlias = '';

test('the first connect installs sshd with apt offline; the second takes the fast path', async () => {
  serviceAlias = await configure('service/web');
  assert.match(serviceAlias, /^ecs--default--eu-west-1--e2e--service-web--app$/);

  const first = await ssh(serviceAlias, 'cat /etc/os-release; id -un');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout.toString(), /VERSION_CODENAME=bookworm/);
  assert.match(first.stdout.toString(), /\nroot\n$/);
  assert.match(first.stderr, /sshd ready on port \d+ \(installed,/);

  const second = await ssh(serviceAlias, 'id -un');
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout.toString(), 'root\n');
  assert.match(second.stderr, /sshd ready on port \d+ \(reused\)/);
  assert.doesNotMatch(second.stderr, /installed/);
});

test('20 MiB by scp in both directions arrives with equal SHA-256', async () => {
  const alias = await configure(`task/${'a'.repeat(32)}`);
  const upload = join(dir, 'upload.bin');
  const download = join(dir, 'download.bin');
  const bytes = randomBytes(20 * 1024 * 1024);
  writeFileSync(upload, bytes);
  const digest = createHash('sha256').update(bytes).digest('hex');

  const put = await runProcess(
    'scp',
    [...sshArgs(config), upload, `${alias}:/tmp/payload`],
    emulator.endpoint,
  );
  assert.equal(put.code, 0, put.stderr);
  const remote = await ssh(alias, 'sha256sum /tmp/payload');
  assert.equal(remote.stdout.toString().split(' ')[0], digest);
  const get = await runProcess(
    'scp',
    [...sshArgs(config), `${alias}:/tmp/payload`, download],
    emulator.endpoint,
  );
  assert.equal(get.code, 0, get.stderr);
  assert.equal(createHash('sha256').update(readFileSync(download)).digest('hex'), digest);
});

test('after the service task is replaced, the service alias reaches the new task with strict checking', async () => {
  const old = emulator.ecs?.state
    .tasksOf(CLUSTER)
    .find((t) => t.spec.service === 'web' && t.spec.lastStatus !== 'STOPPED');
  const fresh = await emulator.ecs?.replaceServiceTask(CLUSTER, 'web');
  assert.ok(old && fresh && old.id !== fresh.id);

  const run = await ssh(serviceAlias, 'id -un');
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`task ${fresh.id}`));
  assert.match(run.stderr, new RegExp(`task ${old.id} was replaced by ${fresh.id}`));
  const pinned = readFileSync(join(stateDir, 'known_hosts'), 'utf8');
  assert.equal(pinned.split('\n').filter((line) => line.startsWith(`${serviceAlias} `)).length, 1);
});

test('a non-root user added with useradd logs in with the key', async () => {
  const task = emulator.ecs?.state.findTask(CLUSTER, 'a'.repeat(32));
  const target = `ecs:${CLUSTER}_${task?.id}_${task?.containers[0].runtimeId}`;
  const sessions = new SsmSessions(ssmClient(emulator.endpoint));
  await runCommand(sessions, target, 'useradd -m app');
  const args = [
    CLI,
    'config',
    `task/${'a'.repeat(32)}`,
    '--cluster',
    CLUSTER,
    '--container',
    'app',
  ];
  args.push('--user', 'app', '--region', 'eu-west-1', '--config', config, '--state-dir', stateDir);
  const configured = await runProcess(process.execPath, args, emulator.endpoint);
  assert.equal(configured.code, 0, configured.stderr);
  const run = await ssh(configured.stdout.toString().trim(), 'id -un');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.toString(), 'app\n');
});

async function proxyFailure(target: string) {
  const publicKey = join(dir, 'proxy_key.pub');
  const args = [PROXY, '--region', 'eu-west-1', '--cluster', CLUSTER, '--target', target];
  args.push('--container', 'app', '--public-key', publicKey, '--known-hosts', join(dir, 'kh'));
  args.push('--host-key-alias', 'failure-case');
  const run = await runProcess(process.execPath, args, emulator.endpoint);
  assert.notEqual(run.code, 0, 'the proxy failed');
  assert.equal(run.stdout.length, 0, 'nothing reached stdout');
  const errors = run.stderr.split('\n').filter((line) => /\] error: /.test(line));
  assert.equal(errors.length, 1, `one error line: ${run.stderr}`);
  return errors[0];
}

test('a pinned task that stopped: one clear line, nothing on stdout', async () => {
  await emulator.ecs?.stopTask(CLUSTER, 'e'.repeat(32));
  assert.match(await proxyFailure('e'.repeat(32)), /TASK_NOT_RUNNING: Task "e+" is STOPPED/);
});

test('ECS Exec off: one clear line that names the fix', async () => {
  assert.match(
    await proxyFailure('b'.repeat(32)),
    /EXEC_DISABLED: ECS Exec is off on task "b+".* Fix: Run the task again with ECS Exec on/,
  );
});

test('exec agent not running: one clear line with the agent status and reason', async () => {
  assert.match(
    await proxyFailure('c'.repeat(32)),
    /AGENT_STOPPED: .* is STOPPED \(ExecuteCommandAgent process exited.* Fix: Likely causes/,
  );
});

test('AccessDenied on StartSession: one clear line naming the permission', async () => {
  emulator.world.denyStartSession = true;
  try {
    assert.match(
      await proxyFailure('a'.repeat(32)),
      /START_SESSION_DENIED: Session Manager refused your ssm:StartSession on container "app" of task "a{32}" \(AccessDenied\)\. Fix: Allow your identity ssm:StartSession/,
    );
  } finally {
    emulator.world.denyStartSession = false;
  }
});

test('no package source in the container: one clear line, quickly', async () => {
  assert.match(await proxyFailure('d'.repeat(32)), /BOOTSTRAP_NO_NETWORK: .*no outbound internet/);
});

test('an image without a shell: one clear line that says so', async () => {
  const task = emulator.ecs?.state.findTask(CLUSTER, 'f'.repeat(32));
  const target = `ecs:${CLUSTER}_${task?.id}_${task?.containers[0].runtimeId}`;
  const sessions = new SsmSessions(ssmClient(emulator.endpoint));
  const moved = await runCommand(sessions, target, 'mv /usr/bin/sh /usr/bin/sh.gone');
  assert.equal(moved.stdout.toString(), '');
  assert.match(
    await proxyFailure('f'.repeat(32)),
    /BOOTSTRAP_NO_SHELL: .*this image has no shell \(\/bin\/sh\).* Fix: Use a debug variant/,
  );
});
