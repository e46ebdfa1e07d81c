// The receiving half of the reliable channel (§4.3 of the protocol notes): deliver strictly in
// order, buffer messages that arrive early, re-acknowledge duplicates, and leave a message
// unacknowledged while its consumer is not ready so that the sender resends it.

import type { DecodedMessage } from './message.js';

export interface Receipt {
  /** Whether to acknowledge the message just received. */
  acknowledge: boolean;
  /** Messages now deliverable, in sequence order. */
  deliver: DecodedMessage[];
  duplicate: boolean;
}

export class Inbox {
  private expected = 0n;
  private readonly early = new Map<bigint, DecodedMessage>();
  duplicates = 0;

  constructor(private readonly capacity = 10_000) {}

  get nextExpected(): bigint {
    return this.expected;
  }

  receive(message: DecodedMessage, consumerReady: boolean): Receipt {
    const sequence = message.sequenceNumber;
    if (sequence < this.expected) {
      this.duplicates++;
      return { acknowledge: true, deliver: [], duplicate: true };
    }
    if (sequence > this.expected) {
      if (this.early.has(sequence)) return { acknowledge: true, deliver: [], duplicate: true };
      if (this.early.size >= this.capacity)
        return { acknowledge: false, deliver: [], duplicate: false };
      this.early.set(sequence, message);
      return { acknowledge: true, deliver: [], duplicate: false };
    }
    if (!consumerReady) return { acknowledge: false, deliver: [], duplicate: false };

    const deliver = [message];
    this.expected++;
    for (let next = this.early.get(this.expected); next; next = this.early.get(this.expected)) {
      this.early.delete(this.expected);
      deliver.push(next);
      this.expected++;
    }
    return { acknowledge: true, deliver, duplicate: false };
  }
}
