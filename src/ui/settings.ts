// The extension's settings, read fresh at each use. Paths and profiles are `machine` or
// `application` scoped in package.json, so values of this machine never reach a remote window.

import { join } from 'node:path';
import { homedir } from 'node:os';

import * as vscode from 'vscode';

import type { Scope } from '../model/nodes.js';
import { defaultConfigPath, defaultStateDir } from '../ssh/index.js';

export const SECTION = 'ecsRemote';

export interface Settings {
  connections: Scope[];
  /** Our key pair and known_hosts live here. */
  stateDirectory: string;
  identityFile?: string;
  loginUser: string;
  /** Folder to open in the container; empty opens an empty remote window. */
  remoteFolder: string;
  autoRefreshSeconds: number;
  /** Run the IAM simulation for the tasks the tree lists. */
  checkPermissionsInTree: boolean;
  /** Remote-SSH's `remote.SSH.configFile`, else ~/.ssh/config. */
  sshConfigFile: string;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const remoteSsh = vscode.workspace.getConfiguration('remote.SSH').get<string>('configFile');
  return {
    connections: validScopes(config.get<unknown[]>('connections') ?? []),
    stateDirectory: expandHome(config.get<string>('stateDirectory') || defaultStateDir()),
    identityFile: optionalPath(config.get<string>('identityFile')),
    loginUser: config.get<string>('loginUser') || 'root',
    remoteFolder: config.get<string>('remoteFolder') ?? '',
    autoRefreshSeconds: Math.max(0, config.get<number>('autoRefreshSeconds') ?? 60),
    checkPermissionsInTree: config.get<boolean>('checkPermissionsInTree') ?? true,
    sshConfigFile: expandHome(remoteSsh || defaultConfigPath()),
  };
}

/** Settings as one log line: names and values, paths included, nothing secret among them. */
export function describeSettings(settings: Settings): string {
  return JSON.stringify(settings);
}

function validScopes(values: unknown[]): Scope[] {
  const scopes: Scope[] = [];
  for (const value of values) {
    const entry = value as { profile?: unknown; region?: unknown };
    if (typeof entry?.region !== 'string' || entry.region === '') continue;
    const profile = typeof entry.profile === 'string' && entry.profile ? entry.profile : undefined;
    scopes.push({ profile, region: entry.region });
  }
  return scopes;
}

function optionalPath(value: string | undefined): string | undefined {
  return value ? expandHome(value) : undefined;
}

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return path;
}
