import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';

import { Inbox } from '../src/ssm/inbox.js';
import { decodeMessage, encodeMessage, MessageType, PayloadType } from '../src/ssm/message.js';
import { Outbox } from '../src/ssm/outbox.js';
import { Redactor } from '../src/ssm/redact.js';
import { RtoEstimator } from '../src/ssm/rto.js';
import { SessionCredentials } from '../src/ssm/sessionCredentials.js';

function output(sequenceNumber: number) {
  return decodeMessage(
    encodeMessage({
      messageType: MessageType.Output,
      sequenceNumber,
      payloadType: PayloadType.Output,
      payload: Buffer.from(`m${sequenceNumber}`),
    }),
  );
}

test('inbox delivers in order, buffers early messages and re-acks duplicates', () => {
  const inbox = new Inbox();
  assert.deepEqual(inbox.receive(output(1), true), {
    acknowledge: true,
    deliver: [],
    duplicate: false,
  });
  const first = inbox.receive(output(0), true);
  assert.equal(first.acknowledge, true);
  assert.deepEqual(
    first.deliver.map((m) => m.payload.toString()),
    ['m0', 'm1'],
  );
  const again = inbox.receive(output(1), true);
  assert.deepEqual(again, { acknowledge: true, deliver: [], duplicate: true });
  assert.equal(inbox.duplicates, 1);
  assert.equal(inbox.nextExpected, 2n);
});

test('inbox leaves the expected message unacked while its consumer is not ready', () => {
  const inbox = new Inbox();
  assert.deepEqual(inbox.receive(output(0), false), {
    acknowledge: false,
    deliver: [],
    duplicate: false,
  });
  assert.equal(inbox.nextExpected, 0n);
  assert.equal(inbox.receive(output(0), true).deliver.length, 1);
});

test('inbox drops early messages silently once its buffer is full', () => {
  const inbox = new Inbox(2);
  assert.equal(inbox.receive(output(1), true).acknowledge, true);
  assert.equal(inbox.receive(output(2), true).acknowledge, true);
  assert.equal(inbox.receive(output(3), true).acknowledge, false);
});

test('outbox numbers messages from 0, bounds its window by sequence span and drains on acks', () => {
  const sent: bigint[] = [];
  let drains = 0;
  const outbox = new Outbox({
    transmit: (frame) => (sent.push(decodeMessage(frame).sequenceNumber), true),
    window: 3,
    onDrain: () => drains++,
  });
  for (let i = 0; i < 3; i++) outbox.push(PayloadType.Output, Buffer.from('x'));
  assert.deepEqual(sent, [0n, 1n, 2n]);
  assert.equal(outbox.full, true);
  assert.equal(outbox.acknowledge(1n), true);
  assert.equal(outbox.acknowledge(1n), false);
  assert.equal(drains, 0, 'the window spans from the oldest unacked message');
  assert.equal(outbox.full, true);
  assert.equal(outbox.acknowledge(0n), true);
  assert.equal(drains, 1);
  assert.equal(outbox.size, 1);
});

test('outbox resends the oldest message after its timeout and lost ones behind an ack', () => {
  let now = 1000;
  const sent: bigint[] = [];
  const outbox = new Outbox({
    transmit: (frame) => (sent.push(decodeMessage(frame).sequenceNumber), true),
    window: 100,
    onDrain: () => undefined,
    now: () => now,
  });
  for (let i = 0; i < 5; i++) outbox.push(PayloadType.Output, Buffer.from('x'));
  sent.length = 0;
  now += 50;
  outbox.tick();
  assert.deepEqual(sent, [], 'nothing is resent before the timeout');
  outbox.acknowledge(3n);
  now += 250;
  outbox.tick();
  assert.deepEqual(sent, [0n, 1n, 2n], 'head plus the messages before the acked one');
  assert.equal(outbox.resendCount, 3);
});

test('outbox holds messages while paused and sends them on resume', () => {
  const sent: bigint[] = [];
  const outbox = new Outbox({
    transmit: (frame) => (sent.push(decodeMessage(frame).sequenceNumber), true),
    window: 10,
    onDrain: () => undefined,
  });
  outbox.setPaused(true);
  outbox.push(PayloadType.Output, Buffer.from('a'));
  outbox.tick();
  assert.deepEqual(sent, []);
  outbox.setPaused(false);
  assert.deepEqual(sent, [0n]);
});

test('RTO follows RFC 6298 with a 10 ms floor on the variance term and a 1 s cap', () => {
  const rto = new RtoEstimator();
  assert.equal(rto.timeoutMs, 200);
  rto.sample(100);
  assert.equal(rto.timeoutMs, 110);
  for (let i = 0; i < 20; i++) rto.sample(5000);
  assert.equal(rto.timeoutMs, 1000);
});

test('session credentials never print their token or stream URL', () => {
  const token = 'tok-' + randomUUID() + randomUUID();
  const url = `ws://127.0.0.1:1/v1/data-channel/s-1?role=publish_subscribe&cell=${randomUUID()}`;
  const credentials = SessionCredentials.fromReply({
    sessionId: 's-1',
    streamUrl: url,
    tokenValue: token,
  });
  const printed = [
    String(credentials),
    JSON.stringify(credentials),
    inspect(credentials),
    inspect({ nested: credentials }, { depth: 5 }),
    `${credentials}`,
  ].join('\n');
  assert.ok(printed.includes('s-1'));
  assert.ok(!printed.includes(token));
  assert.ok(!printed.includes('cell='));
  assert.equal(credentials.tokenValue, token);
  assert.throws(() => SessionCredentials.fromReply({ SessionId: 's' }), /StreamUrl, TokenValue/);
});

test('the redactor scrubs registered secrets, stream URLs, tokens and private keys', () => {
  const redactor = new Redactor();
  const secret = 'AQoDYXdzEJr-very-secret-session-token';
  redactor.add(secret);
  const lines: string[] = [];
  const log = redactor.wrap({
    debug: (m) => lines.push(m),
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  });
  log.info(`token ${secret} in the middle`);
  log.debug('dial wss://ssmmessages.example/v1/data-channel/abc?role=publish_subscribe');
  log.warn('{"TokenValue":"xyz123456789","SessionId":"s"}');
  log.error('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----');
  const all = lines.join('\n');
  for (const leaked of [secret, 'data-channel/abc', 'xyz123456789', 'AAAA']) {
    assert.ok(!all.includes(leaked), `"${leaked}" leaked`);
  }
  assert.ok(all.includes('"SessionId":"s"'));
});
