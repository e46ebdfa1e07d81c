// The proxy's voice on stderr: one line per step with the time since start, and one line per
// failure. stdout belongs to SSH alone.

import type { Logger } from '../ssm/log.js';

export const PRODUCT = 'ecs-remote-ssh';

export interface StepLog extends Logger {
  step(message: string): void;
}

export function stderrLog(
  verbose: boolean,
  write = (line: string) => process.stderr.write(line),
): StepLog {
  const started = Date.now();
  const line = (level: string, message: string): void => {
    const seconds = ((Date.now() - started) / 1000).toFixed(2);
    write(`${PRODUCT}: [${seconds}s] ${level}${message}\n`);
  };
  return {
    step: (message) => line('', message),
    debug: (message) => verbose && line('debug: ', message),
    info: (message) => verbose && line('', message),
    warn: (message) => line('warning: ', message),
    error: (message) => line('error: ', message),
  };
}
