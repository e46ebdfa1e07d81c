// The Host alias for one container: readable, lowercase, deterministic and safe to use as an ssh
// Host pattern, a HostKeyAlias and a Remote-SSH authority.

import { createHash } from 'node:crypto';

/** What one alias points at. `profile` is absent when the default credential chain is used. */
export interface ConnectTarget {
  profile?: string;
  region: string;
  cluster: string;
  /** A task id, or a service or task family the proxy follows to its current task. */
  target: string;
  container: string;
  /** The login user; any user but root adds a last part, so users never share a block. */
  user?: string;
}

export const ALIAS_PREFIX = 'ecs';
export const ALIAS_MAX_LENGTH = 96;
const HASH_LENGTH = 8;
const KIND_SLASH = /^(task|service|family)\//;
const SEPARATOR = '--';

/**
 * `ecs--<profile>--<region>--<cluster>--<target>--<container>`, each part cut down to
 * [a-z0-9.-] with no `--` inside it (`service/web` becomes `service-web`). A short hash of the
 * exact inputs is appended when cutting down lost information (case, other characters) or when
 * the alias would be longer than ALIAS_MAX_LENGTH, so two different targets never share one.
 */
export function hostAlias(target: ConnectTarget): string {
  const raw = [target.profile ?? 'default', target.region, target.cluster, target.target];
  raw.push(target.container);
  // Each login user gets its own Host block; root, the default, keeps the short alias.
  if (target.user !== undefined && target.user !== 'root') raw.push(target.user);
  // `service/web` reads as `service-web`: names never contain `/`, so nothing is lost there.
  const plain = raw.map((part, i) => (i === 3 ? part.replace(KIND_SLASH, '$1-') : part));
  const parts = plain.map(sanitizePart);
  const lossy = parts.some((part, i) => part !== plain[i]);
  const readable = [ALIAS_PREFIX, ...parts].join(SEPARATOR);
  if (!lossy && readable.length <= ALIAS_MAX_LENGTH) return readable;

  const hash = createHash('sha256').update(JSON.stringify(raw)).digest('hex');
  const room = ALIAS_MAX_LENGTH - HASH_LENGTH - 1;
  const head = readable.slice(0, room).replace(/[-.]+$/, '');
  return `${head}-${hash.slice(0, HASH_LENGTH)}`;
}

/** True for strings hostAlias can produce: safe as a Host pattern and on any command line. */
export function isValidAlias(alias: string): boolean {
  return alias.length <= ALIAS_MAX_LENGTH && /^ecs--[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(alias);
}

function sanitizePart(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  return cleaned === '' ? 'x' : cleaned;
}
