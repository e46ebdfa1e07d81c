// NonInteractiveCommands sessions of the emulator, driven with raw frames: argv split as the
// agent splits it in a container, no shell, default and separate output streams.

import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

import { PayloadType } from '../src/ssm/message.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import {
  joinedPayloads,
  resetFaults,
  startReadySession,
  startSession,
} from './emulator/test-support.js';

const TARGET = 'ecs:cluster1_0123456789abcdef0123456789abcdef_0123456789abcdef0123456789abcdef-1';
const NODE = process.execPath;
const PRINT_ARGV = `'process.stdout.write(JSON.stringify(process.argv.slice(1)))'`;

let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({ world: { targets: { [TARGET]: {} } } });
});

afterEach(() => {
  resetFaults(emulator);
  delete emulator.world.separateOutputStream;
  delete emulator.world.kmsKeyId;
});

after(() => emulator.close());

function run(command: string) {
  return startReadySession(
    emulator,
    {
      Target: TARGET,
      DocumentName: 'AWS-StartNonInteractiveCommand',
      Parameters: { command: [command] },
    },
    { autoAck: true },
  );
}

test('a command is split into argv as the agent splits it and runs without a shell', async () => {
  const words = [
    `'it''s'`,
    String.raw`"say \"hi\""`,
    `'$HOME'`,
    '$HOME',
    String.raw`"\$PATH and \\ and \q"`,
    String.raw`back\\slash`,
    String.raw`two\ words`,
    `'line one\nline two'`,
    `a#b|c;d`,
    `""`,
    `\n# a comment up to the end of the line\n`,
    `*`,
  ];
  const { client } = await run(`${NODE} -e ${PRINT_ARGV} ${words.join(' ')}`);

  await client.waitForChannelClosed();

  assert.deepEqual(JSON.parse(joinedPayloads(client, PayloadType.Output).toString()), [
    'its',
    'say "hi"',
    '$HOME',
    '$HOME',
    '$PATH and \\ and q',
    'back\\slash',
    'two words',
    'line one\nline two',
    'a#b|c;d',
    '',
    '*',
  ]);
});

test('by default stdout and stderr arrive together as Output after the command exits', async () => {
  const { client } = await run(`${NODE} -e 'console.log("to stdout"); console.error("to stderr")'`);

  const { output } = await client.waitForChannelClosed();

  const text = joinedPayloads(client, PayloadType.Output).toString();
  assert.match(text, /to stdout\n/);
  assert.match(text, /to stderr\n/);
  assert.ok(!client.frames.some((m) => m.payloadType === PayloadType.ExitCode));
  assert.equal(output, '');
});

test('separate streams send stdout as Output, stderr as StdErr, then EXIT_CODE', async () => {
  emulator.world.separateOutputStream = true;
  const script = `'process.stdout.write("out"); process.stderr.write("err"); process.exitCode = 3'`;
  const { client } = await run(`${NODE} -e ${script}`);

  await client.waitForChannelClosed();

  assert.equal(joinedPayloads(client, PayloadType.Output).toString(), 'out');
  assert.equal(joinedPayloads(client, PayloadType.StdErr).toString(), 'err');
  const exit = await client.waitForOutput(PayloadType.ExitCode);
  assert.equal(exit.payload.toString(), 'EXIT_CODE: 3');
  const streams = client.frames.filter(
    (m) => m.payloadType === PayloadType.Output || m.payloadType === PayloadType.StdErr,
  );
  assert.ok(streams.every((m) => m.sequenceNumber < exit.sequenceNumber));
});

test('Ctrl-C from the client interrupts the command (EXIT_CODE -1 for a signal)', async () => {
  emulator.world.separateOutputStream = true;
  const { client } = await run(`${NODE} -e 'setInterval(() => {}, 1000)'`);

  client.sendInput(1, PayloadType.Output, Buffer.from([0x03]));

  const exit = await client.waitForOutput(PayloadType.ExitCode);
  assert.equal(exit.payload.toString(), 'EXIT_CODE: -1');
  await client.waitForChannelClosed();
});

test('a command that cannot start sends the exec error as StdErr', async () => {
  const { client } = await run('no-such-command-4711 --version');

  const { output } = await client.waitForChannelClosed();

  assert.equal(
    joinedPayloads(client, PayloadType.StdErr).toString(),
    'exec: "no-such-command-4711": executable file not found in $PATH',
  );
  assert.match(output, /^Error occurred starting the command: /);
});

test('an unterminated quote is refused before anything runs', async () => {
  const { client } = await run(`${NODE} -e 'console.log(1)`);

  const { output } = await client.waitForChannelClosed();

  assert.match(output, /Failed to parse commands input: EOF found when expecting closing quote/);
  assert.match(joinedPayloads(client, PayloadType.StdErr).toString(), /closing quote/);
  assert.equal(joinedPayloads(client, PayloadType.Output).length, 0);
});

test('with a KMS key the handshake requests KMSEncryption; Failed ends the session clearly', async () => {
  emulator.world.kmsKeyId = 'arn:aws:kms:us-east-1:123456789012:key/emulated';
  const session = await startSession(emulator, {
    Target: TARGET,
    DocumentName: 'AWS-StartNonInteractiveCommand',
    Parameters: { command: ['true'] },
  });
  const actions = JSON.parse(session.handshakeRequest.payload.toString()).RequestedClientActions;
  assert.deepEqual(actions[0].ActionParameters, {
    SessionType: 'NonInteractiveCommands',
    Properties: null,
  });
  assert.equal(actions[1].ActionType, 'KMSEncryption');
  assert.equal(actions[1].ActionParameters.KMSKeyId, emulator.world.kmsKeyId);

  session.client.acknowledge(session.handshakeRequest);
  session.client.sendHandshakeResponse(session.handshakeRequest, ['KMSEncryption']);

  const { output } = await session.client.waitForChannelClosed();
  assert.match(output, /^KMSEncryption failed on client with status 2 error: /);
  assert.ok(!session.client.frames.some((m) => m.payloadType === PayloadType.HandshakeComplete));
});

test('a client that accepts KMSEncryption is told that KMS is not emulated', async () => {
  emulator.world.kmsKeyId = 'arn:aws:kms:us-east-1:123456789012:key/emulated';
  const session = await startSession(emulator, {
    Target: TARGET,
    DocumentName: 'AWS-StartNonInteractiveCommand',
    Parameters: { command: ['true'] },
  });

  session.client.acknowledge(session.handshakeRequest);
  session.client.sendHandshakeResponse(session.handshakeRequest);

  const { output } = await session.client.waitForChannelClosed();
  assert.match(output, /KMSEncryption is not emulated/);
});

test('client data before HandshakeComplete is acknowledged and thrown away', async () => {
  emulator.world.separateOutputStream = true;
  const { client, handshakeRequest } = await startSession(
    emulator,
    {
      Target: TARGET,
      DocumentName: 'AWS-StartNonInteractiveCommand',
      Parameters: { command: [`${NODE} -e 'setTimeout(() => {}, 200)'`] },
    },
    { autoAck: true },
  );

  client.sendInput(0, PayloadType.Output, Buffer.from([0x03]));
  await client.waitForAck(0);
  client.sendHandshakeResponse(handshakeRequest, [], 1);

  const exit = await client.waitForOutput(PayloadType.ExitCode);
  assert.equal(exit.payload.toString(), 'EXIT_CODE: 0');
});
