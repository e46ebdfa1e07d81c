// The client's clear outcomes against the emulator: bounded memory when acks stop, handshake
// time-out, KMS, a refused token, unknown messages, and command sessions run as the agent
// runs them in a container.

import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { after, afterEach, before, test } from 'node:test';

import { runCommand } from '../src/ssm/connect.js';
import { ChannelError } from '../src/ssm/errors.js';
import { PayloadType } from '../src/ssm/message.js';
import { runPortSession } from '../src/ssm/portSession.js';
import { openSession } from '../src/ssm/session.js';
import { SessionCredentials } from '../src/ssm/sessionCredentials.js';
import { Documents, SessionApiError, SsmSessions } from '../src/ssm/ssmSessions.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { ssmClient } from './support/awsEnv.js';

const TARGET = 'ecs:sessions_00112233445566778899aabbccddeeff_00112233445566778899aabbccddeeff-7';

let emulator: Emulator;
let sessions: SsmSessions;
let sink: Server;

before(async () => {
  sink = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const port = (sink.address() as AddressInfo).port;
  emulator = await startEmulator({
    world: { targets: { [TARGET]: { ports: { '22': `127.0.0.1:${port}` } } } },
  });
  sessions = new SsmSessions(ssmClient(emulator.endpoint));
});

afterEach(() => {
  Object.assign(emulator.faults, { withholdAcks: false, skipHandshake: false });
  delete emulator.world.kmsKeyId;
  emulator.world.separateOutputStream = false;
});

after(async () => {
  await emulator?.close();
  sink?.close();
});

function startSsh(): Promise<SessionCredentials> {
  return sessions.start({
    target: TARGET,
    documentName: Documents.ssh,
    parameters: { portNumber: ['22'] },
  });
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** An endless input that counts how much of it the client has taken. */
function endlessInput(): Readable & { taken: number } {
  const chunk = Buffer.alloc(64 * 1024, 7);
  const input = new Readable({
    read() {
      input.taken += chunk.length;
      this.push(chunk);
    },
  }) as Readable & { taken: number };
  input.taken = 0;
  return input;
}

test('memory stays bounded while the agent withholds acks: input is paused at the window', async () => {
  emulator.faults.withholdAcks = true;
  const input = endlessInput();
  const output = new Writable({ write: (_c, _e, done) => done() });
  const abort = new AbortController();
  const credentials = await startSsh();
  const running = runPortSession({
    credentials,
    input,
    output,
    window: 256,
    signal: abort.signal,
  });

  await new Promise((resolve) => setTimeout(resolve, 1500));
  const heapBefore = process.memoryUsage().heapUsed;
  const takenBefore = input.taken;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const takenAfter = input.taken;
  const heapAfter = process.memoryUsage().heapUsed;
  abort.abort();
  await running;

  const bound = 256 * 1024 + 2 * 64 * 1024 + input.readableHighWaterMark;
  assert.ok(takenAfter <= bound, `took ${takenAfter} bytes, window allows ${bound}`);
  assert.equal(takenAfter, takenBefore, 'nothing more was read once the window was full');
  assert.ok(heapAfter - heapBefore < 16 * 1024 * 1024, 'heap did not grow with time');
});

test('drained() resolves at the acknowledgement of the last message, not on a polling timer', async (t) => {
  const { channel } = await openSession({ credentials: await startSsh(), onData: () => {} });
  let drained: boolean | undefined;

  t.mock.timers.enable({ apis: ['setTimeout'] });
  try {
    channel.send(PayloadType.Output, Buffer.from('last words'));
    void channel.drained(60_000).then((result) => (drained = result));
    const giveUp = Date.now() + 10_000;
    while (channel.unacknowledged > 0 && Date.now() < giveUp) await nextTurn();
    await nextTurn();
  } finally {
    t.mock.timers.reset();
    channel.close();
  }

  assert.equal(channel.unacknowledged, 0, 'the emulator acknowledged the message');
  assert.equal(drained, true, 'drained() had resolved without any timer firing');
});

test('a missing handshake ends with HANDSHAKE_TIMEOUT, not a hang', async () => {
  emulator.faults.skipHandshake = true;
  const credentials = await startSsh();
  await assert.rejects(
    runPortSession({
      credentials,
      input: Readable.from([]),
      output: new Writable({ write: (_c, _e, done) => done() }),
      handshakeTimeoutMs: 1000,
    }),
    (error: ChannelError) =>
      error.code === 'HANDSHAKE_TIMEOUT' && /did not complete/.test(error.message),
  );
});

test('a KMS encryption request ends with KMS_NOT_SUPPORTED naming the key', async () => {
  emulator.world.kmsKeyId = 'arn:aws:kms:eu-west-1:111122223333:key/test-key';
  await assert.rejects(
    runCommand(sessions, TARGET, 'true'),
    (error: ChannelError) =>
      error.code === 'KMS_NOT_SUPPORTED' &&
      error.message.includes('KMS-encrypted sessions are not supported yet') &&
      error.message.includes('key/test-key'),
  );
});

test('a refused token ends with TOKEN_REJECTED and the token is in no message', async () => {
  const real = await startSsh();
  const forged = new SessionCredentials(real.sessionId, real.streamUrl, 'forged-token-0123456789');
  const error = await runPortSession({
    credentials: forged,
    input: Readable.from([]),
    output: new Writable({ write: (_c, _e, done) => done() }),
  }).then(
    () => assert.fail('the forged token was accepted'),
    (e: ChannelError) => e,
  );
  assert.equal(error.code, 'TOKEN_REJECTED');
  assert.ok(!error.message.includes('forged-token'));
  assert.ok(!error.message.includes(real.streamUrl));
  assert.ok(!String(error.stack).includes(real.tokenValue));
});

test('StartSession errors arrive typed: TargetNotConnected and AccessDenied', async () => {
  emulator.world.targets['ecs:gone_1_1-1'] = { connected: false };
  await assert.rejects(
    sessions.start({ target: 'ecs:gone_1_1-1', documentName: Documents.ssh }),
    (error: SessionApiError) =>
      error.code === 'TARGET_NOT_CONNECTED' && /ExecuteCommandAgent/.test(error.message),
  );
  emulator.world.denyStartSession = true;
  try {
    await assert.rejects(
      startSsh(),
      (error: SessionApiError) =>
        error.code === 'ACCESS_DENIED' && /ssm:StartSession/.test(error.message),
    );
  } finally {
    emulator.world.denyStartSession = false;
  }
});

const TRICKY_SCRIPT = [
  'printf "%s|" "$1" "$2" "$3"',
  "printf '%s\\n' 'single \"double\" $HOME \\back'",
  'printf "%s\\n" "dollar: \\$x, quote: \\" backslash: \\\\"',
  'exit 3',
].join('\n');

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

test('a command with quotes, $, backslashes and newlines runs exactly as the agent runs it', async () => {
  emulator.world.separateOutputStream = true;
  const command = ['sh', '-c', TRICKY_SCRIPT, 'argv0', "it's", 'a "b"', 'c\\d $e']
    .map(quote)
    .join(' ');
  const result = await runCommand(sessions, TARGET, command);
  const expected =
    `it's|a "b"|c\\d $e|` +
    'single "double" $HOME \\back\n' +
    'dollar: $x, quote: " backslash: \\\n';
  assert.equal(result.stdout.toString(), expected);
  assert.equal(result.exitCode, 3);
});

test('command output also arrives whole when the agent batches it, with no exit code', async () => {
  const result = await runCommand(sessions, TARGET, `sh -c 'echo out; echo err >&2; exit 5'`);
  assert.match(result.stdout.toString(), /out\n/);
  assert.match(result.stdout.toString(), /err\n/);
  assert.equal(result.exitCode, undefined);
});

test('unknown message types are ignored and the session completes', async () => {
  emulator.faults.unknownMessageRate = 0.5;
  try {
    const result = await runCommand(sessions, TARGET, `sh -c 'seq 1 2000'`);
    const lines = result.stdout.toString().trim().split('\n');
    assert.equal(lines.length, 2000);
    assert.equal(lines[1999], '2000');
  } finally {
    emulator.faults.unknownMessageRate = 0;
  }
});

test('no token or stream URL reaches the log, through a websocket drop and resume', async () => {
  const lines: string[] = [];
  const capture = (m: string) => void lines.push(m);
  const logger = { debug: capture, info: capture, warn: capture, error: capture };
  const credentials = await startSsh();
  const resumed: SessionCredentials[] = [];
  const input = new Readable({ read: () => undefined });
  const output = new Writable({ write: (_c, _e, done) => done() });
  const running = runPortSession({
    credentials,
    input,
    output,
    logger,
    lingerMs: 100,
    resume: async (id) => {
      const fresh = await sessions.resume(id);
      if (fresh) resumed.push(fresh);
      return fresh;
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  input.push(Buffer.from('before the drop'));
  emulator.dropWebsocket(credentials.sessionId);
  await new Promise((resolve) => setTimeout(resolve, 500));
  input.push(Buffer.from('after the drop'));
  input.push(null);
  const result = await running;

  assert.equal(resumed.length, 1, 'the client resumed once');
  assert.equal(result.channel.stats.reconnects, 1);
  assert.ok(
    lines.some((line) => /resuming session/.test(line)),
    'the drop was logged',
  );
  const all = lines.join('\n');
  for (const secret of [credentials, ...resumed].flatMap((c) => c.secrets())) {
    assert.ok(!all.includes(secret), 'a token or stream URL reached the log');
  }
});
