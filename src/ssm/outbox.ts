// The sending half of the reliable channel: numbers our stream messages, keeps each until its
// acknowledgement arrives, and resends on the RFC 6298 timer. The in-flight window is bounded;
// callers stop producing when `full` is true and resume on the `onDrain` callback.

import { encodeMessage, MessageType } from './message.js';
import { RtoEstimator } from './rto.js';

interface Pending {
  sequenceNumber: bigint;
  frame: Buffer;
  firstSentAt: number;
  lastSentAt: number;
  resends: number;
}

export interface OutboxOptions {
  /** Writes one frame to the socket; returns false when no socket is open. */
  transmit: (frame: Buffer) => boolean;
  /** Maximum number of unacknowledged stream messages. */
  window: number;
  onDrain: () => void;
  now?: () => number;
}

/** Most resends of later messages per tick, once an ack past them shows they were lost. */
const SELECTIVE_RESENDS_PER_TICK = 64;

export class Outbox {
  private nextSequence = 0n;
  private readonly pending = new Map<bigint, Pending>();
  private readonly rto = new RtoEstimator();
  private highestAcked = -1n;
  private wasFull = false;
  private paused = false;
  private lastProgressAt: number;
  private emptyWaiters: (() => void)[] = [];
  resendCount = 0;

  constructor(private readonly options: OutboxOptions) {
    this.lastProgressAt = this.now();
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * The window spans sequence numbers, not only unacknowledged messages: from the oldest
   * unacknowledged one to the next to send. A lost message thus stops new data after one window,
   * and the peer never has to buffer more than a window of early messages.
   */
  get full(): boolean {
    return this.span() >= this.options.window;
  }

  get timeoutMs(): number {
    return this.rto.timeoutMs;
  }

  /** Resolves when no message is outstanding: at once, or at the acknowledgement that frees the
   * last one. */
  whenEmpty(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  /** Milliseconds since an acknowledgement last freed a message, while any is outstanding. */
  stalledForMs(): number {
    return this.pending.size === 0 ? 0 : this.now() - this.lastProgressAt;
  }

  push(payloadType: number, payload: Buffer): bigint {
    const sequenceNumber = this.nextSequence++;
    const frame = encodeMessage({
      messageType: MessageType.Input,
      sequenceNumber,
      payloadType,
      payload,
    });
    if (this.pending.size === 0) this.lastProgressAt = this.now();
    const entry = { sequenceNumber, frame, firstSentAt: 0, lastSentAt: 0, resends: 0 };
    this.pending.set(sequenceNumber, entry);
    if (!this.paused) this.transmit(entry);
    if (this.full) this.wasFull = true;
    return sequenceNumber;
  }

  /** Removes the message an acknowledgement names; false if it was not outstanding. */
  acknowledge(sequenceNumber: bigint): boolean {
    const entry = this.pending.get(sequenceNumber);
    if (!entry) return false;

    this.pending.delete(sequenceNumber);
    if (entry.resends === 0 && entry.firstSentAt > 0) {
      this.rto.sample(this.now() - entry.firstSentAt);
    }
    if (sequenceNumber > this.highestAcked) this.highestAcked = sequenceNumber;
    this.lastProgressAt = this.now();
    if (this.wasFull && !this.full) {
      this.wasFull = false;
      this.options.onDrain();
    }
    if (this.pending.size === 0) this.wakeEmptyWaiters();
    return true;
  }

  /**
   * Called every 100 ms: resends the oldest message once its timeout has passed, and any later
   * message that is overdue while a newer one has already been acknowledged (it was lost).
   */
  tick(): void {
    if (this.paused) return;
    const now = this.now();
    const timeout = this.rto.timeoutMs;
    let selective = 0;
    let head = true;
    for (const entry of this.pending.values()) {
      const overdue = now - entry.lastSentAt >= timeout;
      if (head) {
        if (overdue) this.resend(entry);
        head = false;
        continue;
      }
      if (entry.sequenceNumber > this.highestAcked) break;
      if (overdue) this.resend(entry);
      if (++selective >= SELECTIVE_RESENDS_PER_TICK) break;
    }
  }

  /** Sends every outstanding message again, in order: after a reconnect or an un-pause. */
  resendAll(): void {
    for (const entry of this.pending.values()) {
      if (entry.firstSentAt === 0) this.transmit(entry);
      else this.resend(entry);
    }
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (paused) return;
    this.lastProgressAt = this.now();
    this.resendAll();
  }

  private wakeEmptyWaiters(): void {
    const waiters = this.emptyWaiters;
    this.emptyWaiters = [];
    for (const wake of waiters) wake();
  }

  private span(): number {
    const oldest = this.pending.keys().next();
    return oldest.done ? 0 : Number(this.nextSequence - oldest.value);
  }

  private resend(entry: Pending): void {
    entry.resends++;
    this.resendCount++;
    this.transmit(entry);
  }

  private transmit(entry: Pending): void {
    if (!this.options.transmit(entry.frame)) return;
    const now = this.now();
    if (entry.firstSentAt === 0) entry.firstSentAt = now;
    entry.lastSentAt = now;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** The acknowledgement payload for one received stream message (§4.2). */
export function ackPayload(messageType: string, messageId: string, sequenceNumber: bigint): Buffer {
  return Buffer.from(
    `{"AcknowledgedMessageType":${JSON.stringify(messageType)},` +
      `"AcknowledgedMessageId":${JSON.stringify(messageId)},` +
      `"AcknowledgedMessageSequenceNumber":${sequenceNumber.toString()},` +
      `"IsSequentialMessage":true}`,
  );
}
