// A 64 MiB random stream in each direction at once through a port session, client to emulator
// to a TCP destination and back, under each fault knob and under all of them together.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { connectPort } from '../src/ssm/connect.js';
import { SsmSessions } from '../src/ssm/ssmSessions.js';
import { defaultFaults } from './emulator/faults.js';
import { startEmulator, type Emulator, type FaultSettings } from './emulator/index.js';
import { ssmClient } from './support/awsEnv.js';
import { hashingSink, randomSource, startDestination } from './support/streams.js';

const SIZE = 64 * 1024 * 1024;
const TARGET = 'ecs:transfer_0123456789abcdef_0123456789abcdef-1';

let emulator: Emulator;
let sessions: SsmSessions;

before(async () => {
  emulator = await startEmulator({ world: { targets: { [TARGET]: { ports: {} } } } });
  sessions = new SsmSessions(ssmClient(emulator.endpoint));
});

after(async () => {
  await emulator?.close();
});

async function transfer(faults: Partial<FaultSettings>, seed: number) {
  const destination = await startDestination(SIZE, SIZE, seed);
  emulator.world.targets[TARGET].ports = { '22': `127.0.0.1:${destination.port}` };
  Object.assign(emulator.faults, { seed }, faults);
  const input = randomSource(SIZE, seed + 1000);
  const output = hashingSink();
  try {
    const started = Date.now();
    const session = await connectPort(sessions, TARGET, 22, { input, output, lingerMs: 30_000 });
    const seconds = (Date.now() - started) / 1000;
    const far = await destination.result;
    output.end();
    return { session, far, input, output, seconds };
  } finally {
    resetFaults();
    await destination.close();
  }
}

function resetFaults(): void {
  Object.assign(emulator.faults, defaultFaults);
}

const knobs: [string, Partial<FaultSettings>][] = [
  ['no faults', {}],
  ['dropped frames', { dropRate: 0.0005 }],
  ['duplicated frames', { duplicateRate: 0.01 }],
  ['reordered frames', { reorderRate: 0.01 }],
  ['delayed acks', { ackDelayMs: 20 }],
  ['corrupted digests', { corruptDigestRate: 0.0005 }],
  ['a websocket drop mid-stream', { dropWebsocketAfterBytes: 24 * 1024 * 1024 }],
  ['paused publication', { pausePublicationMs: 300 }],
  ['unknown message types', { unknownMessageRate: 0.001 }],
  ['the 112-byte channel_closed', { shortChannelClosed: true }],
  [
    'all faults together',
    {
      dropRate: 0.0005,
      duplicateRate: 0.01,
      reorderRate: 0.01,
      ackDelayMs: 20,
      corruptDigestRate: 0.0005,
      dropWebsocketAfterBytes: 24 * 1024 * 1024,
      pausePublicationMs: 300,
      unknownMessageRate: 0.001,
      shortChannelClosed: true,
    },
  ],
];

knobs.forEach(([name, faults], index) => {
  test(`64 MiB each way arrives intact with ${name}`, async (t) => {
    const { session, far, input, output, seconds } = await transfer(faults, 100 + index);

    assert.equal(far.receivedBytes, SIZE, 'the destination received every byte');
    assert.equal(far.receivedDigest, input.digest(), 'upload SHA-256 matches');
    assert.equal(output.bytes, SIZE, 'the client received every byte');
    assert.equal(output.digest(), far.sentDigest, 'download SHA-256 matches');
    assert.equal(session.by, 'peer', 'the agent ended the session after the destination closed');
    const stats = session.channel.stats;
    if (faults.dropWebsocketAfterBytes) assert.ok(stats.reconnects >= 1, 'the client resumed');
    if (faults.corruptDigestRate) assert.ok(stats.digestFailures > 0, 'bad digests were dropped');
    if (faults.duplicateRate) assert.ok(stats.duplicates > 0, 'duplicates were seen');
    const mbps = ((2 * SIZE) / 1024 / 1024 / seconds).toFixed(1);
    t.diagnostic(`${seconds.toFixed(1)} s, ${mbps} MiB/s both ways, ${JSON.stringify(stats)}`);
  });
});
