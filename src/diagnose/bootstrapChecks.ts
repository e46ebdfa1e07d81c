// The bootstrap script's error codes (src/bootstrap/bootstrap.sh) as check results: what went
// wrong in the container, in one sentence, and what to change.

import { scrubShapes } from '../ssm/redact.js';
import type { CheckResult } from './checkResult.js';
import { finding } from './result.js';

export const BOOTSTRAP_TITLE = 'sshd in the container';

const FIXES: Record<string, string> = {
  NO_SHELL:
    'Use a debug variant of the image that has /bin/sh, or add a sidecar container with a ' +
    'shell and connect to that one.',
  NO_PACKAGE_MANAGER: 'Bake openssh-server into the image.',
  UNSUPPORTED_PACKAGE_MANAGER:
    'Bake openssh-server into the image; installing it with apk, dnf, yum or zypper is not ' +
    'supported yet.',
  NO_NETWORK:
    'The task cannot reach package mirrors: bake openssh-server into the image, or give the ' +
    "task's subnet outbound internet (a NAT gateway).",
  NO_SPACE:
    'Free disk space in the container, or give the task more ephemeral storage, then try again.',
  READ_ONLY_FS:
    'Mount a writable volume at /tmp (or /var/lib/ecs-remote-ssh), or turn ' +
    'readonlyRootFilesystem off for development tasks.',
  USER_NOT_FOUND: 'Log in as a user that exists in the image (--user), or add it to the image.',
  NO_KEYGEN: 'Install ssh-keygen (openssh-client) in the image next to sshd.',
  KEYGEN_FAILED: 'Check that the container can write to its disk, then try again.',
  INSTALL_FAILED:
    'Bake openssh-server into the image; the install log is apt.log in /var/lib/ecs-remote-ssh ' +
    '(or /tmp/ecs-remote-ssh) in the container.',
  SSHD_CONFIG_INVALID: "Use an image with a current OpenSSH; the detail is sshd's own complaint.",
  PORT_IN_USE: 'Give the Host block another --port for sshd, or stop the process that holds it.',
  SSHD_START_FAILED:
    'Read sshd.log in /var/lib/ecs-remote-ssh (or /tmp/ecs-remote-ssh) in the container.',
  NO_RESULT:
    'The command ended before it reported: the container may have stopped, or the session ' +
    'was ended by session logging; run "ecs-ssh doctor" for the cause.',
};

const MESSAGES: Record<string, string> = {
  NO_SHELL: 'this image has no shell (/bin/sh), so Remote-SSH cannot be set up in it',
};

/** `code` is the script's own (NO_NETWORK), `reason` its reason text. */
export function bootstrapFailure(code: string, reason: string, container?: string): CheckResult {
  const where = container ? `container "${container}"` : 'the container';
  // The reason may quote the container's own output, which may print its environment.
  const detail = MESSAGES[code] ?? scrubShapes(reason).replace(/[.\s]+$/, '');
  const verb = code === 'NO_RESULT' ? 'ended without a result;' : 'failed:';
  return finding(
    'fail',
    `BOOTSTRAP_${code}`,
    BOOTSTRAP_TITLE,
    `Starting sshd in ${where} ${verb} ${detail}.`,
    FIXES[code] ??
      'Read the detail above; the bootstrap log is in /var/lib/ecs-remote-ssh in the container.',
  );
}

/** Output of a command that never ran because the image has no shell, as the agent words it. */
export function looksLikeNoShell(output: string): boolean {
  return /executable file not found|no such file or directory|not found in \$PATH/i.test(output);
}
