// One line per event, never a token or a stream URL.

export type Logger = (line: string) => void;

export const silentLogger: Logger = () => {};

export const stderrLogger: Logger = (line) => {
  process.stderr.write(`ssm-emulator: ${line}\n`);
};
