// The emulator's SSM JSON API, called with the real AWS SDK for JavaScript v3 so that the SDK's
// own parsing and error handling run against it.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

import {
  ResumeSessionCommand,
  SSMClient,
  StartSessionCommand,
  TerminateSessionCommand,
} from '@aws-sdk/client-ssm';

import { PayloadType } from '../src/ssm/message.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { callSsm, WireClient } from './emulator/wire-client.js';

const TARGET = 'ecs:cluster1_0123456789abcdef0123456789abcdef_0123456789abcdef0123456789abcdef-1';
const OFFLINE = 'ecs:cluster1_fedcba9876543210fedcba9876543210_fedcba9876543210fedcba9876543210-2';
const SSH = { Target: TARGET, DocumentName: 'AWS-StartSSHSession' };

let emulator: Emulator;

function ssm(target: Emulator = emulator, maxAttempts = 1): SSMClient {
  return new SSMClient({
    endpoint: target.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
    maxAttempts,
  });
}

before(async () => {
  emulator = await startEmulator({
    world: {
      targets: { [TARGET]: { ports: { '22': '127.0.0.1:9' } }, [OFFLINE]: { connected: false } },
    },
  });
});

afterEach(() => {
  delete emulator.world.denyStartSession;
});

after(() => emulator.close());

test('StartSession returns a session id, a loopback StreamUrl and a long token', async () => {
  const reply = await ssm().send(new StartSessionCommand(SSH));

  assert.match(reply.SessionId!, /^emulator-[0-9a-f]{17}$/);
  const port = new URL(emulator.endpoint).port;
  assert.equal(
    reply.StreamUrl,
    `ws://127.0.0.1:${port}/v1/data-channel/${reply.SessionId}?role=publish_subscribe`,
  );
  assert.ok(reply.TokenValue!.length >= 300);
  assert.deepEqual(emulator.apiCalls.at(-1), { operation: 'StartSession', target: TARGET });
  assert.ok(!JSON.stringify(emulator.apiCalls).includes(reply.TokenValue!));
});

test('StartSession on an offline or unknown target raises TargetNotConnected', async () => {
  for (const target of [OFFLINE, 'ecs:cluster1_unknown_unknown-1']) {
    await assert.rejects(
      ssm().send(new StartSessionCommand({ ...SSH, Target: target })),
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'TargetNotConnected');
        assert.equal(error.message, `${target} is not connected.`);
        assert.equal(error.$metadata?.httpStatusCode, 400);
        return true;
      },
    );
  }
});

test('StartSession raises AccessDeniedException when the world denies it', async () => {
  emulator.world.denyStartSession = true;

  await assert.rejects(ssm().send(new StartSessionCommand(SSH)), (error: Error) => {
    assert.equal(error.name, 'AccessDeniedException');
    assert.match(error.message, /is not authorized to perform: ssm:StartSession on resource/);
    return true;
  });
});

test('StartSession raises ThrottlingException for the first n calls; the SDK retries', async () => {
  const throttled = await startEmulator({
    world: { targets: { [TARGET]: {} }, throttle: { StartSession: 2 } },
  });
  try {
    await assert.rejects(ssm(throttled).send(new StartSessionCommand(SSH)), {
      name: 'ThrottlingException',
      message: 'Rate exceeded',
    });

    const reply = await ssm(throttled, 3).send(new StartSessionCommand(SSH));

    assert.ok(reply.SessionId);
    assert.equal(throttled.apiCalls.length, 3);
  } finally {
    await throttled.close();
  }
});

test('StartSession with an unknown document raises InvalidDocument', async () => {
  await assert.rejects(
    ssm().send(new StartSessionCommand({ ...SSH, DocumentName: 'AWS-NoSuchDocument' })),
    { name: 'InvalidDocument', message: 'Document with name AWS-NoSuchDocument does not exist.' },
  );
});

test('ResumeSession gives the same session a new token; an unknown id raises DoesNotExist', async () => {
  const started = await ssm().send(new StartSessionCommand(SSH));

  const resumed = await ssm().send(new ResumeSessionCommand({ SessionId: started.SessionId }));

  assert.equal(resumed.SessionId, started.SessionId);
  assert.equal(resumed.StreamUrl, started.StreamUrl);
  assert.ok(resumed.TokenValue && resumed.TokenValue !== started.TokenValue);
  await assert.rejects(ssm().send(new ResumeSessionCommand({ SessionId: 'emulator-0' })), {
    name: 'DoesNotExistException',
  });
});

test('TerminateSession sends channel_closed, is idempotent, and ends ResumeSession', async () => {
  const started = await ssm().send(new StartSessionCommand(SSH));
  const client = await WireClient.open(started.StreamUrl!, started.TokenValue);
  await client.waitForOutput(PayloadType.HandshakeRequest);

  await ssm().send(new TerminateSessionCommand({ SessionId: started.SessionId }));
  const again = await ssm().send(new TerminateSessionCommand({ SessionId: started.SessionId }));

  assert.equal(again.SessionId, started.SessionId);
  assert.equal((await client.waitForChannelClosed()).output, '');
  const resumed = await ssm().send(new ResumeSessionCommand({ SessionId: started.SessionId }));
  assert.equal(resumed.TokenValue, '');
});

test('a request without an Authorization header is refused with 403', async () => {
  const response = await fetch(emulator.endpoint, {
    method: 'POST',
    headers: { 'X-Amz-Target': 'AmazonSSM.StartSession' },
    body: JSON.stringify(SSH),
  });

  assert.equal(response.status, 403);
  assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.equal(
    ((await response.json()) as { __type: string }).__type,
    'MissingAuthenticationTokenException',
  );
});

test('errors carry __type, a capitalised Message and the X-Amzn-Errortype header', async () => {
  const { status, body } = await callSsm(emulator.endpoint, 'StartSession', {
    ...SSH,
    Target: OFFLINE,
  });

  assert.equal(status, 400);
  assert.deepEqual(body, { __type: 'TargetNotConnected', Message: `${OFFLINE} is not connected.` });
});
