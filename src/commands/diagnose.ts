// "Diagnose Connection": every connection check for a task or container row (or a target picked
// through the quick picks), under a cancellable progress notification; the report opens as
// Markdown (in the preview when the editor has one), with a button for each fix we can run.

import * as vscode from 'vscode';

import { CancelledError } from '../connect/userError.js';
import { diagnose, renderReport, type CheckResult } from '../diagnose/index.js';
import {
  diagnosePlanForNode,
  diagnosePlanForRequest,
  fixOffers,
  type DiagnosePlan,
} from '../model/diagnosePlan.js';
import type { EcsNode } from '../model/nodes.js';
import { reportFailure } from '../ui/commandRunner.js';
import type { Services } from '../ui/services.js';
import { pickTarget } from '../ui/targetPicker.js';
import type { EcsCommand } from './command.js';

export const diagnoseCommand: EcsCommand = {
  id: 'ecsRemote.diagnose',
  run: async ({ services }, node?: EcsNode) => {
    const plan =
      (node && diagnosePlanForNode(node)) ?? diagnosePlanForRequest(await pickTarget(services));
    const results = await runChecks(services, plan);
    const report = renderReport(results, plan.subject);
    await showReport(report);
    offerFixes(plan, results).catch((error) =>
      reportFailure(services.log, 'ecsRemote.diagnose', error),
    );
    return report;
  },
};

function runChecks(services: Services, plan: DiagnosePlan): Thenable<CheckResult[]> {
  const title = `Diagnosing ${plan.subject}`;
  const options = { location: vscode.ProgressLocation.Notification, title, cancellable: true };
  return vscode.window.withProgress(options, async (progress, token) => {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort(new CancelledError()));
    try {
      return await diagnose(plan.target, {
        clients: services.clients(plan.scope),
        onProgress: (message) => progress.report({ message }),
        signal: abort.signal,
        logger: services.log,
      });
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
