// The emulated account the editor tests open: a cluster with a service whose task runs a real
// container (when `real`: network namespace and Debian root with sshd), a service with ECS Exec
// off, standalone tasks in the states a row can show, and an empty cluster.

import type { World } from '../emulator/index.js';

export const CLUSTER = 'demo';
export const REGION = 'eu-west-1';
export const TOOLS_TASK = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const BROKEN_TASK = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

export function editorWorld(real: boolean): World {
  const image = real ? { emulatedImage: 'sshd' as const } : {};
  return {
    targets: {},
    ecs: {
      region: REGION,
      clusters: [
        {
          name: CLUSTER,
          services: [
            { name: 'web', taskDefinition: 'web:3', enableExecuteCommand: true },
            { name: 'worker', taskDefinition: 'worker:7', enableExecuteCommand: false },
          ],
          tasks: [
            {
              service: 'web',
              taskDefinition: 'web:3',
              enableExecuteCommand: true,
              containers: [{ name: 'app', image: 'debian:bookworm', ...image }],
            },
            {
              service: 'worker',
              taskDefinition: 'worker:7',
              enableExecuteCommand: false,
              containers: [{ name: 'worker', image: 'python:3.12-slim' }],
            },
            {
              id: TOOLS_TASK,
              taskDefinition: 'tools:1',
              enableExecuteCommand: true,
              // ECS reports its agent RUNNING, but Session Manager cannot reach it: only Diagnose
              // Connection's probe finds that out.
              containers: [{ name: 'shell', image: 'debian:bookworm', agentConnected: false }],
            },
            {
              id: BROKEN_TASK,
              taskDefinition: 'batch:2',
              enableExecuteCommand: true,
              containers: [
                {
                  name: 'job',
                  image: 'alpine:3.20',
                  execAgent: 'STOPPED',
                  execAgentReason: 'ExecuteCommandAgent process exited with exit code: 1',
                },
                { name: 'log-router', image: 'fluent-bit:3', execAgent: 'PENDING' },
              ],
            },
          ],
        },
        { name: 'empty', services: [], tasks: [] },
      ],
    },
  };
}
