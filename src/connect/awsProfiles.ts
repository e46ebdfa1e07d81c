// The profiles a user can pick: section names of the shared config and credentials files
// (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE honoured), with the region each one sets.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ProfileInfo {
  name: string;
  region?: string;
  /** The profile signs in through IAM Identity Center (SSO). */
  sso: boolean;
}

export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<ProfileInfo[]> {
  const configFile = env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials');
  const config = parseIni(await readOptional(configFile), true);
  const credentials = parseIni(await readOptional(credentialsFile), false);

  const names = new Set([...config.keys(), ...credentials.keys()]);
  return [...names].sort().map((name) => {
    const settings = { ...credentials.get(name), ...config.get(name) };
    const sso = 'sso_start_url' in settings || 'sso_session' in settings;
    return { name, region: settings.region, sso };
  });
}

/** Sections to their keys. In the config file profiles are `[profile NAME]` (but `[default]`);
 * `[sso-session …]` and `[services …]` sections are not profiles. */
export function parseIni(text: string, isConfig: boolean): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      const name = profileName(header[1].trim(), isConfig);
      current = name === undefined ? undefined : (sections.get(name) ?? {});
      if (name !== undefined && current) sections.set(name, current);
      continue;
    }
    const pair = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (pair && current && !/^\s/.test(raw)) current[pair[1].toLowerCase()] = pair[2].trim();
  }
  return sections;
}

function profileName(section: string, isConfig: boolean): string | undefined {
  if (!isConfig) return section;
  if (section === 'default') return section;
  const match = /^profile\s+(.+)$/.exec(section);
  return match ? match[1].trim() : undefined;
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}
