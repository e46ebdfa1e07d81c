// "Why can't I connect?": every known cause of a failed connection, found, explained in one
// sentence with a stable code, and fixed where we can. Pure: no `vscode`. The editor uses
// checkTask for tree decorations, diagnose and renderReport for its Diagnose command, and
// enableExecAndRedeploy (after enableExecConfirmation) for the one fix we carry out.

export type {
  BootstrapCheckCode,
  CheckCode,
  CheckOutcome,
  CheckResult,
  FixAction,
} from './checkResult.js';
export { isBlocking, primaryProblem, problems } from './checkResult.js';
export { checkTask, type TaskCheckContext } from './checkTask.js';
export { diagnose, type DiagnoseOptions, type DiagnoseTarget } from './diagnose.js';
export {
  enableExecAndRedeploy,
  enableExecConfirmation,
  type Confirmation,
  type EnableExecRequest,
} from './enableExec.js';
export { explainFailure, preflightWarnings, type FailureContext } from './explainFailure.js';
export { renderLine, renderReport, renderText, summarize } from './renderReport.js';
export { credentialFailure } from './credentialChecks.js';
export { waitForAgent, resolveWhenReady, type AgentWaitOptions } from './waitForAgent.js';
