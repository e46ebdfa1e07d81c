// The far side of the Session Manager data channel, for tests: the SSM JSON API and the
// websocket relay + agent, on one loopback HTTP server. See README.md.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { handleApiRequest, openSession, type ApiCall, type ApiContext } from './api.js';
import { createDataChannelServer, DATA_CHANNEL_PATH } from './data-channel.js';
import { resolveDocument } from './documents.js';
import { setupEcs, type EcsControls } from './ecs/index.js';
import { defaultFaults, type FaultSettings } from './faults.js';
import { silentLogger, type Logger } from './log.js';
import { hostRuntime, type RuntimeFactory } from './runtime.js';
import { Session, type SessionSnapshot } from './session.js';
import { validateWorld, type World } from './world.js';

export type { FaultSettings } from './faults.js';
export type { SessionSnapshot } from './session.js';
export type { TargetRuntime, RuntimeFactory } from './runtime.js';
export type { World, TargetSpec } from './world.js';
export type { EcsControls } from './ecs/index.js';

export interface EmulatorOptions {
  world: World;
  /** How targets dial ports and run commands; default: on this machine. */
  runtime?: RuntimeFactory;
  /** Where log lines go; default: nowhere. Lines never hold tokens. */
  log?: Logger;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`: the SSM JSON API and the data channel websocket. */
  endpoint: string;
  /** Mutable at any time; applies to live and new sessions. */
  faults: FaultSettings;
  world: World;
  sessions(): SessionSnapshot[];
  /** Closes the session's socket abruptly; the client must ResumeSession and reconnect. */
  dropWebsocket(sessionId: string): void;
  /** Tells the client the agent went away: pause_publication, then silence. */
  pausePublication(sessionId: string): void;
  /** start_publication, and the agent sends again. */
  startPublication(sessionId: string): void;
  /** Relay-style channel_closed carrying `output`, with the 112-byte header if `shortHeader`. */
  terminate(sessionId: string, output?: string, shortHeader?: boolean): void;
  /** Every API call so far: operation and target, never a token. */
  apiCalls: ApiCall[];
  /** Lifecycle controls of the world's ECS tasks; absent when the world has no `ecs`. */
  ecs?: EcsControls;
  /** Ends every session, socket, child process, container and the server. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const world = validateWorld(options.world);
  const log = options.log ?? silentLogger;
  let runtimeFor = options.runtime ?? hostRuntime;
  const faults: FaultSettings = { ...defaultFaults, ...world.faults };
  const sessions = new Map<string, Session>();
  const apiCalls: ApiCall[] = [];
  const find = (sessionId: string) => sessions.get(sessionId);
  const server = createServer();
  let port = 0;

  const context: ApiContext = {
    world,
    apiCalls,
    callCounts: new Map(),
    log,
    streamUrl: (id) => `ws://127.0.0.1:${port}${DATA_CHANNEL_PATH}${id}?role=publish_subscribe`,
    findSession: find,
    createSession(spec) {
      const runtime = runtimeFor(spec.target, world.targets[spec.target]);
      const session = new Session(spec, faults, runtime, log);
      sessions.set(spec.sessionId, session);
      return session;
    },
  };
  const ecs = await setupEcs(world, (target, command) => {
    const document = resolveDocument('AWS-StartNonInteractiveCommand', { command: [command] });
    return openSession(context, target, document, 'ecs');
  });
  if (ecs) {
    context.ecs = ecs.context;
    runtimeFor = ecs.runtime(runtimeFor, options.runtime === undefined);
  }
  const dataChannel = createDataChannelServer(find, faults, log);
  server.on('request', (request, response) => void handleApiRequest(request, response, context));
  server.on('upgrade', (request, socket, head) => {
    if (request.url?.startsWith(DATA_CHANNEL_PATH))
      dataChannel.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  port = await listen(server);

  const existing = (sessionId: string) => {
    const session = find(sessionId);
    if (!session) throw new Error(`No session with id ${sessionId}`);
    return session;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    world,
    apiCalls,
    sessions: () => [...sessions.values()].map((session) => session.snapshot()),
    dropWebsocket: (id) => existing(id).dropWebsocket(),
    pausePublication: (id) => existing(id).pausePublication(),
    startPublication: (id) => existing(id).startPublication(),
    terminate: (id, output, shortHeader) => existing(id).terminate(output, shortHeader),
    ecs: ecs?.controls,
    async close() {
      for (const session of sessions.values()) session.terminate('');
      dataChannel.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ecs?.close();
    },
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
