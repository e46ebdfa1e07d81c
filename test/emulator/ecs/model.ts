// The ECS part of an emulated world: clusters, services, tasks, containers and task
// definitions, as the world file describes them and as the API hands them out. Every field the
// world leaves out is left out of the replies too, as AWS does with optional members.

export type ExecAgentStatus = 'RUNNING' | 'PENDING' | 'STOPPED' | 'none';
export type EmulatedImage = 'sshd' | 'apt-local' | 'offline';

export interface EcsWorld {
  accountId?: string;
  region?: string;
  clusters: ClusterSpec[];
  taskDefinitions?: TaskDefinitionSpec[];
}

export interface ClusterSpec {
  name: string;
  status?: string;
  /** The cluster's `configuration.executeCommandConfiguration`, passed through as given. */
  executeCommandConfiguration?: Record<string, unknown>;
  /** EC2 container instances, for tasks with `launchType` EC2 to run on. */
  containerInstances?: ContainerInstanceSpec[];
  services?: ServiceSpec[];
  tasks?: TaskSpec[];
}

export interface ServiceSpec {
  name: string;
  /** `family:revision` */
  taskDefinition: string;
  enableExecuteCommand?: boolean;
  desiredCount?: number;
  launchType?: 'FARGATE' | 'EC2';
}

export interface TaskSpec {
  /** 32 hex characters; generated when absent. */
  id?: string;
  taskDefinition: string;
  /** The service that started the task; sets `group` and `startedBy`. */
  service?: string;
  startedBy?: string;
  lastStatus?: string;
  desiredStatus?: string;
  enableExecuteCommand?: boolean;
  launchType?: 'FARGATE' | 'EC2';
  platformVersion?: string;
  /** The `id` of the cluster's container instance the task runs on (EC2). */
  containerInstance?: string;
  cpuArchitecture?: string;
  /** Epoch seconds. */
  startedAt?: number;
  stoppedReason?: string;
  containers: ContainerSpec[];
}

export interface ContainerSpec {
  name: string;
  image?: string;
  /** Absent while PENDING; generated for RUNNING containers when not given. */
  runtimeId?: string;
  lastStatus?: string;
  /** The ExecuteCommandAgent managed agent; `none` leaves `managedAgents` out. Default RUNNING. */
  execAgent?: ExecAgentStatus;
  execAgentReason?: string;
  /** false: ECS reports the agent, but it cannot reach Session Manager (no network path), so
   * StartSession says TargetNotConnected. Default true. */
  agentConnected?: boolean;
  /** Run this container for real: a network namespace with a root file system of this image. */
  emulatedImage?: EmulatedImage;
  /** For containers not run for real: port inside → `127.0.0.1:<port>` on this machine. */
  ports?: Record<string, string>;
}

export interface ContainerInstanceSpec {
  /** 32 hex characters, the last part of its ARN. */
  id: string;
  ec2InstanceId?: string;
  /** `versionInfo.agentVersion`, e.g. `1.50.2`. Default `1.87.0`. */
  agentVersion?: string;
}

export interface TaskDefinitionSpec {
  family: string;
  revision: number;
  pidMode?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  containerDefinitions: ContainerDefinitionSpec[];
}

export interface ContainerDefinitionSpec {
  name: string;
  image?: string;
  user?: string;
  readonlyRootFilesystem?: boolean;
  linuxParameters?: { initProcessEnabled?: boolean };
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
}

/** A task as the emulator holds it: the spec plus everything generated for it. */
export interface TaskState {
  cluster: string;
  id: string;
  spec: TaskSpec;
  containers: ContainerState[];
  createdAt: number;
}

export interface ContainerState {
  spec: ContainerSpec;
  runtimeId?: string;
}

export function isExecReachable(task: TaskState, container: ContainerState): boolean {
  const agent = container.spec.execAgent ?? 'RUNNING';
  return (
    (task.spec.lastStatus ?? 'RUNNING') === 'RUNNING' &&
    task.spec.enableExecuteCommand === true &&
    agent === 'RUNNING' &&
    container.runtimeId !== undefined
  );
}

export function ssmTargetOf(task: TaskState, container: ContainerState): string {
  return `ecs:${task.cluster}_${task.id}_${container.runtimeId}`;
}
