// What every editor test starts from: the emulator with the editor world, a private folder with
// the ssh config Remote-SSH is told to read (already holding our block and one of the user's
// own entries), an AWS config with an SSO profile whose session is gone, and the environment
// and settings of the editor that runs the extension.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hostEntry, writeHostBlock } from '../../src/ssh/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { emulatorEnv } from '../support/awsEnv.js';
import { CLUSTER, editorWorld, REGION } from './world.js';

/** Fake, but shaped like one: the log test proves it never appears in the log. */
export const FAKE_SESSION_TOKEN = 'FwoGZXIvYXdzEmulatorSessionTokenThatMustNeverBePrinted0000';

export interface EditorFixture {
  emulator: Emulator;
  dir: string;
  sshConfig: string;
  report: string;
  webTaskId: string;
  /** Environment of the editor (and so of its extension host). */
  env: Record<string, string>;
  settings: Record<string, unknown>;
  close(): Promise<void>;
}

export async function editorFixture(real: boolean): Promise<EditorFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-remote-editor-'));
  const emulator = await startEmulator({ world: editorWorld(real) });
  const webTaskId = emulator.ecs?.state.tasksOf(CLUSTER).find((t) => t.spec.service === 'web')?.id;
  if (!webTaskId) throw new Error('the editor world has no web task');

  const sshConfig = join(dir, 'ssh_config');
  await seedSshConfig(sshConfig, dir);
  const awsConfig = join(dir, 'aws_config');
  writeFileSync(awsConfig, SSO_PROFILE);
  const report = join(dir, 'report.json');
  return {
    emulator,
    dir,
    sshConfig,
    report,
    webTaskId,
    env: editorEnv(emulator.endpoint, { awsConfig, sshConfig, report, webTaskId }),
    settings: editorSettings(sshConfig, join(dir, 'state')),
    close: async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The start URL is never contacted: with no cached token the SDK fails before any request.
const SSO_PROFILE = `[profile expired-sso]
sso_start_url = http://127.0.0.1:9/start
sso_region = ${REGION}
sso_account_id = 123456789012
sso_role_name = Developer
region = ${REGION}
`;

/** A config the user had already: one of their hosts, and our block from an earlier connect. */
async function seedSshConfig(path: string, dir: string): Promise<void> {
  writeFileSync(path, 'Host bastion-kept\n  HostName 127.0.0.1\n  Port 2\n', { mode: 0o600 });
  const earlier = hostEntry({
    target: { region: REGION, cluster: 'old', target: 'service/gone', container: 'app' },
    user: 'root',
    launcher: { command: '/bin/false', args: [] },
    identityFile: join(dir, 'no-key'),
    publicKeyFile: join(dir, 'no-key.pub'),
    knownHostsFile: join(dir, 'known_hosts'),
  });
  await writeHostBlock(path, [earlier]);
}

function editorEnv(
  endpoint: string,
  paths: { awsConfig: string; sshConfig: string; report: string; webTaskId: string },
): Record<string, string> {
  const env = emulatorEnv(endpoint);
  // The region comes from the settings; without AWS_REGION an empty list shows the welcome view.
  delete env.AWS_REGION;
  return {
    ...env,
    AWS_SESSION_TOKEN: FAKE_SESSION_TOKEN,
    AWS_CONFIG_FILE: paths.awsConfig,
    // Belt and braces: any SSO, OIDC or STS call would land on the emulator, not on AWS.
    AWS_ENDPOINT_URL_SSO: endpoint,
    AWS_ENDPOINT_URL_SSO_OIDC: endpoint,
    AWS_ENDPOINT_URL_STS: endpoint,
    ECS_REMOTE_TEST_SSH_CONFIG: paths.sshConfig,
    ECS_REMOTE_TEST_REPORT: paths.report,
    ECS_REMOTE_TEST_WEB_TASK: paths.webTaskId,
  };
}

export function editorSettings(sshConfig: string, stateDir: string): Record<string, unknown> {
  return {
    'ecsRemote.connections': [{ region: REGION }, { profile: 'expired-sso', region: REGION }],
    // The key pair and known_hosts stay in the test's folder, whatever the editor's home.
    'ecsRemote.stateDirectory': stateDir,
    'remote.SSH.configFile': sshConfig,
    'workbench.startupEditor': 'none',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
  };
}
