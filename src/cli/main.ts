// `ecs-ssh`: the product's core from a terminal, for plain ssh, scp and other editors.

import { proxyMain } from '../proxy/main.js';
import { describeCliError } from './cliError.js';
import { configCommand } from './configCommand.js';
import { doctorCommand } from './doctorCommand.js';
import { lsCommand } from './lsCommand.js';

export const USAGE = `Usage: ecs-ssh <command> [options]

Commands:
  ls       list clusters, services, tasks and containers
  config   write a Host block for a container into your ssh config and print its alias
  doctor   check why a container cannot be reached, and print each problem with its fix
  proxy    the ProxyCommand that Host blocks run (carries SSH over Session Manager)

Run "ecs-ssh <command> --help" for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

const out = (line: string): void => void process.stdout.write(`${line}\n`);

const commands: Record<string, Command> = {
  ls: (argv) => lsCommand(argv, out),
  config: (argv) => configCommand(argv, out),
  doctor: (argv) => doctorCommand(argv, out),
  proxy: (argv) => proxyMain(argv),
};

export async function cliMain(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ecs-ssh: unknown command "${name}".\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (error) {
    const message = describeCliError(error, { command: name, argv: rest });
    process.stderr.write(`ecs-ssh ${name}: ${message}\n`);
    return 1;
  }
}
