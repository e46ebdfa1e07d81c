// The text of our managed block: begin marker, one Host section per alias, a `Host *` line that
// hands the rest of the file back to every host, end marker.

import { isValidAlias } from './alias.js';
import { SshConfigError } from './errors.js';
import { DEFAULT_CONNECT_TIMEOUT, type HostEntry } from './hostEntry.js';
import {
  renderConfigPath,
  renderConfigWord,
  renderProxyCommand,
  type SshPlatform,
} from './quote.js';

export const BEGIN_MARKER = '# >>> ecs-remote-ssh: managed block, do not edit >>>';
export const END_MARKER = '# <<< ecs-remote-ssh <<<';
export const BEGIN_PREFIX = '# >>> ecs-remote-ssh';
export const END_PREFIX = '# <<< ecs-remote-ssh';

const HEADER = '# Written by ECS Remote SSH (ecs-ssh). Edits here may be overwritten.';
const FOOTER = '# Ends the hosts above: what follows this block applies to every host, as before.';

export const SERVER_ALIVE_INTERVAL = 30;
export const SERVER_ALIVE_COUNT_MAX = 4;

/** One Host section as lines without line endings; `alias` is its key inside the block. */
export interface HostSection {
  alias: string;
  lines: string[];
}

export function renderHostSection(entry: HostEntry, platform: SshPlatform): HostSection {
  if (!isValidAlias(entry.alias)) {
    throw new SshConfigError('UNSAFE_VALUE', `The alias '${entry.alias}' is not one of ours.`);
  }
  const options: [string, string][] = [
    ['HostName', entry.alias],
    ['User', renderConfigWord(entry.user, 'login user')],
    ['ProxyCommand', renderProxyCommand(entry.proxyCommand, platform)],
    ['HostKeyAlias', entry.alias],
    ['UserKnownHostsFile', renderConfigPath(entry.knownHostsFile, platform)],
    ['StrictHostKeyChecking', 'yes'],
    ['IdentityFile', renderConfigPath(entry.identityFile, platform)],
    ['IdentitiesOnly', 'yes'],
    ['ServerAliveInterval', String(SERVER_ALIVE_INTERVAL)],
    ['ServerAliveCountMax', String(SERVER_ALIVE_COUNT_MAX)],
    ['ConnectTimeout', String(entry.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT)],
  ];
  const lines = [`Host ${entry.alias}`, ...options.map(([key, value]) => `  ${key} ${value}`)];
  return { alias: entry.alias, lines };
}

/** The whole block for these entries, every line ended with `eol`. */
export function renderHostBlock(
  entries: readonly HostEntry[],
  platform: SshPlatform,
  eol = '\n',
): string {
  return renderBlock(
    entries.map((entry) => renderHostSection(entry, platform)),
    eol,
  );
}

export function renderBlock(sections: readonly HostSection[], eol: string): string {
  const body = sections.flatMap((section) => [...section.lines, '']);
  const lines = [BEGIN_MARKER, HEADER, ...body, FOOTER, 'Host *', END_MARKER];
  return lines.map((line) => line + eol).join('');
}

/**
 * Reads the sections back from the lines between the markers. Each starts at a `Host <alias>`
 * line and runs to the next Host or Match line or to our footer; blank lines at its end and
 * anything before the first section (our header) are dropped, since we write them again.
 */
export function parseSections(interior: readonly string[]): HostSection[] {
  const sections: HostSection[] = [];
  let current: HostSection | undefined;
  for (const line of interior) {
    const alias = /^Host\s+(\S+)\s*$/.exec(line)?.[1];
    const ends = /^\s*(host|match)\b/i.test(line) || line.trim() === FOOTER;
    if (ends) current = undefined;
    if (alias !== undefined && alias !== '*') {
      current = { alias, lines: [line.trimEnd()] };
      sections.push(current);
    } else if (current && !ends) {
      current.lines.push(line.trimEnd());
    }
  }
  for (const section of sections) {
    while (section.lines.at(-1) === '') section.lines.pop();
  }
  return sections;
}
