// `npm run bench`: measures connect, throughput, the proxy process, scale, footprint and the data
// channel against the emulator on this machine, and writes docs/benchmarks.md.
//   tsx bench/main.ts [--smoke] [--only connect|scale] [--out FILE]
// --smoke runs every path once with tiny sizes (for test/bench-smoke.test.ts). --only connect (or
// scale) runs that section alone and prints its report to stdout (or --out), leaving
// docs/benchmarks.md as it is. A part that fails is written as such and makes the exit status
// 1; the other parts still run.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { format, resolveConfig } from 'prettier';

import { ensureImage } from '../test/containers/images.js';
import { checkHost } from '../test/containers/preflight.js';
import { startEmulator } from '../test/emulator/index.js';
import { requireBundles, ROOT } from '../test/support/e2e.js';
import { measureConnect, prepareWarm } from './connect.js';
import { measureDataChannel } from './dataChannel.js';
import { measureFootprint } from './footprint.js';
import { describeMachine, machineLines } from './machine.js';
import { FULL, SMOKE, type Plan } from './plan.js';
import { measureProxyStart, proxySection } from './proxyProcess.js';
import { renderReport, type Section } from './report.js';
import { startRig } from './rig.js';
import { measureScale } from './scale.js';
import { measureThroughput } from './throughput.js';
import { connectWorld } from './worlds.js';

const started = Date.now();
let failures = 0;

function say(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`bench [${seconds}s] ${message}\n`);
}

/** Runs one part; a failure becomes a section per title that says what went wrong. */
async function guarded(titles: string[], part: () => Promise<Section[]>): Promise<Section[]> {
  try {
    return await part();
  } catch (error) {
    failures += 1;
    const message = (error as Error).message ?? String(error);
    say(`failed: ${titles.join(', ')}: ${message}`);
    return titles.map((title) => ({
      title,
      lead: [`Not measured: this part failed: ${message}`],
      figures: [],
    }));
  }
}

/** Connect, and unless `connectOnly`, throughput and the proxy process, on one rig. */
async function endToEnd(plan: Plan, connectOnly = false): Promise<Section[]> {
  say('preparing images and the emulator with real containers');
  await Promise.all([ensureImage('sshd'), ensureImage('apt-local')]);
  const rig = await startRig(connectWorld());
  try {
    const warm = await prepareWarm(rig);
    say('connect: warm, floor, cold');
    const connect = await measureConnect(rig, warm, plan);
    if (connectOnly) return [connect];
    say('the proxy process: load, first SSH byte, memory');
    const start = await measureProxyStart(rig, warm, plan);
    say('throughput: scp up and down, floor and chunk sizes');
    const throughput = await measureThroughput(rig, warm, plan);
    return [connect, throughput.section, proxySection(start, throughput.memory)];
  } finally {
    await rig.close();
  }
}

async function footprint(plan: Plan): Promise<Section[]> {
  say('footprint: bundles, activation, .vsix');
  const emulator = await startEmulator({ world: { targets: {} } });
  try {
    return [await measureFootprint(plan, emulator)];
  } finally {
    await emulator.close();
  }
}

async function measureAll(plan: Plan): Promise<Section[]> {
  const e2e = ['Connect', 'Throughput', 'The proxy process'];
  return [
    ...(await guarded(e2e, () => endToEnd(plan))),
    ...(await guarded(['Scale'], async () => {
      say('scale: many clusters, thousands of tasks');
      return [await measureScale(plan)];
    })),
    ...(await guarded(['Footprint'], () => footprint(plan))),
    ...(await guarded(['Data channel on loopback'], async () => {
      say('data channel: client and emulator on loopback, next to plain TCP');
      return [await measureDataChannel(plan)];
    })),
  ];
}

function describePlan(plan: Plan, whole: boolean, only = 'Connect'): string {
  const mode = plan.name === 'full' ? 'full plan' : 'smoke plan: one run each, tiny sizes';
  return whole ? mode : `${mode}, ${only} only`;
}

/** Formats the report as the repository's Prettier would; writes it to `out`, else stdout. */
async function writeReport(text: string, out: string | undefined): Promise<string> {
  const path = resolve(out ?? join(ROOT, 'docs', 'benchmarks.md'));
  const options = (await resolveConfig(path)) ?? {};
  const formatted = await format(text, { ...options, filepath: path });
  if (out === undefined) {
    process.stdout.write(formatted);
    return 'the report to stdout';
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatted);
  return path;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.only !== undefined && values.only !== 'connect' && values.only !== 'scale') {
    throw new Error(`--only takes "connect" or "scale", not "${values.only}"`);
  }
  const plan = values.smoke ? SMOKE : FULL;
  const whole = values.only === undefined;
  const out = values.out ?? (whole ? join(ROOT, 'docs', 'benchmarks.md') : undefined);
  requireBundles();
  checkHost();
  const loadBefore = loadavg()[0];

  const sections = whole
    ? await measureAll(plan)
    : values.only === 'scale'
      ? await guarded(['Scale'], async () => [await measureScale(plan)])
      : await guarded(['Connect'], () => endToEnd(plan, true));
  const loadAfter = loadavg()[0];
  const text = renderReport(
    {
      mode: describePlan(plan, whole, values.only === 'scale' ? 'Scale' : 'Connect'),
      date: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      durationS: (Date.now() - started) / 1000,
      machine: machineLines(describeMachine(ROOT)),
      load: `${loadBefore.toFixed(2)} and ${loadAfter.toFixed(2)}`,
      busy: Math.max(loadBefore, loadAfter) > cpus().length,
    },
    sections,
  );
  const where = await writeReport(text, out);
  say(`wrote ${where}${failures ? `; ${failures} part(s) failed` : ''}`);
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
