// Every known cause through the two programs a person meets: `ecs-ssh doctor` (dist/cli.js)
// prints the check with its code, sentence and fix and exits 1 when it blocks; the proxy
// (dist/proxy.js) keeps stdout empty and says it in one stderr line with the fix.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import type { Emulator } from './emulator/index.js';
import { CAUSES } from './support/diagnoseCauses.js';
import {
  CLUSTER,
  CONTAINER_KEY_VALUES,
  healthyWorld,
  withEmulator,
} from './support/diagnoseWorlds.js';
import { CLI, PROXY, requireBundles, runProcess, type Run } from './support/e2e.js';
import { FAKE_SECRET_KEY } from './support/awsEnv.js';

let dir: string;

before(() => {
  requireBundles();
  dir = mkdtempSync(join(tmpdir(), 'ecs-remote-diagnose-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'key')]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function doctor(emulator: Emulator, ...args: string[]): Promise<Run> {
  const argv = [CLI, 'doctor', 'service/web', '--cluster', CLUSTER, ...args];
  return runProcess(process.execPath, argv, emulator.endpoint);
}

function proxy(emulator: Emulator, ...args: string[]): Promise<Run> {
  const argv = [PROXY, '--cluster', CLUSTER, '--target', 'service/web'];
  argv.push('--public-key', join(dir, 'key.pub'), '--known-hosts', join(dir, 'known_hosts'));
  return runProcess(
    process.execPath,
    [...argv, '--host-key-alias', 'diagnose', ...args],
    emulator.endpoint,
  );
}

/** The report as one line per check: wrapped lines joined again. */
function unwrap(text: string): string {
  return text.replace(/\n {8}/g, ' ');
}

function assertNoSecrets(...outputs: string[]): void {
  for (const output of outputs) {
    for (const secret of [FAKE_SECRET_KEY, ...CONTAINER_KEY_VALUES]) {
      assert.ok(!output.includes(secret), 'no secret is printed');
    }
  }
}

test('doctor on a healthy task: every check ok, exit status 0', async () => {
  await withEmulator(healthyWorld(), undefined, async (emulator) => {
    const run = await doctor(emulator);
    assert.equal(run.code, 0, run.stderr);
    const report = run.stdout.toString();
    assert.match(report, /^Checks for service\/web in cluster "shop"\n/);
    assert.doesNotMatch(report, /^(FAIL|WARN|\?\?\?\?) /m);
    assert.match(
      report,
      /^ok {4}sshd in the container: Container "app" has sshd at \/usr\/sbin\/sshd\.$/m,
    );
    assert.match(report, /\nNothing blocks the connection\.\n$/);
  });
});

for (const cause of CAUSES) {
  test(`${cause.code} (${cause.what}): ecs-ssh doctor names it, its fix, and exits ${cause.doctorExit}`, async () => {
    await withEmulator(cause.world(), cause.answers, async (emulator) => {
      const extra = [
        ...(cause.container ? ['--container', cause.container] : []),
        ...(cause.args ?? []),
        ...(cause.noProbe ? ['--no-probe'] : []),
      ];
      const run = await doctor(emulator, ...extra);
      assert.equal(run.code, cause.doctorExit, run.stdout.toString() + run.stderr);
      const lines = unwrap(run.stdout.toString()).split('\n');
      const head = lines.findIndex(
        (line) => line.endsWith(`[${cause.code}]`) && !line.startsWith('ok'),
      );
      assert.ok(head >= 0, `a line for ${cause.code} in:\n${run.stdout}`);
      assert.match(lines[head + 1].trim(), cause.message);
      assert.match(
        lines[head + 2].trim(),
        new RegExp(`^Fix: ${cause.fix.source.replace(/^\^/, '')}`),
      );
      assertNoSecrets(run.stdout.toString(), run.stderr);
    });
  });

  test(`${cause.code} (${cause.what}): the proxy says it in one stderr line, stdout stays empty`, async () => {
    await withEmulator(cause.world(), cause.answers, async (emulator) => {
      const extra = [
        ...(cause.container ? ['--container', cause.container] : []),
        ...(cause.args ?? []),
      ];
      const run = await proxy(emulator, ...extra);
      assert.equal(run.stdout.length, 0, 'nothing but SSH on stdout');
      const errors = run.stderr.split('\n').filter((line) => /\] error: /.test(line));
      assertNoSecrets(run.stderr);
      if (cause.proxyLine === 'error') {
        assert.equal(run.code, 1);
        assert.equal(errors.length, 1, run.stderr);
        assert.match(errors[0], cause.proxy);
        return;
      }
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(errors, []);
      assert.match(run.stderr, cause.proxy);
    });
  });
}

test('doctor --json and --markdown carry the same findings', async () => {
  const cause = CAUSES.find((c) => c.code === 'EXEC_DISABLED') ?? assert.fail('no cause');
  await withEmulator(cause.world(), undefined, async (emulator) => {
    const json = await doctor(emulator, '--json');
    assert.equal(json.code, 1);
    const results = JSON.parse(json.stdout.toString()) as { code: string; outcome: string }[];
    const exec = results.find((r) => r.code === 'EXEC_DISABLED');
    assert.equal(exec?.outcome, 'fail');
    assert.deepEqual((exec as { action?: object }).action, {
      kind: 'enableExecAndRedeploy',
      cluster: CLUSTER,
      service: 'web',
    });

    const markdown = (await doctor(emulator, '--markdown')).stdout.toString();
    assert.match(
      markdown,
      /^# Why can't I connect: service\/web in cluster "shop"\?\n\n\*\*1 problem blocks the connection\.\*\*/,
    );
    assert.match(
      markdown,
      /\n## ❌ ECS Exec on the task \(`EXEC_DISABLED`\)\n\nECS Exec is off on task "a{32}"/,
    );
    assert.match(markdown, /\n\*\*Fix:\*\* Enable ECS Exec on service "web" and redeploy it/);
    assert.match(
      markdown,
      /\n## Checks that passed or do not apply\n\n- ✅ \*\*AWS credentials\*\*/,
    );
  });
});

test('doctor --help, and a missing --cluster, say what to give', async () => {
  await withEmulator(healthyWorld(), undefined, async (emulator) => {
    const help = await runProcess(process.execPath, [CLI, 'doctor', '--help'], emulator.endpoint);
    assert.equal(help.code, 0);
    assert.match(help.stdout.toString(), /^Usage: ecs-ssh doctor TARGET --cluster NAME/);
    const bad = await runProcess(
      process.execPath,
      [CLI, 'doctor', 'service/web'],
      emulator.endpoint,
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /give one TARGET and --cluster/);
  });
});
