// The log pipeline behind the extension's output channel: every line passes the redactor, which
// knows the credentials resolved so far (added by checkCredentials) and the shapes of tokens,
// stream URLs and private keys.

import type { Logger } from '../ssm/log.js';
import { Redactor } from '../ssm/redact.js';

export interface SafeLog extends Logger {
  redactor: Redactor;
}

export function safeLog(sink: Logger, redactor = new Redactor()): SafeLog {
  return { ...redactor.wrap(sink), redactor };
}
