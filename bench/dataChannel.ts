// The data channel alone (issue 2's figure): a random stream each way at once through a port
// session, our client to the emulator to a TCP destination on loopback, next to a plain TCP
// connection to the same destination moving the same bytes. Client and emulator run in this
// process, as in test/ssm-transfer.test.ts.

import { connect } from 'node:net';
import { finished } from 'node:stream/promises';

import { connectPort } from '../src/ssm/connect.js';
import { SsmSessions } from '../src/ssm/ssmSessions.js';
import { startEmulator } from '../test/emulator/index.js';
import { ssmClient } from '../test/support/awsEnv.js';
import { hashingSink, randomSource, startDestination } from '../test/support/streams.js';
import type { Plan } from './plan.js';
import { ratio, type Section } from './report.js';
import { formatNumber, MiB, mibPerSecond, timed } from './stats.js';

const TARGET = 'ecs:bench_0123456789abcdef_0123456789abcdef-1';

type Copy = (port: number, size: number, seed: number) => Promise<string>;

/** Returns the digest of what came back; the destination checks what went out. */
const throughChannel =
  (sessions: SsmSessions, setPort: (port: number) => void): Copy =>
  async (port, size, seed) => {
    setPort(port);
    const output = hashingSink();
    await connectPort(sessions, TARGET, 22, { input: randomSource(size, seed), output });
    output.end();
    return output.digest();
  };

const plainTcp: Copy = async (port, size, seed) => {
  const socket = connect({ host: '127.0.0.1', port });
  const output = hashingSink();
  randomSource(size, seed).pipe(socket, { end: false });
  socket.pipe(output);
  await finished(output);
  return output.digest();
};

async function measure(copy: Copy, size: number, seed: number): Promise<number> {
  const destination = await startDestination(size, size, seed);
  try {
    const [digest, ms] = await timed(() => copy(destination.port, size, seed + 1));
    const far = await destination.result;
    if (far.receivedBytes !== size || digest !== far.sentDigest) {
      throw new Error('the data channel benchmark moved the wrong bytes');
    }
    return mibPerSecond(2 * size, ms);
  } finally {
    await destination.close();
  }
}

export async function measureDataChannel(plan: Plan): Promise<Section> {
  const emulator = await startEmulator({ world: { targets: { [TARGET]: { ports: {} } } } });
  const sessions = new SsmSessions(ssmClient(emulator.endpoint));
  const setPort = (port: number) => {
    emulator.world.targets[TARGET].ports = { '22': `127.0.0.1:${port}` };
  };
  const channel: number[] = [];
  const tcp: number[] = [];
  try {
    for (let i = 0; i < plan.dataChannelRuns; i += 1) {
      channel.push(await measure(throughChannel(sessions, setPort), plan.dataChannelBytes, i));
      tcp.push(await measure(plainTcp, plan.dataChannelBytes, 100 + i));
    }
  } finally {
    await emulator.close();
  }
  return dataChannelSection(plan, channel, tcp);
}

function dataChannelSection(plan: Plan, channel: number[], tcp: number[]): Section {
  const size = `${formatNumber(plan.dataChannelBytes / MiB)} MiB`;
  const method = `(2 × ${size}) / time until the last byte came back and the destination had all`;
  return {
    title: 'Data channel on loopback',
    lead: [
      `${size} of pseudo-random bytes each way at once (test/support/streams.ts), SHA-256 checked` +
        ' at both ends. Ours: `connectPort` (src/ssm) with its default 1024-byte chunks, through' +
        ' the emulator (StartSession, websocket, acknowledgements) to a TCP destination on' +
        ' 127.0.0.1; session start included. Plain TCP: one loopback connection to the same kind' +
        ' of destination. Client, emulator and destination share one node process, as in' +
        ' test/ssm-transfer.test.ts. Runs alternate.',
    ],
    figures: [
      { label: 'Through client and emulator', samples: channel, unit: 'MiB/s', method },
      { label: 'Plain TCP copy', samples: tcp, unit: 'MiB/s', method },
    ],
    notes: [`The data channel moves ${ratio(channel, tcp)} the bytes per second of plain TCP.`],
  };
}
