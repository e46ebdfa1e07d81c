// Reads this machine's apt sources (deb822 `.sources` files and one-line `.list` files) to find
// the Debian mirror that image builds use. Only `deb` entries count; disabled ones are skipped.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
}

export const SUITE = 'bookworm';

/** Parses a deb822 `.sources` file. */
export function parseDeb822(text: string): AptSource[] {
  const stanzas = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .split(/\n\s*\n/);
  return stanzas.flatMap((stanza) => {
    const fields = deb822Fields(stanza);
    const types = (fields.types ?? '').split(/\s+/);
    if (!types.includes('deb') || (fields.enabled ?? 'yes').toLowerCase() === 'no') return [];

    const suites = (fields.suites ?? '').split(/\s+/).filter(Boolean);
    const components = (fields.components ?? '').split(/\s+/).filter(Boolean);
    return (fields.uris ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((uri) => ({ uri, suites, components }));
  });
}

function deb822Fields(stanza: string): Record<string, string> {
  const fields: Record<string, string> = {};
  let last = '';
  for (const line of stanza.split('\n')) {
    if (/^\s/.test(line) && last) {
      fields[last] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields[last] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** Parses one-line `deb [options] uri suite components…` sources. */
export function parseOneLine(text: string): AptSource[] {
  return text.split('\n').flatMap((raw) => {
    const line = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, ' ')
      .trim();
    const [type, uri, suite, ...components] = line.split(/\s+/);
    if (type !== 'deb' || !uri || !suite) return [];

    return [{ uri, suites: [suite], components }];
  });
}

/** Every `deb` source of this machine, in the order apt reads them. */
export function machineSources(root = '/etc/apt'): AptSource[] {
  const sources = readIfPresent(join(root, 'sources.list'), parseOneLine);
  const dir = join(root, 'sources.list.d');
  const names = listIfPresent(dir).sort();
  for (const name of names) {
    if (name.endsWith('.list')) sources.push(...readIfPresent(join(dir, name), parseOneLine));
    if (name.endsWith('.sources')) sources.push(...readIfPresent(join(dir, name), parseDeb822));
  }
  return sources;
}

/** The entries an image's apt uses: the machine's bookworm suites (updates, security too). */
export function bookwormSources(sources: AptSource[]): AptSource[] {
  const suite = new RegExp(`^${SUITE}(-[a-z]+)?$`);
  return sources
    .map((source) => ({ ...source, suites: source.suites.filter((s) => suite.test(s)) }))
    .filter((source) => source.suites.length > 0 && /^https?:\/\//.test(source.uri));
}

/** The mirror debootstrap fetches the base system from: the one serving plain `bookworm`. */
export function debootstrapMirror(sources: AptSource[]): string {
  const main = bookwormSources(sources).find((source) => source.suites.includes(SUITE));
  if (!main) {
    throw new Error(
      `No apt source of this machine serves Debian '${SUITE}' over http(s); ` +
        'add one to /etc/apt/sources.list.d/ so images can be built.',
    );
  }
  return main.uri;
}

/** One-line sources.list text for an image. */
export function renderSourcesList(sources: AptSource[]): string {
  return sources
    .flatMap((source) =>
      source.suites.map((suite) => `deb ${source.uri} ${suite} ${source.components.join(' ')}`),
    )
    .map((line) => `${line.trim()}\n`)
    .join('');
}

function readIfPresent(path: string, parse: (text: string) => AptSource[]): AptSource[] {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

function listIfPresent(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
