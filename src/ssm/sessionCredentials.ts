// What StartSession, ResumeSession and ECS ExecuteCommand hand back. The token and the stream
// URL are bearer secrets: they live in private fields, and every way of printing this object
// (String(), JSON.stringify, util.inspect, console.log) shows only the session id.

import { inspect } from 'node:util';

export class SessionCredentials {
  readonly #streamUrl: string;
  readonly #tokenValue: string;

  constructor(
    readonly sessionId: string,
    streamUrl: string,
    tokenValue: string,
  ) {
    this.#streamUrl = streamUrl;
    this.#tokenValue = tokenValue;
  }

  /**
   * Reads a StartSession or ResumeSession reply (`SessionId`, `StreamUrl`, `TokenValue`) or an
   * ECS ExecuteCommand `session` (the same three in lower case).
   */
  static fromReply(reply: Record<string, unknown>, fallbackStreamUrl?: string): SessionCredentials {
    const pick = (name: string): string | undefined => {
      const lower = name[0].toLowerCase() + name.slice(1);
      const value = reply[name] ?? reply[lower];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const sessionId = pick('SessionId');
    const streamUrl = pick('StreamUrl') ?? fallbackStreamUrl;
    const tokenValue = pick('TokenValue');
    if (!sessionId || !streamUrl || !tokenValue) {
      const missing = [
        !sessionId && 'SessionId',
        !streamUrl && 'StreamUrl',
        !tokenValue && 'TokenValue',
      ]
        .filter(Boolean)
        .join(', ');
      throw new Error(`Session Manager reply lacks ${missing}; the session cannot be opened.`);
    }
    return new SessionCredentials(sessionId, streamUrl, tokenValue);
  }

  get streamUrl(): string {
    return this.#streamUrl;
  }

  get tokenValue(): string {
    return this.#tokenValue;
  }

  /** The secrets themselves, for a redacting logger to scrub. */
  secrets(): string[] {
    return [this.#tokenValue, this.#streamUrl];
  }

  toString(): string {
    return `Session ${this.sessionId}`;
  }

  toJSON(): { sessionId: string } {
    return { sessionId: this.sessionId };
  }

  [inspect.custom](): string {
    return `SessionCredentials { sessionId: '${this.sessionId}' }`;
  }
}
