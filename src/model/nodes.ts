// The ECS tree as plain data: one node per row, built by the tree model and turned into
// TreeItems by the editor layer. Every node has a stable id, so a refresh keeps expansion.

import type { CheckResult } from '../diagnose/checkResult.js';

/** One profile and region pair: a top node of the tree. No profile means the default chain. */
export interface Scope {
  profile?: string;
  region: string;
}

export interface ClusterSummary {
  name: string;
  arn: string;
  status: string;
  runningTasks: number;
  activeServices: number;
  /** What the checks of its ECS Exec configuration found wrong (a KMS key). */
  problems?: CheckResult[];
}

export interface ServiceSummary {
  name: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  execEnabled: boolean;
  taskDefinition: string;
}

export interface ContainerSummary {
  name: string;
  image?: string;
  lastStatus: string;
  runtimeId?: string;
  /** The ExecuteCommandAgent's lastStatus; undefined when the task reports no agent. */
  agentStatus?: string;
  agentReason?: string;
  /** What the connection checks found wrong for this container (fail and warn, and unknown
   * from the deeper checks), when checked. */
  problems?: CheckResult[];
  /** Where the newest earlier finding among `problems` came from. */
  foundBy?: FoundBy;
}

export interface FoundBy {
  source: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface TaskSummary {
  arn: string;
  id: string;
  lastStatus: string;
  desiredStatus: string;
  execEnabled: boolean;
  /** `family:revision` of the task definition. */
  taskDefinition: string;
  launchType?: string;
  /** Epoch milliseconds. */
  startedAt?: number;
  /** The service that started it, from `group`. */
  serviceName?: string;
  stoppedReason?: string;
  containers: ContainerSummary[];
  /** What the connection checks found wrong for the task (fail and warn, and unknown from the
   * deeper checks), when checked. */
  problems?: CheckResult[];
  foundBy?: FoundBy;
}

interface Base {
  /** Stable across refreshes: the path of names from the top. */
  id: string;
}

interface InScope extends Base {
  scope: Scope;
}

export interface ScopeNode extends InScope {
  kind: 'scope';
}

export interface ClusterNode extends InScope {
  kind: 'cluster';
  cluster: ClusterSummary;
}

export interface ServiceNode extends InScope {
  kind: 'service';
  clusterName: string;
  service: ServiceSummary;
}

export interface StandaloneNode extends InScope {
  kind: 'standalone';
  clusterName: string;
}

export interface TaskNode extends InScope {
  kind: 'task';
  clusterName: string;
  task: TaskSummary;
}

export interface ContainerNode extends InScope {
  kind: 'container';
  clusterName: string;
  task: TaskSummary;
  container: ContainerSummary;
}

/** A level that could not be listed: what failed, the full reason, and its error code. */
export interface ErrorNode extends Base {
  kind: 'error';
  what: string;
  message: string;
  code: string;
}

/** A level that is empty. */
export interface EmptyNode extends Base {
  kind: 'empty';
  what: string;
  /** When being empty is itself the problem (a region with no clusters): the check and fix. */
  problem?: CheckResult;
}

/** Credentials are missing or expired for a scope; the row runs the sign-in or profile command. */
export interface CredentialsNode extends InScope {
  kind: 'credentials';
  problem: 'missing' | 'expired';
  message: string;
  /** The exact command that signs in again, when one exists (SSO). */
  signInCommand?: string;
  /** The same failure as the connection checks name it: code, sentence and fix. */
  check?: CheckResult;
}

export type ResourceNode =
  ScopeNode | ClusterNode | ServiceNode | StandaloneNode | TaskNode | ContainerNode;

export type EcsNode = ResourceNode | ErrorNode | EmptyNode | CredentialsNode;

export function scopeId(scope: Scope): string {
  return `${scope.profile ?? 'default'}@${scope.region}`;
}

export function scopeLabel(scope: Scope): string {
  return `${scope.profile ?? 'default'} · ${scope.region}`;
}

/** The last path segment of an ARN (or the value itself). */
export function lastSegment(arn: string): string {
  return arn.split('/').pop() ?? arn;
}
