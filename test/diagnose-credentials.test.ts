// Credentials and region, through the runner, `ecs-ssh doctor` and the proxy: no credentials at
// all, an SSO session whose cached token has expired (a config file and SSO cache in a temporary
// HOME; no token means nothing is ever fetched), and a cluster the region does not have.

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { parseTargetSpec } from '../src/aws/resolveTarget.js';
import { createClients } from '../src/aws/clients.js';
import { diagnose, type CheckResult } from '../src/diagnose/index.js';
import type { EcsNode } from '../src/model/nodes.js';
import { rowText, tooltipText } from '../src/model/presentation.js';
import { EcsTreeModel } from '../src/model/treeModel.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { emulatorEnv, FAKE_SECRET_KEY } from './support/awsEnv.js';
import { cannedRuntime, CLUSTER, healthyWorld } from './support/diagnoseWorlds.js';
import { CLI, PROXY, requireBundles } from './support/e2e.js';

/** Temporary keys the emulator's world says have expired. */
const EXPIRED_KEY = 'ASIAEXPIREDEMULATOR0';

let emulator: Emulator;
let home: string;

before(async () => {
  requireBundles();
  home = mkdtempSync(join(tmpdir(), 'ecs-remote-sso-'));
  writeSsoHome(home);
  const world = { ...healthyWorld(), expiredAccessKeys: [EXPIRED_KEY] };
  emulator = await startEmulator({ world, runtime: cannedRuntime() });
});

after(async () => {
  await emulator?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A profile "dev" on the sso-session "corp", whose cached token expired in 2020. */
function writeSsoHome(dir: string): void {
  mkdirSync(join(dir, '.aws', 'sso', 'cache'), { recursive: true });
  writeFileSync(
    join(dir, '.aws', 'config'),
    [
      '[profile dev]',
      'sso_session = corp',
      'sso_account_id = 111122223333',
      'sso_role_name = Developer',
      'region = eu-west-1',
      '',
      '[sso-session corp]',
      'sso_start_url = https://corp.example.invalid/start',
      'sso_region = eu-west-1',
      '',
    ].join('\n'),
  );
  const cacheName = createHash('sha1').update('corp').digest('hex');
  const token = {
    accessToken: 'expired-token-value-never-printed',
    expiresAt: '2020-01-01T00:00:00Z',
    region: 'eu-west-1',
    startUrl: 'https://corp.example.invalid/start',
  };
  writeFileSync(join(dir, '.aws', 'sso', 'cache', `${cacheName}.json`), JSON.stringify(token));
}

type EnvCase = 'fake keys' | 'no credentials' | 'expired SSO' | 'expired keys';

function envFor(kind: EnvCase): Record<string, string> {
  const env = emulatorEnv(emulator.endpoint);
  if (kind === 'fake keys') return env;
  if (kind === 'expired keys') return { ...env, AWS_ACCESS_KEY_ID: EXPIRED_KEY };
  if (kind === 'no credentials') {
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    return env;
  }
  return { ...env, HOME: home, AWS_CONFIG_FILE: join(home, '.aws', 'config') };
}

/** `body` in this process, with exactly the AWS environment a child would get. */
async function inEnvironment<T>(kind: EnvCase, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, envFor(kind));
  try {
    return await body();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** The runner in this process. */
function runInProcess(kind: EnvCase, profile?: string, cluster = CLUSTER): Promise<CheckResult[]> {
  return inEnvironment(kind, () =>
    diagnose({ profile, cluster, target: parseTargetSpec('service/web') }),
  );
}

/** The tree model's rows under the profile's top row, with the clients the editor makes. */
function treeRows(kind: EnvCase, profile?: string): Promise<EcsNode[]> {
  return inEnvironment(kind, async () => {
    const scope = { profile, region: 'eu-west-1' };
    const tree = new EcsTreeModel({
      scopes: () => [scope],
      clients: (s) => createClients(s),
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const [top] = await tree.children();
    return tree.children(top);
  });
}

function runChild(
  kind: EnvCase,
  args: string[],
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: envFor(kind),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

function proxyArgs(cluster: string, ...extra: string[]): string[] {
  const files = ['--public-key', join(home, 'key.pub'), '--known-hosts', join(home, 'kh')];
  const target = ['--cluster', cluster, '--target', 'service/web'];
  return [PROXY, ...target, ...files, '--host-key-alias', 'creds', ...extra];
}

before(() => {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, 'key')]);
});

const SSO_MESSAGE = /^The SSO session of profile "dev" has expired or is missing\.$/;
const SSO_FIX = /^Run "aws sso login --profile dev", then try again\.$/;
const NONE_MESSAGE =
  /^No usable AWS credentials for the default credentials: Could not load credentials from any providers\.$/;

test('NO_CREDENTIALS through the runner: what is missing and how to configure it', async () => {
  const results = await runInProcess('no credentials');
  assert.equal(results.length, 1, 'nothing else is tried without credentials');
  assert.equal(results[0].code, 'NO_CREDENTIALS');
  assert.equal(results[0].outcome, 'fail');
  assert.match(results[0].message, NONE_MESSAGE);
  assert.match(
    results[0].fix ?? '',
    /^Configure credentials \("aws configure sso" or "aws configure --profile NAME"\)/,
  );
  assert.equal(emulator.apiCalls.length, 0, 'no request went out');
});

test('SSO_EXPIRED through the runner: the exact sign-in command as the fix and as an action', async () => {
  const results = await runInProcess('expired SSO', 'dev');
  assert.equal(results[0].code, 'SSO_EXPIRED');
  assert.match(results[0].message, SSO_MESSAGE);
  assert.match(results[0].fix ?? '', SSO_FIX);
  assert.deepEqual(results[0].action, {
    kind: 'signIn',
    command: 'aws sso login --profile dev',
    profile: 'dev',
  });
  assert.equal(emulator.apiCalls.length, 0, 'no request went out');
});

test('NO_CREDENTIALS and SSO_EXPIRED through the tree: the row names the check and its fix', async () => {
  const before = emulator.apiCalls.length;
  const [none] = await treeRows('no credentials');
  assert.equal(none.kind, 'credentials');
  assert.equal(none.kind === 'credentials' && none.check?.code, 'NO_CREDENTIALS');
  assert.match(
    tooltipText(none),
    /^⚠ \*\*AWS credentials\*\* \(NO_CREDENTIALS\): No usable AWS credentials for the default credentials: Could not load credentials from any providers\. Fix: Configure credentials/,
  );
  assert.equal(rowText(none).label, 'Select an AWS profile');

  const [sso] = await treeRows('expired SSO', 'dev');
  assert.equal(sso.kind === 'credentials' && sso.check?.code, 'SSO_EXPIRED');
  const tooltip = tooltipText(sso);
  assert.match(
    tooltip,
    /\(SSO_EXPIRED\): The SSO session of profile "dev" has expired or is missing\. Fix: Run "aws sso login --profile dev", then try again\./,
  );
  assert.match(tooltip, /Click to run `aws sso login --profile dev`\./);
  assert.equal(rowText(sso).label, 'Sign in to AWS');
  assert.equal(emulator.apiCalls.length, before, 'no request went out');
});

test('NO_CREDENTIALS and SSO_EXPIRED through ecs-ssh doctor: named with the fix, exit 1', async () => {
  const none = await runChild('no credentials', [
    CLI,
    'doctor',
    'service/web',
    '--cluster',
    CLUSTER,
  ]);
  assert.equal(none.code, 1);
  assert.match(
    none.out,
    /^FAIL {2}AWS credentials \[NO_CREDENTIALS\]\n {6}No usable AWS credentials/m,
  );
  assert.match(none.out, /\n {6}Fix: Configure credentials/);

  const sso = await runChild('expired SSO', [
    CLI,
    'doctor',
    'service/web',
    '--cluster',
    CLUSTER,
    '--profile',
    'dev',
  ]);
  assert.equal(sso.code, 1);
  assert.match(
    sso.out,
    /^FAIL {2}AWS credentials \[SSO_EXPIRED\]\n {6}The SSO session of profile "dev" has expired/m,
  );
  assert.match(sso.out, /\n {6}Fix: Run "aws sso login --profile dev", then try again\./);
  assert.doesNotMatch(sso.out + sso.err, /expired-token-value-never-printed/);
});

test('NO_CREDENTIALS and SSO_EXPIRED through the proxy: one line with the fix, no browser, stdout empty', async () => {
  const none = await runChild('no credentials', proxyArgs(CLUSTER));
  assert.equal(none.code, 1);
  assert.equal(none.out, '');
  assert.match(
    none.err,
    /\] error: NO_CREDENTIALS: No usable AWS credentials for the default credentials: .* Fix: Configure credentials/,
  );

  const sso = await runChild('expired SSO', proxyArgs(CLUSTER, '--profile', 'dev'));
  assert.equal(sso.code, 1);
  assert.equal(sso.out, '');
  const errors = sso.err.split('\n').filter((line) => /\] error: /.test(line));
  assert.equal(errors.length, 1, sso.err);
  assert.match(
    errors[0],
    /error: SSO_EXPIRED: The SSO session of profile "dev" has expired or is missing\. Fix: Run "aws sso login --profile dev", then try again\.$/,
  );
});

test('CREDENTIALS_EXPIRED (temporary keys AWS says have expired): runner, tree, doctor and proxy name it', async () => {
  const message = /^The default credentials have expired \(ExpiredToken\)\.$/;
  const fix = /^Renew them \(sign in again, or refresh the temporary keys\), then try again\.$/;
  const results = await runInProcess('expired keys');
  assert.equal(results.length, 1, 'nothing else is tried with expired credentials');
  assert.equal(results[0].code, 'CREDENTIALS_EXPIRED');
  assert.equal(results[0].outcome, 'fail');
  assert.match(results[0].message, message);
  assert.match(results[0].fix ?? '', fix);

  const [row] = await treeRows('expired keys');
  assert.equal(row.kind === 'credentials' && row.check?.code, 'CREDENTIALS_EXPIRED');
  assert.equal(rowText(row).description, 'session expired');
  assert.match(
    tooltipText(row),
    /\(CREDENTIALS_EXPIRED\): The default credentials have expired \(ExpiredTokenException\)\. Fix: Renew them/,
  );

  const doctor = await runChild('expired keys', [
    CLI,
    'doctor',
    'service/web',
    '--cluster',
    CLUSTER,
  ]);
  assert.equal(doctor.code, 1);
  assert.match(
    doctor.out,
    /^FAIL {2}AWS credentials \[CREDENTIALS_EXPIRED\]\n {6}The default credentials have expired/m,
  );
  assert.match(doctor.out, /\n {6}Fix: Renew them/);

  const proxy = await runChild('expired keys', proxyArgs(CLUSTER));
  assert.equal(proxy.code, 1);
  assert.equal(proxy.out, '');
  const errors = proxy.err.split('\n').filter((line) => /\] error: /.test(line));
  assert.equal(errors.length, 1, proxy.err);
  assert.match(
    errors[0],
    /error: CREDENTIALS_EXPIRED: The default credentials have expired \(ExpiredTokenException\)\. Fix: Renew them/,
  );
  for (const output of [doctor.out, doctor.err, proxy.err]) {
    assert.doesNotMatch(output, new RegExp(FAKE_SECRET_KEY));
  }
});

const MISSING_CLUSTER = /Cluster "shopp" is not in region "eu-west-1", which has "shop"\./;

test('CLUSTER_NOT_FOUND: the runner, doctor and proxy name the clusters the region has', async () => {
  const results = await runInProcess('fake keys', undefined, 'shopp');
  const found = results.find((r) => r.code === 'CLUSTER_NOT_FOUND' && r.outcome === 'fail');
  assert.match(found?.message ?? '', new RegExp(`^${MISSING_CLUSTER.source}$`));
  assert.match(found?.fix ?? '', /^Check the cluster name, or choose its region with --region\.$/);

  const doctor = await runChild('fake keys', [CLI, 'doctor', 'service/web', '--cluster', 'shopp']);
  assert.equal(doctor.code, 1);
  assert.match(
    doctor.out,
    /^FAIL {2}Region and cluster \[CLUSTER_NOT_FOUND\]\n {6}Cluster "shopp"/m,
  );
  const proxy = await runChild('fake keys', proxyArgs('shopp'));
  assert.equal(proxy.code, 1);
  assert.equal(proxy.out, '');
  assert.match(
    proxy.err,
    new RegExp(`error: CLUSTER_NOT_FOUND: ${MISSING_CLUSTER.source} Fix: Check`),
  );
});

test('SERVICE_NOT_FOUND: a service the cluster does not have fails the runner, doctor, proxy and config', async () => {
  const message = /^Service "nope" is not in cluster "shop"\.$/;
  const results = await inEnvironment('fake keys', () =>
    diagnose({ cluster: CLUSTER, target: parseTargetSpec('service/nope') }),
  );
  const found = results.find((r) => r.code === 'SERVICE_NOT_FOUND');
  assert.equal(found?.outcome, 'fail', JSON.stringify(results));
  assert.match(found.message, message);
  assert.match(found.fix ?? '', /^Check the service name \("ecs-ssh ls --cluster NAME" lists/);
  assert.ok(!results.some((r) => r.code === 'CHECKS_STOPPED'));

  const doctor = await runChild('fake keys', [CLI, 'doctor', 'service/nope', '--cluster', CLUSTER]);
  assert.equal(doctor.code, 1, doctor.out);
  assert.match(doctor.out, /^FAIL {2}Task \[SERVICE_NOT_FOUND\]\n {6}Service "nope" is not in/m);
  assert.doesNotMatch(doctor.out, /Nothing blocks the connection/);

  const args = proxyArgs(CLUSTER);
  args[args.indexOf('--target') + 1] = 'service/nope';
  const proxy = await runChild('fake keys', args);
  assert.equal(proxy.code, 1);
  assert.match(
    proxy.err,
    /error: SERVICE_NOT_FOUND: Service "nope" is not in cluster "shop"\. Fix: Check the service name/,
  );

  const config = await runChild('fake keys', [
    CLI,
    'config',
    'service/nope',
    '--cluster',
    CLUSTER,
    '--config',
    join(home, 'ssh_config'),
  ]);
  assert.equal(config.code, 1);
  assert.match(
    config.err,
    /That service was not found in cluster "shop"\. Run "ecs-ssh ls --cluster shop"/,
  );
});

test('a profile that is in neither file is named, with the profiles that are', async () => {
  const before = emulator.apiCalls.length;
  const results = await runInProcess('expired SSO', 'nope');
  assert.equal(results.length, 1);
  assert.equal(results[0].code, 'NO_CREDENTIALS');
  assert.equal(
    results[0].message,
    'Profile "nope" is not in your AWS config or credentials file; it has "dev".',
  );
  assert.match(
    results[0].fix ?? '',
    /^Choose one of those profiles, or create it \("aws configure sso --profile nope"/,
  );
  assert.equal(emulator.apiCalls.length, before, 'no request went out');
});
