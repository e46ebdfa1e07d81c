// The logging surface the pure layers write to. The editor layer backs it with a
// LogOutputChannel, the proxy with stderr; tests capture it to prove no secret reaches it.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
