// Builds the container images once and caches them as directories under the cache root, keyed
// by a hash of their plan. A container mounts an image's rootfs read-only as an overlay lower dir.

import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { bookwormSources, debootstrapMirror, machineSources } from './apt-sources.js';
import { chrootScript, debootstrap } from './chroot.js';
import { run } from './host.js';
import { withLock } from './lock.js';
import { imagesDir } from './paths.js';
import { checkHost } from './preflight.js';
import { imagePlan, planKey, type ImageName, type ImagePlan } from './recipes.js';
import type { BasePlan, Step } from './recipes.js';

export interface Image {
  name: string;
  key: string;
  dir: string;
  rootfs: string;
  buildSeconds: number;
  bytes: number;
}

const pending = new Map<string, Promise<Image>>();

/** The image, built first if this machine has not built its current plan yet. */
export function ensureImage(name: ImageName): Promise<Image> {
  const sources = machineSources();
  const plan = imagePlan(name, debootstrapMirror(sources), bookwormSources(sources));
  return once(`${name}-${planKey(plan)}`, async (key) => {
    const found = readImage(join(imagesDir(), key));
    if (found) return found;

    const base = await ensureBase(plan.base);
    return cachedOrBuilt(key, (dir) => buildImage(plan, base, dir));
  });
}

function ensureBase(plan: BasePlan): Promise<Image> {
  return once(`base-${planKey(plan)}`, (key) =>
    cachedOrBuilt(key, async (dir) => {
      note(`building base (debootstrap ${plan.suite} from ${plan.mirror})`);
      await debootstrap(join(dir, 'rootfs'), plan.suite, plan.mirror);
    }),
  );
}

/** One build per key in this process; a failed one may be retried. */
function once(key: string, build: (key: string) => Promise<Image>): Promise<Image> {
  if (!pending.has(key)) {
    const building = build(key);
    pending.set(key, building);
    building.catch(() => pending.delete(key));
  }
  return pending.get(key)!;
}

/** Returns a finished image directory, or builds it into a partial one and renames it. */
async function cachedOrBuilt(key: string, build: (dir: string) => Promise<void>): Promise<Image> {
  const dir = join(imagesDir(), key);
  const found = readImage(dir);
  if (found) return found;

  checkHost();
  return withLock(`${dir}.lock`, async () => {
    const raced = readImage(dir);
    if (raced) return raced;

    const partial = `${dir}.partial.${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    try {
      const started = Date.now();
      await build(partial);
      await writeMeta(partial, key, (Date.now() - started) / 1000);
      renameSync(partial, dir);
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
    return readImage(dir)!;
  });
}

async function buildImage(plan: ImagePlan, base: Image, dir: string): Promise<void> {
  const rootfs = join(dir, 'rootfs');
  note(`building ${plan.name}`);
  await run('cp', ['-a', '--reflink=auto', base.rootfs, rootfs]);
  for (const step of plan.steps) await applyStep(rootfs, step);
}

async function applyStep(rootfs: string, step: Step): Promise<void> {
  if (step.kind === 'write') {
    writeInside(rootfs, step.path, step.content, step.mode);
  } else if (step.kind === 'chroot') {
    await chrootScript(rootfs, step.script, step.network);
  } else {
    const scan = 'cd "$1" && dpkg-scanpackages --multiversion . /dev/null > Packages';
    await run('/bin/sh', ['-c', scan, 'scan', join(rootfs, step.dir)]);
  }
}

/** Writes a file in the image without following a symlink out of it onto the host. */
function writeInside(rootfs: string, path: string, content: string, mode: number): void {
  const target = join(rootfs, path);
  mkdirSync(dirname(target), { recursive: true });
  const parent = realpathSync(dirname(target));
  if (!`${parent}/`.startsWith(`${realpathSync(rootfs)}/`)) {
    throw new Error(`Refusing to write ${path}: its folder leads out of the image`);
  }
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) unlinkSync(target);
  writeFileSync(target, content);
  chmodSync(target, mode);
}

async function writeMeta(dir: string, key: string, buildSeconds: number): Promise<void> {
  const bytes = Number((await run('du', ['-sb', join(dir, 'rootfs')])).split('\t')[0]);
  const name = key.replace(/-[0-9a-f]{16}$/, '');
  const meta = { name, key, buildSeconds, bytes, builtAt: new Date().toISOString() };
  writeFileSync(join(dir, 'image.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

function readImage(dir: string): Image | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'image.json'), 'utf8'));
    return { ...meta, dir, rootfs: join(dir, 'rootfs') };
  } catch {
    return undefined;
  }
}

function note(text: string): void {
  process.stderr.write(`ecs-remote-ssh images: ${text}\n`);
}
