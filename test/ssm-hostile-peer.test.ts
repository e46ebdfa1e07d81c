// The client against peers that misbehave: a malformed handshake, a relay that drops every
// resumed socket at once, and an abort that must still reach the TerminateSession API.

import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { after, test } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';

import { ChannelError } from '../src/ssm/errors.js';
import { encodeMessage, MessageType, PayloadType } from '../src/ssm/message.js';
import { runPortSession } from '../src/ssm/portSession.js';
import { SessionCredentials } from '../src/ssm/sessionCredentials.js';
import { Documents, SsmSessions } from '../src/ssm/ssmSessions.js';
import { startEmulator } from './emulator/index.js';
import { ssmClient } from './support/awsEnv.js';

const servers: WebSocketServer[] = [];
after(() => servers.forEach((server) => server.close()));

/** A relay on loopback that runs `onOpen` for every socket after its open frame. */
async function hostileRelay(onOpen: (socket: WebSocket, index: number) => void): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  let count = 0;
  server.on('connection', (socket) => {
    socket.once('message', () => onOpen(socket, count++));
  });
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/data-channel/s-1`;
}

function handshakeRequest(payload: string): Buffer {
  return encodeMessage({
    messageType: MessageType.Output,
    sequenceNumber: 0,
    flags: 1,
    payloadType: PayloadType.HandshakeRequest,
    payload: Buffer.from(payload),
  });
}

const sink = () => new Writable({ write: (_c, _e, done) => done() });

for (const payload of ['null', '{"RequestedClientActions":{"a":1}}', '{nope', '[1,2]']) {
  test(`a malformed HandshakeRequest (${payload}) ends with PROTOCOL_ERROR, not a crash`, async () => {
    const url = await hostileRelay((socket) => socket.send(handshakeRequest(payload)));
    await assert.rejects(
      runPortSession({
        credentials: new SessionCredentials('s-1', url, 'token-0123456789'),
        input: Readable.from([]),
        output: sink(),
        handshakeTimeoutMs: 5000,
      }),
      (error: ChannelError) => error.code === 'PROTOCOL_ERROR',
    );
  });
}

test('a relay that closes every resumed socket at once: RECONNECT_FAILED, bounded', async () => {
  let resumes = 0;
  const url = await hostileRelay((socket, index) => {
    if (index === 0) socket.send(handshakeRequest('{"RequestedClientActions":[]}'));
    setTimeout(() => socket.close(1011), index === 0 ? 50 : 0);
  });
  await assert.rejects(
    runPortSession({
      credentials: new SessionCredentials('s-1', url, 'token-0123456789'),
      resume: async () => {
        resumes++;
        return new SessionCredentials('s-1', url, `token-${resumes}-0123456789`);
      },
      input: Readable.from([]),
      output: sink(),
      handshakeTimeoutMs: 60_000,
    }),
    (error: ChannelError) => error.code === 'RECONNECT_FAILED',
  );
  assert.ok(resumes >= 5 && resumes <= 6, `${resumes} resumes`);
});

test('aborting a port session sends the flag and calls the TerminateSession API', async () => {
  const target = 'ecs:abort_0123_0123-1';
  const holder = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as AddressInfo).port;
  const ports = { '22': `127.0.0.1:${port}` };
  const emulator = await startEmulator({ world: { targets: { [target]: { ports } } } });
  try {
    const sessions = new SsmSessions(ssmClient(emulator.endpoint));
    const credentials = await sessions.start({ target, documentName: Documents.ssh });
    const abort = new AbortController();
    const input = new Readable({ read: () => undefined });
    const running = runPortSession({
      credentials,
      input,
      output: sink(),
      signal: abort.signal,
      terminate: () => sessions.terminate(credentials.sessionId),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    const end = await running;
    assert.ok(end.by === 'client' || end.by === 'peer');
    const calls = emulator.apiCalls.map((call) => call.operation);
    assert.ok(calls.includes('TerminateSession'), calls.join(', '));
  } finally {
    await emulator.close();
    holder.close();
  }
});
