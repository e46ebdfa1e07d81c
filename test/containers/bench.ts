// Measures the container harness on this machine: start, exec, dial, restart and stop times.
//   npx tsx test/containers/bench.ts
// Dial latency is measured against a small echo server run by the host's node inside the
// container's network namespace: time from dial() to a resolved stream, and to one echoed byte.

import { spawn } from 'node:child_process';
import { once } from 'node:events';

import { startContainer, type Container } from './container.js';
import { collect } from './host.js';

const ECHO =
  "require('net').createServer(s=>s.pipe(s)).listen(7,'127.0.0.1',()=>console.log('up'))";

async function timed<T>(action: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await action();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${label}: median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms (n=${samples.length})`;
}

async function dialSamples(container: Container, count: number): Promise<[number[], number[]]> {
  const connect: number[] = [];
  const echo: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = process.hrtime.bigint();
    const socket = await container.dial(7);
    connect.push(Number(process.hrtime.bigint() - started) / 1e6);
    socket.write('x');
    await once(socket, 'data');
    echo.push(Number(process.hrtime.bigint() - started) / 1e6);
    socket.destroy();
  }
  return [connect, echo];
}

async function main(): Promise<void> {
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    const [container, start] = await timed(() => startContainer({ image: 'sshd' }));
    starts.push(start);
    stops.push((await timed(() => container.stop()))[1]);
  }
  const container = await startContainer({ image: 'sshd' });
  const execs: number[] = [];
  for (let i = 0; i < 20; i += 1)
    execs.push((await timed(() => collect(container.exec(['true']))))[1]);
  const restarts: number[] = [];
  for (let i = 0; i < 5; i += 1) restarts.push((await timed(() => container.restart()))[1]);

  const server = spawn('nsenter', [
    `--net=/run/netns/${container.netns}`,
    process.execPath,
    '-e',
    ECHO,
  ]);
  await once(server.stdout, 'data');
  const [, first] = await timed(() => container.dial(7).then((socket) => socket.destroy()));
  const [connect, echo] = await dialSamples(container, 200);
  server.kill();
  await container.stop();

  const lines = [summary('start', starts), summary('stop', stops), summary('exec true', execs)];
  lines.push(summary('restart', restarts), `first dial (starts the relay): ${first.toFixed(1)} ms`);
  lines.push(summary('dial to connected', connect), summary('dial + 1-byte echo', echo));
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
