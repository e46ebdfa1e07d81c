// Connect's check of the target in the editor (src/connect/reachTarget.ts) against the emulator:
// an exec agent still PENDING is waited for with each wait reported as a step, and the connect
// goes on once it runs; one that stays PENDING fails when the wait is over; ECS Exec off fails
// at once, without waiting.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ResolveError } from '../src/aws/resolveTarget.js';
import type { ConnectRequest } from '../src/connect/connectPlan.js';
import { reachTarget } from '../src/connect/reachTarget.js';
import { startEmulator, type Emulator, type World } from './emulator/index.js';
import { CAUSES } from './support/diagnoseCauses.js';
import { CLUSTER, emulatorClients, REGION, TASK_ID } from './support/diagnoseWorlds.js';

process.env.AWS_EC2_METADATA_DISABLED = 'true';

const request: ConnectRequest = {
  scope: { region: REGION },
  cluster: CLUSTER,
  target: 'service/web',
  container: 'app',
  user: 'root',
};

function worldOf(code: string): World {
  const cause = CAUSES.find((c) => c.code === code) ?? assert.fail(`no world for ${code}`);
  return cause.world();
}

async function withEmulator(world: World, body: (emulator: Emulator) => Promise<void>) {
  const emulator = await startEmulator({ world });
  try {
    await body(emulator);
  } finally {
    await emulator.close();
  }
}

test('a PENDING agent that starts during the wait: each wait is a step, then the target', async () => {
  await withEmulator(worldOf('AGENT_PENDING'), async (emulator) => {
    const steps: string[] = [];
    const target = await reachTarget(emulatorClients(emulator.endpoint).ecs, request, {
      onStep: (message) => {
        steps.push(message);
        const task = emulator.ecs?.state.findTask(CLUSTER, TASK_ID);
        if (task) task.containers[0].spec.execAgent = 'RUNNING';
        void emulator.ecs?.settle();
      },
    });
    assert.equal(target.taskId, TASK_ID);
    assert.equal(target.containerName, 'app');
    assert.deepEqual(steps, [
      'waiting for the ECS Exec agent in container "app" (PENDING, 0 s of 60 s)',
    ]);
  });
});

test('an agent that stays PENDING: the connect fails when the whole bounded wait is over', async () => {
  await withEmulator(worldOf('AGENT_PENDING'), async (emulator) => {
    const steps: string[] = [];
    const ecs = emulatorClients(emulator.endpoint).ecs;
    const options = { onStep: (m: string) => steps.push(m), agentWaitMs: 1500 };
    const started = Date.now();
    await assert.rejects(
      reachTarget(ecs, request, options),
      (error) => error instanceof ResolveError && error.code === 'AGENT_NOT_RUNNING',
    );
    // The whole time allowed is used: 1 s, then the 0.5 s left.
    assert.ok(Date.now() - started >= 1450, `gave up after ${Date.now() - started} ms`);
    assert.deepEqual(steps, [
      'waiting for the ECS Exec agent in container "app" (PENDING, 0 s of 2 s)',
      'waiting for the ECS Exec agent in container "app" (PENDING, 1 s of 2 s)',
    ]);
  });
});

test('ECS Exec off: the connect fails at once, without waiting', async () => {
  await withEmulator(worldOf('EXEC_DISABLED'), async (emulator) => {
    const steps: string[] = [];
    await assert.rejects(
      reachTarget(emulatorClients(emulator.endpoint).ecs, request, {
        onStep: (m) => steps.push(m),
      }),
      (error) => error instanceof ResolveError && error.code === 'EXEC_DISABLED',
    );
    assert.deepEqual(steps, []);
  });
});
