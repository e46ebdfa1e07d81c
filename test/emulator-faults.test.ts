// The emulator's fault knobs and relay behaviours, observed with raw frames.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';

import { MessageType, PayloadType } from '../src/ssm/message.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { RecordingServer } from './emulator/recording-server.js';
import {
  joinedPayloads,
  resetFaults,
  snapshotOf,
  startReadySession,
  startSession,
  waitUntil,
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

const indexOf = (client: WireClient, type: string) =>
  client.frames.findIndex((m) => m.messageType === type);

async function resume(sessionId: string, streamUrl: string, autoAck = false): Promise<WireClient> {
  const { body } = await callSsm(emulator.endpoint, 'ResumeSession', { SessionId: sessionId });
  return WireClient.open(streamUrl, body.TokenValue, { autoAck });
}

test('after a dropped websocket, ResumeSession and a new token continue the same sequences', async () => {
  const { client, sessionId, streamUrl } = await startReadySession(emulator, SSH);
  const socket = await destination.waitForConnection();
  client.sendInput(1, PayloadType.Output, Buffer.from('A'));
  await client.waitForAck(1);
  socket.write('unacked');
  const lost = await client.waitForOutput(PayloadType.Output);

  emulator.dropWebsocket(sessionId);
  await client.closed;
  const again = await resume(sessionId, streamUrl);

  const resent = await again.waitForOutput(PayloadType.Output);
  assert.equal(resent.sequenceNumber, lost.sequenceNumber);
  assert.equal(resent.payload.toString(), 'unacked');
  again.acknowledge(resent);
  again.sendInput(2, PayloadType.Output, Buffer.from('B'));
  await again.waitForAck(2);
  assert.equal((await destination.waitForBytes(2)).toString(), 'AB');
  assert.equal(snapshotOf(emulator, sessionId).counters.connections, 2);
  again.close();
});

test('dropWebsocketAfterBytes cuts the socket once mid-stream; the stream survives a resume', async () => {
  emulator.faults.dropWebsocketAfterBytes = 20_000;
  const { client, sessionId, streamUrl } = await startReadySession(emulator, SSH, {
    autoAck: true,
  });
  const socket = await destination.waitForConnection();
  const data = randomBytes(100_000);

  socket.write(data);
  await client.closed;
  const again = await resume(sessionId, streamUrl, true);
  socket.end();
  await again.waitForChannelClosed();

  const merged = new Map<bigint, Buffer>();
  for (const frame of [...client.frames, ...again.frames]) {
    if (frame.payloadType === PayloadType.Output && frame.digestValid) {
      merged.set(frame.sequenceNumber, frame.payload);
    }
  }
  const ordered = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p);
  assert.deepEqual(Buffer.concat(ordered), data);
});

test('a corrupted digest is followed by an intact resend of the same message', async () => {
  emulator.faults.corruptDigestRate = 1;
  const { client, sessionId } = await startSession(emulator, SSH);

  assert.equal(client.frames[0].digestValid, false);
  const intact = await client.waitFor(
    (m) => m.payloadType === PayloadType.HandshakeRequest && m.digestValid,
    'an intact HandshakeRequest',
  );
  assert.equal(intact.sequenceNumber, 0n);
  assert.ok(snapshotOf(emulator, sessionId).counters.resends >= 1);
  client.close();
});

test('drop, duplicate, reorder and unknown messages together still deliver the stream intact', async () => {
  Object.assign(emulator.faults, {
    seed: 7,
    dropRate: 0.05,
    duplicateRate: 0.05,
    reorderRate: 0.05,
    unknownMessageRate: 0.05,
    resendTickMs: 20,
  });
  const { client, sessionId } = await startReadySession(emulator, SSH, { autoAck: true });
  const socket = await destination.waitForConnection();
  const data = randomBytes(300_000);

  socket.write(data);
  await waitUntil(
    () => joinedPayloads(client, PayloadType.Output).length >= data.length,
    'the whole stream',
  );

  assert.deepEqual(joinedPayloads(client, PayloadType.Output), data);
  const { counters } = snapshotOf(emulator, sessionId);
  assert.ok(counters.droppedOut > 0 && counters.resends > 0);
  const known = new Set<string>(Object.values(MessageType));
  assert.ok(client.frames.some((m) => !known.has(m.messageType)));
  client.close();
});

test('a dropped client frame is not acknowledged; its resend is', async () => {
  const { client, sessionId } = await startReadySession(emulator, SSH);
  await destination.waitForConnection();
  await waitUntil(() => snapshotOf(emulator, sessionId).counters.acksReceived === 2, 'two acks');
  emulator.faults.dropRate = 1;

  client.sendInput(1, PayloadType.Output, Buffer.from('lost'));
  await waitUntil(() => snapshotOf(emulator, sessionId).counters.droppedIn === 1, 'the drop');
  emulator.faults.dropRate = 0;
  client.sendInput(1, PayloadType.Output, Buffer.from('lost'));

  await client.waitForAck(1);
  assert.equal((await destination.waitForBytes(4)).toString(), 'lost');
  assert.equal(client.frames.filter((m) => m.messageType === MessageType.Acknowledge).length, 2);
  client.close();
});

test('ackDelayMs delays acks behind output sent later', async () => {
  const { client } = await startReadySession(emulator, SSH);
  const socket = await destination.waitForConnection();
  emulator.faults.ackDelayMs = 1000;

  client.sendInput(1, PayloadType.Output, Buffer.from('ping'));
  await destination.waitForBytes(4);
  socket.write('pong');

  const ack = await client.waitForAck(1);
  const pong = await client.waitForOutput(PayloadType.Output);
  assert.ok(client.frames.indexOf(pong) < client.frames.indexOf(ack));
  client.close();
});

test('pausePublication silences the agent until startPublication', async () => {
  const { client, sessionId } = await startReadySession(emulator, SSH, { autoAck: true });
  const socket = await destination.waitForConnection();

  emulator.pausePublication(sessionId);
  await client.waitFor((m) => m.messageType === MessageType.PausePublication, 'pause_publication');
  socket.write('late');
  await waitUntil(
    () => snapshotOf(emulator, sessionId).counters.bytesFromDestination === 4,
    'read',
  );
  emulator.startPublication(sessionId);

  const late = await client.waitForOutput(PayloadType.Output);
  assert.equal(late.payload.toString(), 'late');
  assert.ok(client.frames.indexOf(late) > indexOf(client, MessageType.StartPublication));
  client.close();
});

test('pausePublicationMs pauses once after the first Output, then resumes the stream', async () => {
  emulator.faults.pausePublicationMs = 150;
  const { client } = await startReadySession(emulator, SSH, { autoAck: true });
  const socket = await destination.waitForConnection();
  const data = randomBytes(4096);

  socket.end(data);
  await client.waitForChannelClosed();

  assert.deepEqual(joinedPayloads(client, PayloadType.Output), data);
  const pause = indexOf(client, MessageType.PausePublication);
  const start = indexOf(client, MessageType.StartPublication);
  const outputs = client.frames.filter((m) => m.payloadType === PayloadType.Output);
  assert.ok(pause > client.frames.indexOf(outputs[0]) && start > pause);
  assert.ok(client.frames.indexOf(outputs[1]) > start);
});

test('withholdAcks processes client data but never acknowledges it', async () => {
  const { client, sessionId } = await startReadySession(emulator, SSH);
  await destination.waitForConnection();
  emulator.faults.withholdAcks = true;
  const acksBefore = snapshotOf(emulator, sessionId).counters.acksSent;

  client.sendInput(1, PayloadType.Output, Buffer.from('data'));

  assert.equal((await destination.waitForBytes(4)).toString(), 'data');
  assert.equal(snapshotOf(emulator, sessionId).counters.acksSent, acksBefore);
  client.close();
});

test('skipHandshake: the session never sends a HandshakeRequest', async () => {
  emulator.faults.skipHandshake = true;
  const { body } = await callSsm(emulator.endpoint, 'StartSession', SSH);
  const client = await WireClient.open(body.StreamUrl as string, body.TokenValue);
  await waitUntil(
    () => snapshotOf(emulator, body.SessionId as string).state === 'connected',
    'the connection',
  );

  emulator.terminate(body.SessionId as string, 'ended by the test');

  await client.waitForChannelClosed();
  assert.deepEqual(
    client.frames.map((m) => m.messageType),
    [MessageType.ChannelClosed],
  );
});

test('DisconnectToPort closes the destination; the next Output dials it again', async () => {
  const { client } = await startReadySession(emulator, SSH);
  const first = await destination.waitForConnection(1);
  const flag = Buffer.alloc(4);
  flag.writeUInt32BE(1);

  client.sendInput(1, PayloadType.Flag, flag);
  await client.waitForAck(1);
  await new Promise((resolve) => first.once('close', resolve));
  client.sendInput(2, PayloadType.Output, Buffer.from('again'));

  await destination.waitForConnection(2);
  await waitUntil(() => destination.received.toString() === 'again', 'data on the new connection');
  client.close();
});
