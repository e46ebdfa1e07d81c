// One Host entry: the alias and everything its section says. Built from a target, the login user,
// the launcher that runs our proxy, the key pair and our managed known_hosts file.

import { hostAlias, type ConnectTarget } from './alias.js';

/** How ssh starts our proxy: an absolute program path and its leading arguments. */
export interface ProxyLauncher {
  /** e.g. the node binary, or a packaged executable. */
  command: string;
  /** e.g. `['/path/dist/proxy.js']` or `['/path/dist/cli.js', 'proxy']`. */
  args: readonly string[];
}

export interface HostEntry {
  alias: string;
  /** The login user inside the container. */
  user: string;
  /** The private key ssh offers (IdentitiesOnly). */
  identityFile: string;
  /** Our managed known_hosts file, where the proxy pins the container's host key. */
  knownHostsFile: string;
  /** The ProxyCommand as an argv; quoting happens when it is rendered. */
  proxyCommand: readonly string[];
  /** Seconds; generous because the first connect may install sshd. */
  connectTimeout?: number;
}

export interface HostEntryInput {
  target: ConnectTarget;
  user: string;
  launcher: ProxyLauncher;
  identityFile: string;
  publicKeyFile: string;
  knownHostsFile: string;
}

export const DEFAULT_CONNECT_TIMEOUT = 120;

export function hostEntry(input: HostEntryInput): HostEntry {
  const alias = hostAlias({ ...input.target, user: input.user });
  const proxyCommand = [
    input.launcher.command,
    ...input.launcher.args,
    ...proxyArguments(input, alias),
  ];
  return {
    alias,
    user: input.user,
    identityFile: input.identityFile,
    knownHostsFile: input.knownHostsFile,
    proxyCommand,
  };
}

/** The flags the proxy reads: where to go, as whom, and where to pin the host key. */
export function proxyArguments(input: HostEntryInput, alias: string): string[] {
  const { target } = input;
  const profile = target.profile === undefined ? [] : ['--profile', target.profile];
  return [
    ...profile,
    ...['--region', target.region, '--cluster', target.cluster],
    ...['--target', target.target, '--container', target.container],
    ...['--user', input.user, '--public-key', input.publicKeyFile],
    ...['--known-hosts', input.knownHostsFile, '--host-key-alias', alias],
  ];
}
