// "Diagnose Connection": every connection check for a task or container row, for a failed
// Connect's target, or from the palette for this window's connection, a recent one, or a target
// picked step by step; under a cancellable progress notification. The report opens as Markdown
// (in the preview when the editor has one), with a button for each fix we can run, and what it
// found stays on the task's rows in the tree.

import type { Task } from '@aws-sdk/client-ecs';
import * as vscode from 'vscode';

import type { ConnectRequest } from '../connect/connectPlan.js';
import { CancelledError } from '../connect/userError.js';
import { diagnose, renderReport, type CheckResult } from '../diagnose/index.js';
import {
  containersToAsk,
  diagnoseChoices,
  diagnosePlanForNode,
  diagnosePlanForRequest,
  findingsKeyFor,
  fixOffers,
  type DiagnoseChoice,
  type DiagnosePlan,
} from '../model/diagnosePlan.js';
import type { EcsNode } from '../model/nodes.js';
import { reportFailure } from '../ui/commandRunner.js';
import { currentAlias, recentConnections } from '../ui/connectionHistory.js';
import type { Services } from '../ui/services.js';
import { pickTarget } from '../ui/targetPicker.js';
import type { EcsCommand } from './command.js';

const SOURCE = 'Diagnose Connection';

export const diagnoseCommand: EcsCommand = {
  id: 'ecsRemote.diagnose',
  run: async ({ services }, subject?: EcsNode | ConnectRequest) => {
    const plan = await planFor(services, subject);
    const results = await runChecks(services, plan);
    const report = renderReport(results, plan.subject);
    await showReport(report);
    offerFixes(plan, results).catch((error) =>
      reportFailure(services.log, 'ecsRemote.diagnose', error),
    );
    return report;
  },
};

async function planFor(
  services: Services,
  subject: EcsNode | ConnectRequest | undefined,
): Promise<DiagnosePlan> {
  if (subject && 'kind' in subject) {
    const plan = diagnosePlanForNode(subject, await askContainer(subject));
    if (plan) return plan;
  } else if (subject) {
    return diagnosePlanForRequest(subject);
  }
  const choices = await paletteChoices(services);
  if (choices.length > 0) {
    const picked = await vscode.window.showQuickPick(choices, {
      title: 'Diagnose Connection',
      placeHolder: 'Which connection to check',
      matchOnDescription: true,
    });
    if (!picked) throw new CancelledError();
    if (picked.plan) return picked.plan;
  }
  return diagnosePlanForRequest(await pickTarget(services));
}

/** What the palette offers first: this window's connection, the recent ones, picking. */
export async function paletteChoices(services: Services): Promise<DiagnoseChoice[]> {
  const { globalState, workspaceState } = services.context;
  const current = await currentAlias(globalState, workspaceState);
  return diagnoseChoices(recentConnections(globalState), current);
}

/** For a task row with several containers: which one to check (any, reachable or not). */
async function askContainer(node: EcsNode): Promise<string | undefined> {
  const choices = containersToAsk(node);
  if (choices.length === 0) return undefined;
  const items = choices.map((c) => ({
    label: c.name,
    description: [c.image, c.agentStatus && `agent ${c.agentStatus}`].filter(Boolean).join(' · '),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Diagnose Connection: container',
    placeHolder: 'Which container of the task to check',
  });
  if (!picked) throw new CancelledError();
  return picked.label;
}

function runChecks(services: Services, plan: DiagnosePlan): Thenable<CheckResult[]> {
  const title = `Diagnosing ${plan.subject}`;
  const options = { location: vscode.ProgressLocation.Notification, title, cancellable: true };
  return vscode.window.withProgress(options, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort(new CancelledError()));
    try {
      let checked: Task | undefined;
      const results = await diagnose(plan.target, {
        clients: services.clients(plan.scope),
        onProgress: (message) => progress.report({ message }),
        onTask: (task) => (checked = task),
        signal: abort.signal,
        logger: services.log,
      });
      if (checked) services.findings.record(findingsKeyFor(plan, checked), results, SOURCE);
      return results;
    } finally {
      subscription.dispose();
    }
  });
}

async function showReport(content: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('markdown.showPreview')) {
    await vscode.commands.executeCommand('markdown.showPreview', document.uri);
  } else {
    await vscode.window.showTextDocument(document);
  }
}

async function offerFixes(plan: DiagnosePlan, results: CheckResult[]): Promise<void> {
  const offers = fixOffers(results);
  if (offers.length === 0) return;
  const choice = await vscode.window.showWarningMessage(
    `Diagnose ${plan.subject}: a fix can be run from here.`,
    ...offers.map((o) => o.title),
  );
  const action = offers.find((o) => o.title === choice)?.action;
  if (action?.kind === 'enableExecAndRedeploy') {
    const { cluster, service } = action;
    await vscode.commands.executeCommand('ecsRemote.enableExec', plan.scope, cluster, service);
  } else if (action?.kind === 'signIn') {
    await vscode.commands.executeCommand('ecsRemote.signIn', action.command);
  }
}
