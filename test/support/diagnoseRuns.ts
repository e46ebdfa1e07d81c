// One world through every surface, for the tests that compare them: the in-process runner,
// `ecs-ssh doctor` and the proxy as child processes with the emulator's environment and a
// temporary HOME, and the tree model's rows after its deeper checks.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseTargetSpec } from '../../src/aws/resolveTarget.js';
import { diagnose, type CheckResult } from '../../src/diagnose/index.js';
import { Findings } from '../../src/model/findings.js';
import type { EcsNode } from '../../src/model/nodes.js';
import { EcsTreeModel } from '../../src/model/treeModel.js';
import type { Emulator } from '../emulator/index.js';
import { emulatorEnv, FAKE_SECRET_KEY } from './awsEnv.js';
import { CLUSTER, CONTAINER_KEY_VALUES, emulatorClients, REGION } from './diagnoseWorlds.js';
import { CLI, PROXY } from './e2e.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';
export const HOME = mkdtempSync(join(tmpdir(), 'ecs-remote-runs-home-'));
const keyDir = mkdtempSync(join(tmpdir(), 'ecs-remote-runs-key-'));

/** Removes the temporary HOME and key; call it from an `after` hook. */
export function removeTemporaryFiles(): void {
  rmSync(HOME, { recursive: true, force: true });
  rmSync(keyDir, { recursive: true, force: true });
}
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keyDir, 'key')]);

export function runner(
  emulator: Emulator,
  opts: { target?: string; container?: string; agentWaitMs?: number; probe?: boolean } = {},
): Promise<CheckResult[]> {
  return diagnose(
    {
      cluster: CLUSTER,
      target: parseTargetSpec(opts.target ?? 'service/web'),
      container: opts.container,
    },
    {
      clients: emulatorClients(emulator.endpoint),
      agentWaitMs: opts.agentWaitMs ?? 0,
      probe: opts.probe,
    },
  );
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runChild(
  args: string[],
  endpoint: string,
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { ...emulatorEnv(endpoint), HOME, ...extraEnv };
    assert.equal(env.AWS_EC2_METADATA_DISABLED, 'true');
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
    child.stdin.end();
  });
}

export function doctor(emulator: Emulator, target: string, ...args: string[]): Promise<Run> {
  return runChild([CLI, 'doctor', target, '--cluster', CLUSTER, ...args], emulator.endpoint);
}

export function proxy(emulator: Emulator, target: string, ...args: string[]): Promise<Run> {
  const argv = [PROXY, '--cluster', CLUSTER, '--target', target];
  argv.push('--public-key', join(keyDir, 'key.pub'), '--known-hosts', join(keyDir, 'known_hosts'));
  return runChild([...argv, '--host-key-alias', 'runs', ...args], emulator.endpoint);
}

export function proxyError(run: Run): string | undefined {
  return run.stderr.split('\n').find((l) => /\] error: /.test(l));
}

export function assertNoSecrets(...outputs: string[]): void {
  for (const output of outputs) {
    for (const secret of [FAKE_SECRET_KEY, ...CONTAINER_KEY_VALUES]) {
      assert.ok(!output.includes(secret), `secret printed: ${secret}`);
    }
    assert.doesNotMatch(output, /data-channel\/|TokenValue"?\s*[:=]\s*"?[A-Za-z0-9]/);
  }
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** The task row and a container row of service "web", after the deeper checks. */
export async function treeRows(
  emulator: Emulator,
  container = 'app',
  findings = new Findings(),
): Promise<{ task: EcsNode; container: EcsNode; tree: EcsTreeModel; findings: Findings }> {
  const clients = emulatorClients(emulator.endpoint);
  const tree = new EcsTreeModel({
    scopes: () => [{ region: REGION }],
    clients: () => clients,
    log: quiet,
    findings,
    changed: () => {},
  });
  const list = async () => {
    const [scope] = await tree.children();
    const cluster = (await tree.children(scope)).find((n) => n.kind === 'cluster')!;
    const service = (await tree.children(cluster)).find((n) => n.kind === 'service')!;
    return service;
  };
  let service = await list();
  await tree.children(service);
  await tree.idle();
  service = await list();
  const [task] = await tree.children(service);
  const row = (await tree.children(task)).find(
    (n) => n.kind === 'container' && n.container.name === container,
  )!;
  return { task, container: row, tree, findings };
}

export function problemsOf(row: EcsNode): CheckResult[] {
  if (row.kind === 'task') return row.task.problems ?? [];
  if (row.kind === 'container') return row.container.problems ?? [];
  return [];
}

export function brief(results: CheckResult[]): string {
  return results.map((r) => `${r.code}:${r.outcome}`).join(', ');
}
