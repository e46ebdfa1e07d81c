// Shared by the container test files: start a container once the host is checked and every
// image is built, so a machine that cannot run them fails each test with the fix.

import { startContainer, type Container } from './container.js';
import { collect, run } from './host.js';
import { ensureImage } from './images.js';
import { checkHost } from './preflight.js';
import { IMAGE_NAMES, type ImageName } from './recipes.js';

let ready: Promise<unknown> | undefined;

export async function startForTest(image: ImageName): Promise<Container> {
  ready ??= Promise.resolve().then(() => {
    checkHost();
    return Promise.all(IMAGE_NAMES.map(ensureImage));
  });
  await ready;
  return startContainer({ image, name: `test-${image}` });
}

export function sh(container: Container, script: string, env: Record<string, string> = {}) {
  return collect(container.exec(['/bin/sh', '-c', script], { env }));
}

/** Network namespaces this process made that still exist. */
export async function ourNamespaces(): Promise<string[]> {
  const names = (await run('ip', ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0]);
  return names.filter((name) => name.startsWith(`ecsr-${process.pid}-`));
}
