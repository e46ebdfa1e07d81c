// What a session plugin (the agent's Port or NonInteractiveCommands plugin) gets from its session.

import type { SessionCounters } from './counters.js';
import type { FaultSettings } from './faults.js';
import type { Logger } from './log.js';
import type { Consumer } from './reliability.js';
import type { TargetRuntime } from './runtime.js';

export interface PluginContext {
  runtime: TargetRuntime;
  faults: FaultSettings;
  counters: SessionCounters;
  /** Sends one output_stream_data message. */
  send(payloadType: number, payload: Buffer): void;
  /** False while the client is unreachable or too much is unacknowledged: stop reading. */
  canSendMore(): boolean;
  /** Retries client messages held back while the plugin was not ready. */
  drainChannel(): void;
  /** Ends the session from the agent's side: flush, then channel_closed with this Output. */
  finish(output: string): void;
  log: Logger;
}

export interface SessionPlugin extends Consumer {
  /** Runs on a Success HandshakeResponse; HandshakeComplete waits for what it returns. */
  prepare?(clientVersion: string): Promise<void>;
  /** Runs once the handshake is complete. */
  start(clientVersion: string): void;
  /** Releases the destination socket or the child process. Idempotent. */
  stop(): void;
  /** The channel can take more output again. */
  onWritable(): void;
}
