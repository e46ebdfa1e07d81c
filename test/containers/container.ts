// An emulated ECS container: a network namespace with only loopback, an overlay of a cached
// image, and an init process holding private mount, pid, uts and ipc namespaces. It implements
// the SSM emulator's TargetRuntime: `dial` reaches the container's own 127.0.0.1 and `run`
// starts a command inside it.

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';

import type { TargetRuntime } from '../emulator/runtime.js';
import { dialThrough, startRelay, unrefAll, type Relay } from './dial.js';
import { execInContainer, type ExecOptions } from './exec.js';
import { killQuietly, run, runQuietly, waitGone, waitGoneSync } from './host.js';
import { ensureImage, type Image } from './images.js';
import { spawnInit, type InitProcess } from './init.js';
import { containersDir, newContainerId } from './paths.js';
import { checkHost } from './preflight.js';
import type { ImageName } from './recipes.js';
import { track, untrack } from './registry.js';
import { cleanupStale } from './stale.js';

export interface StartOptions {
  image: ImageName;
  /** The container's hostname; default its id. */
  name?: string;
  /** Directories that get a fresh tmpfs on every (re)start; default `/run`. */
  tmpfs?: string[];
}

export interface RestartOptions {
  /** Throw away everything the container wrote; default false (keep it, as ECS does). */
  resetFilesystem?: boolean;
}

let staleChecked = false;

/** Starts a container from a cached image (building the image first if needed). */
export async function startContainer(options: StartOptions): Promise<Container> {
  checkHost();
  if (!staleChecked) {
    staleChecked = true;
    cleanupStale();
  }
  const image = await ensureImage(options.image);
  const container = new Container(image, options);
  track(container);
  try {
    await container.boot();
  } catch (error) {
    await container.stop();
    throw error;
  }
  return container;
}

export class Container implements TargetRuntime {
  /** Names the network namespace and state directory: ecsr-<our pid>-<n>. */
  readonly id = newContainerId();
  readonly name: string;
  readonly stateDir: string;
  /** A new value on every (re)start, as a restarted container gets a new runtime id. */
  runtimeId = '';
  private init: InitProcess | undefined;
  private relay: Relay | undefined;
  private stopped: Promise<void> | undefined;

  constructor(
    readonly image: Image,
    private readonly options: StartOptions,
  ) {
    this.name = options.name ?? this.id;
    this.stateDir = join(containersDir(), this.id);
  }

  get netns(): string {
    return this.id;
  }

  /** Host pid of the container's pid 1. */
  get initPid(): number {
    if (!this.init || this.stopped) throw new Error(`Container ${this.name} is not running`);
    return this.init.pid;
  }

  async boot(): Promise<void> {
    await run('ip', ['netns', 'add', this.netns]);
    await run('ip', ['-n', this.netns, 'link', 'set', 'lo', 'up']);
    await this.startInit();
    // Started now, awaited by the first dial: node takes about 0.1 s to start.
    this.relay = startRelay(this.netns, join(this.stateDir, 'dial.sock'));
  }

  /** Starts argv inside the container (no shell). `kill()` signals the command too. */
  exec(argv: string[], options: ExecOptions = {}): ChildProcess {
    return execInContainer(this.initPid, this.name, argv, options);
  }

  /** TargetRuntime: stdin closed, stdout and stderr piped. */
  run(argv: string[], options: { cwd?: string } = {}): ChildProcess {
    return this.exec(argv, { cwd: options.cwd });
  }

  /** TargetRuntime: a byte stream to 127.0.0.1:port inside the container. */
  async dial(port: string | number): Promise<Socket> {
    if (this.stopped || !this.relay) throw new Error(`Container ${this.name} is not running`);
    return dialThrough(this.relay, Number(port));
  }

  /** Kills every process and starts a fresh init (new pid namespace, new runtime id). */
  async restart(options: RestartOptions = {}): Promise<void> {
    if (this.stopped) throw new Error(`Container ${this.name} is stopped`);
    await this.killInit();
    if (options.resetFilesystem) {
      rmSync(join(this.stateDir, 'upper'), { recursive: true, force: true });
      rmSync(join(this.stateDir, 'work'), { recursive: true, force: true });
    }
    await this.startInit();
  }

  /** Kills every process, deletes the namespace and the state directory. Idempotent. */
  stop(): Promise<void> {
    this.stopped ??= this.teardown();
    return this.stopped;
  }

  stopSync(): void {
    this.stopped ??= Promise.resolve();
    const pids = [this.init?.pid, this.init?.child.pid, this.relay?.child.pid];
    pids.forEach((pid) => killQuietly(pid));
    waitGoneSync(pids.filter((pid): pid is number => pid !== undefined));
    runQuietly('ip', ['netns', 'delete', this.netns]);
    rmSync(this.stateDir, { recursive: true, force: true });
    untrack(this);
  }

  private async startInit(): Promise<void> {
    for (const dir of ['upper', 'work', 'root']) {
      mkdirSync(join(this.stateDir, dir), { recursive: true });
    }
    this.runtimeId = randomBytes(16).toString('hex');
    this.init = await spawnInit({
      netns: this.netns,
      lower: this.image.rootfs,
      stateDir: this.stateDir,
      hostname: this.name,
      tmpfs: this.options.tmpfs ?? ['/run'],
    });
    unrefAll(this.init.child);
  }

  private async killInit(): Promise<void> {
    const init = this.init;
    if (!init) return;
    this.init = undefined;
    killQuietly(init.pid);
    killQuietly(init.child.pid);
    await waitGone([init.pid, init.child.pid!]);
  }

  private async teardown(): Promise<void> {
    await this.killInit();
    const relayPid = this.relay?.child.pid;
    killQuietly(relayPid);
    if (relayPid !== undefined) await waitGone([relayPid]);
    await run('ip', ['netns', 'delete', this.netns]).catch(() => undefined);
    rmSync(this.stateDir, { recursive: true, force: true });
    untrack(this);
  }
}
