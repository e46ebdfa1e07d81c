// The live ECS state of an emulated world: built from the world file, changed by the API
// (UpdateService) and by the lifecycle controls tests use (stop a task, replace a service's task,
// restart a container in place with a new runtime id).

import { randomBytes } from 'node:crypto';

import { parseLoopbackAddress, WorldError } from '../world.js';

import type {
  ClusterSpec,
  ContainerSpec,
  ContainerState,
  EcsWorld,
  ServiceSpec,
  TaskDefinitionSpec,
  TaskSpec,
  TaskState,
} from './model.js';

export class EcsState {
  readonly accountId: string;
  readonly region: string;
  readonly clusters = new Map<string, ClusterSpec>();
  readonly tasks: TaskState[] = [];
  readonly taskDefinitions: TaskDefinitionSpec[];
  /** Called after every change, so that Session Manager targets follow the tasks. */
  onChange: () => void = () => undefined;

  constructor(world: EcsWorld) {
    this.accountId = world.accountId ?? '111122223333';
    this.region = world.region ?? 'eu-west-1';
    this.taskDefinitions = world.taskDefinitions ?? [];
    for (const cluster of world.clusters) {
      checkContainers(cluster);
      this.clusters.set(cluster.name, { ...cluster, services: [...(cluster.services ?? [])] });
      for (const task of cluster.tasks ?? []) this.addTask(cluster.name, task);
    }
  }

  arn(kind: string, path: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${kind}/${path}`;
  }

  cluster(nameOrArn: string | undefined): ClusterSpec | undefined {
    const name = (nameOrArn ?? 'default').split('/').pop() ?? '';
    return this.clusters.get(name);
  }

  tasksOf(cluster: string): TaskState[] {
    return this.tasks.filter((task) => task.cluster === cluster);
  }

  findTask(cluster: string, idOrArn: string): TaskState | undefined {
    const id = idOrArn.split('/').pop();
    return this.tasks.find((task) => task.cluster === cluster && task.id === id);
  }

  service(cluster: string, nameOrArn: string): ServiceSpec | undefined {
    const name = nameOrArn.split('/').pop();
    return this.clusters.get(cluster)?.services?.find((service) => service.name === name);
  }

  taskDefinition(ref: string): TaskDefinitionSpec | undefined {
    const [family, revision] = (ref.split('/').pop() ?? '').split(':');
    const matches = this.taskDefinitions.filter((d) => d.family === family);
    if (revision === undefined) return matches.sort((a, b) => b.revision - a.revision)[0];
    return matches.find((d) => d.revision === Number(revision));
  }

  addTask(cluster: string, spec: TaskSpec): TaskState {
    const id = spec.id ?? randomBytes(16).toString('hex');
    const containers: ContainerState[] = spec.containers.map((container) => ({
      spec: { ...container },
      runtimeId: container.runtimeId ?? defaultRuntimeId(id, container.lastStatus, spec.lastStatus),
    }));
    const task: TaskState = { cluster, id, spec: { ...spec, id }, containers, createdAt: now() };
    this.tasks.push(task);
    return task;
  }

  stopTask(cluster: string, taskId: string, reason = 'Task stopped by the emulator'): TaskState {
    const task = this.requireTask(cluster, taskId);
    task.spec.lastStatus = 'STOPPED';
    task.spec.desiredStatus = 'STOPPED';
    task.spec.stoppedReason = reason;
    for (const container of task.containers) container.spec.lastStatus = 'STOPPED';
    this.onChange();
    return task;
  }

  /** Stops the service's running tasks and starts one new task like the newest of them. */
  replaceServiceTask(
    cluster: string,
    serviceName: string,
    changes: Partial<TaskSpec> = {},
  ): TaskState {
    const service = this.service(cluster, serviceName);
    if (!service) throw new Error(`no service ${serviceName} in cluster ${cluster}`);
    const running = this.tasksOf(cluster).filter(
      (t) => t.spec.service === service.name && (t.spec.lastStatus ?? 'RUNNING') === 'RUNNING',
    );
    const model = running[running.length - 1];
    for (const task of running)
      this.stopTask(cluster, task.id, 'Task replaced by a new deployment');
    const template = model?.spec.containers ?? this.containersOf(service.taskDefinition);
    const containers = template.map(({ runtimeId: _r, ...rest }) => ({
      ...rest,
      lastStatus: 'RUNNING',
    }));
    const task = this.addTask(cluster, {
      ...(model?.spec ?? { taskDefinition: service.taskDefinition }),
      service: service.name,
      id: undefined,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      stoppedReason: undefined,
      enableExecuteCommand: service.enableExecuteCommand ?? false,
      startedAt: now(),
      containers,
      ...changes,
    });
    this.onChange();
    return task;
  }

  /** The container restarts in place: same task, new runtime id. */
  restartContainer(cluster: string, taskId: string, name: string): ContainerState {
    const task = this.requireTask(cluster, taskId);
    const container = task.containers.find((c) => c.spec.name === name);
    if (!container) throw new Error(`no container ${name} in task ${taskId}`);
    container.runtimeId = `${task.id}-${randomBytes(4).readUInt32BE(0)}`;
    this.onChange();
    return container;
  }

  /** Containers for a first task of a service: from its task definition, ports on loopback. */
  private containersOf(taskDefinition: string): ContainerSpec[] {
    const definition = this.taskDefinition(taskDefinition);
    return (definition?.containerDefinitions ?? []).map((c) => ({ name: c.name, image: c.image }));
  }

  private requireTask(cluster: string, taskId: string): TaskState {
    const task = this.findTask(cluster, taskId);
    if (!task) throw new Error(`no task ${taskId} in cluster ${cluster}`);
    return task;
  }
}

function defaultRuntimeId(
  taskId: string,
  containerStatus: string | undefined,
  taskStatus: string | undefined,
): string | undefined {
  const status = containerStatus ?? taskStatus ?? 'RUNNING';
  if (status === 'PENDING' || status === 'PROVISIONING') return undefined;
  return `${taskId}-${randomBytes(4).readUInt32BE(0)}`;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

const IMAGES = new Set(['sshd', 'apt-local', 'offline']);

/** Refuses, when the world loads, what would only fail later when a session dials or starts. */
function checkContainers(cluster: ClusterSpec): void {
  for (const task of cluster.tasks ?? []) {
    for (const container of task.containers ?? []) {
      const where = `cluster "${cluster.name}", container "${container.name}"`;
      if (container.emulatedImage !== undefined && !IMAGES.has(container.emulatedImage)) {
        throw new WorldError(
          `${where}: emulatedImage must be one of ${[...IMAGES].join(', ')}, not "${container.emulatedImage}"`,
        );
      }
      for (const [port, address] of Object.entries(container.ports ?? {})) {
        if (parseLoopbackAddress(address) === undefined) {
          throw new WorldError(
            `${where}: port ${port} must map to "127.0.0.1:<port>", not "${address}"`,
          );
        }
      }
    }
  }
}
