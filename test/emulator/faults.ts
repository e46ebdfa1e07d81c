// Fault knobs, and the layer that applies them between the agent logic and the websocket.
// Rates are probabilities per frame, drawn from a seeded PRNG (one per session, seeded with
// `seed` when the session starts), so a test that sets `seed` gets the same faults every run.

import { randomBytes } from 'node:crypto';

import { encodeMessage } from '../../src/ssm/message.js';
import { seededRandom } from '../support/seededRandom.js';

export interface FaultSettings {
  seed: number;
  /** Stream data and acks lost, in either direction. */
  dropRate: number;
  /** Stream data and acks delivered twice, in either direction. */
  duplicateRate: number;
  /** A frame is held back and delivered after the next one (or after 50 ms), either direction. */
  reorderRate: number;
  /** Every ack the emulator sends leaves this much later. */
  ackDelayMs: number;
  /** First transmissions of output_stream_data get one digest byte flipped; resends are intact. */
  corruptDigestRate: number;
  /** Close the socket abruptly, once per session, after this many bytes went to the client. */
  dropWebsocketAfterBytes: number;
  /** Once per session, after the first Output: pause_publication, silence, start_publication. */
  pausePublicationMs: number;
  /** channel_closed with the relay's 112-byte header and NUL padding. */
  shortChannelClosed: boolean;
  /** An input_stream_data payload above this many bytes ends the session. 0: no limit. */
  maxPayloadBytes: number;
  /** Never acknowledge the client's stream messages (they are still processed in order). */
  withholdAcks: boolean;
  /** Before a frame, also send a message of a type the client must ignore. */
  unknownMessageRate: number;
  /** Port and command sessions never send their HandshakeRequest. */
  skipHandshake: boolean;
  /** How long the agent waits for the HandshakeResponse (15 s as the agent does). */
  handshakeTimeoutMs: number;
  /**
   * Port sessions: HandshakeComplete waits up to this long for the destination dial, so client
   * data sent on it finds the destination connected, as the relay's latency ensures on AWS.
   * 0 sends HandshakeComplete at once and dials after it, the agent's own order.
   */
  dialBeforeCompleteMs: number;
  /** Close code for an open frame with a bad, used or missing token. */
  badTokenCloseCode: number;
  /** Pause after each destination chunk sent to the client (the agent sleeps 1 ms). */
  pacingMs: number;
  /** How often the oldest unacknowledged message is checked for a resend (the agent: 100 ms). */
  resendTickMs: number;
  /** Stop reading the destination while this many output messages are unacknowledged. */
  outgoingWindow: number;
}

export const defaultFaults: Readonly<FaultSettings> = Object.freeze({
  seed: 1,
  dropRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
  ackDelayMs: 0,
  corruptDigestRate: 0,
  dropWebsocketAfterBytes: 0,
  pausePublicationMs: 0,
  shortChannelClosed: false,
  maxPayloadBytes: 0,
  withholdAcks: false,
  unknownMessageRate: 0,
  skipHandshake: false,
  handshakeTimeoutMs: 15_000,
  dialBeforeCompleteMs: 1000,
  badTokenCloseCode: 1008,
  pacingMs: 0,
  resendTickMs: 100,
  outgoingWindow: 1000,
});

export { seededRandom };

/** stream: first transmission of output_stream_data; resend; ack; control: never faulted. */
export type FrameKind = 'stream' | 'resend' | 'ack' | 'control';

export interface FaultHooks {
  toSocket(frame: Buffer): void;
  dropSocket(): void;
  pauseFor(ms: number): void;
  sessionId: string;
  onDropped(direction: 'in' | 'out'): void;
}

const HOLD_MS = 50;
const DIGEST_OFFSET = 80;

export class FaultLayer {
  private readonly random: () => number;
  private held: { frame: Buffer; timer: NodeJS.Timeout } | undefined;
  private heldIn: { deliver: () => void; timer: NodeJS.Timeout } | undefined;
  private bytesOut = 0;
  private socketDropped = false;
  private publicationPaused = false;

  constructor(
    private readonly faults: FaultSettings,
    private readonly hooks: FaultHooks,
  ) {
    this.random = seededRandom(faults.seed);
  }

  outgoing(frame: Buffer, kind: FrameKind, isOutputData = false): void {
    if (kind === 'control') {
      this.flushHeld();
      this.write(frame);
      return;
    }
    if (kind === 'ack' && this.faults.ackDelayMs > 0) {
      setTimeout(() => this.faultOut(frame, kind), this.faults.ackDelayMs).unref();
    } else {
      this.faultOut(frame, kind);
    }
    if (isOutputData && kind === 'stream') this.maybePausePublication();
  }

  /** Applies drop, duplicate and reorder to a frame from the client, then delivers it. */
  incoming(deliver: () => void): void {
    if (this.chance(this.faults.dropRate)) return this.hooks.onDropped('in');
    const copies = this.chance(this.faults.duplicateRate) ? 2 : 1;
    const run = () => {
      for (let i = 0; i < copies; i++) deliver();
    };
    if (this.heldIn) {
      const earlier = this.heldIn;
      this.heldIn = undefined;
      clearTimeout(earlier.timer);
      run();
      earlier.deliver();
    } else if (this.chance(this.faults.reorderRate)) {
      const timer = setTimeout(() => this.releaseHeldIn(), HOLD_MS);
      this.heldIn = { deliver: run, timer };
    } else {
      run();
    }
  }

  dispose(): void {
    if (this.held) clearTimeout(this.held.timer);
    if (this.heldIn) clearTimeout(this.heldIn.timer);
    this.held = undefined;
    this.heldIn = undefined;
  }

  private faultOut(frame: Buffer, kind: FrameKind): void {
    if (this.chance(this.faults.dropRate)) return this.hooks.onDropped('out');
    let wire = frame;
    if (kind === 'stream' && this.chance(this.faults.corruptDigestRate)) {
      wire = Buffer.from(frame);
      wire[DIGEST_OFFSET] ^= 0xff;
    }
    if (this.chance(this.faults.unknownMessageRate)) this.write(this.unknownMessage());
    const copies = this.chance(this.faults.duplicateRate) ? 2 : 1;

    if (this.held) {
      const earlier = this.held;
      this.held = undefined;
      clearTimeout(earlier.timer);
      for (let i = 0; i < copies; i++) this.write(wire);
      this.write(earlier.frame);
    } else if (copies === 1 && this.chance(this.faults.reorderRate)) {
      this.held = { frame: wire, timer: setTimeout(() => this.flushHeld(), HOLD_MS) };
    } else {
      for (let i = 0; i < copies; i++) this.write(wire);
    }
  }

  private write(frame: Buffer): void {
    this.hooks.toSocket(frame);
    this.bytesOut += frame.length;
    const limit = this.faults.dropWebsocketAfterBytes;
    if (limit > 0 && !this.socketDropped && this.bytesOut >= limit) {
      this.socketDropped = true;
      this.hooks.dropSocket();
    }
  }

  private flushHeld(): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    clearTimeout(held.timer);
    this.write(held.frame);
  }

  private releaseHeldIn(): void {
    const held = this.heldIn;
    this.heldIn = undefined;
    held?.deliver();
  }

  private maybePausePublication(): void {
    if (this.faults.pausePublicationMs <= 0 || this.publicationPaused) return;
    this.publicationPaused = true;
    this.hooks.pauseFor(this.faults.pausePublicationMs);
  }

  private unknownMessage(): Buffer {
    if (this.random() < 0.5) {
      const state = {
        SchemaVersion: 1,
        SessionState: 'Connected',
        SessionId: this.hooks.sessionId,
      };
      const payload = Buffer.from(JSON.stringify(state));
      return encodeMessage({ messageType: 'agent_session_state', payload });
    }
    return encodeMessage({ messageType: 'zz_garbage_7f3e', payload: randomBytes(24) });
  }

  private chance(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }
}
