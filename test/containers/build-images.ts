// Builds every missing container image and prints where each one is cached:
//   npx tsx test/containers/build-images.ts
// Run as root on Debian; the first build takes about a minute and needs the package mirror.

import { ensureImage } from './images.js';
import { IMAGE_NAMES } from './recipes.js';
import { cleanupStale } from './stale.js';

async function main(): Promise<void> {
  for (const removed of cleanupStale()) process.stderr.write(`removed ${removed}\n`);
  for (const name of IMAGE_NAMES) {
    const image = await ensureImage(name);
    const size = (image.bytes / 1e6).toFixed(0);
    const took = image.buildSeconds.toFixed(1);
    process.stdout.write(`${name}\t${image.rootfs}\t${size} MB\tbuilt in ${took} s\n`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
