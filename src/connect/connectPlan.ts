// Everything one connection is made of, derived from what the user picked: the Host entry for
// the ssh config, the proxy's options (the extension runs the bootstrap with them before
// opening the window) and the Remote-SSH authority.

import { join } from 'node:path';

import { parseTargetSpec } from '../aws/resolveTarget.js';
import { DEFAULT_SSHD_PORT } from '../bootstrap/bootstrapCommand.js';
import type { Scope } from '../model/nodes.js';
import type { ProxyOptions } from '../proxy/proxyOptions.js';
import { hostEntry, type HostEntry, type KeyPair, type ProxyLauncher } from '../ssh/index.js';

/** What to connect to: a task (`task/<id>`) or a service (`service/<name>`) and a container. */
export interface ConnectRequest {
  scope: Scope;
  cluster: string;
  /** `task/<id>`, `service/<name>` or `family/<name>`. */
  target: string;
  container: string;
  user: string;
  /** The service a task belongs to, when known: for reconnecting and for the fix of exec off. */
  serviceName?: string;
}

/** Where a request points, in the terms the proxy and the connection checks take. */
export function targetOfRequest(request: ConnectRequest) {
  return {
    profile: request.scope.profile,
    region: request.scope.region,
    cluster: request.cluster,
    target: parseTargetSpec(request.target),
    container: request.container,
    user: request.user,
  };
}

export interface ConnectPlan {
  request: ConnectRequest;
  entry: HostEntry;
  proxyOptions: ProxyOptions;
  authority: string;
}

export const REMOTE_SSH_AUTHORITY_PREFIX = 'ssh-remote+';

export function planConnection(
  request: ConnectRequest,
  launcher: ProxyLauncher,
  keys: KeyPair,
  stateDir: string,
): ConnectPlan {
  const knownHostsFile = join(stateDir, 'known_hosts');
  const entry = hostEntry({
    target: {
      profile: request.scope.profile,
      region: request.scope.region,
      cluster: request.cluster,
      target: request.target,
      container: request.container,
    },
    user: request.user,
    launcher,
    identityFile: keys.privateKey,
    publicKeyFile: keys.publicKey,
    knownHostsFile,
  });
  const proxyOptions: ProxyOptions = {
    ...targetOfRequest(request),
    publicKeyFile: keys.publicKey,
    knownHostsFile,
    hostKeyAlias: entry.alias,
    port: DEFAULT_SSHD_PORT,
    chunkSize: 1024,
    verbose: false,
  };
  return { request, entry, proxyOptions, authority: remoteAuthority(entry.alias) };
}

export function remoteAuthority(alias: string): string {
  return `${REMOTE_SSH_AUTHORITY_PREFIX}${alias}`;
}

/** The alias inside a Remote-SSH authority, when the authority is one of ours. */
export function aliasOfAuthority(authority: string): string | undefined {
  if (!authority.startsWith(REMOTE_SSH_AUTHORITY_PREFIX)) return undefined;
  const alias = authority.slice(REMOTE_SSH_AUTHORITY_PREFIX.length);
  return alias.startsWith('ecs--') ? alias : undefined;
}

/** `ssh <alias>`, with `-F` when the config is not the one ssh reads by default. */
export function sshCommandLine(alias: string, configPath: string, defaultPath: string): string {
  if (configPath === defaultPath) return `ssh ${alias}`;
  const quoted = /^[A-Za-z0-9_\-.,:/@+\\]+$/.test(configPath) ? configPath : `"${configPath}"`;
  return `ssh -F ${quoted} ${alias}`;
}
