// What Connect derives from a pick: the Host entry and proxy options, the Remote-SSH authority,
// the ssh command line to copy; and how failures become typed errors with one action.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { ResolveError } from '../src/aws/resolveTarget.js';
import { listProfiles } from '../src/connect/awsProfiles.js';
import {
  aliasOfAuthority,
  planConnection,
  remoteAuthority,
  sshCommandLine,
} from '../src/connect/connectPlan.js';
import { CancelledError, toUserError, UserError } from '../src/connect/userError.js';
import { credentialProblem } from '../src/model/credentialProblem.js';
import { SshConfigError } from '../src/ssh/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-plan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const request = {
  scope: { profile: 'dev', region: 'eu-west-1' },
  cluster: 'demo',
  target: 'service/web',
  container: 'app',
  user: 'root',
};
const keys = { privateKey: '/k/id_ed25519', publicKey: '/k/id_ed25519.pub', generated: false };

test('a plan names one alias for the Host entry, the pinned host key and the authority', () => {
  const plan = planConnection(
    request,
    { command: '/gs/ecs-remote-proxy', args: [] },
    keys,
    '/state',
  );
  const alias = 'ecs--dev--eu-west-1--demo--service-web--app';
  assert.equal(plan.entry.alias, alias);
  assert.equal(plan.authority, `ssh-remote+${alias}`);
  assert.equal(plan.proxyOptions.hostKeyAlias, alias);
  assert.deepEqual(plan.proxyOptions.target, { kind: 'service', serviceName: 'web' });
  assert.equal(plan.proxyOptions.knownHostsFile, '/state/known_hosts');
  assert.deepEqual(plan.entry.proxyCommand.slice(0, 3), [
    '/gs/ecs-remote-proxy',
    '--profile',
    'dev',
  ]);
  assert.ok(plan.entry.proxyCommand.includes('--known-hosts'));
});

test('only our own aliases are read back from a Remote-SSH authority', () => {
  assert.equal(
    aliasOfAuthority(remoteAuthority('ecs--default--x--y--task-1--app')),
    'ecs--default--x--y--task-1--app',
  );
  assert.equal(aliasOfAuthority('ssh-remote+bastion'), undefined);
  assert.equal(aliasOfAuthority('wsl+Debian'), undefined);
});

test('the copied ssh command names the config file only when it is not the default', () => {
  assert.equal(
    sshCommandLine('ecs--a', '/home/u/.ssh/config', '/home/u/.ssh/config'),
    'ssh ecs--a',
  );
  assert.equal(
    sshCommandLine('ecs--a', '/tmp/my config', '/home/u/.ssh/config'),
    'ssh -F "/tmp/my config" ecs--a',
  );
});

test('an expired SSO session is told apart and given the exact sign-in command', () => {
  const sso = new Error(
    'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.',
  );
  sso.name = 'CredentialsProviderError';
  assert.deepEqual(credentialProblem(sso, { profile: 'dev', region: 'eu-west-1' }), {
    problem: 'expired',
    message:
      'The SSO session of profile "dev" has expired or is invalid; sign in again with "aws sso login --profile dev".',
    signInCommand: 'aws sso login --profile dev',
  });
  const odd = credentialProblem(sso, { profile: "o'dd name", region: 'eu-west-1' });
  assert.equal(odd?.signInCommand, "aws sso login --profile 'o'\\''dd name'");
  const expired = Object.assign(new Error('token expired'), { name: 'ExpiredTokenException' });
  assert.equal(credentialProblem(expired, { region: 'eu-west-1' })?.problem, 'expired');
  assert.equal(credentialProblem(new Error('socket hang up'), { region: 'eu-west-1' }), undefined);
});

test('failures become typed errors with one action that fixes them', () => {
  const scope = { region: 'eu-west-1' };
  const exec = toUserError(new ResolveError('EXEC_DISABLED', 'ECS Exec is off'), {
    scope,
    cluster: 'demo',
    serviceName: 'web',
  });
  assert.ok(exec instanceof UserError);
  assert.equal(exec.code, 'EXEC_DISABLED');
  assert.deepEqual(exec.action, {
    title: 'Enable ECS Exec and Redeploy',
    command: 'ecsRemote.enableExec',
    args: [scope, 'demo', 'web'],
  });
  const config = toUserError(new SshConfigError('CONFIG_CHANGED', 'kept changing')) as UserError;
  assert.equal(config.action?.command, 'ecsRemote.openSshConfig');
  const expired = Object.assign(
    new Error('The security token included in the request is expired'),
    {
      name: 'ExpiredTokenException',
    },
  );
  const renew = toUserError(expired, { scope }) as UserError;
  assert.equal(renew.code, 'CREDENTIALS_EXPIRED');
  assert.equal(renew.action?.command, 'ecsRemote.selectProfile');
  const other = toUserError(new TypeError('boom')) as UserError;
  assert.equal(other.code, 'UNEXPECTED');
  assert.equal(other.action, undefined, 'the wrapper adds Show Logs');
  const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
  assert.ok(toUserError(abort) instanceof CancelledError);
});

test('profiles come from both shared files, with region and SSO marked; other sections are not profiles', async () => {
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(
    config,
    '[default]\nregion = us-east-1\n[profile dev]\nsso_session = corp\nregion = eu-west-1\n[sso-session corp]\nsso_region = eu-west-1\n',
  );
  writeFileSync(
    credentials,
    '[ci]\naws_access_key_id = AKIAEXAMPLE\n[dev]\naws_access_key_id = X\n',
  );
  const profiles = await listProfiles({
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
  });
  assert.deepEqual(profiles, [
    { name: 'ci', region: undefined, sso: false },
    { name: 'default', region: 'us-east-1', sso: false },
    { name: 'dev', region: 'eu-west-1', sso: true },
  ]);
});
