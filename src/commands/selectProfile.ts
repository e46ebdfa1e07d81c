// "Select AWS Profile and Region": picks a profile from the shared config files (or the default
// chain) and a region, and adds the pair to `ecsRemote.connections`: one top node per pair.

import * as vscode from 'vscode';

import { listProfiles, type ProfileInfo } from '../connect/awsProfiles.js';
import { CancelledError } from '../connect/userError.js';
import { scopeId, scopeLabel, type Scope } from '../model/nodes.js';
import { SECTION } from '../ui/settings.js';
import type { EcsCommand } from './command.js';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'me-central-1',
  'af-south-1',
];
const TITLE = 'Select AWS Profile and Region';

export const selectProfileCommand: EcsCommand = {
  id: 'ecsRemote.selectProfile',
  run: async ({ services, tree }) => {
    const profile = await pickProfile(await listProfiles());
    const region = await pickRegion(profile?.region);
    const scope: Scope = { profile: profile?.name, region };

    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.get<Scope[]>('connections') ?? [];
    if (current.some((entry) => scopeId(entry) === scopeId(scope))) {
      void vscode.window.showInformationMessage(`"${scopeLabel(scope)}" is in the tree already.`);
      return;
    }
    const entry = scope.profile ? scope : { region };
    await config.update('connections', [...current, entry], vscode.ConfigurationTarget.Global);
    services.log.info(`Added ${scopeLabel(scope)} to ecsRemote.connections`);
    tree.provider.refresh();
  },
};

async function pickProfile(profiles: ProfileInfo[]): Promise<ProfileInfo | undefined> {
  const items = [
    { label: 'Default credential chain', description: 'environment, then [default]' },
    ...profiles.map((p) => ({
      label: p.name,
      description: [p.sso ? 'SSO' : '', p.region ?? ''].filter(Boolean).join(' · '),
      profile: p,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE} (1/2): profile` });
  if (!picked) throw new CancelledError();
  return 'profile' in picked ? picked.profile : undefined;
}

async function pickRegion(preferred: string | undefined): Promise<string> {
  const first = preferred ? [preferred] : [];
  const regions = [...first, ...REGIONS.filter((r) => r !== preferred)];
  const other = 'Other region…';
  const picked = await vscode.window.showQuickPick([...regions, other], {
    title: `${TITLE} (2/2): region`,
  });
  if (!picked) throw new CancelledError();
  if (picked !== other) return picked;
  const typed = await vscode.window.showInputBox({
    title: `${TITLE} (2/2): region`,
    prompt: 'Region code, such as eu-west-1',
    validateInput: (value) =>
      /^[a-z]{2}(-[a-z]+)+-\d$/.test(value) ? undefined : 'Not a region code',
  });
  if (!typed) throw new CancelledError();
  return typed;
}
