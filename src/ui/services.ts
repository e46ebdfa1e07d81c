// What commands, the tree and the status bar share: the log, settings, AWS clients per scope
// (cached; dropped after a credentials failure so a new sign-in is picked up), and the proxy
// launcher in global storage.

import * as vscode from 'vscode';

import { createClients, type AwsClients } from '../aws/clients.js';
import { listProfiles } from '../connect/awsProfiles.js';
import { installLauncher } from '../connect/launcher.js';
import { Findings } from '../model/findings.js';
import { scopeId, type Scope } from '../model/nodes.js';
import { hostPlatform, type ProxyLauncher } from '../ssh/index.js';
import type { Log } from './log.js';
import { readSettings, type Settings } from './settings.js';

export class Services {
  private readonly clientCache = new Map<string, AwsClients>();
  private defaultScope: Scope | undefined;
  private launcherReady: Promise<ProxyLauncher> | undefined;
  /** What Diagnose Connection and failed Connects found; the tree shows it on the rows. */
  readonly findings = new Findings();

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: Log,
  ) {}

  settings(): Settings {
    return readSettings();
  }

  /** The configured pairs; without any, the default chain in AWS_REGION or the default
   * profile's region when one is known, else none (the welcome view shows). */
  scopes(): Scope[] {
    const configured = this.settings().connections;
    if (configured.length > 0) return configured;
    return this.defaultScope ? [this.defaultScope] : [];
  }

  async detectDefaultScope(): Promise<void> {
    const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    const profile = process.env.AWS_PROFILE || undefined;
    const fromProfile = (await listProfiles()).find((p) => p.name === (profile ?? 'default'));
    const found = region || fromProfile?.region;
    this.defaultScope = found ? { profile, region: found } : undefined;
  }

  clients(scope: Scope): AwsClients {
    const key = scopeId(scope);
    let clients = this.clientCache.get(key);
    if (!clients) {
      clients = createClients(scope, this.log);
      this.clientCache.set(key, clients);
    }
    return clients;
  }

  /** Drops cached clients; an operation still using them finishes on its own. */
  forget(scope?: Scope): void {
    if (scope) this.clientCache.delete(scopeId(scope));
    else this.clientCache.clear();
  }

  /** Rewrites the launcher for this editor and this extension version (once per activation). */
  launcher(): Promise<ProxyLauncher> {
    this.launcherReady ??= installLauncher({
      dir: this.context.globalStorageUri.fsPath,
      runtime: process.execPath,
      proxyScript: this.context.asAbsolutePath('dist/proxy.js'),
      platform: hostPlatform(),
    });
    return this.launcherReady;
  }
}
