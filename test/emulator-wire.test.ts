// The emulator's websocket peer, driven with raw frames (codec + ws, no src/ssm client).

import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { after, afterEach, before, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { MessageType, PayloadType } from '../src/ssm/message.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { RecordingServer } from './emulator/recording-server.js';
import { hostRuntime } from './emulator/runtime.js';
import {
  joinedPayloads,
  resetFaults,
  snapshotOf,
  startReadySession,
  startSession,
} from './emulator/test-support.js';
import { callSsm, WireClient } from './emulator/wire-client.js';

const TARGET = 'ecs:cluster1_0123456789abcdef0123456789abcdef_0123456789abcdef0123456789abcdef-1';
const SSH = { Target: TARGET, DocumentName: 'AWS-StartSSHSession' };

let emulator: Emulator;
let destination: RecordingServer;

before(async () => {
  destination = await RecordingServer.start();
  emulator = await startEmulator({
    world: { targets: { [TARGET]: { ports: { '22': destination.address } } } },
  });
});

afterEach(() => {
  resetFaults(emulator);
  destination.reset();
});

after(async () => {
  await emulator.close();
  await destination.close();
});

test('an open frame with a bad token closes the socket with the close code and nothing else', async () => {
  const { body } = await callSsm(emulator.endpoint, 'StartSession', SSH);
  emulator.faults.badTokenCloseCode = 4003;

  const client = await WireClient.open(body.StreamUrl as string, 'not-the-token');

  assert.equal((await client.closed).code, 4003);
  assert.equal(client.frames.length, 0);
});

test('a token opens the data channel only once', async () => {
  const { body } = await callSsm(emulator.endpoint, 'StartSession', SSH);
  const first = await WireClient.open(body.StreamUrl as string, body.TokenValue);
  await first.waitForOutput(PayloadType.HandshakeRequest);

  const second = await WireClient.open(body.StreamUrl as string, body.TokenValue);

  assert.equal((await second.closed).code, 1008);
  assert.equal(second.frames.length, 0);
  first.close();
});

test('the HandshakeRequest is seq 0 with SYN and asks for a Port session on portNumber', async () => {
  const { handshakeRequest, client } = await startSession(emulator, {
    ...SSH,
    Parameters: { portNumber: ['22'] },
  });

  assert.equal(handshakeRequest.messageType, MessageType.Output);
  assert.equal(handshakeRequest.sequenceNumber, 0n);
  assert.equal(handshakeRequest.flags, 1n);
  assert.equal(handshakeRequest.headerLength, 116);
  assert.ok(handshakeRequest.digestValid);
  assert.deepEqual(JSON.parse(handshakeRequest.payload.toString()), {
    AgentVersion: '3.3.987.0',
    RequestedClientActions: [
      {
        ActionType: 'SessionType',
        ActionParameters: { SessionType: 'Port', Properties: { portNumber: '22' } },
      },
    ],
  });
  client.close();
});

test('HandshakeComplete waits for the dial, so Output sent on it is accepted at once', async () => {
  const slow = await startEmulator({
    world: { targets: { [TARGET]: { ports: { '22': destination.address } } } },
    runtime: (id, spec) => ({
      ...hostRuntime(id, spec),
      // A dial slower than the loopback round trip, as through a container's namespace.
      dial: async (port) => {
        await delay(50);
        return hostRuntime(id, spec).dial(port);
      },
    }),
  });
  const { client, sessionId } = await startReadySession(slow, SSH);

  client.sendInput(1, PayloadType.Output, Buffer.from('first'));

  await client.waitForAck(1);
  assert.equal((await destination.waitForBytes(5)).toString(), 'first');
  assert.equal(snapshotOf(slow, sessionId).counters.refusedNotReady, 0);
  client.close();
  await slow.close();
});

test('client Output is left unacknowledged until the destination is connected', async () => {
  let connect: (() => void) | undefined;
  const gated = await startEmulator({
    world: { targets: { [TARGET]: { ports: { '22': destination.address } } } },
    runtime: (id, spec) => ({
      ...hostRuntime(id, spec),
      dial: (port) =>
        new Promise<Duplex>((resolve, reject) => {
          connect = () => hostRuntime(id, spec).dial(port).then(resolve, reject);
        }),
    }),
  });
  gated.faults.dialBeforeCompleteMs = 0;
  const { client, sessionId } = await startReadySession(gated, SSH);

  client.sendInput(1, PayloadType.Output, Buffer.from('early '));
  client.sendInput(2, PayloadType.Output, Buffer.from('later'));
  const firstAck = await client.waitFor((m) => m.messageType === MessageType.Acknowledge);
  assert.equal(JSON.parse(firstAck.payload.toString()).AcknowledgedMessageSequenceNumber, 2);
  assert.equal(snapshotOf(gated, sessionId).counters.refusedNotReady, 1);

  connect!();
  await destination.waitForConnection();
  client.sendInput(1, PayloadType.Output, Buffer.from('early '));
  await client.waitForAck(1);
  assert.equal((await destination.waitForBytes(11)).toString(), 'early later');
  client.close();
  await gated.close();
});

test('a duplicate is acknowledged again and delivered once', async () => {
  const { client, sessionId } = await startReadySession(emulator, SSH);

  client.sendInput(1, PayloadType.Output, Buffer.from('once'));
  await client.waitForAck(1);
  client.sendInput(1, PayloadType.Output, Buffer.from('once'));
  await client.waitForAck(1);
  client.sendInput(2, PayloadType.Output, Buffer.from('!'));
  await client.waitForAck(2);

  assert.equal((await destination.waitForBytes(5)).toString(), 'once!');
  assert.equal(snapshotOf(emulator, sessionId).counters.duplicatesReacked, 1);
  client.close();
});

test('messages ahead of order are acknowledged, buffered and delivered in order', async () => {
  const { client } = await startReadySession(emulator, SSH);

  client.sendInput(3, PayloadType.Output, Buffer.from('C'));
  client.sendInput(2, PayloadType.Output, Buffer.from('B'));
  await client.waitForAck(3);
  await client.waitForAck(2);
  assert.equal(destination.received.length, 0);
  client.sendInput(1, PayloadType.Output, Buffer.from('A'));

  await client.waitForAck(1);
  assert.equal((await destination.waitForBytes(3)).toString(), 'ABC');
  client.close();
});

test('destination bytes arrive as Output of at most 1024 bytes; destination EOF ends the session', async () => {
  const { client } = await startReadySession(emulator, SSH, { autoAck: true });
  const socket = await destination.waitForConnection();
  const data = Buffer.alloc(5000, 'x');

  socket.end(data);
  const { output } = await client.waitForChannelClosed();

  const outputs = client.frames.filter((m) => m.payloadType === PayloadType.Output);
  assert.ok(outputs.every((m) => m.payload.length <= 1024));
  assert.deepEqual(joinedPayloads(client, PayloadType.Output), data);
  assert.equal(output, '');
});

test('the TerminateSession flag ends the session with channel_closed', async () => {
  const { client } = await startReadySession(emulator, SSH);
  await destination.waitForConnection();
  const flag = Buffer.alloc(4);
  flag.writeUInt32BE(2);

  client.sendInput(1, PayloadType.Flag, flag);

  await client.waitForAck(1);
  assert.equal((await client.waitForChannelClosed()).output, '');
  assert.equal((await client.closed).code, 1000);
});

test('a port the target does not serve ends the session with the dial error', async () => {
  const { client } = await startReadySession(emulator, {
    ...SSH,
    Parameters: { portNumber: ['2222'] },
  });

  const { output } = await client.waitForChannelClosed();

  assert.match(output, /Unable to connect to specified port: .*connection refused/);
});

test('channel_closed can carry the relay 112-byte header', async () => {
  const { client, sessionId } = await startReadySession(emulator, SSH);

  emulator.terminate(sessionId, 'Session terminated by the test', true);

  const { message, output } = await client.waitForChannelClosed();
  assert.equal(message.headerLength, 112);
  assert.equal(output, 'Session terminated by the test');
});

test('an input payload above maxPayloadBytes ends the session with an Output naming the limit', async () => {
  emulator.faults.maxPayloadBytes = 1536;
  const { client } = await startReadySession(emulator, SSH);

  client.sendInput(1, PayloadType.Output, Buffer.alloc(1537, 'y'));

  const { output } = await client.waitForChannelClosed();
  assert.match(output, /1537 bytes exceeds .*maxPayloadBytes limit of 1536 bytes/);
});

test('no HandshakeResponse within the timeout ends the session with a clear Output', async () => {
  emulator.faults.handshakeTimeoutMs = 200;
  const { client, handshakeRequest } = await startSession(emulator, SSH);
  client.acknowledge(handshakeRequest);

  const { output } = await client.waitForChannelClosed();

  assert.match(output, /Handshake timed out/);
});
