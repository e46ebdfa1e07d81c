// A logger wrapper that scrubs registered secrets and anything shaped like one before a line
// leaves the process.

import type { Logger } from './log.js';

/** A name with secret, token, password or credential in it. */
const SECRET_NAME = '[\\w.-]*(?:secret|token|password|passwd|credential)[\\w.-]*';
/** The names AWS gives its secrets. */
const AWS_SECRET_NAME =
  '(?:TokenValue|SessionToken|SecretAccessKey|aws_secret_access_key|aws_session_token)';

const PATTERNS: RegExp[] = [
  // Stream URLs: keep the host, drop the path and query that carry the session and cell.
  /\b(wss?:\/\/[^/\s]+)\/[^\s"']*/gi,
  // Anything named like a secret (TokenValue, SessionToken, SecretAccessKey,
  // AWS_SECRET_ACCESS_KEY, aws_session_token, DB_PASSWORD, ...) as a JSON member, key=value or
  // `export NAME=value`, in any case; the AWS names also as `name: value`. A sentence such as
  // "NO_CREDENTIALS: No usable credentials" is none of these.
  new RegExp(
    `((?:["']${SECRET_NAME}["']\\s*:|\\b${SECRET_NAME}\\s*=|\\b${AWS_SECRET_NAME}\\s*:)\\s*)["']?[^"'\\s,})]+["']?`,
    'gi',
  ),
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  // AWS access key ids (long-term AKIA, temporary ASIA): not secret alone, never needed in output.
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  add(...values: (string | undefined)[]): void {
    for (const value of values) {
      if (value && value.length >= 8) this.secrets.add(value);
    }
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    out = out.replace(PATTERNS[0], '$1/[redacted]');
    out = out.replace(PATTERNS[1], '$1[redacted]');
    out = out.replace(PATTERNS[2], '[redacted private key]');
    out = out.replace(PATTERNS[3], '[redacted key id]');
    return out;
  }

  wrap(logger: Logger): Logger {
    return {
      debug: (m) => logger.debug(this.scrub(m)),
      info: (m) => logger.info(this.scrub(m)),
      warn: (m) => logger.warn(this.scrub(m)),
      error: (m) => logger.error(this.scrub(m)),
    };
  }
}

/** Text from elsewhere (a container's output) with anything shaped like a secret scrubbed. */
export function scrubShapes(text: string): string {
  return new Redactor().scrub(text);
}
