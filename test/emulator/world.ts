// The emulated AWS account: which Session Manager targets exist, what their ports lead to, and
// how the emulated service behaves. Loaded from a JSON world file (see README.md).

import { readFileSync } from 'node:fs';

import type { EcsWorld } from './ecs/model.js';
import type { FaultSettings } from './faults.js';
import type { IamWorld } from './iam/policy.js';

export const DEFAULT_AGENT_VERSION = '3.3.987.0';

export interface World {
  /** Session Manager targets, keyed by target id: `ecs:<cluster>_<taskId>_<runtimeId>`. */
  targets: Record<string, TargetSpec>;
  /** The AgentVersion sent in every HandshakeRequest. Default 3.3.987.0. */
  agentVersion?: string;
  /** When set, NonInteractiveCommands handshakes also request KMSEncryption with this key. */
  kmsKeyId?: string;
  /** StartSession fails with AccessDeniedException. */
  denyStartSession?: boolean;
  /** The first n calls of an operation fail with ThrottlingException. */
  throttle?: { StartSession?: number };
  /** NonInteractiveCommands stream stdout, stderr and the exit code as the agent does when the
   * session document sets `separateOutputStream: true`. */
  separateOutputStream?: boolean;
  /** Access key ids whose temporary credentials have expired: every request signed with one
   * fails as AWS fails it (ExpiredTokenException on ECS and SSM, ExpiredToken on IAM and STS). */
  expiredAccessKeys?: string[];
  /** First part of every SessionId, as the service uses the caller's name. Default `emulator`. */
  caller?: string;
  /** ECS clusters, services, tasks and containers; their exec-reachable containers become
   * targets (see ecs/model.ts). */
  ecs?: EcsWorld;
  /** The caller's identity and the IAM policies of users and roles (see iam/policy.ts). When
   * set, StartSession checks ssm:StartSession against the caller's policies, and an ECS task
   * whose role lacks the ssmmessages actions has an agent that never connects. */
  iam?: IamWorld;
  /** Fault knobs in force when the emulator starts (see faults.ts). */
  faults?: Partial<FaultSettings>;
}

export interface TargetSpec {
  /** Port number inside the target → `127.0.0.1:<port>` on this machine. */
  ports?: Record<string, string>;
  /** false: the agent is offline and StartSession fails with TargetNotConnected. */
  connected?: boolean;
  /** Working directory for NonInteractiveCommands (default: the emulator's own). */
  commandCwd?: string;
}

export class WorldError extends Error {
  override name = 'WorldError';
}

export function loadWorld(path: string): World {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new WorldError(`Cannot read world file "${path}": ${(error as Error).message}`);
  }
  return validateWorld(parsed);
}

/** Checks the shape of a world and that every port leads to loopback only. */
export function validateWorld(value: unknown): World {
  if (!isObject(value) || (value.targets !== undefined && !isObject(value.targets))) {
    throw new WorldError('A world needs a "targets" object, or ECS "clusters" under "ecs"');
  }
  value.targets ??= {};
  if (value.ecs !== undefined && (!isObject(value.ecs) || !Array.isArray(value.ecs.clusters))) {
    throw new WorldError('"ecs" must be an object with a "clusters" list');
  }
  for (const [id, spec] of Object.entries(value.targets as Record<string, unknown>)) {
    validateTarget(id, spec);
  }
  if (value.faults !== undefined && !isObject(value.faults)) {
    throw new WorldError('"faults" must be an object');
  }
  return value as unknown as World;
}

function validateTarget(id: string, spec: unknown): void {
  if (!/^ecs:[^_]+_[^_]+_.+$/.test(id) && !/^(i|mi)-[0-9a-f]+$/.test(id)) {
    throw new WorldError(`Target "${id}" is not shaped like ecs:<cluster>_<taskId>_<runtimeId>`);
  }
  if (!isObject(spec)) throw new WorldError(`Target "${id}" must be an object`);
  const ports = spec.ports ?? {};
  if (!isObject(ports)) throw new WorldError(`Target "${id}": "ports" must be an object`);
  for (const [port, address] of Object.entries(ports)) {
    if (typeof address !== 'string' || parseLoopbackAddress(address) === undefined) {
      throw new WorldError(
        `Target "${id}": port ${port} must map to "127.0.0.1:<port>", not ${JSON.stringify(address)}`,
      );
    }
  }
}

/** `127.0.0.1:2222` or `localhost:2222` → the port; anything else → undefined. */
export function parseLoopbackAddress(address: string): number | undefined {
  const match = /^(127\.0\.0\.1|localhost):(\d{1,5})$/.exec(address);
  if (!match) return undefined;
  const port = Number(match[2]);
  return port > 0 && port < 65536 ? port : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
