// `npm run emulator -- --world FILE`: runs the emulator in the foreground, prints one JSON line
// with its endpoints on stdout, logs to stderr, and stops cleanly on SIGINT or SIGTERM.

import { startEmulator } from './index.js';
import { stderrLogger } from './log.js';
import { loadWorld } from './world.js';

const USAGE = 'usage: npm run emulator -- --world FILE';

async function main(argv: string[]): Promise<void> {
  const index = argv.indexOf('--world');
  const file = index >= 0 ? argv[index + 1] : undefined;
  if (!file || argv.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    process.exitCode = 2;
    return;
  }

  const emulator = await startEmulator({ world: loadWorld(file), log: stderrLogger });
  const { endpoint } = emulator;
  process.stdout.write(
    `${JSON.stringify({ endpoint, ssm: endpoint, ecs: endpoint, pid: process.pid })}\n`,
  );
  stderrLogger(`listening on ${endpoint} with world ${file}`);

  const stop = (signal: string) => {
    stderrLogger(`${signal} received, stopping`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: Error) => {
  stderrLogger(error.message);
  process.exit(1);
});
