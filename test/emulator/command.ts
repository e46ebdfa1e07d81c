// The agent's NonInteractiveCommands plugin (notes §7.2) as it runs in a container: the command
// is split into argv (argv-split.ts) and executed without a shell, stdin closed. Default: all of
// stdout and stderr, interleaved as written, is sent as Output after the process exits.
// Separate streams: stdout as Output, stderr as StdErr while it runs, then `EXIT_CODE: <n>`.

import type { ChildProcess } from 'node:child_process';

import { PayloadType, type DecodedMessage } from '../../src/ssm/message.js';
import { splitArgv } from './argv-split.js';
import { Utf8Chunker } from './chunks.js';
import type { PluginContext, SessionPlugin } from './plugin.js';

const CONTROL_SIGNALS: Record<number, NodeJS.Signals> = { 0x03: 'SIGINT', 0x1c: 'SIGQUIT' };

export class CommandPlugin implements SessionPlugin {
  private child: ChildProcess | undefined;
  private readonly collected: Buffer[] = [];
  private settled = false;
  private stopped = false;

  constructor(
    private readonly context: PluginContext,
    private readonly command: string,
    private readonly separateStreams: boolean,
    private readonly cwd: string | undefined,
  ) {}

  start(): void {
    let argv: string[];
    try {
      argv = this.command.trim() === '' ? ['sh'] : splitArgv(this.command);
      if (argv.length === 0) throw new Error('the command line holds no word to run');
    } catch (error) {
      const text = `Failed to parse commands input: ${(error as Error).message}\n`;
      this.failBeforeStart(`Unable to start command: ${text}\n`);
      return;
    }
    this.context.log(`running ${JSON.stringify(argv)}`);
    this.spawn(argv);
  }

  ready(): boolean {
    return true;
  }

  /** No stdin: client Output is only scanned for Ctrl-C and Ctrl-\ (SIGINT, SIGQUIT). */
  deliver(message: DecodedMessage): void {
    if (message.payloadType !== PayloadType.Output || !this.child || this.settled) return;
    const signal = [...message.payload].map((byte) => CONTROL_SIGNALS[byte]).find(Boolean);
    if (signal) this.child.kill(signal);
  }

  stop(): void {
    this.stopped = true;
    if (this.child && !this.settled) this.child.kill('SIGKILL');
  }

  onWritable(): void {
    this.child?.stdout?.resume();
    this.child?.stderr?.resume();
  }

  private spawn(argv: string[]): void {
    let child: ChildProcess;
    try {
      child = this.context.runtime.run(argv, { cwd: this.cwd });
    } catch (error) {
      this.failToStart((error as Error).message);
      return;
    }
    this.child = child;
    const stdout = new Utf8Chunker();
    const stderr = new Utf8Chunker();
    child.stdout?.on('data', (data: Buffer) => this.onOutput(data, stdout, PayloadType.Output));
    child.stderr?.on('data', (data: Buffer) => this.onOutput(data, stderr, PayloadType.StdErr));
    child.once('error', (error: NodeJS.ErrnoException) =>
      this.failToStart(goExecError(argv[0], error)),
    );
    child.once('close', (code, signal) => this.onClose(code, signal, [stdout, stderr]));
  }

  private onOutput(data: Buffer, chunker: Utf8Chunker, payloadType: number): void {
    if (!this.separateStreams) {
      this.collected.push(data);
      return;
    }
    for (const part of chunker.push(data)) this.context.send(payloadType, part);
    if (!this.context.canSendMore()) {
      this.child?.stdout?.pause();
      this.child?.stderr?.pause();
    }
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null, chunkers: Utf8Chunker[]) {
    if (this.settled || this.stopped) return;
    this.settled = true;
    this.context.log(`command exited with ${signal ?? code}`);
    if (this.separateStreams) {
      chunkers[0].flush().forEach((part) => this.context.send(PayloadType.Output, part));
      chunkers[1].flush().forEach((part) => this.context.send(PayloadType.StdErr, part));
      this.sendExitCode(signal !== null || code === null ? -1 : code);
    } else {
      const chunker = new Utf8Chunker();
      const parts = [...chunker.push(Buffer.concat(this.collected)), ...chunker.flush()];
      parts.forEach((part) => this.context.send(PayloadType.Output, part));
    }
    this.context.finish('');
  }

  /** The process could not be started: its error as StdErr (after EXIT_CODE: 1 when separate). */
  private failToStart(text: string): void {
    if (this.settled || this.stopped) return;
    this.settled = true;
    if (this.separateStreams) this.sendExitCode(1);
    this.context.send(PayloadType.StdErr, Buffer.from(text));
    this.context.finish(`Error occurred starting the command: ${text}\n`);
  }

  private failBeforeStart(text: string): void {
    this.settled = true;
    this.context.send(PayloadType.StdErr, Buffer.from(text));
    this.context.finish(text);
  }

  private sendExitCode(code: number): void {
    this.context.send(PayloadType.ExitCode, Buffer.from(`EXIT_CODE: ${code}`));
  }
}

/** The text Go's os/exec gives for a command that cannot start, which the agent forwards. */
function goExecError(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT' && !file.includes('/')) {
    return `exec: "${file}": executable file not found in $PATH`;
  }
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
  };
  return `fork/exec ${file}: ${reasons[error.code ?? ''] ?? error.message}`;
}
