// Each known cause of a failed connection as a world (the healthy one, changed in one way) and
// what every surface must say about it: the check's code, its sentence and its fix through the
// runner, the doctor's exit status, and the proxy's one stderr line.

import type { CheckCode, CheckOutcome } from '../../src/diagnose/index.js';
import type { World } from '../emulator/index.js';
import {
  ACCOUNT,
  CALLER_POLICY,
  CALLER_ROLE,
  CONTAINER_KEY_VALUES,
  definitionOf,
  healthyWorld,
  SSMMESSAGES,
  TASK_ROLE,
  taskOf,
  type CannedAnswers,
} from './diagnoseWorlds.js';

export interface Cause {
  code: CheckCode;
  /** What the world differs in, for the test names. */
  what: string;
  world: () => World;
  outcome: CheckOutcome;
  message: RegExp;
  fix: RegExp;
  /** The proxy's line for it: an error, a warning before it connects, or (for what does not
   * stop a connection) the line that says the session ran. */
  proxy: RegExp;
  proxyLine: 'error' | 'warning' | 'connects';
  /** The doctor's exit status: 1 when the cause (or what it leads to) blocks. */
  doctorExit: 0 | 1;
  container?: string;
  answers?: CannedAnswers;
  /** Extra arguments for both the doctor and the proxy. */
  args?: string[];
  /** The runner and the doctor leave the probe out: a session that starts would prove what this
   * world cannot check, and the cause is what is said without that proof. */
  noProbe?: boolean;
}

function changed(change: (world: World) => void): () => World {
  return () => {
    const world = healthyWorld();
    change(world);
    return world;
  };
}

const KMS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const CAUSES: Cause[] = [
  {
    code: 'EXEC_DISABLED',
    what: 'the task predates ECS Exec on its service',
    world: changed((w) => (taskOf(w).enableExecuteCommand = false)),
    outcome: 'fail',
    message:
      /^ECS Exec is off on task "a{32}"; service "web" has it on, but this task started before that change\.$/,
    fix: /^Enable ECS Exec on service "web" and redeploy it/,
    proxy:
      /EXEC_DISABLED: ECS Exec is off on task "a{32}".* Fix: Enable ECS Exec on service "web" and redeploy it/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'AGENT_PENDING',
    what: 'the exec agent is still PENDING',
    world: changed((w) => (taskOf(w).containers[0].execAgent = 'PENDING')),
    outcome: 'fail',
    message: /^The ECS Exec agent in container "app" is still PENDING after \d+ s of waiting\.$/,
    fix: /^Wait for the agent \(it usually starts within a minute of the task\), then try again; if it stays PENDING for minutes, start a new task\.$/,
    proxy: /AGENT_PENDING: The ECS Exec agent in container "app" is still PENDING.* Fix: /,
    proxyLine: 'error',
    doctorExit: 1,
    args: ['--agent-wait', '1'],
  },
  {
    code: 'AGENT_STOPPED',
    what: 'the exec agent STOPPED with no reason',
    world: changed((w) => (taskOf(w).containers[0].execAgent = 'STOPPED')),
    outcome: 'fail',
    message: /^The ECS Exec agent in container "app" is STOPPED with no reason given\.$/,
    fix: /^Likely causes: no network path from the task to the ssmmessages endpoint.*a task role without the ssmmessages actions, AWS keys in the container's environment, or an agent that crashed at start\./,
    proxy: /AGENT_STOPPED: The ECS Exec agent in container "app" is STOPPED.* Fix: Likely causes: /,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'FARGATE_PLATFORM_TOO_OLD',
    what: 'Fargate platform 1.3.0',
    world: changed((w) => {
      taskOf(w).platformVersion = '1.3.0';
      taskOf(w).containers[0].execAgent = 'none';
    }),
    outcome: 'fail',
    message:
      /^Task "a{32}" runs on Fargate platform version 1\.3\.0; ECS Exec needs 1\.4\.0 or later\.$/,
    fix: /^Set the platform version of service "web" to LATEST/,
    proxy:
      /FARGATE_PLATFORM_TOO_OLD: .*no ECS Exec agent.*; likely cause: Task "a{32}" runs on Fargate platform version 1\.3\.0.* Fix: Set the platform version/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'ECS_AGENT_TOO_OLD',
    what: 'an EC2 host with ECS agent 1.48.1',
    world: changed((w) => {
      const cluster = w.ecs!.clusters[0];
      cluster.containerInstances = [
        { id: 'c'.repeat(32), ec2InstanceId: 'i-0abc0abc0abc0abc0', agentVersion: '1.48.1' },
      ];
      Object.assign(taskOf(w), { launchType: 'EC2', containerInstance: 'c'.repeat(32) });
      taskOf(w).containers[0].execAgent = 'none';
    }),
    outcome: 'fail',
    message:
      /^The ECS container agent on instance "i-0abc0abc0abc0abc0" is version 1\.48\.1; ECS Exec needs 1\.50\.2 or later\.$/,
    fix: /^Update the container agent on that instance/,
    proxy:
      /ECS_AGENT_TOO_OLD: .*likely cause: The ECS container agent on instance "i-0abc0abc0abc0abc0" is version 1\.48\.1.* Fix: Update the container agent/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'NO_TASK_ROLE',
    what: 'a task definition without a task role',
    world: changed((w) => delete definitionOf(w).taskRoleArn),
    outcome: 'fail',
    message:
      /^Task definition "web:1" has no task role, and the ECS Exec agent signs its calls with the task role \(the execution role does not count\)\.$/,
    fix: /^Give the task definition a taskRoleArn whose policy allows ssmmessages:CreateControlChannel, ssmmessages:CreateDataChannel, ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel, then redeploy\.$/,
    proxy:
      /NO_TASK_ROLE: Session Manager cannot reach the container \(TargetNotConnected\); likely cause: Task definition "web:1" has no task role.* Fix: Give the task definition a taskRoleArn/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'TASK_ROLE_MISSING_SSMMESSAGES',
    what: 'a task role with only two of the four ssmmessages actions',
    world: changed((w) => {
      w.iam!.policies![TASK_ROLE] = [
        { Effect: 'Allow', Action: SSMMESSAGES.slice(0, 2), Resource: '*' },
      ];
    }),
    outcome: 'fail',
    message: new RegExp(
      `^Task role "${TASK_ROLE}" does not allow ssmmessages:OpenControlChannel, ssmmessages:OpenDataChannel, which the ECS Exec agent needs`,
    ),
    fix: /^Allow ssmmessages:CreateControlChannel, .* on "\*" in the policy of task role/,
    proxy:
      /TASK_ROLE_MISSING_SSMMESSAGES: Session Manager cannot reach the container \(TargetNotConnected\); likely cause: Task role ".*web-task" does not allow ssmmessages:OpenControlChannel/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'TASK_ROLE_MISSING_SSMMESSAGES',
    what: 'a caller who may not simulate policies',
    world: changed((w) => {
      w.iam!.policies![CALLER_ROLE] = [
        { Effect: 'Allow', Action: ['ecs:*', 'ssm:StartSession'], Resource: '*' },
      ];
    }),
    noProbe: true,
    outcome: 'unknown',
    message:
      /^Could not check what task role ".*web-task" allows: your identity may not call iam:SimulatePrincipalPolicy\.$/,
    fix: /^Ask for iam:SimulatePrincipalPolicy, or check by hand/,
    proxy: /opening the SSH stream/,
    proxyLine: 'connects',
    doctorExit: 0,
  },
  {
    code: 'AWS_KEYS_IN_ENVIRONMENT',
    what: 'AWS keys in the container environment',
    world: changed((w) => {
      definitionOf(w).containerDefinitions[0].environment = [
        { name: 'AWS_ACCESS_KEY_ID', value: CONTAINER_KEY_VALUES[0] },
        { name: 'AWS_SECRET_ACCESS_KEY', value: CONTAINER_KEY_VALUES[1] },
        { name: 'APP_MODE', value: 'web' },
      ];
    }),
    outcome: 'warn',
    message:
      /^Container "app" sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in its environment, and the ECS Exec agent then signs with those keys instead of the task role\.$/,
    fix: /^Rename those variables/,
    proxy:
      /AWS_KEYS_IN_ENVIRONMENT: Session Manager cannot reach the container \(TargetNotConnected\); likely cause: Container "app" sets AWS_ACCESS_KEY_ID.* Fix: Rename those variables/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'READONLY_ROOT_FILESYSTEM',
    what: 'a read-only root file system',
    world: changed((w) => {
      definitionOf(w).containerDefinitions[0].readonlyRootFilesystem = true;
      taskOf(w).containers[0].execAgent = 'STOPPED';
    }),
    outcome: 'warn',
    message:
      /^Container "app" has a read-only root file system: the ECS Exec agent needs \/managed-agents, \/var\/lib\/amazon\/ssm and \/var\/log\/amazon\/ssm writable, and sshd cannot be installed\.$/,
    fix: /^Turn readonlyRootFilesystem off for development tasks/,
    proxy:
      /READONLY_ROOT_FILESYSTEM: The ECS Exec agent in container "app" is STOPPED with no reason given; likely cause: Container "app" has a read-only root file system.* Fix: Turn readonlyRootFilesystem off/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'INIT_PROCESS_OFF',
    what: 'no init process',
    world: changed((w) => delete definitionOf(w).containerDefinitions[0].linuxParameters),
    outcome: 'warn',
    message:
      /^Container "app" runs without an init process, so sshd's and the agent's exited children are never reaped and pile up as zombies\.$/,
    fix: /^Set "linuxParameters": \{"initProcessEnabled": true\} in the container definition/,
    proxy:
      /warning: INIT_PROCESS_OFF: Container "app" runs without an init process.* Fix: Set "linuxParameters": \{"initProcessEnabled": true\}/,
    proxyLine: 'warning',
    doctorExit: 0,
  },
  {
    code: 'SHARED_PID_MODE',
    what: 'pidMode "task", with the agent in the sidecar',
    world: changed((w) => {
      const definition = definitionOf(w);
      definition.pidMode = 'task';
      definition.containerDefinitions.push({ name: 'envoy', image: 'envoy' });
      taskOf(w).containers = [
        { name: 'app', image: 'shop/web:1', execAgent: 'STOPPED' },
        { name: 'envoy', image: 'envoy' },
      ];
    }),
    container: 'app',
    outcome: 'fail',
    message:
      /^Task definition "web:1" shares one process namespace \(pidMode "task"\), and ECS Exec runs in only one container per namespace: "envoy" can be reached, "app" cannot\.$/,
    fix: /^Connect to "envoy" with --container, or remove pidMode/,
    proxy:
      /SHARED_PID_MODE: The ECS Exec agent in container "app" is STOPPED.*; likely cause: .*"envoy" can be reached, "app" cannot\. Fix: Connect to "envoy" with --container/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'EXEC_KMS_KEY',
    what: 'a KMS key in the cluster exec configuration',
    world: changed((w) => (w.ecs!.clusters[0].executeCommandConfiguration = { kmsKeyId: KMS_KEY })),
    outcome: 'fail',
    message: new RegExp(
      `^Cluster "shop" encrypts ECS Exec sessions with KMS key "${KMS_KEY}", and this client declines KMS-encrypted sessions, so the agent ends them\\.$`,
    ),
    fix: /^KMS-encrypted sessions are not supported yet: use "aws ecs execute-command" for this cluster meanwhile, or remove kmsKeyId .*kms:Decrypt on the key for the task role and kms:GenerateDataKey for your identity/,
    proxy:
      /EXEC_KMS_KEY: Cluster "shop" encrypts ECS Exec sessions with KMS key .* Fix: KMS-encrypted sessions are not supported yet/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'EXEC_SESSION_LOGGING',
    what: 'session logging to an encrypted log group the task role cannot write',
    world: changed((w) => {
      w.ecs!.clusters[0].executeCommandConfiguration = {
        logging: 'OVERRIDE',
        logConfiguration: {
          cloudWatchLogGroupName: '/ecs/exec',
          cloudWatchEncryptionEnabled: true,
        },
      };
    }),
    // The agent ends a session it cannot log; this is what the container's side shows.
    answers: {
      start: 'Session could not start: log group /ecs/exec is not set up for encryption.\n',
    },
    outcome: 'fail',
    message:
      /^Cluster "shop" logs ECS Exec sessions to CloudWatch log group "\/ecs\/exec", and task role ".*web-task" may not logs:DescribeLogGroups, logs:CreateLogStream, logs:DescribeLogStreams, logs:PutLogEvents there, so the agent ends each session\.$/,
    fix: /^Allow the task role logs:DescribeLogGroups, .* on that destination, or set the cluster's ECS Exec logging to NONE\.$/,
    proxy:
      /EXEC_SESSION_LOGGING: Starting sshd in container "app" ended without a result; its last output was: .*not set up for encryption; likely cause: Cluster "shop" logs ECS Exec sessions to CloudWatch log group "\/ecs\/exec".* Fix: Allow the task role logs:/,
    proxyLine: 'error',
    doctorExit: 1,
    container: 'app',
  },
  {
    code: 'START_SESSION_DENIED',
    what: 'an account that allows ecs:ExecuteCommand and denies ssm:StartSession on tasks',
    world: changed((w) => {
      w.iam!.policies![CALLER_ROLE] = [
        ...CALLER_POLICY,
        {
          Effect: 'Deny',
          Action: 'ssm:StartSession',
          Resource: `arn:aws:ecs:*:${ACCOUNT}:task/*`,
        },
      ];
    }),
    outcome: 'fail',
    message:
      /^"arn:aws:iam::111122223333:role\/team\/Developer" may not run ssm:StartSession on "arn:aws:ecs:eu-west-1:111122223333:task\/shop\/a{32}" \(an explicit deny\), although it may run ecs:ExecuteCommand: the account lets people into tasks only through ECS Exec, and this extension opens sessions to the task directly\.$/,
    fix: /^Allow your identity ssm:StartSession on "arn:aws:ecs:eu-west-1:111122223333:task\/shop\/\*" and on the documents "AWS-StartSSHSession" and "AWS-StartNonInteractiveCommand"/,
    proxy:
      /START_SESSION_DENIED: .*may not run ssm:StartSession on .*although it may run ecs:ExecuteCommand.* Fix: Allow your identity ssm:StartSession/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'TARGET_NOT_CONNECTED',
    what: 'an agent with no network path to Session Manager',
    world: changed((w) => (taskOf(w).containers[0].agentConnected = false)),
    outcome: 'fail',
    message:
      /^Session Manager cannot reach container "app" of task "a{32}" \(TargetNotConnected\), although ECS reports its agent RUNNING\.$/,
    fix: /^The agent cannot reach Session Manager: give the task a network path to ssmmessages/,
    proxy:
      /TARGET_NOT_CONNECTED: Session Manager cannot reach the container of task "a{32}" \(TargetNotConnected\).* Fix: The agent cannot reach Session Manager/,
    proxyLine: 'error',
    doctorExit: 1,
  },
  {
    code: 'NO_CLUSTERS',
    what: 'a region with no clusters',
    world: changed((w) => (w.ecs!.clusters = [])),
    outcome: 'fail',
    message: /^Region "eu-west-1" has no ECS clusters for this account\.$/,
    fix: /^Choose the region your cluster runs in with --region/,
    proxy:
      /NO_CLUSTERS: Region "eu-west-1" has no ECS clusters for this account\. Fix: Choose the region/,
    proxyLine: 'error',
    doctorExit: 1,
  },
];
