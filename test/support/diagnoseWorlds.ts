// Emulated worlds for the connection checks: one healthy world, and for each known cause of a
// failed connection a world that differs from it in that one way. Containers here are not run
// for real: a canned runtime answers the bootstrap and its probe the way a container with sshd
// does, so no command ever runs on this machine.

import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';

import { ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';

import type { AwsClients } from '../../src/aws/clients.js';
import {
  startEmulator,
  type Emulator,
  type RuntimeFactory,
  type World,
} from '../emulator/index.js';
import type { PolicyStatement } from '../emulator/iam/policy.js';
import { FAKE_ACCESS_KEY, FAKE_SECRET_KEY } from './awsEnv.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const CLUSTER = 'shop';
export const TASK_ID = 'a'.repeat(32);
export const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/web-task`;
export const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/Developer/jane`;
export const CALLER_ROLE = `arn:aws:iam::${ACCOUNT}:role/team/Developer`;
export const SSMMESSAGES = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];
/** Values that must never be printed: the container's own AWS keys in one world. */
export const CONTAINER_KEY_VALUES = ['AKIACONTAINER0000000', 'container-secret-value-never-shown'];

const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export const CALLER_POLICY: PolicyStatement[] = [
  {
    Effect: 'Allow',
    Action: ['ecs:*', 'ssm:StartSession', 'iam:SimulatePrincipalPolicy', 'iam:GetRole'],
    Resource: '*',
  },
];

/** A service "web" with one task, ECS Exec on, a task role that allows what the agent needs. */
export function healthyWorld(): World {
  return {
    targets: {},
    iam: {
      caller: CALLER,
      policies: {
        [CALLER_ROLE]: CALLER_POLICY,
        [TASK_ROLE]: [{ Effect: 'Allow', Action: SSMMESSAGES, Resource: '*' }],
      },
    },
    ecs: {
      accountId: ACCOUNT,
      region: REGION,
      clusters: [
        {
          name: CLUSTER,
          services: [{ name: 'web', taskDefinition: 'web:1', enableExecuteCommand: true }],
          tasks: [
            {
              id: TASK_ID,
              service: 'web',
              taskDefinition: 'web:1',
              enableExecuteCommand: true,
              containers: [{ name: 'app', image: 'shop/web:1' }],
            },
          ],
        },
      ],
      taskDefinitions: [
        {
          family: 'web',
          revision: 1,
          taskRoleArn: TASK_ROLE,
          executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
          containerDefinitions: [
            { name: 'app', image: 'shop/web:1', linuxParameters: { initProcessEnabled: true } },
          ],
        },
      ],
    },
  };
}

export interface CannedAnswers {
  /** What the bootstrap's probe prints (its last argument is "probe"). */
  probe?: string;
  /** What the bootstrap prints when it starts sshd. */
  start?: string;
}

/**
 * Containers that answer like one with sshd installed: the probe finds sshd, the bootstrap
 * reports it listening, and the SSH stream ends at once (EOF), so a proxy run ends cleanly.
 */
export function cannedRuntime(answers: CannedAnswers = {}): RuntimeFactory {
  const probe = answers.probe ?? 'ECSR-RESULT probe sshd=/usr/sbin/sshd\n';
  const start =
    answers.start ?? `ECSR-RESULT ok port=52222 user=root did=reused hostkey=${HOST_KEY}\n`;
  return () => ({
    dial: async () => {
      const stream = new PassThrough();
      stream.end();
      return stream;
    },
    run: (argv) => {
      const text = argv[argv.length - 1] === 'probe' ? probe : start;
      const script = `process.stdout.write(${JSON.stringify(text)})`;
      return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    },
  });
}

/** The emulator on `world`, its containers answering as `answers` say, for `body`'s run. */
export async function withEmulator<T>(
  world: World,
  answers: CannedAnswers | undefined,
  body: (emulator: Emulator) => Promise<T>,
): Promise<T> {
  const emulator = await startEmulator({ world, runtime: cannedRuntime(answers) });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

/** SDK clients aimed at the emulator with the fake keys, for the checks run in this process. */
export function emulatorClients(endpoint: string): AwsClients {
  if (new URL(endpoint).hostname !== '127.0.0.1') throw new Error('emulator on loopback only');
  const config = {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: FAKE_ACCESS_KEY, secretAccessKey: FAKE_SECRET_KEY },
    maxAttempts: 2,
  };
  return {
    ecs: new ECSClient(config),
    ssm: new SSMClient(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
    context: { region: REGION },
  };
}

/** The world's only task, or the named one, to change a world in place. */
export function taskOf(world: World, id = TASK_ID) {
  const task = world.ecs?.clusters[0].tasks?.find((t) => t.id === id);
  if (!task) throw new Error(`no task ${id}`);
  return task;
}

export function definitionOf(world: World) {
  const definition = world.ecs?.taskDefinitions?.[0];
  if (!definition) throw new Error('no task definition');
  return definition;
}
