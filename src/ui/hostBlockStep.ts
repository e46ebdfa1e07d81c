// Writing one container's Host block into the ssh config Remote-SSH reads: ask once, install
// the launcher, make sure of the key pair, write atomically, then ask ssh itself (`ssh -G`)
// whether it will use our settings.

import * as vscode from 'vscode';

import { planConnection, type ConnectPlan, type ConnectRequest } from '../connect/connectPlan.js';
import { Actions, UserError } from '../connect/userError.js';
import { ensureKeyPair, verifyWithSsh, writeHostBlock } from '../ssh/index.js';
import type { Services } from './services.js';
import { ensureSshConfigConsent } from './sshConfigConsent.js';

export async function writeHostBlockFor(
  services: Services,
  request: ConnectRequest,
): Promise<ConnectPlan> {
  const settings = services.settings();
  const configPath = settings.sshConfigFile;
  await ensureSshConfigConsent(services.context.globalState, configPath);

  const [launcher, keys] = await Promise.all([
    services.launcher(),
    ensureKeyPair({ dir: settings.stateDirectory, identityFile: settings.identityFile }),
  ]);
  if (keys.generated) services.log.info(`Generated the key pair ${keys.privateKey}`);
  const plan = planConnection(request, launcher, keys, settings.stateDirectory);

  const written = await writeHostBlock(configPath, [plan.entry], { log: services.log });
  const check = await verifyWithSsh(written.path, plan.entry);
  services.log.debug(`ssh -G check of ${plan.entry.alias} in '${written.path}': ${check.status}`);
  if (check.status === 'conflict' || check.status === 'rejected') {
    throw new UserError('SSH_CONFIG_CONFLICT', check.message, Actions.openSshConfig);
  }
  if (check.status === 'no-ssh') services.log.warn(check.message);
  return plan;
}

export function sshConfigUri(services: Services): vscode.Uri {
  return vscode.Uri.file(services.settings().sshConfigFile);
}
