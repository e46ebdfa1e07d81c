// Host aliases: readable, lowercase, made of [a-z0-9.-], deterministic, bounded in length, and
// distinct for distinct targets (a hash suffix whenever cutting a name down lost something).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import { ALIAS_MAX_LENGTH, hostAlias, isValidAlias, type ConnectTarget } from '../src/ssh/alias.js';

const base: ConnectTarget = {
  profile: 'dev',
  region: 'eu-west-1',
  cluster: 'web',
  target: 'service/api',
  container: 'app',
};

test('a plain target reads as ecs--profile--region--cluster--target--container', () => {
  assert.equal(hostAlias(base), 'ecs--dev--eu-west-1--web--service-api--app');
  assert.equal(
    hostAlias({ ...base, profile: undefined, target: '0123456789abcdef0123456789abcdef' }),
    'ecs--default--eu-west-1--web--0123456789abcdef0123456789abcdef--app',
  );
});

test('the same target always gives the same alias', () => {
  assert.equal(
    hostAlias({ ...base, cluster: 'My_Cluster' }),
    hostAlias({ ...base, cluster: 'My_Cluster' }),
  );
});

test('names cut down to [a-z0-9.-] get a hash, so near-twins stay apart', () => {
  const upper = hostAlias({ ...base, cluster: 'Web' });
  const under = hostAlias({ ...base, cluster: 'we_b' });
  const dash = hostAlias({ ...base, cluster: 'we-b' });

  assert.match(upper, /^ecs--dev--eu-west-1--web--service-api--app-[0-9a-f]{8}$/);
  assert.notEqual(upper, hostAlias(base));
  assert.notEqual(under, dash);
  assert.equal(dash, 'ecs--dev--eu-west-1--we-b--service-api--app');
});

test('odd characters never reach the alias, and no part holds a double dash', () => {
  const odd = {
    profile: 'Ops Team/Admin',
    region: 'eu-west-1',
    cluster: 'a--b__c',
    target: 'task/abc:def',
    container: '*?!%,"\' \tx',
  };
  const raw = [odd.profile, odd.region, odd.cluster, odd.target, odd.container];
  const hash = createHash('sha256').update(JSON.stringify(raw)).digest('hex').slice(0, 8);

  const alias = hostAlias(odd);

  assert.equal(alias, `ecs--ops-team-admin--eu-west-1--a-b-c--task-abc-def--x-${hash}`);
  assert.ok(isValidAlias(alias));
});

test('long targets are cut to the bound with a hash, and stay distinct', () => {
  const long = (container: string) =>
    hostAlias({
      ...base,
      cluster: 'c'.repeat(120),
      target: `service/${'s'.repeat(80)}`,
      container,
    });

  assert.equal(long('one').length, ALIAS_MAX_LENGTH);
  assert.notEqual(long('one'), long('two'));
  assert.ok(isValidAlias(long('one')));
});

test('service, family and task targets read naturally and differ', () => {
  const kinds = ['service/web', 'family/web', 'task/0123abcd'].map((target) =>
    hostAlias({ ...base, target }),
  );

  assert.deepEqual(kinds, [
    'ecs--dev--eu-west-1--web--service-web--app',
    'ecs--dev--eu-west-1--web--family-web--app',
    'ecs--dev--eu-west-1--web--task-0123abcd--app',
  ]);
});

test('isValidAlias accepts only what hostAlias makes', () => {
  assert.ok(isValidAlias(hostAlias(base)));
  for (const bad of [
    'ecs--a b',
    'ECS--a',
    'ecs--a*',
    'host',
    'ecs--a-',
    `ecs--${'a'.repeat(200)}`,
  ]) {
    assert.equal(isValidAlias(bad), false, bad);
  }
});

test('a login user other than root gets its own alias; root keeps the short one', () => {
  assert.equal(hostAlias({ ...base, user: 'root' }), hostAlias(base));
  assert.equal(
    hostAlias({ ...base, user: 'app' }),
    'ecs--dev--eu-west-1--web--service-api--app--app',
  );
  assert.notEqual(hostAlias({ ...base, user: 'deploy' }), hostAlias({ ...base, user: 'app' }));
});
